import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFor, parseFunctionsConfig } from '../../src/functions/config.ts';
import { denoConfigFor } from '../../src/functions/deno-config.ts';

describe('parseFunctionsConfig', () => {
  it('reads verify_jwt and import_map per function and defaults verify_jwt to true like hosted Supabase', () => {
    const configs = parseFunctionsConfig(`
[api]
verify_jwt = false   # not a function section: ignored
import_map = "./not-a-function.json"

[functions.agents]
verify_jwt = true

[functions."public-hook"]
# a comment
verify_jwt = false

[functions.other]
import_map = "./functions/deno.json" # relative to supabase/
`);
    expect(configFor(configs, 'agents')).toEqual({ verifyJwt: true });
    expect(configFor(configs, 'public-hook')).toEqual({ verifyJwt: false });
    expect(configFor(configs, 'other')).toEqual({ verifyJwt: true, importMap: './functions/deno.json' });
    expect(configFor(configs, 'missing')).toEqual({ verifyJwt: true });
  });
});

describe('denoConfigFor: the import map a function runs with, chosen as the Supabase CLI deploys it', () => {
  let supabaseDir: string;
  const touch = async (file: string) => {
    await mkdir(path.dirname(path.join(supabaseDir, file)), { recursive: true });
    await writeFile(path.join(supabaseDir, file), '{}');
  };
  beforeEach(async () => {
    supabaseDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'deno-config-')), 'supabase');
    await touch('functions/fn/index.ts');
  });
  afterEach(() => rm(path.dirname(supabaseDir), { recursive: true, force: true }));

  it("config.toml's import_map wins, resolved from supabase/, read as a Deno config, package.json ignored", async () => {
    await touch('functions/fn/deno.json');
    await touch('functions/fn/package.json');
    const choice = denoConfigFor(supabaseDir, 'fn', { verifyJwt: true, importMap: './functions/deno.json' });
    expect(choice).toEqual({
      file: path.join(supabaseDir, 'functions/deno.json'),
      args: [`--config=${path.join(supabaseDir, 'functions/deno.json')}`],
      packageJson: false,
    });
  });

  it("then the function's own deno.json, deno.jsonc, import_map.json, then supabase/functions/import_map.json", async () => {
    const pick = () => denoConfigFor(supabaseDir, 'fn', { verifyJwt: true }).file;
    await touch('functions/import_map.json');
    expect(pick()).toBe(path.join(supabaseDir, 'functions/import_map.json'));
    await touch('functions/fn/import_map.json');
    expect(pick()).toBe(path.join(supabaseDir, 'functions/fn/import_map.json'));
    await touch('functions/fn/deno.jsonc');
    expect(pick()).toBe(path.join(supabaseDir, 'functions/fn/deno.jsonc'));
    await touch('functions/fn/deno.json');
    expect(pick()).toBe(path.join(supabaseDir, 'functions/fn/deno.json'));
  });

  it('a plain import map is passed as --import-map, never as a Deno config', async () => {
    await touch('functions/fn/import_map.json');
    expect(denoConfigFor(supabaseDir, 'fn', { verifyJwt: true }).args).toEqual([
      '--no-config',
      `--import-map=${path.join(supabaseDir, 'functions/fn/import_map.json')}`,
    ]);
  });

  it('no import map: no config at all; a package.json beside the function is then read', async () => {
    expect(denoConfigFor(supabaseDir, 'fn', { verifyJwt: true })).toEqual({
      args: ['--no-config'],
      packageJson: false,
    });
    await touch('functions/fn/package.json');
    expect(denoConfigFor(supabaseDir, 'fn', { verifyJwt: true })).toEqual({ args: ['--no-config'], packageJson: true });
  });
});
