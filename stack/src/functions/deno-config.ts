// Which Deno config a function runs with, chosen as the Supabase CLI chooses the import map it deploys
// (supabase/cli pkg/function, GetFunctionConfig): config.toml's `import_map` (relative to supabase/), else
// the function's own deno.json, deno.jsonc or import_map.json, else supabase/functions/import_map.json,
// else none. Like the CLI's bundler, Deno ignores package.json files whenever there is an import map, or
// no package.json beside the function: what runs here resolves its imports as the deploy does.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FunctionConfig } from './config.ts';

export interface DenoConfigChoice {
  /** Absolute path of the chosen file, or undefined for none. */
  file?: string;
  /** How `deno run` gets it: a deno.json(c) as the config, any other file as a plain import map. */
  args: string[];
  /** Whether Deno may read a package.json (otherwise DENO_NO_PACKAGE_JSON=1). */
  packageJson: boolean;
}

export function denoConfigFor(supabaseDir: string, name: string, config: FunctionConfig): DenoConfigChoice {
  const functionDir = path.join(supabaseDir, 'functions', name);
  const configured = config.importMap ? path.resolve(supabaseDir, config.importMap) : undefined;
  const file =
    configured ??
    [
      path.join(functionDir, 'deno.json'),
      path.join(functionDir, 'deno.jsonc'),
      path.join(functionDir, 'import_map.json'),
      path.join(supabaseDir, 'functions', 'import_map.json'),
    ].find((file) => existsSync(file));
  const packageJson = file === undefined && existsSync(path.join(functionDir, 'package.json'));
  if (!file) return { args: ['--no-config'], packageJson };
  const isDenoConfig = /^deno\.jsonc?$/i.test(path.basename(file));
  return { file, args: isDenoConfig ? [`--config=${file}`] : ['--no-config', `--import-map=${file}`], packageJson };
}
