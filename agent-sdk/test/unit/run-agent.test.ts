import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createAgentClient,
  runAgent,
  MESSAGE_MAX_LENGTH,
  type AgentClient,
  type AgentRun,
  type RunAgentOptions,
} from '../../src/index.ts';
import { ANON_KEY, URL_BASE, createFakeBackend, waitFor } from './fake-backend.ts';

const server = setupServer();
let backend: ReturnType<typeof createFakeBackend>;
let runs: AgentRun[] = [];
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  backend = createFakeBackend();
  server.use(backend.handler);
});
afterEach(async () => {
  await Promise.all(runs.map((r) => r.stop()));
  runs = [];
  server.resetHandlers();
});
afterAll(() => server.close());

const POLL_MS = 20;

/** A work function that counts its runs and records how each ended. */
function instrumentedWork() {
  const state = { starts: 0, aborted: 0, running: 0, ticks: 0 };
  const work = async (signal: AbortSignal) => {
    state.starts += 1;
    state.running += 1;
    try {
      while (!signal.aborted) {
        state.ticks += 1;
        await new Promise((r) => setTimeout(r, 5));
      }
      state.aborted += 1;
    } finally {
      state.running -= 1;
    }
  };
  return { state, work };
}

/** A real client whose wake-up channel is faked: subscribed at once, wake-ups delivered by the test. */
function pushClient(name: string) {
  const real = createAgentClient({ url: URL_BASE, token: `token-${name}`, anonKey: ANON_KEY });
  const push: { wake?: (message: { generation?: number }) => void } = {};
  const client: AgentClient = {
    ...real,
    subscribeWakeup: (_id, onWake, onStatus) => {
      push.wake = onWake;
      queueMicrotask(() => onStatus?.('subscribed'));
      return () => undefined;
    },
  };
  return { client, push };
}

function start(
  name: string,
  options: Partial<RunAgentOptions> & Pick<RunAgentOptions, 'work'>,
  client?: AgentClient,
): AgentRun {
  const run = runAgent({
    name,
    client: client ?? createAgentClient({ url: URL_BASE, token: `token-${name}`, anonKey: ANON_KEY }),
    pollIntervalMs: POLL_MS,
    // The default fallback pace (2 s) shortened, so that tests of the default pacing run in milliseconds.
    fallbackPollIntervalMs: POLL_MS,
    heartbeatIntervalMs: 1_000,
    wakeup: false,
    handleSignals: false,
    catchEscapedErrors: false,
    exitProcess: false,
    restartDelayMs: 10,
    shutdownTimeoutMs: 1_000,
    log: () => undefined,
    ...options,
  });
  runs.push(run);
  return run;
}

describe('runAgent obeys the desired state', () => {
  it('does not start the work while the desired state is stopped, and says so', async () => {
    backend.addAgent('A', 'stopped');
    const { state, work } = instrumentedWork();
    start('A', { work });
    await waitFor(() => backend.kinds().includes('stopped'), 'stopped report');
    await new Promise((r) => setTimeout(r, POLL_MS * 3));
    expect(state.starts).toBe(0);
    expect(backend.kinds()[0]).toBe('heartbeat');
    expect(backend.agents.get('A')!.status).toBe('stopped');
  });

  it('starts on running, stops (abort + await) on stop, starts again on start; acknowledges each generation', async () => {
    const agent = backend.addAgent('A', 'running');
    const { state, work } = instrumentedWork();
    start('A', { work, info: { version: '1.2.3' } });
    await waitFor(() => agent.status === 'running' && agent.observed_generation === 1, 'running, gen 1 acked');
    expect(state.running).toBe(1);
    const info = backend.reports.find((r) => r.kind === 'started')!.args.p_info as Record<string, unknown>;
    expect(info).toMatchObject({ version: '1.2.3', heartbeat_interval_seconds: 1, pid: process.pid });
    expect(typeof info.host).toBe('string');

    backend.command('A', 'stop');
    await waitFor(
      () => agent.status === 'stopped' && agent.observed_generation === 2,
      'stopped, gen 2 acked',
      2 * POLL_MS + 500,
    );
    expect(state).toMatchObject({ starts: 1, aborted: 1, running: 0 });

    backend.command('A', 'start');
    await waitFor(() => agent.status === 'running' && agent.observed_generation === 3, 'running again, gen 3 acked');
    expect(state).toMatchObject({ starts: 2, running: 1 });
  });

  it('restates what it does on every heartbeat, so a status a one-shot script changed heals', async () => {
    const agent = backend.addAgent('A', 'running');
    let warn: ((message: string) => void) | undefined;
    start('A', {
      work: async (signal, ctx) => {
        warn = ctx.reportWarning;
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      },
    });
    await waitFor(() => agent.status === 'running', 'running');
    const heartbeats = () => backend.reports.filter((r) => r.kind === 'heartbeat');
    expect((heartbeats()[0].args.p_info as { state?: string }).state).toBeUndefined(); // the first poll: nothing runs yet

    agent.status = 'stopped'; // mark_agent_stopped from an old script's atexit
    await waitFor(() => agent.status === 'running', 'healed by the next heartbeat');
    expect((heartbeats().at(-1)!.args.p_info as { state?: string }).state).toBe('running');

    warn!('disk almost full');
    await waitFor(() => agent.status === 'warning', 'warning');
    agent.status = 'running'; // a one-shot started report
    await waitFor(() => agent.status === 'warning', 'the warning restated');

    backend.command('A', 'stop');
    await waitFor(() => agent.status === 'stopped' && agent.observed_generation === 2, 'stopped');
    agent.status = 'running';
    await waitFor(() => agent.status === 'stopped', 'a stopped worker restates stopped');
  });

  it('restarts exactly once per restart command', async () => {
    const agent = backend.addAgent('A', 'running');
    const { state, work } = instrumentedWork();
    start('A', { work });
    await waitFor(() => state.running === 1, 'work running');
    backend.command('A', 'restart');
    await waitFor(() => agent.observed_generation === 2, 'restart acked');
    await new Promise((r) => setTimeout(r, POLL_MS * 5));
    expect(state).toMatchObject({ starts: 2, aborted: 1, running: 1 });
    expect(backend.kinds().filter((k) => k === 'started')).toHaveLength(2);
  });

  it('acknowledges a generation that needs no action (stop and start between two polls)', async () => {
    const agent = backend.addAgent('A', 'running');
    const { state, work } = instrumentedWork();
    start('A', { work });
    await waitFor(() => state.running === 1, 'work running');
    backend.command('A', 'stop');
    backend.command('A', 'start');
    await waitFor(() => agent.observed_generation === 3, 'gen 3 acked');
    expect(state.starts).toBe(1);
  });
});

describe('runAgent and a failing work', () => {
  it('reports the crash (truncated) and restarts with backoff', async () => {
    const agent = backend.addAgent('A', 'running');
    let starts = 0;
    start('A', {
      work: async (signal) => {
        starts += 1;
        if (starts <= 2) throw new Error('x'.repeat(MESSAGE_MAX_LENGTH + 100));
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      },
    });
    await waitFor(() => starts === 3 && agent.status === 'running', 'third start after two crashes');
    const errors = backend.reports.filter((r) => r.kind === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(String(errors[0].args.p_message)).toHaveLength(MESSAGE_MAX_LENGTH);
    expect(agent.last_error).toMatch(/^Error: xxx/);
  });

  it('doubles the restart delay for quick crashes', async () => {
    backend.addAgent('A', 'running');
    const startedAt: number[] = [];
    start('A', {
      restartDelayMs: 40,
      minUptimeMs: 10_000,
      work: async () => {
        startedAt.push(Date.now());
        throw new Error('boom');
      },
    });
    await waitFor(() => startedAt.length === 4, 'four starts', 3_000);
    const gaps = startedAt.slice(1).map((t, i) => t - startedAt[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(38);
    expect(gaps[1]).toBeGreaterThanOrEqual(78);
    expect(gaps[2]).toBeGreaterThanOrEqual(158);
  });

  it("with onError 'exit' reports the error and ends with code 1", async () => {
    const agent = backend.addAgent('A', 'running');
    const run = start('A', { onError: 'exit', work: async () => Promise.reject(new Error('fatal')) });
    expect(await run).toBe(1);
    expect(agent.status).toBe('error');
    expect(agent.last_error).toBe('Error: fatal');
  });

  it('a stop is obeyed even when the work ignores its signal, within the shutdown budget', async () => {
    const agent = backend.addAgent('A', 'running');
    start('A', { shutdownTimeoutMs: 200, work: () => new Promise<void>(() => undefined) });
    await waitFor(() => agent.status === 'running', 'running');
    backend.command('A', 'stop');
    await waitFor(() => agent.status === 'stopped', 'stopped anyway', 1_000);
  });
});

describe('runAgent shutdown and resilience', () => {
  it('stop() aborts the work, reports stopped and resolves 0', async () => {
    const agent = backend.addAgent('A', 'running');
    const { state, work } = instrumentedWork();
    const run = start('A', { work });
    await waitFor(() => state.running === 1, 'work running');
    expect(await run.stop()).toBe(0);
    expect(await run).toBe(0);
    expect(state).toMatchObject({ aborted: 1, running: 0 });
    expect(agent.status).toBe('stopped');
  });

  it('an aborted options.signal shuts down like SIGTERM', async () => {
    const agent = backend.addAgent('A', 'running');
    const controller = new AbortController();
    const { state, work } = instrumentedWork();
    const run = start('A', { work, signal: controller.signal });
    await waitFor(() => state.running === 1, 'work running');
    controller.abort();
    expect(await run).toBe(0);
    expect(agent.status).toBe('stopped');
  });

  it('keeps working while the backend is away and reports again when it returns', async () => {
    const agent = backend.addAgent('A', 'running');
    const { state, work } = instrumentedWork();
    start('A', { work, maxBackoffMs: 50 });
    await waitFor(() => agent.status === 'running', 'running');
    backend.setOutage('network');
    const ticks = state.ticks;
    await new Promise((r) => setTimeout(r, 200));
    expect(state.ticks).toBeGreaterThan(ticks + 5);
    expect(state.running).toBe(1);
    const reportsBefore = backend.reports.length;
    backend.setOutage(null);
    await waitFor(() => backend.reports.length > reportsBefore, 'reports again');
    // A stop issued after the outage is still obeyed.
    backend.command('A', 'stop');
    await waitFor(() => agent.status === 'stopped', 'stopped after outage');
  });

  it('a refused worker (token revoked, agent deleted) says why once, keeps its work, and asks again only after a growing hold', async () => {
    const agent = backend.addAgent('A', 'running');
    const { state, work } = instrumentedWork();
    const lines: string[] = [];
    let settled = false;
    const run = start('A', {
      work,
      heartbeatIntervalMs: POLL_MS,
      refusedRetryMs: 400,
      log: (line) => lines.push(line),
    });
    void run.then(() => (settled = true));
    await waitFor(() => agent.status === 'running' && state.running === 1, 'running');
    backend.agents.delete('A'); // the token no longer exists: PT401, as after a revoke or a delete
    await waitFor(() => lines.some((line) => line.includes('refused this worker')), 'the refusal explained');
    const explained = lines.filter((line) => line.includes('refused this worker'));
    expect(explained).toHaveLength(1);
    expect(explained[0]).toMatch(
      /PT401: invalid or revoked agent token\): its token was revoked, or its agent was deleted\..*new token.*Asking again in 0\.4 s\./,
    );
    // Polling every 20 ms would send ~15 reports in 300 ms; held back, none goes out until the hold ends.
    const atRefusal = backend.reports.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(backend.reports.length - atRefusal).toBeLessThanOrEqual(1);
    await waitFor(
      () => lines.some((line) => line.startsWith('still refused (PT401')),
      'the second attempt after the hold',
    );
    // 400 ms, then 800 ms: over 1.2 s at most two more attempts.
    const afterSecond = backend.reports.length;
    await new Promise((r) => setTimeout(r, 1_200));
    expect(backend.reports.length - afterSecond).toBeLessThanOrEqual(2);
    expect(state.running).toBe(1); // the work is left as it is
    expect(state.starts).toBe(1);
    expect(settled).toBe(false); // and the worker goes on
    // A token that works again (restored) is accepted at the next attempt.
    backend.agents.set('A', agent);
    await waitFor(
      () => lines.includes('Agent Status accepts this worker again; monitoring resumes'),
      'accepted again',
      5_000,
    );
  });

  it('a push wake-up polls at once instead of waiting for the next poll', async () => {
    const agent = backend.addAgent('A', 'running');
    const { client, push } = pushClient('A');
    const { state, work } = instrumentedWork();
    start('A', { work, wakeup: true, pollIntervalMs: 60_000, heartbeatIntervalMs: 60_000 }, client);
    await waitFor(() => state.running === 1 && push.wake !== undefined, 'running and subscribed');
    await new Promise((r) => setTimeout(r, 50));
    backend.command('A', 'stop');
    const before = Date.now();
    push.wake!({ generation: agent.generation });
    await waitFor(() => agent.status === 'stopped', 'stopped after wake-up', 500);
    expect(Date.now() - before).toBeLessThan(500);
  });

  it('trusts push once subscribed, and polls fast again when a poll finds an unannounced change', async () => {
    const agent = backend.addAgent('A', 'running');
    const { client, push } = pushClient('A');
    const { state, work } = instrumentedWork();
    start('A', { work, wakeup: true, pollIntervalMs: undefined, heartbeatIntervalMs: 600 }, client); // default pace: 20 ms here
    await waitFor(() => state.running === 1 && push.wake !== undefined, 'running and subscribed');
    const reportsIn = async (ms: number) => {
      const before = backend.reports.length;
      await new Promise((r) => setTimeout(r, ms));
      return backend.reports.length - before;
    };
    expect(await reportsIn(300)).toBeLessThanOrEqual(2); // subscribed: heartbeat pace

    backend.command('A', 'restart');
    push.wake!({ generation: agent.generation });
    await waitFor(() => agent.observed_generation === 2, 'restart acked');
    expect(await reportsIn(300)).toBeLessThanOrEqual(2); // announced by a push: still heartbeat pace

    backend.command('A', 'stop'); // no wake-up for this one
    await waitFor(() => agent.status === 'stopped', 'stop found by the slow poll', 1_500);
    expect(await reportsIn(200)).toBeGreaterThanOrEqual(4); // push distrusted: fast again
  });

  it('keeps an explicit poll interval while push works, so a lost push costs at most one poll interval', async () => {
    const agent = backend.addAgent('A', 'running');
    const { client } = pushClient('A');
    const { state, work } = instrumentedWork();
    start('A', { work, wakeup: true, pollIntervalMs: 100, heartbeatIntervalMs: 60_000 }, client);
    await waitFor(() => state.running === 1, 'running and subscribed');
    await new Promise((r) => setTimeout(r, 150));
    backend.command('A', 'stop'); // its wake-up is lost
    const before = Date.now();
    await waitFor(() => agent.status === 'stopped', 'stopped by the next poll', 1_000);
    expect(Date.now() - before).toBeLessThan(100 + 250); // one poll interval, plus the report's own time
  });
});

describe('runAgent and custom metrics', () => {
  it("the work's agent.metric and agent.count ride on the next report, with the run's instance id as their series", async () => {
    const agent = backend.addAgent('A', 'running');
    let context: Parameters<RunAgentOptions['work']>[1] | undefined;
    const run = start('A', {
      work: async (signal, ctx) => {
        context = ctx;
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      },
    });
    await waitFor(() => agent.status === 'running' && context !== undefined, 'running');
    const before = backend.reports.length;
    context!.metric('queue_length', 4);
    context!.count('articles');
    context!.count('articles', 2);
    await waitFor(() => backend.metrics().slice(before).some(Boolean), 'a report with metrics');
    const carrying = backend.reports.slice(before).find((r) => (r.args.p_info as { metrics?: unknown }).metrics)!;
    expect((carrying.args.p_info as { metrics: unknown }).metrics).toEqual({
      gauges: { queue_length: 4 },
      counters: { articles: 3 },
    });
    expect((carrying.args.p_info as { instance_id: string }).instance_id).toBe(run.instanceId);
    // Sent once: later heartbeats carry nothing until a metric changes.
    const after = backend.reports.length;
    await waitFor(() => backend.reports.length > after + 2, 'more heartbeats');
    expect(backend.metrics().slice(after).filter(Boolean)).toEqual([]);
  });

  it('a metric the backend would refuse is logged once per name and dropped; the work goes on', async () => {
    backend.addAgent('A', 'running');
    const lines: string[] = [];
    let ticks = 0;
    start('A', {
      log: (line) => lines.push(line),
      work: async (signal, agent) => {
        while (!signal.aborted) {
          agent.metric('Bad Name', 1);
          agent.metric('rate', 0 / 0);
          ticks += 1;
          await new Promise((r) => setTimeout(r, 5));
        }
      },
    });
    await waitFor(() => ticks > 10, 'the work keeps running');
    expect(lines.filter((l) => l.startsWith('metric dropped'))).toEqual([
      'metric dropped: metric name "Bad Name" must start with a lower-case letter and hold only lower-case letters, digits and underscores (further problems with "Bad Name" are not logged)',
      'metric dropped: metric "rate" must be a finite number, got NaN (further problems with "rate" are not logged)',
    ]);
    expect(backend.metrics().filter(Boolean)).toEqual([]);
  });

  it('metrics refused by the backend cost no report: the heartbeat goes again without them, and the worker says so', async () => {
    const agent = backend.addAgent('A', 'running');
    const lines: string[] = [];
    let context: Parameters<RunAgentOptions['work']>[1] | undefined;
    start('A', {
      log: (line) => lines.push(line),
      work: async (signal, ctx) => {
        context = ctx;
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      },
    });
    await waitFor(() => agent.status === 'running' && context !== undefined, 'running');
    backend.refuseMetrics('metric "queue_length" of this agent is a counter and cannot be reported as a gauge');
    context!.metric('queue_length', 1);
    await waitFor(() => lines.some((l) => l.startsWith('custom metrics refused')), 'the refusal, logged');
    expect(lines.find((l) => l.startsWith('custom metrics refused'))).toBe(
      'custom metrics refused (PT422: metric "queue_length" of this agent is a counter and cannot be reported as a gauge); ' +
        'the report went without them, and metrics wait 60 s before they are sent again',
    );
    const count = backend.reports.length;
    await waitFor(() => backend.reports.length > count + 2, 'heartbeats go on');
    expect(backend.metrics().slice(count).filter(Boolean)).toEqual([]);
  });
});

describe("runAgent: the agent's log and the last lines before a crash", () => {
  const linesOf = (report: { args: Record<string, unknown> } | undefined) =>
    (report?.args.p_info as { log_lines?: Array<{ level: string; text: string; fields?: unknown }> } | undefined)
      ?.log_lines ?? [];

  it('a crash is reported with the last lines logged before it, redacted, ending with the error and its stack', async () => {
    backend.addAgent('A', 'running');
    start('A', {
      logs: { echo: false },
      onError: 'exit',
      work: async (_signal, agent) => {
        agent.log.info('fetching feed', { feed: 'a' });
        agent.log.warn('retrying with password=hunter2', { apiKey: 'k-1' });
        agent.log('plain line');
        throw new Error('feed down');
      },
    });
    await waitFor(() => backend.kinds().includes('error'), 'error report');
    const lines = linesOf(backend.reports.find((r) => r.kind === 'error'));
    expect(lines.slice(0, 3)).toEqual([
      { at: expect.any(String), level: 'info', text: 'fetching feed', fields: { feed: 'a' } },
      {
        at: expect.any(String),
        level: 'warn',
        text: 'retrying with password=[redacted]',
        fields: { apiKey: '[redacted]' },
      },
      { at: expect.any(String), level: 'info', text: 'plain line' },
    ]);
    expect(lines[3]).toMatchObject({
      level: 'error',
      text: expect.stringMatching(/^work crashed: Error: feed down\n\s+at /),
    });
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });

  it('reportError from the work sends the last lines too; other reports never do', async () => {
    backend.addAgent('A', 'running');
    start('A', {
      logs: { echo: false },
      work: async (signal, agent) => {
        agent.log.info('step 1');
        agent.reportWarning('slow');
        agent.log.error('step 2 failed');
        agent.reportError('gave up on step 2');
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      },
    });
    await waitFor(() => backend.kinds().includes('error'), 'error report');
    expect(linesOf(backend.reports.find((r) => r.kind === 'error')).map((l) => l.text)).toEqual([
      'step 1',
      'step 2 failed',
    ]);
    expect(backend.reports.filter((r) => r.kind !== 'error').every((r) => linesOf(r).length === 0)).toBe(true);
  });

  it('crash lines are bounded (50, 16 KiB) and can be turned off', async () => {
    backend.addAgent('A', 'running');
    start('A', {
      logs: { echo: false },
      onError: 'exit',
      work: async (_signal, agent) => {
        for (let i = 0; i < 500; i++) agent.log.info(`line ${i} ${'x'.repeat(500)}`);
        throw new Error('boom');
      },
    });
    await waitFor(() => backend.kinds().includes('error'), 'error report');
    const lines = linesOf(backend.reports.find((r) => r.kind === 'error'));
    expect(lines.length).toBeLessThanOrEqual(50);
    expect(new TextEncoder().encode(JSON.stringify(lines)).length).toBeLessThanOrEqual(16_384);
    expect(lines.at(-1)?.text).toMatch(/^work crashed: Error: boom/);

    backend.addAgent('B', 'running');
    start('B', {
      logs: { echo: false, crashLines: 0 },
      onError: 'exit',
      work: async (_signal, agent) => {
        agent.log.info('not sent');
        throw new Error('boom');
      },
    });
    await waitFor(
      () => backend.reports.some((r) => r.kind === 'error' && r.args.p_token === 'token-B'),
      'error report of B',
    );
    expect(linesOf(backend.reports.find((r) => r.kind === 'error' && r.args.p_token === 'token-B'))).toEqual([]);
  });

  it('captureConsole keeps what the work prints (still printed), and gives console back at shutdown', async () => {
    backend.addAgent('A', 'running');
    const printed: string[] = [];
    const realLog = console.log;
    console.log = (...args: unknown[]) => void printed.push(args.join(' '));
    try {
      const run = start('A', {
        logs: { echo: false, captureConsole: true },
        onError: 'exit',
        work: async () => {
          console.log('printed by the work');
          throw new Error('boom');
        },
      });
      await waitFor(() => backend.kinds().includes('error'), 'error report');
      expect(linesOf(backend.reports.find((r) => r.kind === 'error'))[0]).toMatchObject({
        level: 'info',
        text: 'printed by the work',
      });
      expect(printed).toContain('printed by the work');
      await run;
      console.log('after shutdown');
      expect(printed).toContain('after shutdown');
      expect(console.log).not.toBe(realLog);
    } finally {
      console.log = realLog;
    }
  });
});
