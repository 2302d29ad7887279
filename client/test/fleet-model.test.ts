// The fleet model: full reads and Realtime changes arrive in any order, and none moves an agent
// backwards — an older snapshot, an older generation, a read that started before a change it did not
// see. Pure reducers, so each case is a sequence of inputs and the state it must end in.
import type { AgentOverviewRow, DesiredStateRow } from '@agent-status/domain';
import { describe, expect, it } from 'vitest';
import {
  type AgentsState,
  applyCommandAnswers,
  applyDesiredState,
  applyEvent,
  applyOverview,
  applyOverviewRows,
  displayState,
  type FleetRow,
  MODEL_COLUMNS,
  emptyAgentsState,
  isPending,
  markOptimistic,
  orderedAgents,
  patchAgent,
  removeAgent,
  rollbackOptimistic,
} from '../src/index.ts';

const at = (second: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, second)).toISOString();

/** An agent_overview row: running, generation 1 acknowledged, last written at `at(0)`. */
function row(name: string, overrides: Partial<AgentOverviewRow> = {}): AgentOverviewRow {
  return {
    id: `id-${name}`,
    agent_name: name,
    description: null,
    status: 'running',
    health: 100,
    offline: false,
    last_heartbeat: at(0),
    started_at: at(0),
    last_activity: null,
    last_activity_at: null,
    last_error: null,
    last_error_at: null,
    last_warning: null,
    last_warning_at: null,
    observed_generation: 1,
    heartbeat_interval_seconds: 10,
    offline_after_seconds: null,
    effective_offline_after_seconds: 30,
    host: null,
    pid: null,
    version: null,
    instance_id: null,
    duplicate_instance_seen_at: null,
    muted_until: null,
    tags: [],
    created_at: at(0),
    updated_at: at(0),
    errors_total: 0,
    starts_total: 1,
    offline_total: 0,
    desired_state: 'running',
    generation: 1,
    last_command: 'start',
    requested_by_email: null,
    requested_at: at(0),
    pending: false,
    server_time: at(0),
    ...overrides,
  };
}

const fleet = (...rows: AgentOverviewRow[]) => applyOverview(emptyAgentsState, rows, Date.parse(at(0)));
const desired = (agent: string, generation: number, change: Partial<DesiredStateRow> = {}) => ({
  agent_id: `id-${agent}`,
  generation,
  desired_state: 'stopped' as const,
  last_command: 'stop' as const,
  ...change,
});
const snapshot = (agent: string, second: number, change: Partial<AgentOverviewRow>) => ({
  agent_id: `id-${agent}`,
  snapshot: { ...change, updated_at: at(second) },
});
const agent = (state: AgentsState, name: string) => state.byId[`id-${name}`];

describe('out-of-order changes never move an agent backwards', () => {
  type Step = (state: AgentsState) => AgentsState;
  it.each<{ name: string; steps: Step[]; expected: Partial<AgentOverviewRow> }>([
    {
      name: 'an older snapshot after a newer one',
      steps: [
        (s) => applyEvent(s, snapshot('a', 5, { status: 'error', health: 30 })),
        (s) => applyEvent(s, snapshot('a', 3, { status: 'running', health: 100 })),
      ],
      expected: { status: 'error', health: 30, updated_at: at(5) },
    },
    {
      name: 'an older generation after a newer one',
      steps: [
        (s) => applyDesiredState(s, desired('a', 3)),
        (s) => applyDesiredState(s, desired('a', 2, { desired_state: 'running', last_command: 'start' })),
      ],
      expected: { generation: 3, desired_state: 'stopped', last_command: 'stop' },
    },
    {
      name: 'a read that started before a snapshot it did not see (status half: the newer updated_at wins)',
      steps: [
        (s) => applyEvent(s, snapshot('a', 5, { status: 'stopped', health: 0 })),
        (s) => applyOverview(s, [row('a', { status: 'running', updated_at: at(2) })], Date.parse(at(2))),
      ],
      expected: { status: 'stopped', health: 0 },
    },
    {
      name: 'a read that started before a command it did not see (desired half: the higher generation wins)',
      steps: [
        (s) => applyDesiredState(s, desired('a', 4)),
        (s) => applyOverview(s, [row('a', { generation: 1, desired_state: 'running' })], Date.parse(at(2))),
      ],
      expected: { generation: 4, desired_state: 'stopped', pending: true },
    },
    {
      name: 'a command answer older than a desired-state update already applied',
      steps: [
        (s) => applyDesiredState(s, desired('a', 5, { desired_state: 'running', last_command: 'restart' })),
        (s) => applyCommandAnswers(s, ['id-a'], [{ agent_name: 'a', desired_state: 'stopped', generation: 4 }], 'stop'),
      ],
      expected: { generation: 5, desired_state: 'running', last_command: 'restart' },
    },
    {
      name: 'a newer read takes over both halves',
      steps: [
        (s) => applyDesiredState(s, desired('a', 2)),
        (s) =>
          applyOverview(
            s,
            [row('a', { generation: 3, desired_state: 'running', status: 'warning', updated_at: at(9) })],
            Date.parse(at(9)),
          ),
      ],
      expected: { generation: 3, desired_state: 'running', status: 'warning' },
    },
    {
      name: 'a snapshot with a state no client knows keeps the last known state',
      steps: [(s) => applyEvent(s, snapshot('a', 5, { status: 'exploded' as never, health: 40 }))],
      expected: { status: 'running', health: 40, updated_at: at(5) },
    },
    {
      name: 'a desired-state update with a desired state no client knows keeps the last known one',
      steps: [(s) => applyDesiredState(s, desired('a', 2, { desired_state: 'exploded' as never }))],
      expected: { desired_state: 'running', generation: 2 },
    },
  ])('$name', ({ steps, expected }) => {
    const state = steps.reduce((s, step) => step(s), fleet(row('a')));
    expect(agent(state, 'a')).toMatchObject(expected);
  });
});

describe('pending: a generation not yet acknowledged', () => {
  it('begins with the desired-state update and ends with the acknowledging snapshot', () => {
    let state = applyDesiredState(fleet(row('a')), desired('a', 2));
    expect(isPending(agent(state, 'a'))).toBe(true);
    expect(agent(state, 'a').pending).toBe(true);
    state = applyEvent(state, snapshot('a', 4, { status: 'stopped', observed_generation: 2 }));
    expect(agent(state, 'a').pending).toBe(false);
    expect(displayState(agent(state, 'a'))).toBe('stopped');
  });

  it('an optimistic command shows at once, and a refusal rolls it back with the reason', () => {
    const sent = markOptimistic(fleet(row('a')), ['id-a'], 'stop');
    expect(agent(sent, 'a').optimistic).toBe('stop');
    const refused = rollbackOptimistic(sent, ['id-a'], 'Only operators can do this.');
    expect(agent(refused, 'a')).toMatchObject({ optimistic: null, commandError: 'Only operators can do this.' });
  });
});

describe('what a view relies on', () => {
  it('keeps the identity of agents that did not change, and of the state when nothing changed', () => {
    const state = fleet(row('a'), row('b'));
    const next = applyEvent(state, snapshot('a', 5, { health: 50 }));
    expect(next.byId['id-b']).toBe(state.byId['id-b']);
    expect(applyEvent(next, snapshot('a', 1, { health: 90 }))).toBe(next);
    expect(applyEvent(next, { agent_id: 'id-unknown', snapshot: { health: 1, updated_at: at(9) } })).toBe(next);
    expect(applyEvent(next, { agent_id: 'id-a', snapshot: null })).toBe(next);
  });

  it('orders by name, and a rename (a snapshot with the new name) moves the agent', () => {
    const state = fleet(row('b'), row('c'), row('a'));
    expect(orderedAgents(state).map((a) => a.agent_name)).toEqual(['a', 'b', 'c']);
    const renamed = applyEvent(state, snapshot('a', 5, { agent_name: 'd' }));
    expect(orderedAgents(renamed).map((a) => a.agent_name)).toEqual(['b', 'c', 'd']);
  });

  it('a read drops agents that are gone and records the server clock offset', () => {
    const state = applyOverview(fleet(row('a'), row('b')), [row('b', { server_time: at(30) })], Date.parse(at(20)));
    expect(state.order).toEqual(['id-b']);
    expect(state.clockOffsetMs).toBe(10_000);
  });

  it('offline is a display state of its own', () => {
    expect(displayState(agent(fleet(row('a', { offline: true, status: 'running' })), 'a'))).toBe('offline');
  });
});

describe('reads of some columns (the dashboard list) and of whole rows', () => {
  const LIST = [...MODEL_COLUMNS, 'health', 'server_time'] as const;
  const listRow = (whole: AgentOverviewRow): FleetRow =>
    Object.fromEntries(LIST.map((column) => [column, whole[column]])) as unknown as FleetRow;

  it('a list read keeps what a whole row said of the other columns, and takes its own newer values', () => {
    const whole = fleet(row('a', { host: 'host-a', version: '1.2.3' })) as AgentsState<FleetRow>;
    const next = applyOverview(whole, [listRow(row('a', { health: 40, updated_at: at(5) }))], Date.parse(at(5)));
    expect(agent(next as AgentsState, 'a')).toMatchObject({ host: 'host-a', version: '1.2.3', health: 40 });
  });

  it('a list read that changes nothing keeps the agent (no re-render)', () => {
    const whole = fleet(row('a', { host: 'host-a' })) as AgentsState<FleetRow>;
    const next = applyOverview(whole, [listRow(row('a'))], Date.parse(at(0)));
    expect(next.byId['id-a']).toBe(whole.byId['id-a']);
  });

  it('an agent first read from the list has the list columns; its whole row fills in the rest', () => {
    const list = applyOverview(emptyAgentsState as AgentsState<FleetRow>, [listRow(row('a'))], Date.parse(at(0)));
    expect(list.byId['id-a'].host).toBeUndefined();
    const filled = applyOverviewRows(list, [row('a', { host: 'host-a' })]);
    expect(filled.byId['id-a']).toMatchObject({ host: 'host-a', created_at: at(0), health: 100 });
  });

  it('an event snapshot fills in the status columns of a list row', () => {
    const list = applyOverview(emptyAgentsState as AgentsState<FleetRow>, [listRow(row('a'))], Date.parse(at(0)));
    const next = applyEvent(list, snapshot('a', 5, { host: 'host-b', pid: 42 }));
    expect(next.byId['id-a']).toMatchObject({ host: 'host-b', pid: 42 });
  });
});

describe("this client's own changes, shown before the next read", () => {
  it('a patch changes the agent in place, a rename re-sorts, and an unchanged patch keeps the state', () => {
    const state = fleet(row('a'), row('b'));
    const muted = patchAgent(state, 'id-a', { muted_until: at(60) });
    expect(agent(muted, 'a').muted_until).toBe(at(60));
    expect(muted.byId['id-b']).toBe(state.byId['id-b']);
    expect(patchAgent(muted, 'id-a', { muted_until: at(60) })).toBe(muted);
    expect(patchAgent(muted, 'id-unknown', { tags: ['x'] })).toBe(muted);
    const renamed = patchAgent(muted, 'id-a', { agent_name: 'c', tags: ['prod'] });
    expect(orderedAgents(renamed).map((a) => a.agent_name)).toEqual(['b', 'c']);
    expect(renamed.byId['id-a']).toMatchObject({ id: 'id-a', tags: ['prod'], muted_until: at(60) });
  });

  it('a removed agent is gone from the agents and the order; an unknown one changes nothing', () => {
    const state = fleet(row('a'), row('b'));
    const removed = removeAgent(state, 'id-a');
    expect(removed.order).toEqual(['id-b']);
    expect(removed.byId['id-a']).toBeUndefined();
    expect(removeAgent(removed, 'id-a')).toBe(removed);
  });
});
