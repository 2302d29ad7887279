// The table's sort orders. Each column sorts by a comparable key; ties fall back to the name, so the
// order is stable and the same for everyone.
import type { Availability } from '@agent-status/domain';
import { displayState } from '@agent-status/client';
import type { DisplayState } from '@agent-status/domain';
import type { Agent } from './listRow.ts';

export type SortColumn =
  | 'name'
  | 'state'
  | 'health'
  | 'heartbeat'
  | 'uptime'
  | 'availability'
  | 'desired'
  | 'error'
  /** A chosen custom metric's column (state/metrics.ts): by its latest value. */
  | `metric:${string}`;
export type Sort = { column: SortColumn; descending: boolean };

// Worst first when ascending: what needs attention comes to the top.
const STATE_RANK: Record<DisplayState, number> = { error: 0, offline: 1, warning: 2, stopped: 3, running: 4 };

type Key = number | string | null;

/** A chosen metric column's key, or null for another column. */
export function metricOfColumn(column: SortColumn): string | null {
  return column.startsWith('metric:') ? column.slice('metric:'.length) : null;
}

function keyOf(
  column: SortColumn,
  agent: Agent,
  availability: Readonly<Record<string, Availability>>,
  window: 0 | 2 | 4,
  metrics: Readonly<Record<string, Readonly<Record<string, number>>>>,
): Key {
  const metric = metricOfColumn(column);
  if (metric !== null) return metrics[agent.id]?.[metric] ?? null;
  switch (column) {
    case 'name':
      return agent.agent_name;
    case 'state':
      return STATE_RANK[displayState(agent)];
    case 'health':
      return agent.health;
    case 'heartbeat':
      // Age: the oldest heartbeat is the largest age, so sort by the negated timestamp.
      return agent.last_heartbeat ? -Date.parse(agent.last_heartbeat) : null;
    case 'uptime':
      return agent.started_at && agent.status !== 'stopped' && !agent.offline ? -Date.parse(agent.started_at) : null;
    case 'availability':
      return availability[agent.id]?.[window] ?? null;
    case 'desired':
      return `${agent.desired_state}${agent.pending ? ' pending' : ''}`;
    case 'error':
      return agent.last_error || null;
    default:
      return null;
  }
}

/**
 * A sorted copy; agents without a value (never, unknown) go last whichever the direction. `window`:
 * which of fleet_availability's shares the availability column shows (0: 24 h, 2: 7 d, 4: 30 d);
 * `metrics`: the chosen metric columns' values by agent id.
 */
export function sortAgents(
  agents: readonly Agent[],
  sort: Sort,
  availability: Readonly<Record<string, Availability>> = {},
  window: 0 | 2 | 4 = 0,
  metrics: Readonly<Record<string, Readonly<Record<string, number>>>> = {},
): Agent[] {
  const keyed = agents.map((agent) => ({ agent, key: keyOf(sort.column, agent, availability, window, metrics) }));
  const direction = sort.descending ? -1 : 1;
  keyed.sort((a, b) => {
    if (a.key === null || b.key === null) {
      if (a.key !== b.key) return a.key === null ? 1 : -1;
    } else if (a.key !== b.key) {
      const order = typeof a.key === 'string' ? a.key.localeCompare(b.key as string) : a.key - (b.key as number);
      if (order) return order * direction;
    }
    return a.agent.agent_name.localeCompare(b.agent.agent_name);
  });
  return keyed.map((k) => k.agent);
}
