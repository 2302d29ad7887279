// The Edge Functions as the deploy bundler sees them. `supabase functions deploy` sends each function's
// entrypoint, the files it imports and the import-map file its config names — never node_modules or the
// repository's package.json — and the hosted runtime reads that file as a full Deno config (supabase/cli
// pkg/function: deploy.go, deno.go, bundle.go). Here: a fresh folder with a copy of supabase/ alone (plus
// the import-map file, should it live outside supabase/), no node_modules, and an empty DENO_DIR for
// each use, so that npm packages can only come from the registry.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
/** The repository's Deno (the `deno` npm package): a developer's tool, not part of what deploys. */
export const DENO_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'deno');

export interface ViewFunction {
  name: string;
  /** index.ts, relative to the view's folder. */
  entry: string;
  /** The file the deploy takes as the function's import map (relative to the view's folder), if any. */
  importMap?: string;
}

export interface BundlerView {
  dir: string;
  functions: ViewFunction[];
  /** A new, empty DENO_DIR inside the view's folder. */
  emptyDenoDir(): Promise<string>;
  remove(): Promise<void>;
}

interface ProjectConfig {
  functions?: Record<string, { import_map?: string }>;
}

/** The deploy's choice of import map: config.toml's import_map, else the function's deno.json(c), else the fallback. */
export function importMapOf(projectDir: string, config: ProjectConfig, name: string): string | undefined {
  const configured = config.functions?.[name]?.import_map;
  if (configured) return path.join('supabase', configured);
  const candidates = ['deno.json', 'deno.jsonc', 'import_map.json'].map((file) =>
    path.join('supabase', 'functions', name, file),
  );
  candidates.push(path.join('supabase', 'functions', 'import_map.json'));
  return candidates.find((file) => existsSync(path.join(projectDir, file)));
}

/** Every folder of supabase/functions with an index.ts, except shared code ("_…", ".…"), as the CLI finds them. */
export async function listFunctions(projectDir: string): Promise<ViewFunction[]> {
  const config = parse(await readFile(path.join(projectDir, 'supabase', 'config.toml'), 'utf8')) as ProjectConfig;
  const dirents = await readdir(path.join(projectDir, 'supabase', 'functions'), { withFileTypes: true });
  return dirents
    .filter((d) => d.isDirectory() && !/^[_.]/.test(d.name))
    .map((d) => d.name)
    .filter((name) => existsSync(path.join(projectDir, 'supabase', 'functions', name, 'index.ts')))
    .sort()
    .map((name) => ({
      name,
      entry: path.join('supabase', 'functions', name, 'index.ts'),
      importMap: importMapOf(projectDir, config, name),
    }));
}

export async function makeBundlerView(projectDir = REPO_ROOT): Promise<BundlerView> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bundler-view-'));
  await cp(path.join(projectDir, 'supabase'), path.join(dir, 'supabase'), {
    recursive: true,
    filter: (source) => path.basename(source) !== 'node_modules',
  });
  const functions = await listFunctions(projectDir);
  for (const { importMap } of functions) {
    if (importMap && !existsSync(path.join(dir, importMap))) {
      await mkdir(path.dirname(path.join(dir, importMap)), { recursive: true });
      await cp(path.join(projectDir, importMap), path.join(dir, importMap));
    }
  }
  let denoDirs = 0;
  return {
    dir,
    functions,
    async emptyDenoDir() {
      const denoDir = path.join(dir, `.deno-dir-${++denoDirs}`);
      await mkdir(denoDir);
      return denoDir;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** What of this machine's environment Deno may see: where to find the registry and how to trust it. */
const REACH_THE_REGISTRY = [
  'PATH',
  'HOME',
  'NPM_CONFIG_REGISTRY',
  'HTTPS_PROXY',
  'https_proxy',
  'NO_PROXY',
  'no_proxy',
  'DENO_CERT',
  'DENO_TLS_CA_STORE',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
];

/**
 * The environment the bundler runs Deno with: DENO_NO_PACKAGE_JSON=1 (set by the CLI whenever a function
 * has an import map), the given DENO_DIR, and nothing else of this machine's but how to reach the registry.
 */
export function bundlerEnv(denoDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { DENO_DIR: denoDir, DENO_NO_PACKAGE_JSON: '1', NO_COLOR: '1' };
  for (const name of REACH_THE_REGISTRY) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  return env;
}

/** `deno check` of one function in the view, reading its import map as a full Deno config (as the runtime does). */
export function denoCheck(
  view: BundlerView,
  fn: ViewFunction,
  denoDir: string,
): Promise<{ code: number; output: string }> {
  const args = ['check', ...(fn.importMap ? [`--config=${fn.importMap}`] : ['--no-config']), fn.entry];
  return new Promise((resolve, reject) => {
    const child = spawn(DENO_BIN, args, { cwd: view.dir, env: bundlerEnv(denoDir), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

// `node --import tsx tests/support/bundler-view.ts`: makes a view of this repository and prints
// STACK_PROJECT_DIR=… and DENO_DIR=… (an empty one) for a shell to eval; the caller removes the folder.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const view = await makeBundlerView();
  console.log(`STACK_PROJECT_DIR=${view.dir}`);
  console.log(`DENO_DIR=${await view.emptyDenoDir()}`);
}
