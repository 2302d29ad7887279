import { chmod, mkdtemp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenVariable as agentTokenVariable } from '@agent-status/agents/env-local';
import { dashboardSourcesHash } from '../src/dashboard-build.ts';
import { renderEnvFile, writeEnvFile } from '../src/env-file.ts';
import { contentSecurityPolicy, serveStatic } from '../src/static-server.ts';

describe('.env.local', () => {
  it('names agent tokens as SPEC §3 says', () => {
    expect(agentTokenVariable('Content Collector')).toBe('AGENT_TOKEN_CONTENT_COLLECTOR');
    expect(agentTokenVariable('a-b.c 9')).toBe('AGENT_TOKEN_A_B_C_9');
  });
  it('holds exactly the contract keys and parses back with dotenv', () => {
    const env = {
      SUPABASE_URL: 'http://127.0.0.1:54321',
      SUPABASE_ANON_KEY: 'anon',
      SUPABASE_SERVICE_ROLE_KEY: 'service',
      DASHBOARD_URL: 'http://127.0.0.1:5173',
      DEMO_OPERATOR_EMAIL: 'o@x',
      DEMO_OPERATOR_PASSWORD: 'p#1',
      DEMO_VIEWER_EMAIL: 'v@x',
      DEMO_VIEWER_PASSWORD: 'p 2',
    };
    const parsed = parse(renderEnvFile(env, [{ agentName: 'Blog Generator', token: 'ast_1' }]));
    expect(parsed).toEqual({ ...env, AGENT_TOKEN_BLOG_GENERATOR: 'ast_1' });
  });
  it('writes the current keys under their primary names and labels the legacy ones deprecated', () => {
    const env = {
      SUPABASE_URL: 'http://127.0.0.1:54321',
      SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_x',
      SUPABASE_SECRET_KEY: 'sb_secret_y',
      SUPABASE_ANON_KEY: 'anon',
      SUPABASE_SERVICE_ROLE_KEY: 'service',
      DASHBOARD_URL: 'http://127.0.0.1:5173',
      DEMO_OPERATOR_EMAIL: 'o@x',
      DEMO_OPERATOR_PASSWORD: 'p',
      DEMO_VIEWER_EMAIL: 'v@x',
      DEMO_VIEWER_PASSWORD: 'q',
    };
    const text = renderEnvFile(env, []);
    expect(parse(text)).toEqual(env);
    const lines = text.split('\n');
    const anon = lines.findIndex((line) => line.startsWith('SUPABASE_ANON_KEY='));
    expect(lines[anon - 1]).toMatch(
      /^# Deprecated: the legacy JWT keys.*Use SUPABASE_PUBLISHABLE_KEY and SUPABASE_SECRET_KEY/,
    );
    expect(lines.findIndex((line) => line.startsWith('SUPABASE_PUBLISHABLE_KEY='))).toBeLessThan(anon);
    const legacyOnly = renderEnvFile(
      { ...env, SUPABASE_PUBLISHABLE_KEY: undefined, SUPABASE_SECRET_KEY: undefined },
      [],
    );
    expect(legacyOnly).not.toContain('SUPABASE_PUBLISHABLE_KEY=');
    expect(legacyOnly).toMatch(/# Legacy JWT keys only: .*STACK_KEY_MODEL=legacy/);
  });
  it('refuses values it cannot write safely', () => {
    expect(() => renderEnvFile({ SUPABASE_URL: 'a"b' } as never, [])).toThrow();
  });
  it('is always written with mode 0600, also over an existing file that everyone could read', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'env-local-'));
    const file = path.join(dir, '.env.local');
    const umask = process.umask(0);
    try {
      await writeFile(file, 'OLD=1\n', { mode: 0o666 });
      await chmod(file, 0o644);
      await writeEnvFile(file, 'SUPABASE_SECRET_KEY="sb_secret_x"\n');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(await readFile(file, 'utf8')).toBe('SUPABASE_SECRET_KEY="sb_secret_x"\n');
      await writeEnvFile(path.join(dir, 'new.env'), 'A=1\n');
      expect((await stat(path.join(dir, 'new.env'))).mode & 0o777).toBe(0o600);
      expect((await readdir(dir)).sort()).toEqual(['.env.local', 'new.env']); // no temporary file left
    } finally {
      process.umask(umask);
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('dashboard static server', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'static-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(path.join(dir, 'assets', 'app-1.js'), 'console.log(1)');
    server = await serveStatic({ dir, port: 0, host: '127.0.0.1', stackUrl: 'http://127.0.0.1:54321' });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves files, falls back to index.html for app routes, never leaves the directory', async () => {
    const js = await fetch(`${server.url}/assets/app-1.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(await js.text()).toBe('console.log(1)');
    const route = await fetch(`${server.url}/agents/blog`);
    expect(await route.text()).toContain('<title>app</title>');
    expect(route.headers.get('content-security-policy')).toBe(contentSecurityPolicy('http://127.0.0.1:54321'));
    const traversal = await fetch(`${server.url}/..%2f..%2fetc%2fpasswd`);
    expect(await traversal.text()).toContain('<title>app</title>');
    expect((await fetch(`${server.url}/`, { method: 'POST' })).status).toBe(405);
  });

  it('lets the page reach the stack over HTTP and WebSocket only', () => {
    expect(contentSecurityPolicy('http://127.0.0.1:54321')).toContain(
      "connect-src 'self' http://127.0.0.1:54321 ws://127.0.0.1:54321",
    );
  });
});

describe('dashboard build marker', () => {
  it('changes when a dashboard source changes, so npm start rebuilds a stale web/dist', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'dashboard-sources-'));
    try {
      await mkdir(path.join(root, 'web', 'src', 'state'), { recursive: true });
      await writeFile(path.join(root, 'web', 'index.html'), '<div id="app"></div>');
      await writeFile(path.join(root, 'web', 'src', 'state', 'agents.ts'), 'export const a = 1;');
      const first = await dashboardSourcesHash(root);
      expect(await dashboardSourcesHash(root)).toBe(first);
      await writeFile(path.join(root, 'web', 'src', 'state', 'agents.ts'), 'export const a = 2;');
      const edited = await dashboardSourcesHash(root);
      expect(edited).not.toBe(first);
      await writeFile(path.join(root, 'web', 'src', 'new.css'), '.row { content-visibility: auto }');
      expect(await dashboardSourcesHash(root)).not.toBe(edited);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
