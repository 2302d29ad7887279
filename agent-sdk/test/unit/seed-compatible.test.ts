import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  MESSAGE_MAX_LENGTH,
  ReportFailedError,
  markAgentStarted,
  markAgentStopped,
  reportActivity,
  reportError,
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
