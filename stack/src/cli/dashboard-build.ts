import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Written next to the build: which stack the bundle was built for (Vite inlines the URL and key). */
const MARKER = '.built-for.json';

/**
 * Builds web/ with the stack's URL and anon key unless web/dist already holds a build for them.
 * Returns the dist directory, or undefined when the dashboard does not exist yet.
 */
export async function ensureDashboardBuild(rootDir: string, stack: { url: string; anonKey: string }, log: (line: string) => void): Promise<string | undefined> {
  const webDir = path.join(rootDir, 'web');
  const distDir = path.join(webDir, 'dist');
  if (!existsSync(path.join(webDir, 'index.html'))) {
    log('dashboard: skipped (web/index.html does not exist yet)');
    return undefined;
  }
  const wanted = JSON.stringify({ url: stack.url, anonKey: stack.anonKey });
  const built = await readFile(path.join(distDir, MARKER), 'utf8').catch(() => undefined);
  if (built === wanted && existsSync(path.join(distDir, 'index.html'))) return distDir;
  log(`dashboard: building web/ for ${stack.url} …`);
  await run('npx', ['vite', 'build'], webDir, { VITE_SUPABASE_URL: stack.url, VITE_SUPABASE_ANON_KEY: stack.anonKey });
  await writeFile(path.join(distDir, MARKER), wanted);
  return distDir;
}

function run(command: string, args: string[], cwd: string, env: Record<string, string>) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}
