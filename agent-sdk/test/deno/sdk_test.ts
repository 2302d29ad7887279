// The SDK under Deno: the same source, Deno's fetch, timers, node: built-ins and signals.
// A Deno.serve stand-in answers agent_report like the SQL function (enough for the wire and the state machine).
import assert from 'node:assert/strict';
import { createAgentClient, configFromEnv, runAgent, ConfigurationError } from '../../src/index.ts';

// The root tsconfig (Node types) also sees this file; Deno's own checker runs it with the real types.
interface DenoApi {
  serve(
    options: { port: number; hostname: string; onListen: () => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { addr: { port: number }; shutdown(): Promise<void> };
  test(name: string, fn: () => void | Promise<void>): void;
}
const Deno = (globalThis as unknown as { Deno: DenoApi }).Deno;

interface Agent {
  desired_state: 'running' | 'stopped';
  generation: number;
  last_command: string | null;
  observed_generation: number;
  status: string;
  kinds: string[];
}

function serveFakeBackend(agent: Agent) {
  const server = Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: () => {} }, async (request) => {
    const url = new URL(request.url);
    if (request.method !== 'POST' || url.pathname !== '/rest/v1/rpc/agent_report')
      return new Response('not found', { status: 404 });
    if (!request.headers.get('apikey')) return Response.json({ message: 'no apikey' }, { status: 401 });
    const args = await request.json();
    if (args.p_token !== 'good-token') {
      return Response.json(
        { code: 'PT401', message: 'invalid or revoked agent token', details: null, hint: null },
        { status: 401 },
      );
    }
    agent.kinds.push(args.p_kind);
    const statusOf: Record<string, string> = {
      started: 'running',
      warning: 'warning',
      error: 'error',
      stopped: 'stopped',
    };
    agent.status = statusOf[args.p_kind] ?? agent.status;
    agent.observed_generation = Math.max(
      agent.observed_generation,
      Math.min(args.p_observed_generation ?? 0, agent.generation),
    );
    return Response.json([{ agent_id: 'a1', agent_name: 'Deno Agent', ...agent, kinds: undefined, status: undefined }]);
  });
  return { server, url: `http://127.0.0.1:${server.addr.port}` };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 3_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

Deno.test('configuration errors name the missing variable', () => {
  assert.throws(() => configFromEnv({ SUPABASE_URL: 'http://h', AGENT_TOKEN: 't' }), ConfigurationError);
  assert.throws(() => configFromEnv({ SUPABASE_URL: 'http://h', AGENT_TOKEN: 't' }), /SUPABASE_ANON_KEY/);
});

Deno.test('report: desired state on success, PostgREST-shaped errors, NETWORK when unreachable', async () => {
  const agent: Agent = {
    desired_state: 'running',
    generation: 3,
    last_command: 'start',
    observed_generation: 0,
    status: 'stopped',
    kinds: [],
  };
  const { server, url } = serveFakeBackend(agent);
  try {
    const ok = await createAgentClient({ url, token: 'good-token', anonKey: 'anon' }).report('started', {
      observedGeneration: 3,
    });
    assert.deepEqual(ok, {
      ok: true,
      desired: {
        agentId: 'a1',
        agentName: 'Deno Agent',
        desiredState: 'running',
        generation: 3,
        lastCommand: 'start',
        observedGeneration: 3,
      },
    });
    const denied = await createAgentClient({ url, token: 'bad', anonKey: 'anon' }).report('heartbeat');
    assert.equal(denied.ok, false);
    if (!denied.ok)
      assert.deepEqual([denied.error.code, denied.error.status, denied.error.retryable], ['PT401', 401, false]);
  } finally {
    await server.shutdown();
  }
  const down = await createAgentClient({ url, token: 'good-token', anonKey: 'anon' }).report('heartbeat');
  assert.equal(down.ok, false);
  if (!down.ok) assert.deepEqual([down.error.code, down.error.retryable], ['NETWORK', true]);
});

Deno.test('runAgent starts the work, aborts it on stop, and reports stopped on shutdown', async () => {
  const agent: Agent = {
    desired_state: 'running',
    generation: 1,
    last_command: 'start',
    observed_generation: 0,
    status: 'stopped',
    kinds: [],
  };
  const { server, url } = serveFakeBackend(agent);
  let running = 0;
  let aborted = 0;
  const run = runAgent({
    name: 'Deno Agent',
    config: { url, token: 'good-token', anonKey: 'anon' },
    pollIntervalMs: 20,
    heartbeatIntervalMs: 1_000,
    wakeup: false,
    handleSignals: false,
    catchEscapedErrors: false,
    exitProcess: false,
    log: () => {},
    work: async (signal) => {
      running += 1;
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      running -= 1;
      aborted += 1;
    },
  });
  try {
    await waitFor(() => running === 1 && agent.status === 'running' && agent.observed_generation === 1, 'work running');
    agent.desired_state = 'stopped';
    agent.generation = 2;
    agent.last_command = 'stop';
    await waitFor(() => aborted === 1 && agent.status === 'stopped' && agent.observed_generation === 2, 'stopped');
    assert.equal(await run.stop(), 0);
    assert.equal(agent.kinds.at(-1), 'stopped');
  } finally {
    await run.stop();
    await server.shutdown();
  }
});
