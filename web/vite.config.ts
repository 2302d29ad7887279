import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// The dashboard is a static site: `vite build` writes web/dist, which any static host can serve.
// Only VITE_-prefixed variables reach the bundle (VITE_SUPABASE_URL, VITE_SUPABASE_ANON_KEY);
// the service-role key must never be one of them (tests/integration/web-build-secrets.test.ts).
export default defineConfig({
  root: import.meta.dirname,
  envDir: import.meta.dirname,
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
});
