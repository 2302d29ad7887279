import { defineConfig, loadEnv, type Plugin } from 'vite';
import preact from '@preact/preset-vite';
import { headersFile, redirectsFile, vercelJson } from './hosting.ts';

// The dashboard is a static site: `vite build` writes web/dist, which any static host can serve.
// Only VITE_-prefixed variables reach the bundle (VITE_SUPABASE_URL, VITE_SUPABASE_PUBLISHABLE_KEY or the
// legacy VITE_SUPABASE_ANON_KEY); a secret key must never be one of them (tests/integration/web-build-secrets.test.ts).
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, import.meta.dirname, 'VITE_');
  for (const variable of ['VITE_SUPABASE_PUBLISHABLE_KEY', 'VITE_SUPABASE_ANON_KEY'])
    refuseSecretKey(variable, env[variable]);
  return {
    root: import.meta.dirname,
    envDir: import.meta.dirname,
    plugins: [preact(), hostingRecipes(env.VITE_SUPABASE_URL, process.env.DASHBOARD_LEGACY_API === '1')],
    build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  };
});

/**
 * The static hosts' header files (web/hosting.ts) for the project the bundle talks to, beside index.html;
 * with DASHBOARD_LEGACY_API=1 also the original system's /api/agents/* routes forwarded to `agents`.
 */
function hostingRecipes(supabaseUrl: string | undefined, legacyApi: boolean): Plugin {
  return {
    name: 'agent-status-hosting-recipes',
    apply: 'build',
    generateBundle() {
      if (!supabaseUrl) return; // no project, no connect-src to write
      const url = supabaseUrl.replace(/\/+$/, '');
      this.emitFile({ type: 'asset', fileName: '_headers', source: headersFile(url) });
      this.emitFile({ type: 'asset', fileName: 'vercel.json', source: vercelJson(url, { legacyApi }) });
      if (legacyApi) this.emitFile({ type: 'asset', fileName: '_redirects', source: redirectsFile(url) });
    },
  };
}

/** A key that bypasses row-level security (sb_secret_…, or a legacy service_role JWT) must not end up in a bundle anyone can download. */
function refuseSecretKey(variable: string, key: string | undefined): void {
  if (!key) return;
  let role: unknown;
  try {
    role = JSON.parse(Buffer.from(key.split('.')[1] ?? '', 'base64url').toString('utf8')).role;
  } catch {
    role = undefined; // not a JWT: a publishable key (sb_publishable_…) or a placeholder
  }
  if (role === 'service_role' || key.trim().startsWith('sb_secret_')) {
    throw new Error(
      `${variable} holds a secret (service-role) key, which would be public in the dashboard bundle; use the publishable key.`,
    );
  }
}
