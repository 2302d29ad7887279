import { describe, expect, it } from 'vitest';
import { agentRow } from '../test/msw.ts';
import {
  applyCommandAnswers,
  applyDesiredState,
  applyEvent,
  applyOverview,
  emptyAgentsState,
  markOptimistic,
  orderedAgents,
  rollbackOptimistic,
} from '@agent-status/client';
import { countByState, filterAgents, pendingLabel } from './agentView.ts';

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s)).toISOString();

function loaded() {
  const rows = [
    agentRow('Tweet Scheduler', { id: 'c', updated_at: t(0) }),
    agentRow('Blog Generator', { id: 'b', updated_at: t(0), status: 'warning' }),
    agentRow('Account Manager', { id: 'a', updated_at: t(0), offline: true }),
  ];
  return applyOverview(emptyAgentsState, rows, Date.parse(t(0)));
}

describe('applyOverview', () => {
  it('orders agents by name and records the clock offset', () => {
    const rows = [agentRow('B', { id: 'b', server_time: t(10) }), agentRow('A', { id: 'a', server_time: t(10) })];
    const state = applyOverview(emptyAgentsState, rows, Date.parse(t(0)));
    expect(orderedAgents(state).map((a) => a.agent_name)).toEqual(['A', 'B']);
    expect(state.clockOffsetMs).toBe(10_000);
  });

  it('keeps the identity of unchanged agents and of the order', () => {
    const state = loaded();
    const again = applyOverview(
      state,
      Object.values(state.byId).map(({ optimistic, commandError, ...row }) => row),
      0,
    );
    expect(again.byId).toBe(state.byId);
    expect(again.order).toBe(state.order);
  });

  it('drops agents that disappeared (no stale rows)', () => {
    const state = loaded();
    const next = applyOverview(state, [agentRow('Blog Generator', { id: 'b', updated_at: t(0) })], 0);
    expect(next.order).toEqual(['b']);
  });

  it('does not let an older read undo a newer Realtime event', () => {
    const state = applyEvent(loaded(), {
      agent_id: 'c',
      snapshot: { ...loaded().byId.c, status: 'error', updated_at: t(5) },
    });
    const next = applyOverview(
      state,
      [agentRow('Tweet Scheduler', { id: 'c', updated_at: t(1), status: 'running' })],
      0,
    );
    expect(next.byId.c.status).toBe('error');
  });
});

describe('applyEvent', () => {
  it('merges the snapshot into that agent only', () => {
    const state = loaded();
    const next = applyEvent(state, {
      agent_id: 'b',
      snapshot: { status: 'error', health: 30, updated_at: t(3), observed_generation: 1 },
    });
    expect(next.byId.b.status).toBe('error');
    expect(next.byId.b.health).toBe(30);
    expect(next.byId.a).toBe(state.byId.a);
    expect(next.byId.c).toBe(state.byId.c);
  });

  it('ignores events without a snapshot (commands) and older snapshots', () => {
    const state = loaded();
    expect(applyEvent(state, { agent_id: 'b', snapshot: null })).toBe(state);
    const newer = applyEvent(state, { agent_id: 'b', snapshot: { status: 'error', updated_at: t(5) } });
    expect(applyEvent(newer, { agent_id: 'b', snapshot: { status: 'running', updated_at: t(4) } })).toBe(newer);
  });

  it('clears pending when the agent acknowledges the generation', () => {
    let state = applyDesiredState(loaded(), {
      agent_id: 'c',
      desired_state: 'stopped',
      generation: 2,
      last_command: 'stop',
    });
    expect(pendingLabel(state.byId.c)).toBe('stopping…');
    state = applyEvent(state, {
      agent_id: 'c',
      snapshot: { status: 'stopped', observed_generation: 2, updated_at: t(9) },
    });
    expect(state.byId.c.pending).toBe(false);
    expect(pendingLabel(state.byId.c)).toBeNull();
  });
});

describe('applyDesiredState', () => {
  it('ignores an older generation', () => {
    const state = applyDesiredState(loaded(), {
      agent_id: 'c',
      desired_state: 'stopped',
      generation: 3,
      last_command: 'stop',
    });
    expect(applyDesiredState(state, { agent_id: 'c', desired_state: 'running', generation: 2 })).toBe(state);
  });
  it('labels restart', () => {
    const state = applyDesiredState(loaded(), {
      agent_id: 'c',
      desired_state: 'running',
      generation: 2,
      last_command: 'restart',
    });
    expect(pendingLabel(state.byId.c)).toBe('restarting…');
  });
});

describe('optimistic commands', () => {
  it('shows pending at once and rolls back with the error on failure', () => {
    const optimistic = markOptimistic(loaded(), ['c'], 'stop');
    expect(pendingLabel(optimistic.byId.c)).toBe('stopping…');
    const rolledBack = rollbackOptimistic(optimistic, ['c'], 'Only operators can send commands.');
    expect(pendingLabel(rolledBack.byId.c)).toBeNull();
    expect(rolledBack.byId.c.commandError).toBe('Only operators can send commands.');
  });

  it('applies the function answer on success', () => {
    const optimistic = markOptimistic(loaded(), ['c'], 'stop');
    const done = applyCommandAnswers(
      optimistic,
      ['c'],
      [{ agent_name: 'Tweet Scheduler', desired_state: 'stopped', generation: 2 }],
      'stop',
    );
    expect(done.byId.c).toMatchObject({ optimistic: null, desired_state: 'stopped', generation: 2, pending: true });
    expect(pendingLabel(done.byId.c)).toBe('stopping…');
  });
});

describe('counts and filters', () => {
  it('counts offline separately from the reported status', () => {
    expect(countByState(orderedAgents(loaded()))).toEqual({ running: 1, warning: 1, error: 0, stopped: 0, offline: 1 });
  });
  it('filters by state and by name, case-insensitively', () => {
    const agents = orderedAgents(loaded());
    expect(filterAgents(agents, { state: 'offline', search: '' }).map((a) => a.agent_name)).toEqual([
      'Account Manager',
    ]);
    expect(filterAgents(agents, { state: 'all', search: 'BLOG' }).map((a) => a.agent_name)).toEqual(['Blog Generator']);
  });
});
