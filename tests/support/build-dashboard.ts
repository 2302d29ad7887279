// Builds web/ with the given Supabase URL and key into a temp folder and serves it over HTTP.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic as serveBuilt } from '@agent-status/start/static-server';
import { withEnv } from './env.ts';

export const WEB_DIR = resolve(fileURLToPath(new URL('../../web', import.meta.url)));

/**
 * The key goes in VITE_SUPABASE_PUBLISHABLE_KEY (`publishableKey`) or, as a project still on legacy keys
 * builds it, in VITE_SUPABASE_ANON_KEY (`anonKey`).
 */
export async function buildDashboard(
  env: { url: string; publishableKey?: string; anonKey?: string },
  outDir?: string,
  /** false keeps names readable (the dashboard's profiler, tools/bench/profile-dashboard.ts). */
  minify = true,
): Promise<string> {
  const target = outDir ?? (await mkdtemp(join(tmpdir(), 'agent-status-web-')));
  const { build } = await import('vite');
  // Vite reads VITE_* from process.env before .env files; set them only for this build.
  const vars = {
    VITE_SUPABASE_URL: env.url,
    VITE_SUPABASE_PUBLISHABLE_KEY: env.publishableKey,
    VITE_SUPABASE_ANON_KEY: env.anonKey,
  };
  await withEnv(vars, () =>
    build({
      configFile: join(WEB_DIR, 'vite.config.ts'),
      root: WEB_DIR,
      logLevel: 'warn',
      build: { outDir: target, emptyOutDir: true, minify },
    }),
  );
  return target;
}

/**
 * Serves the build exactly as `npm start` does (start/src/static-server.ts), Content-Security-Policy
 * included, so the browser tests prove the dashboard works under that policy.
 */
export async function serveStatic(dir: string, stackUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const site = await serveBuilt({ dir, port: 0, host: '127.0.0.1', stackUrl });
  return { url: site.url, stop: () => site.close() };
}

export async function removeBuild(dir: string) {
  await rm(dir, { recursive: true, force: true });
}
