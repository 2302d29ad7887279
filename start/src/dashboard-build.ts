import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Written next to the build: which stack the bundle was built for (Vite inlines the URL and key)
 * and from which sources, so a pull that changed the dashboard rebuilds it.
 */
const MARKER = '.built-for.json';
/** What the bundle is built from, relative to the repository root. */
const SOURCES = [
  'web/index.html',
  'web/vite.config.ts',
  'web/package.json',
  'web/src',
  'client/src',
  'supabase/functions/_shared',
];

/** sha256 over the dashboard's sources (paths and contents, in a stable order). */
export async function dashboardSourcesHash(rootDir: string): Promise<string> {
  const hash = createHash('sha256');
  const add = async (relative: string): Promise<void> => {
    const full = path.join(rootDir, relative);
    const entries = await readdir(full, { withFileTypes: true }).catch(() => undefined);
    if (!entries) {
      const content = await readFile(full).catch(() => undefined);
      if (content) hash.update(`${relative}\0`).update(content).update('\0');
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name)))
      await add(path.join(relative, entry.name));
  };
  for (const source of SOURCES) await add(source);
  return hash.digest('hex');
}

/** The project's public key for the bundle, under the name it is built with (the legacy name on a legacy-only stack). */
export interface DashboardKey {
  url: string;
  key: string;
  variable: 'VITE_SUPABASE_PUBLISHABLE_KEY' | 'VITE_SUPABASE_ANON_KEY';
}

/** Every variable the dashboard reads its key from: a build sees only the one it is given. */
const KEY_VARIABLES = ['VITE_SUPABASE_PUBLISHABLE_KEY', 'VITE_SUPABASE_ANON_KEY'];

/**
 * Builds web/ with the stack's URL and public key unless web/dist already holds a build for them from
 * the current sources. Returns the dist directory.
 */
export async function ensureDashboardBuild(
  rootDir: string,
  target: DashboardKey,
  log: (line: string) => void,
): Promise<string> {
  const webDir = path.join(rootDir, 'web');
  const distDir = path.join(webDir, 'dist');
  const wanted = JSON.stringify({
    url: target.url,
    [target.variable]: target.key,
    sources: await dashboardSourcesHash(rootDir),
  });
  const built = await readFile(path.join(distDir, MARKER), 'utf8').catch(() => undefined);
  if (built === wanted && existsSync(path.join(distDir, 'index.html'))) return distDir;
  log(`dashboard: building web/ for ${target.url} …`);
  await run('npx', ['vite', 'build'], webDir, { VITE_SUPABASE_URL: target.url, [target.variable]: target.key });
  await writeFile(path.join(distDir, MARKER), wanted);
  return distDir;
}

function run(command: string, args: string[], cwd: string, env: Record<string, string>) {
  // A key variable left in the caller's shell (another project's, or a secret one) must not reach the bundle.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !KEY_VARIABLES.includes(name)));
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...inherited, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}
