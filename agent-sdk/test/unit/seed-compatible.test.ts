import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  MESSAGE_MAX_LENGTH,
  ReportFailedError,
  markAgentStarted,
  markAgentStopped,
  reportActivity,
  reportCount,
  reportError,
  reportMetric,
  reportWarning,
  resetDefaultClient,
  sendHeartbeat,
} from '../../src/index.ts';
import { ANON_KEY, URL_BASE, createFakeBackend } from './fake-backend.ts';

const server = setupServer();
let backend: ReturnType<typeof createFakeBackend>;
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  backend = createFakeBackend();
  backend.addAgent('Blog Generator');
  server.use(backend.handler);
  resetDefaultClient();
  vi.stubEnv('SUPABASE_URL', URL_BASE);
  vi.stubEnv('AGENT_TOKEN', 'token-Blog Generator');
  vi.stubEnv('SUPABASE_ANON_KEY', ANON_KEY);
  vi.stubEnv('SUPABASE_SERVICE_ROLE_KEY', '');
});
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllEnvs();
});
afterAll(() => server.close());

describe('seed-compatible calls', () => {
  it('report each kind with the database defaults for health', async () => {
    const agent = () => backend.agents.get('Blog Generator')!;
    expect(await markAgentStarted('Blog Generator')).toMatchObject({
      ok: true,
      desired: { agentName: 'Blog Generator' },
    });
    expect([agent().status, agent().health]).toEqual(['running', 100]);
    await sendHeartbeat('Blog Generator');
    await reportWarning('Blog Generator', 'slow');
    expect([agent().status, agent().health]).toEqual(['warning', 75]);
    await reportError('Blog Generator', 'broken');
    expect([agent().status, agent().health]).toEqual(['error', 30]);
    await reportWarning('Blog Generator', 'custom', { health: 55 });
    expect(agent().health).toBe(55);
    await reportActivity('Blog Generator', 'drafted 2 posts');
    await markAgentStopped('Blog Generator');
    expect([agent().status, agent().health]).toEqual(['stopped', 0]);
    expect(backend.kinds()).toEqual(['started', 'heartbeat', 'warning', 'error', 'warning', 'activity', 'stopped']);
    expect(backend.reports[2].args).not.toHaveProperty('p_health');
  });

  it('truncates messages to MESSAGE_MAX_LENGTH', async () => {
    await reportError('Blog Generator', 'e'.repeat(5_000));
    expect(String(backend.reports[0].args.p_message)).toHaveLength(MESSAGE_MAX_LENGTH);
  });

  it('resolves { ok: false } on network failure, rejects only with throwOnError', async () => {
    backend.setOutage('network');
    const result = await sendHeartbeat('Blog Generator');
    expect(result).toMatchObject({ ok: false, error: { code: 'NETWORK', retryable: true } });
    await expect(sendHeartbeat('Blog Generator', { throwOnError: true })).rejects.toBeInstanceOf(ReportFailedError);
  });

  it('a token cannot report for another agent (PT403)', async () => {
    expect(await markAgentStarted('Tweet Scheduler')).toMatchObject({
      ok: false,
      error: { code: 'PT403', retryable: false },
    });
  });

  it('a missing configuration rejects with a clear ConfigurationError', async () => {
    vi.stubEnv('SUPABASE_ANON_KEY', '');
    resetDefaultClient();
    await expect(markAgentStarted('Blog Generator')).rejects.toThrow(ConfigurationError);
    await expect(markAgentStarted('Blog Generator')).rejects.toThrow(/SUPABASE_ANON_KEY/);
  });

  it('a blank name is a TypeError', async () => {
    await expect(sendHeartbeat(' ')).rejects.toThrow(TypeError);
  });
});

describe('one-shot custom metrics', () => {
  it('reportMetric and reportCount send one heartbeat each, carrying the metric and this process as the series', async () => {
    expect(await reportMetric('Blog Generator', 'queue_length', 5)).toMatchObject({ ok: true });
    expect(await reportCount('Blog Generator', 'posts_drafted')).toMatchObject({ ok: true });
    expect(await reportCount('Blog Generator', 'posts_drafted', 2)).toMatchObject({ ok: true });
    expect(backend.kinds()).toEqual(['heartbeat', 'heartbeat', 'heartbeat']);
    const [first, second, third] = backend.metrics() as Array<{ series: string }>;
    expect(first).toEqual({ gauges: { queue_length: 5 }, series: first.series });
    expect(second).toEqual({ counters: { posts_drafted: 1 }, series: first.series });
    // The counter's running total in this process: the database adds what it grew by.
    expect(third).toEqual({ counters: { posts_drafted: 3 }, series: first.series });
    expect(first.series).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a metric the backend would refuse answers INVALID_METRIC without a request (or throws with throwOnError)', async () => {
    expect(await reportMetric('Blog Generator', 'Queue', 1)).toEqual({
      ok: false,
      error: {
        code: 'INVALID_METRIC',
        message:
          'metric name "Queue" must start with a lower-case letter and hold only lower-case letters, digits and underscores',
        status: 0,
        retryable: false,
      },
    });
    await expect(reportCount('Blog Generator', 'posts', -2, { throwOnError: true })).rejects.toThrow(ReportFailedError);
    expect(backend.reports).toHaveLength(0);
  });

  it('a metric whose report failed rides on the next call for that agent', async () => {
    backend.setOutage('network');
    expect((await reportCount('Blog Generator', 'retries', 4)).ok).toBe(false);
    backend.setOutage(null);
    await markAgentStopped('Blog Generator');
    expect(backend.kinds()).toEqual(['stopped']);
    expect(backend.metrics()[0]).toMatchObject({ counters: { retries: 4 } });
  });

  it('metrics refused by the backend do not cost a later call its report', async () => {
    backend.refuseMetrics('an agent keeps at most 20 custom metrics');
    expect(await reportMetric('Blog Generator', 'queue_length', 1)).toMatchObject({
      ok: false,
      error: { code: 'PT422' },
    });
    backend.setOutage('network');
    expect((await reportMetric('Blog Generator', 'queue_length', 2)).ok).toBe(false);
    backend.setOutage(null);
    expect(await reportWarning('Blog Generator', 'slow')).toMatchObject({ ok: true });
    expect(backend.kinds()).toEqual(['heartbeat', 'warning', 'warning']);
    expect(backend.agents.get('Blog Generator')!.status).toBe('warning');
  });
});
