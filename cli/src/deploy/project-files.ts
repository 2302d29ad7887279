// What the deploy reads from the checkout it deploys: supabase/config.toml (the functions and their
// verify_jwt) and the folder itself. Nothing here talks to a server.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { UsageError } from '../errors.ts';

export interface DeployFunction {
  name: string;
  verifyJwt: boolean;
}

interface ConfigToml {
  functions?: Record<string, { verify_jwt?: boolean; enabled?: boolean }>;
}

/** The checkout's supabase/ folder, or a usage error saying where to run the command. */
export function requireProjectDir(dir: string): string {
  if (!existsSync(join(dir, 'supabase', 'config.toml')))
    throw new UsageError(
      `${dir} holds no supabase/config.toml: run deploy in the Agent Status checkout (or pass --project-dir)`,
      'deploy',
    );
  return dir;
}

/** Every function of supabase/functions (a folder with index.ts, not "_…"), with config.toml's verify_jwt (default true). */
export function readFunctions(dir: string): DeployFunction[] {
  const config = parse(readFileSync(join(dir, 'supabase', 'config.toml'), 'utf8')) as ConfigToml;
  const functionsDir = join(dir, 'supabase', 'functions');
  return readdirSync(functionsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !/^[_.]/.test(d.name) && existsSync(join(functionsDir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort()
    .filter((name) => config.functions?.[name]?.enabled !== false)
    .map((name) => ({ name, verifyJwt: config.functions?.[name]?.verify_jwt ?? true }));
}
