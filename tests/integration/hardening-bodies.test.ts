// an oversized body gets its service's 413 JSON answer, whatever the client. The
// server must not close while the client is still sending (the client then sees EPIPE / ECONNRESET
// instead of the answer): it answers, reads and discards the rest up to a generous cap, then goes on.
// Each case runs with Node's fetch, supabase-js, curl and Python's urllib.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, clients, createUser, startTestStack, type RunningStack } from '../support/stack.ts';

const run = promisify(execFile);
const OPERATOR = { email: 'operator@bodies.test', password: 'operator-password-1', role: 'operator' };
const MB = 1024 * 1024;

let stack: RunningStack;
let operator: SupabaseClient;
let accessToken: string;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  await createUser(stack, OPERATOR);
  operator = await clients(stack).signIn(OPERATOR.email, OPERATOR.password);
  accessToken = (await operator.auth.getSession()).data.session!.access_token;
  dir = mkdtempSync(join(tmpdir(), 'bodies-'));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Case {
  name: string;
  path: string;
  /** The JSON body, `size` bytes long. */
  body: (size: number) => string;
  size: number;
  auth: () => string;
}

const padded = (prefix: string, size: number, suffix: string) =>
  prefix + 'x'.repeat(size - prefix.length - suffix.length) + suffix;

const CASES: Case[] = [
  // Over the gateway's 1 MB cap: the gateway answers.
  {
    name: '5 MB to /rest/v1/rpc/agent_report',
    path: '/rest/v1/rpc/agent_report',
    size: 5 * MB,
    auth: () => apiKeys(stack).publishable,
    body: (n) => padded('{"p_kind":"heartbeat","p_message":"', n, '"}'),
  },
  {
    name: '2 MB to /functions/v1/agents/stop',
    path: '/functions/v1/agents/stop',
    size: 2 * MB,
    auth: () => accessToken,
    body: (n) => padded('{"agent_name":"', n, '"}'),
  },
  // Under the gateway's cap, over the service's own: the function (16 KB on /start-all; the single and
  // bulk routes take up to 768 KB, a list of agent names) and Auth (64 KB) answer.
  {
    name: '600 KB to /functions/v1/agents/start-all',
    path: '/functions/v1/agents/start-all',
    size: 600 * 1024,
    auth: () => accessToken,
    body: (n) => padded('{"note":"', n, '"}'),
  },
  {
    name: '600 KB to /auth/v1/token',
    path: '/auth/v1/token?grant_type=password',
    size: 600 * 1024,
    auth: () => apiKeys(stack).publishable,
    body: (n) => padded('{"email":"a@b.co","password":"', n, '"}'),
  },
];

const headers = (c: Case): Record<string, string> => ({
  apikey: apiKeys(stack).publishable,
  authorization: `Bearer ${c.auth()}`,
  'content-type': 'application/json',
});

function expectJson413(answer: { status: number; body: string }) {
  expect(answer.status).toBe(413);
  const parsed = JSON.parse(answer.body) as Record<string, unknown>;
  const message = parsed.message ?? parsed.msg ?? (parsed.error as { message?: string } | undefined)?.message;
  expect(typeof message).toBe('string');
}

describe.each(CASES)('$name', (c) => {
  it('fetch gets the 413', async () => {
    const response = await fetch(`${stack.url}${c.path}`, {
      method: 'POST',
      headers: headers(c),
      body: c.body(c.size),
    });
    expectJson413({ status: response.status, body: await response.text() });
  });

  it('curl gets the 413', async () => {
    const file = join(dir, `${c.size}.json`);
    writeFileSync(file, c.body(c.size));
    const args = ['-sS', '-o', '-', '-w', '\n%{http_code}', '-X', 'POST', '--data-binary', `@${file}`];
    for (const [name, value] of Object.entries(headers(c))) args.push('-H', `${name}: ${value}`);
    const { stdout } = await run('curl', [...args, `${stack.url}${c.path}`], { maxBuffer: 10 * MB });
    const newline = stdout.lastIndexOf('\n');
    expectJson413({ status: Number(stdout.slice(newline + 1)), body: stdout.slice(0, newline) });
  });

  it("Python's urllib gets the 413", async () => {
    const script = `
import json, sys, urllib.request, urllib.error
url, size, headers = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
body = sys.stdin.buffer.read()
assert len(body) == size
request = urllib.request.Request(url, data=body, headers=headers, method="POST")
try:
    with urllib.request.urlopen(request, timeout=30) as response:
        print(json.dumps({"status": response.status, "body": response.read().decode()}))
except urllib.error.HTTPError as error:
    print(json.dumps({"status": error.code, "body": error.read().decode()}))
`;
    const child = execFile(
      'python3',
      ['-c', script, `${stack.url}${c.path}`, String(c.size), JSON.stringify(headers(c))],
      { maxBuffer: 10 * MB },
    );
    const output = new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (err += d));
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`python exited ${code}: ${err}`))));
    });
    child.stdin!.end(c.body(c.size));
    expectJson413(JSON.parse(await output) as { status: number; body: string });
  });
});

describe('supabase-js', () => {
  it('rpc with a 5 MB argument gets the 413', async () => {
    const { error, status } = await clients(stack).anon.rpc('agent_report', {
      p_kind: 'heartbeat',
      p_message: 'x'.repeat(5 * MB),
    });
    expect(status).toBe(413);
    expect(error?.message).toEqual(expect.any(String));
  });

  it('functions.invoke with a 2 MB body gets the 413', async () => {
    const { error } = await operator.functions.invoke('agents/stop', { body: { agent_name: 'x'.repeat(2 * MB) } });
    const response = (error as { context?: Response } | null)?.context;
    expect(response?.status).toBe(413);
    expectJson413({ status: response!.status, body: await response!.text() });
  });

  it('the connection still serves the next request after a refused one', async () => {
    for (let i = 0; i < 3; i++) {
      const big = await fetch(`${stack.url}/rest/v1/rpc/agent_report`, {
        method: 'POST',
        headers: headers(CASES[0]),
        body: CASES[0].body(2 * MB),
      });
      expect(big.status).toBe(413);
      await big.text();
      const small = await fetch(`${stack.url}/rest/v1/rpc/agent_report`, {
        method: 'POST',
        headers: headers(CASES[0]),
        body: '{"p_kind":"heartbeat"}',
      });
      expect(small.status).toBeLessThan(500);
      await small.text();
    }
  });
});
