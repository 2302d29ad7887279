// An Edge Function process that dies is restarted by the stack: the request it was serving gets a
// JSON 5xx, the next request succeeds. The process is killed from the outside with SIGKILL.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, createUser, startTestStack, type RunningStack } from '../support/stack.ts';
import { functionProcessIds } from '../support/faults/deno-children.ts';
import { eventually, sleep } from '../support/eventually.ts';

const OPERATOR = { email: 'operator@example.com', password: 'operator-password-1', role: 'operator' };

let stack: RunningStack;
let operator: SupabaseClient;
let accessToken: string;

beforeAll(async () => {
  stack = await startTestStack();
  await createUser(stack, OPERATOR);
  operator = await clients(stack).signIn(OPERATOR.email, OPERATOR.password);
  accessToken = (await operator.auth.getSession()).data.session!.access_token;
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

function theFunctionProcess(): number {
  const pids = functionProcessIds('agents');
  expect(pids).toHaveLength(1);
  return pids[0];
}

/** Opens a POST whose body is only half sent, so the function is busy with it; resolves the answer. */
function halfSentRequest(): { answer: Promise<{ status: number; contentType: string; body: string }>; finish(): void } {
  const url = new URL(`${stack.url}/functions/v1/agents/start`);
  const req = http.request({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    },
  });
  const answer = new Promise<{ status: number; contentType: string; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }),
      );
    });
    req.on('error', reject);
  });
  req.write('{"agent_name": "Content Col');
  return { answer, finish: () => req.destroy() };
}

describe('an Edge Function that crashes', () => {
  it('answers the request it was serving with a JSON 5xx, is restarted, and the next request succeeds', async () => {
    const before = theFunctionProcess();
    const inFlight = halfSentRequest();
    await sleep(500); // the function is now waiting for the rest of the body
    process.kill(before, 'SIGKILL');

    const failed = await inFlight.answer;
    inFlight.finish();
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.contentType).toContain('application/json');
    expect(JSON.parse(failed.body)).toMatchObject({
      code: 'WORKER_ERROR',
      message: expect.stringMatching(/restarted/),
    });

    const { data, error } = await operator.functions.invoke('agents/start', {
      body: { agent_name: 'Content Collector' },
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ agent_name: 'Content Collector', desired_state: 'running' });
    const after = await eventually(
      async () => functionProcessIds('agents'),
      (pids) => pids.length === 1,
      'one function process',
    );
    expect(after[0]).not.toBe(before);
  }, 60_000);

  it('a request that arrives while the function is down waits for the restart instead of failing', async () => {
    const pid = theFunctionProcess();
    process.kill(pid, 'SIGKILL');
    // "Down" means the runner has seen it die: Node reaps the child in the same step that emits 'exit'.
    await until(() => isReaped(pid));
    const { data, error } = await operator.functions.invoke('agents/stop', {
      body: { agent_name: 'Content Collector' },
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ agent_name: 'Content Collector', desired_state: 'stopped' });
  }, 60_000);
});

function isReaped(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`);
    return false;
  } catch {
    return true;
  }
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
