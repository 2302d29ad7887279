// Child process that plays a fleet of agents sending heartbeats through the SDK's low-level client
// (SDK → /rest/v1/rpc/agent_report → SQL). It runs apart from the stack, as real agents do, so the
// load generator does not steal the stack's event loop. Closed loop: `concurrency` requests in flight,
// agents taken round-robin. Protocol: one message in (LoadRequest), one message out (LoadResult).
import http from 'node:http';
import { keepAliveAgent } from '@agent-status/tests/support/keep-alive-agent.ts';
import { createAgentClient } from '@agent-status/agent-sdk';

export interface LoadRequest {
  /**
   * sdk: the agent SDK's client (supabase-js, fetch) — the whole real path, client cost included.
   * http: the same POST the SDK sends, from a keep-alive node:http agent — what the server sustains when
   * the clients' own CPU is elsewhere (real agents run on other machines).
   */
  client: 'sdk' | 'http';
  url: string;
  anonKey: string;
  tokens: string[];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  completed: number;
  /** Every answered request, warm-up included (for CPU per request). */
  answered: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  latenciesMs: number[];
}

type Heartbeat = () => Promise<{ ok: true } | { ok: false; error: string }>;

function sdkHeartbeats(request: LoadRequest): Heartbeat[] {
  return request.tokens.map((token) => {
    const client = createAgentClient({ url: request.url, anonKey: request.anonKey, token });
    return async () => {
      const result = await client.report('heartbeat');
      return result.ok ? { ok: true } : { ok: false, error: `${result.error.code}: ${result.error.message}` };
    };
  });
}

function httpHeartbeats(request: LoadRequest): Heartbeat[] {
  const agent = keepAliveAgent(request.concurrency);
  const target = new URL('/rest/v1/rpc/agent_report', request.url);
  return request.tokens.map((token) => {
    const body = JSON.stringify({ p_kind: 'heartbeat', p_token: token });
    const headers = {
      apikey: request.anonKey,
      authorization: `Bearer ${request.anonKey}`,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    };
    return () =>
      new Promise((resolve) => {
        const req = http.request(target, { method: 'POST', agent, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const ok = res.statusCode === 200 && Buffer.concat(chunks).toString('utf8').startsWith('[{');
            resolve(
              ok
                ? { ok: true }
                : {
                    ok: false,
                    error: `HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`,
                  },
            );
          });
        });
        req.on('error', (error) => resolve({ ok: false, error: String(error) }));
        req.end(body);
      });
  });
}

async function run(request: LoadRequest): Promise<LoadResult> {
  const agents = request.client === 'sdk' ? sdkHeartbeats(request) : httpHeartbeats(request);
  let next = 0;
  let completed = 0;
  let answered = 0;
  let errors = 0;
  let firstError: string | undefined;
  const latenciesMs: number[] = [];
  const start = performance.now();
  const measureFrom = start + request.warmupMs;
  const end = measureFrom + request.durationMs;

  async function lane() {
    for (;;) {
      const sent = performance.now();
      if (sent >= end) return;
      const agent = agents[next++ % agents.length];
      const result = await agent();
      const done = performance.now();
      answered += 1;
      if (sent < measureFrom || done > end) continue;
      if (result.ok) {
        completed += 1;
        latenciesMs.push(done - sent);
      } else {
        errors += 1;
        firstError ??= result.error;
      }
    }
  }
  await Promise.all(Array.from({ length: request.concurrency }, lane));
  return { completed, answered, errors, firstError, elapsedMs: request.durationMs, latenciesMs };
}

process.once('message', (request: LoadRequest) => {
  run(request).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
});
