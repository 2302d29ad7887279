// The Edge Functions from the deploy bundler's point of view: a folder holding supabase/ alone (plus the
// file an import map names), no node_modules, an empty DENO_DIR (tests/support/bundler-view.ts). Every
// function type-checks there, reading its import map as a full Deno config as the hosted runtime does,
// and the stack serves every function from there — each in its own `deno run`, npm packages fetched from
// the registry — and answers the functions' contracts through the gateway. scripts/test.sh runs the
// functions' whole contract suites once more against such a folder (STACK_PROJECT_DIR).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denoCheck, makeBundlerView, type BundlerView } from '../support/bundler-view.ts';
import { apiKeys, clients, createUser, startTestStack, type RunningStack } from '../support/stack.ts';

const FUNCTIONS = ['agents', 'alerts', 'metrics'];
const OPERATOR = { email: 'operator@example.com', password: 'operator-password-1', role: 'operator' };
const VIEWER = { email: 'viewer@example.com', password: 'viewer-password-1', role: 'viewer' };

let view: BundlerView;
/** Empty when the first check starts: the checks share it, so the npm packages are fetched once. */
let checkDenoDir: string;

beforeAll(async () => {
  view = await makeBundlerView();
  checkDenoDir = await view.emptyDenoDir();
});

afterAll(async () => {
  await view?.remove();
});

describe('the functions as the deploy bundler sees them', () => {
  it('are every function of supabase/functions, each with an import map inside supabase/', () => {
    expect(view.functions.map((fn) => fn.name)).toEqual(FUNCTIONS);
    for (const fn of view.functions) {
      expect(fn.importMap, `${fn.name} has an import map`).toBeDefined();
      expect(
        path.normalize(fn.importMap!).startsWith(`supabase${path.sep}`),
        `${fn.importMap} is inside supabase/`,
      ).toBe(true);
    }
  });

  it('declare their dependencies in plain JSON holding "imports" only (read as an import map or a Deno config alike)', async () => {
    for (const file of new Set(view.functions.map((fn) => fn.importMap!))) {
      const parsed = JSON.parse(await readFile(path.join(view.dir, file), 'utf8'));
      expect(Object.keys(parsed), file).toEqual(['imports']);
      for (const [name, target] of Object.entries(parsed.imports as Record<string, string>)) {
        // npm: packages come from the registry; a path must stay inside supabase/functions.
        expect(/^npm:/.test(target) || /^\.\.?\//.test(target), `${name} → ${target}`).toBe(true);
        if (!target.startsWith('npm:')) {
          const resolved = path.resolve(view.dir, path.dirname(file), target);
          expect(resolved.startsWith(path.join(view.dir, 'supabase', 'functions')), `${name} → ${target}`).toBe(true);
        }
      }
    }
  });

  it.each(FUNCTIONS)(
    '%s type-checks with no node_modules and an empty DENO_DIR',
    async (name) => {
      const fn = view.functions.find((f) => f.name === name)!;
      const { code, output } = await denoCheck(view, fn, checkDenoDir);
      expect(output).not.toMatch(/error/i);
      expect(code).toBe(0);
    },
    180_000,
  );
});

describe('served from there by the stack, each function answers its contract', () => {
  let stack: RunningStack;
  let operator: SupabaseClient;
  let viewer: SupabaseClient;
  let previousDenoDir: string | undefined;

  beforeAll(async () => {
    // The function processes inherit DENO_DIR: an empty one, so every npm package comes from the registry.
    previousDenoDir = process.env.DENO_DIR;
    process.env.DENO_DIR = await view.emptyDenoDir();
    stack = await startTestStack({ projectDir: view.dir });
    for (const user of [OPERATOR, VIEWER]) await createUser(stack, user);
    operator = await clients(stack).signIn(OPERATOR.email, OPERATOR.password);
    viewer = await clients(stack).signIn(VIEWER.email, VIEWER.password);
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    if (previousDenoDir === undefined) delete process.env.DENO_DIR;
    else process.env.DENO_DIR = previousDenoDir;
  });

  it('agents: 401 without a session, 403 for a viewer, a new generation for an operator', async () => {
    const anonymous = await fetch(`${stack.url}/functions/v1/agents/stop`, {
      method: 'POST',
      headers: { apikey: apiKeys(stack).publishable, 'content-type': 'application/json' },
      body: JSON.stringify({ agent_name: 'Content Collector' }),
    });
    expect(anonymous.status).toBe(401);
    const refused = await viewer.functions.invoke('agents/stop', { body: { agent_name: 'Content Collector' } });
    expect((refused.error as { context: Response }).context.status).toBe(403);
    const { data, error } = await operator.functions.invoke('agents/restart', {
      body: { agent_name: 'Content Collector' },
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ agent_name: 'Content Collector', desired_state: 'running' });
  });

  it('alerts: /dispatch refuses the publishable key and runs with the secret key', async () => {
    const dispatch = (apikey: string) =>
      fetch(`${stack.url}/functions/v1/alerts/dispatch`, {
        method: 'POST',
        headers: { apikey, 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await dispatch(apiKeys(stack).publishable)).status).toBe(401);
    const ok = await dispatch(apiKeys(stack).secret);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ claimed: 0 });
  });

  it('metrics: 401 without a token, the exposition with one', async () => {
    expect((await fetch(`${stack.url}/functions/v1/metrics`)).status).toBe(401);
    const { data, error } = await operator.rpc('issue_metrics_token', { p_label: 'bundler view' });
    expect(error).toBeNull();
    const scrape = await fetch(`${stack.url}/functions/v1/metrics`, {
      headers: { authorization: `Bearer ${(data as { token: string }[])[0].token}` },
    });
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toMatch(/^agent_status_up\{agent="Content Collector"\} [01]$/m);
  });
});
