import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createAgentClient,
  createMetrics,
  createReporter,
  fullJitterDelay,
  MESSAGE_MAX_LENGTH,
} from '../../src/index.ts';
import { ANON_KEY, URL_BASE, createFakeBackend, waitFor } from './fake-backend.ts';

const server = setupServer();
let backend: ReturnType<typeof createFakeBackend>;
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  backend = createFakeBackend();
  backend.addAgent('Collector', 'running');
  server.use(backend.handler);
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A sleep the test controls: records each requested delay and resolves when released. */
function controlledSleep() {
  const delays: number[] = [];
  let release: (() => void) | undefined;
  return {
    delays,
    sleep: (ms: number) => {
      delays.push(ms);
      return new Promise<void>((resolve) => (release = resolve));
    },
    release: () => release?.(),
  };
}

const client = () => createAgentClient({ url: URL_BASE, token: 'token-Collector', anonKey: ANON_KEY });

describe('full jitter backoff', () => {
  it('draws uniformly below base·2ⁿ, capped', () => {
    const policy = { baseMs: 500, maxMs: 30_000 };
    expect(fullJitterDelay(0, policy, () => 0.999)).toBe(499);
    expect(fullJitterDelay(3, policy, () => 0.5)).toBe(2000);
    expect(fullJitterDelay(20, policy, () => 0.5)).toBe(15_000);
    expect(fullJitterDelay(5, policy, () => 0)).toBe(0);
  });
});

describe('reporter', () => {
  it('retries with exponential backoff and full jitter while the backend is down, then delivers', async () => {
    const clock = controlledSleep();
    const answers: number[] = [];
    const reporter = createReporter({
      client: client(),
      agentName: 'Collector',
      sleep: clock.sleep,
      random: () => 0.5,
      backoff: { baseMs: 100, maxMs: 1_000 },
      onAnswer: (d) => answers.push(d.generation),
    });
    backend.setOutage('network');
    reporter.enqueue({ kind: 'started' });
    for (let i = 1; i <= 5; i++) {
      await waitFor(() => clock.delays.length === i, `attempt ${i}`);
      if (i < 5) clock.release();
    }
    expect(clock.delays).toEqual([50, 100, 200, 400, 500]);
    backend.setOutage(null);
    clock.release();
    await waitFor(() => answers.length === 1, 'delivery');
    expect(backend.kinds()).toEqual(['started']);
    expect(backend.agents.get('Collector')!.status).toBe('running');
  });

  it('coalesces a flood during an outage and keeps the error behind later heartbeats', async () => {
    const clock = controlledSleep();
    const reporter = createReporter({ client: client(), agentName: 'Collector', sleep: clock.sleep, random: () => 0 });
    backend.setOutage(500);
    reporter.enqueue({ kind: 'started' });
    await waitFor(() => clock.delays.length === 1, 'first failure');
    reporter.enqueue({ kind: 'error', message: 'feed timed out' });
    for (let i = 0; i < 50; i++) reporter.enqueue({ kind: 'heartbeat' });
    reporter.enqueue({ kind: 'activity', message: 'collected 3 articles' });
    reporter.enqueue({ kind: 'started' });
    for (let i = 0; i < 50; i++) reporter.enqueue({ kind: 'heartbeat' });
    expect(reporter.pending().map((r) => r.kind)).toEqual(['error', 'activity', 'started']);
    backend.setOutage(null);
    clock.release();
    expect(await reporter.flush(2_000)).toBe(true);
    expect(backend.kinds()).toEqual(['error', 'activity', 'started']);
    const agent = backend.agents.get('Collector')!;
    expect(agent.status).toBe('running');
    expect(agent.last_error).toBe('feed timed out');
  });

  it('reads the acknowledged generation at send time, not at enqueue time', async () => {
    const clock = controlledSleep();
    let observed = 1;
    const reporter = createReporter({
      client: client(),
      agentName: 'Collector',
      sleep: clock.sleep,
      snapshot: () => ({ observedGeneration: observed }),
    });
    backend.setOutage('network');
    reporter.enqueue({ kind: 'heartbeat' });
    await waitFor(() => clock.delays.length === 1, 'failure');
    observed = 7;
    backend.setOutage(null);
    clock.release();
    await reporter.flush(2_000);
    expect(backend.reports.at(-1)!.args.p_observed_generation).toBe(7);
  });

  it('drops a report the backend rejects for good and goes on', async () => {
    const failures: string[] = [];
    const reporter = createReporter({
      client: client(),
      agentName: 'Collector',
      onFailure: (e, _r, retry) => failures.push(`${e.code}:${retry}`),
    });
    reporter.enqueue({ kind: 'warning', health: 250 });
    reporter.enqueue({ kind: 'activity', message: 'ok' });
    expect(await reporter.flush(2_000)).toBe(true);
    expect(failures).toEqual(['22023:null']);
    expect(backend.kinds()).toEqual(['warning', 'activity']);
  });

  it('truncates long messages to MESSAGE_MAX_LENGTH', async () => {
    const reporter = createReporter({ client: client(), agentName: 'Collector' });
    reporter.enqueue({ kind: 'error', message: 'x'.repeat(MESSAGE_MAX_LENGTH * 3) });
    await reporter.flush(2_000);
    const sent = String(backend.reports[0].args.p_message);
    expect(sent).toHaveLength(MESSAGE_MAX_LENGTH);
    expect(sent.endsWith(' …[truncated]')).toBe(true);
  });

  it('enqueue never blocks and never throws, even with the backend down', () => {
    const unreachable = createAgentClient({
      url: URL_BASE,
      token: 'token-Collector',
      anonKey: ANON_KEY,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const reporter = createReporter({ client: unreachable, agentName: 'Collector' });
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) reporter.enqueue({ kind: i % 2 ? 'heartbeat' : 'activity', message: `n${i}` });
    // Enqueueing 10,000 reports is a few milliseconds; the bound is generous for a loaded machine.
    expect(performance.now() - started).toBeLessThan(5_000);
    reporter.close();
  });
});

describe('reporter with custom metrics', () => {
  it('metrics ride on the next report; an outage loses none: the retry carries the latest gauge and the summed counter', async () => {
    const clock = controlledSleep();
    const metrics = createMetrics();
    const answers: number[] = [];
    const reporter = createReporter({
      client: client(),
      agentName: 'Collector',
      metrics,
      sleep: clock.sleep,
      random: () => 0,
      onAnswer: (d) => answers.push(d.generation),
    });
    metrics.gauge('queue_length', 3);
    metrics.count('articles', 2);
    backend.setOutage(500);
    reporter.enqueue({ kind: 'heartbeat' });
    await waitFor(() => clock.delays.length === 1, 'first failure');
    metrics.gauge('queue_length', 8);
    metrics.count('articles', 5);
    backend.setOutage(null);
    clock.release();
    await waitFor(() => answers.length === 1, 'delivery');
    expect(backend.metrics()).toEqual([{ gauges: { queue_length: 8 }, counters: { articles: 7 } }]);
    reporter.enqueue({ kind: 'heartbeat' });
    await waitFor(() => answers.length === 2, 'a heartbeat with nothing new');
    expect(backend.metrics()[1]).toBeUndefined();
  });

  it('a report refused for its metrics (PT422) goes again at once without them', async () => {
    const metrics = createMetrics();
    const refused: string[] = [];
    const answers: number[] = [];
    const reporter = createReporter({
      client: client(),
      agentName: 'Collector',
      metrics,
      onAnswer: (d) => answers.push(d.generation),
      onMetricsRefused: (error) => refused.push(`${error.code}: ${error.message}`),
    });
    backend.refuseMetrics('an agent keeps at most 20 custom metrics');
    metrics.gauge('queue_length', 3);
    reporter.enqueue({ kind: 'warning', message: 'slow feed' });
    await waitFor(() => answers.length === 1, 'the warning, delivered');
    expect(refused).toEqual(['PT422: an agent keeps at most 20 custom metrics']);
    expect(backend.kinds()).toEqual(['warning', 'warning']);
    expect(backend.metrics()).toEqual([{ gauges: { queue_length: 3 } }, undefined]);
    expect(backend.agents.get('Collector')!.status).toBe('warning');
  });
});
