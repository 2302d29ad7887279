import { describe, expect, it } from 'vitest';
import { agentSilent, logViewState } from './logState.ts';

const now = Date.parse('2026-12-06T12:00:00Z');
const agent = (over: Partial<Parameters<typeof agentSilent>[0]> = {}) => ({
  offline: false,
  status: 'running' as const,
  last_heartbeat: '2026-12-06T11:59:55Z',
  effective_offline_after_seconds: 30,
  ...over,
});

describe('what the Logs view says', () => {
  it('an agent is silent when offline, never heard from, or stopped and quiet past its grace', () => {
    expect(agentSilent(agent(), now)).toBe(false);
    expect(agentSilent(agent({ offline: true }), now)).toBe(true);
    expect(agentSilent(agent({ last_heartbeat: null }), now)).toBe(true);
    expect(agentSilent(agent({ status: 'stopped', last_heartbeat: '2026-12-06T11:59:50Z' }), now)).toBe(false);
    expect(agentSilent(agent({ status: 'stopped', last_heartbeat: '2026-12-06T11:58:00Z' }), now)).toBe(true);
    // a running agent is left to the sweep: it says offline when it is
    expect(agentSilent(agent({ last_heartbeat: '2026-12-06T11:58:00Z' }), now)).toBe(false);
  });

  it('waiting for the worker, offline, live, unavailable', () => {
    expect(logViewState('connecting', null, false, false, 10)).toEqual({ kind: 'connecting' });
    expect(logViewState('waiting', null, false, false, 10)).toEqual({ kind: 'waiting', withinSeconds: 10 });
    expect(logViewState('waiting', null, false, true, 10)).toEqual({ kind: 'offline' });
    expect(logViewState('live', null, false, true, 10)).toEqual({ kind: 'live' }); // lines came: they show
    expect(logViewState('waiting', null, true, false, 10)).toEqual({ kind: 'live' });
    expect(logViewState('unavailable', { code: '42501', message: 'x', status: 401 }, false, false, 10)).toEqual({
      kind: 'unavailable',
      message: 'Your account may not watch logs (viewers and operators may).',
    });
    expect(
      logViewState('unavailable', { code: 'channel_error', message: 'no access', status: 0 }, true, false, 10),
    ).toEqual({
      kind: 'unavailable',
      message: 'no access',
    });
  });
});
