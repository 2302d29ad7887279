// The dashboard bundle is public: whatever `vite build` puts in web/dist, anyone can read.
// Build it the way a careless deploy would (service key and JWT secret present in the
// environment) and check that none of it leaks into the output.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCAL_ANON_KEY,
  LOCAL_JWT_SECRET,
  LOCAL_PUBLISHABLE_KEY,
  LOCAL_SECRET_KEY,
  LOCAL_SERVICE_ROLE_KEY,
} from '@agent-status/stack';
import { buildDashboard, removeBuild } from '../support/build-dashboard.ts';

const FORBIDDEN = {
  'service-role key': LOCAL_SERVICE_ROLE_KEY,
  'secret key': LOCAL_SECRET_KEY,
  'JWT secret': LOCAL_JWT_SECRET,
  'the word service_role': 'service_role',
};

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('web build', () => {
  let dist: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    // Secrets that live in a typical server-side environment (.env.local) while the site is built.
    process.env.SUPABASE_SERVICE_ROLE_KEY = LOCAL_SERVICE_ROLE_KEY;
    process.env.SUPABASE_SECRET_KEY = LOCAL_SECRET_KEY;
    process.env.SUPABASE_JWT_SECRET = LOCAL_JWT_SECRET;
    dist = await buildDashboard({ url: 'http://127.0.0.1:54321', anonKey: LOCAL_ANON_KEY });
  }, 120_000);

  afterAll(async () => {
    process.env = saved;
    if (dist) await removeBuild(dist);
  });

  it('contains the public URL and anon key, and nothing secret', async () => {
    const files = await filesUnder(dist);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    const contents = await Promise.all(files.map(async (f) => [f, await readFile(f, 'utf8')] as const));
    const all = contents.map(([, text]) => text).join('\n');
    expect(all).toContain('http://127.0.0.1:54321');
    expect(all).toContain(LOCAL_ANON_KEY);
    for (const [what, secret] of Object.entries(FORBIDDEN)) {
      const leaks = contents.filter(([, text]) => text.includes(secret)).map(([file]) => file);
      expect(leaks, `${what} found in the dashboard build`).toEqual([]);
    }
  });

  it('builds with the publishable key (the current name), and nothing secret gets in', async () => {
    const current = await buildDashboard({ url: 'http://127.0.0.1:54321', publishableKey: LOCAL_PUBLISHABLE_KEY });
    try {
      const all = (await Promise.all((await filesUnder(current)).map((f) => readFile(f, 'utf8')))).join('\n');
      expect(all).toContain(LOCAL_PUBLISHABLE_KEY);
      for (const [what, secret] of Object.entries(FORBIDDEN))
        expect(all.includes(secret), `${what} in the build`).toBe(false);
    } finally {
      await removeBuild(current);
    }
  }, 120_000);

  it('refuses a secret key of either kind in either variable', async () => {
    for (const secret of [LOCAL_SECRET_KEY, LOCAL_SERVICE_ROLE_KEY]) {
      await expect(buildDashboard({ url: 'http://127.0.0.1:54321', publishableKey: secret })).rejects.toThrow(
        /VITE_SUPABASE_PUBLISHABLE_KEY holds a secret \(service-role\) key/,
      );
      await expect(buildDashboard({ url: 'http://127.0.0.1:54321', anonKey: secret })).rejects.toThrow(
        /VITE_SUPABASE_ANON_KEY holds a secret \(service-role\) key/,
      );
    }
  });

  it('refuses to build with a service-role key as the public key', async () => {
    await expect(buildDashboard({ url: 'http://127.0.0.1:54321', anonKey: LOCAL_SERVICE_ROLE_KEY })).rejects.toThrow(
      /secret \(service-role\) key/,
    );
    await expect(buildDashboard({ url: 'http://127.0.0.1:54321', anonKey: 'sb_secret_abc123' })).rejects.toThrow(
      /secret \(service-role\) key/,
    );
  });
});
