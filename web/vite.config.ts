import { defineConfig, loadEnv } from 'vite';
import preact from '@preact/preset-vite';

// The dashboard is a static site: `vite build` writes web/dist, which any static host can serve.
// Only VITE_-prefixed variables reach the bundle (VITE_SUPABASE_URL, VITE_SUPABASE_ANON_KEY);
// the service-role key must never be one of them (tests/integration/web-build-secrets.test.ts).
export default defineConfig(({ mode }) => {
  refuseSecretKey(loadEnv(mode, import.meta.dirname, 'VITE_').VITE_SUPABASE_ANON_KEY);
  return {
    root: import.meta.dirname,
    envDir: import.meta.dirname,
    plugins: [preact()],
    build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  };
});

/** A key that bypasses row-level security must not end up in a bundle anyone can download. */
function refuseSecretKey(key: string | undefined): void {
  if (!key) return;
  let role: unknown;
  try {
    role = JSON.parse(Buffer.from(key.split('.')[1] ?? '', 'base64url').toString('utf8')).role;
  } catch {
    role = undefined; // not a JWT: a publishable key (sb_publishable_…) or a placeholder
  }
  if (role === 'service_role' || key.startsWith('sb_secret_')) {
    throw new Error('VITE_SUPABASE_ANON_KEY holds a secret (service-role) key, which would be public in the dashboard bundle; use the anon / publishable key.');
  }
}
