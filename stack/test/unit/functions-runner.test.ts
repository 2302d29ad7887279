// The functions runner with real Deno processes running small fixture functions.
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFunctions, runtimeEnv } from '../../src/functions/index.ts';
import { createKeys } from '../../src/keys/index.ts';
import type { StackContext, StackModule } from '../../src/types.ts';

// Echoes what it sees; /crash exits the process mid-request; logs one line on start.
const ECHO_FUNCTION = `
console.log('echo booted');
Deno.serve({ port: 9999 }, async (req) => {
  const url = new URL(req.url);
  if (url.pathname.endsWith('/crash')) Deno.exit(1);
  return new Response(JSON.stringify({
    method: req.method,
    pathname: url.pathname,
    search: url.search,
    body: await req.text(),
    header: req.headers.get('x-test'),
    env: { url: Deno.env.get('SUPABASE_URL'), anon: Deno.env.get('SUPABASE_ANON_KEY'), service: Boolean(Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')) },
  }), { status: 201, headers: { 'content-type': 'application/json', 'x-from-function': 'yes' } });
});
`;

let root: string;
let server: http.Server;
let base: string;
let functions: StackModule;
const logs: string[] = [];
const keys = await createKeys();

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'functions-runner-'));
  await mkdir(path.join(root, 'supabase/functions/echo'), { recursive: true });
  await mkdir(path.join(root, 'supabase/functions/open'), { recursive: true });
  await mkdir(path.join(root, 'supabase/functions/_shared'), { recursive: true });
  await writeFile(path.join(root, 'supabase/functions/echo/index.ts'), ECHO_FUNCTION);
  await writeFile(path.join(root, 'supabase/functions/open/index.ts'), `Deno.serve(() => new Response('open'));`);
  await writeFile(
    path.join(root, 'supabase/functions/_shared/index.ts'),
    `throw new Error('shared code is not a function');`,
  );
  await writeFile(
    path.join(root, 'supabase/config.toml'),
    `[functions.echo]\nverify_jwt = true\n[functions.open]\nverify_jwt = false\n`,
  );

  server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    void functions.handle!(req, res, url.slice('/functions/v1'.length));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/functions/v1`;
  const ctx = {
    keys,
    url: 'http://stack.test',
    rootDir: root,
    log: (scope: string, line: string) => logs.push(`[${scope}] ${line}`),
  } as unknown as StackContext;
  functions = await createFunctions(ctx);
}, 120_000);

afterAll(async () => {
  await functions?.close();
  server?.close();
  await rm(root, { recursive: true, force: true });
});

const userToken = () => keys.sign({ role: 'authenticated', sub: 'u1' }, 60);

describe('functions runner', () => {
  it('proxies method, path, query, headers, body and status to the function, with the Supabase env', async () => {
    const res = await fetch(`${base}/echo/some/path?x=1`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await userToken()}`, 'x-test': 'hello' },
      body: 'payload',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-from-function')).toBe('yes');
    expect(await res.json()).toEqual({
      method: 'POST',
      pathname: '/echo/some/path',
      search: '?x=1',
      body: 'payload',
      header: 'hello',
      env: { url: 'http://stack.test', anon: keys.anonKey, service: true },
    });
  });

  it('accepts the anon key as a JWT, like hosted verify_jwt', async () => {
    const res = await fetch(`${base}/echo`, { headers: { Authorization: `Bearer ${keys.anonKey}` } });
    expect(res.status).toBe(201);
  });

  it('answers 401 before the function when verify_jwt is on and the JWT is missing or invalid', async () => {
    const missing = await fetch(`${base}/echo`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ code: 401, message: 'Missing authorization header' });
    const forged = await createKeys({ jwtSecret: 'another-secret-that-is-at-least-32-characters' });
    const invalid = await fetch(`${base}/echo`, {
      headers: { Authorization: `Bearer ${await forged.sign({ role: 'authenticated' }, 60)}` },
    });
    expect(invalid.status).toBe(401);
    expect(await invalid.json()).toEqual({ code: 401, message: 'Invalid JWT' });
  });

  it('verify_jwt checks JWTs of both models: ES256 sessions and legacy HS256 tokens pass, API keys (not JWTs) do not', async () => {
    const session = await userToken();
    expect(JSON.parse(Buffer.from(session.split('.')[0], 'base64url').toString())).toMatchObject({
      alg: 'ES256',
      kid: keys.sessionKid,
    });
    expect((await fetch(`${base}/echo`, { headers: { Authorization: `Bearer ${session}` } })).status).toBe(201);
    const legacy = await createKeys({ model: 'legacy' });
    expect(
      (
        await fetch(`${base}/echo`, {
          headers: { Authorization: `Bearer ${await legacy.sign({ role: 'authenticated', sub: 'u1' }, 60)}` },
        })
      ).status,
    ).toBe(201);
    for (const key of [keys.publishableKey!, keys.secretKey!]) {
      const refused = await fetch(`${base}/echo`, { headers: { Authorization: `Bearer ${key}`, apikey: key } });
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({ code: 401, message: 'Invalid JWT' });
    }
  });

  it('lets requests through without a JWT when verify_jwt = false, and lets preflights through', async () => {
    expect(await (await fetch(`${base}/open`)).text()).toBe('open');
    const preflight = await fetch(`${base}/echo`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(201);
  });

  it('answers 404 JSON for unknown functions and never runs _shared', async () => {
    for (const name of ['nope', '_shared', '']) {
      const res = await fetch(`${base}/${name}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('prefixes the function logs with its name', () => {
    expect(logs).toContain('[echo] echo booted');
  });

  it('answers the in-flight request with a JSON 502 when the function crashes, then restarts it', async () => {
    const auth = { Authorization: `Bearer ${await userToken()}` };
    const crashed = await fetch(`${base}/echo/crash`, { headers: auth });
    expect(crashed.status).toBe(502);
    expect(await crashed.json()).toMatchObject({ code: 'WORKER_ERROR' });
    const after = await fetch(`${base}/echo/again`, { headers: auth });
    expect(after.status).toBe(201);
    expect(logs.some((line) => line.startsWith('[echo] exited (code 1); restarting'))).toBe(true);
  }, 60_000);

  // Last: stops the processes the other tests use.
  it('close() stops every function process, after which requests get 503', async () => {
    const running = () =>
      execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes(root)).length;
    expect(running()).toBe(2);
    await functions.close();
    expect(running()).toBe(0);
    const res = await fetch(`${base}/open`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'BOOT_ERROR' });
  });
});

describe('functions started on demand', () => {
  it('start no process with the stack; the first request starts its function and waits for it, the others stay down', async () => {
    const onDemandLogs: string[] = [];
    const onDemand = await createFunctions({
      keys,
      url: 'http://stack.test',
      rootDir: root,
      log: (scope: string, line: string) => onDemandLogs.push(`[${scope}] ${line}`),
      functionsStart: 'on-demand',
    } as unknown as StackContext);
    const running = () =>
      execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes(root)).length;
    const odServer = http.createServer((req, res) => {
      void onDemand.handle!(req, res, (req.url ?? '/').slice('/functions/v1'.length));
    });
    await new Promise<void>((resolve) => odServer.listen(0, '127.0.0.1', resolve));
    const odBase = `http://127.0.0.1:${(odServer.address() as AddressInfo).port}/functions/v1`;
    try {
      expect(running()).toBe(0);
      expect(onDemandLogs).toEqual([]);
      expect(await (await fetch(`${odBase}/open`)).text()).toBe('open');
      expect(running()).toBe(1);
      expect(onDemandLogs.some((line) => line.startsWith('[open] listening on'))).toBe(true);
      expect(onDemandLogs.some((line) => line.startsWith('[echo]'))).toBe(false);
    } finally {
      await onDemand.close();
      odServer.close();
    }
    expect(running()).toBe(0);
  }, 120_000);
});

describe("the Edge Runtime's environment", () => {
  it('current keys: URL, named publishable and secret keys, the public JWKS, and the deprecated legacy keys', async () => {
    const current = await createKeys();
    expect(runtimeEnv('http://stack.test', current)).toEqual({
      SUPABASE_URL: 'http://stack.test',
      SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: current.publishableKey }),
      SUPABASE_SECRET_KEYS: JSON.stringify({ default: current.secretKey }),
      SUPABASE_JWKS: JSON.stringify(current.publicJwks),
      SUPABASE_ANON_KEY: current.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: current.serviceRoleKey,
    });
  });

  it('legacy keys only: no publishable or secret keys; the JWKS holds the JWT secret as a symmetric key with its kid', async () => {
    const legacy = await createKeys({ model: 'legacy' });
    const env = runtimeEnv('http://stack.test', legacy);
    expect(Object.keys(env).sort()).toEqual([
      'SUPABASE_ANON_KEY',
      'SUPABASE_JWKS',
      'SUPABASE_SERVICE_ROLE_KEY',
      'SUPABASE_URL',
    ]);
    expect(JSON.parse(env.SUPABASE_JWKS)).toEqual({
      keys: [expect.objectContaining({ kty: 'oct', alg: 'HS256', kid: legacy.sessionKid })],
    });
  });
});
