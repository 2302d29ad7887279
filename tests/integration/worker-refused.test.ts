// a worker whose token is revoked, or whose agent is deleted, while it runs — the
// TypeScript SDK's runAgent and the Python module's run_agent, each as its own process against the real
// stack — logs one clear refusal that says what to do, keeps its process (and its work) alive, and does
// not spin: the agent_report requests it sends after the refusal, counted by a proxy in front of the
// stack, are bounded by its refusal hold, not by its 250 ms poll pace. SIGTERM still ends it with 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { clients, publicKeyEnv, startTestStack, type RunningStack } from '../support/stack.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const TS_WORKER = join(REPO_ROOT, 'tests', 'support', 'refused-worker.ts');
const PY_WORKER = join(REPO_ROOT, 'tests', 'support', 'python', 'worker.py');
const PYTHON = process.env.PYTHON ?? 'python3';
/** The hold after a refusal (the SDKs' default is 60 s; short here so the test sees the next attempt). */
const HOLD_S = 2;

let stack: RunningStack;
let service: SupabaseClient;
let proxy: http.Server;
let proxyUrl: string;
let reports = 0;
const children: ChildProcess[] = [];

/** Forwards every HTTP request to the stack and counts agent_report calls (no WebSocket: the workers poll). */
function startProxy(target: string): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    if (req.url?.startsWith('/rest/v1/rpc/agent_report')) reports += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers))
      if (typeof value === 'string' && key !== 'host' && key !== 'connection') headers.set(key, value);
    try {
      const answer = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      res.writeHead(
        answer.status,
        Object.fromEntries(
          [...answer.headers].filter(([key]) => key !== 'content-encoding' && key !== 'transfer-encoding'),
        ),
      );
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      res.writeHead(502).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  stack = await startTestStack();
  service = clients(stack).service;
  proxy = await startProxy(stack.url);
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await new Promise((resolve) => proxy?.close(resolve));
  await stack?.stop();
});

async function rpc<T>(name: string, args: Record<string, unknown>): Promise<T> {
  const { data, error } = await service.rpc(name, args);
  if (error) throw new Error(`${name}: ${error.message}`);
  return data as T;
}

async function status(agent: string) {
  const { data } = await service.from('agent_status').select('status').eq('agent_name', agent).maybeSingle();
  return (data as { status: string } | null)?.status;
}

const WORKERS = {
  typescript: (env: Record<string, string>) =>
    spawn(process.execPath, ['--import', 'tsx', TS_WORKER], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env, REFUSED_RETRY_MS: String(HOLD_S * 1000) },
    }),
  python: (env: Record<string, string>) =>
    spawn(PYTHON, [PY_WORKER], {
      env: {
        PATH: process.env.PATH ?? '',
        PYTHONPATH: join(REPO_ROOT, 'agent-sdk', 'python'),
        PYTHONDONTWRITEBYTECODE: '1',
        ...env,
        POLL_SECONDS: '0.25',
        REFUSED_RETRY_SECONDS: String(HOLD_S),
      },
    }),
};

describe.each(['typescript', 'python'] as const)('a %s worker refused by Agent Status', (language) => {
  it.each(['its token is revoked', 'its agent is deleted'] as const)(
    'when %s: one clear log line, still alive, no spinning',
    async (cause) => {
      const agent = `Refused ${language} ${cause === 'its token is revoked' ? 'revoke' : 'delete'}`;
      await rpc('create_agent', { p_agent_name: agent });
      const [issued] = await rpc<Array<{ token_id: string; token: string }>>('issue_agent_token', {
        p_agent_name: agent,
        p_label: 'refusal test',
      });
      await rpc('command_agents', { p_command: 'start', p_agent_name: agent });

      const child = WORKERS[language]({
        SUPABASE_URL: proxyUrl,
        ...publicKeyEnv(stack),
        AGENT_TOKEN: issued.token,
        AGENT_NAME: agent,
      });
      children.push(child);
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      await eventually(
        () => status(agent),
        (s) => s === 'running',
        `${agent} running (output: ${output})`,
        30_000,
      );

      if (cause === 'its token is revoked') await rpc('revoke_agent_token', { p_token_id: issued.token_id });
      else await rpc('delete_agent', { p_agent_name: agent });
      await eventually(
        async () => output,
        (text) => text.includes('refused this worker'),
        `the refusal in the log: ${output}`,
        15_000,
      );
      const refusedAt = reports;

      // Polling every 250 ms (and reporting activity every 100 ms) would send ~12–30 requests in 3 s.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const attempts = reports - refusedAt;
      expect(attempts, output).toBeLessThanOrEqual(3);
      expect(child.exitCode, output).toBeNull();
      expect(child.signalCode).toBeNull();
      const refusals = output.split('\n').filter((line) => line.includes('refused this worker'));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toMatch(
        /PT401.*its token was revoked, or its agent was deleted.*issue a new token.*restart the worker/,
      );
      expect(output).not.toMatch(/Traceback|Unhandled|uncaught/i);

      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code, output).toBe(0);
    },
    60_000,
  );
});
