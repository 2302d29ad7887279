// Pure reducers for the agent list. Every function returns a new state and keeps the identity of
// agents it did not change, so memoized rows re-render only when their own agent changed.
import type {
  AgentCommand,
  AgentEventRow,
  AgentOverviewRow,
  CommandAnswer,
  DesiredStateRow,
  DisplayState,
} from '@agent-status/domain';
import { clockOffsetMs } from '../lib/time.ts';

export type AgentView = AgentOverviewRow & {
  /** A command sent from this page and not yet answered; shown as pending, rolled back on failure. */
  optimistic: AgentCommand | null;
  /** The last command error for this agent, shown next to its controls. */
  commandError: string | null;
};

export type AgentsState = {
  byId: Readonly<Record<string, AgentView>>;
  /** Ids sorted by agent name; recomputed only when the set of agents changes. */
  order: readonly string[];
  clockOffsetMs: number;
  loaded: boolean;
};

export const emptyAgentsState: AgentsState = { byId: {}, order: [], clockOffsetMs: 0, loaded: false };

export function displayState(agent: Pick<AgentView, 'offline' | 'status'>): DisplayState {
  return agent.offline ? 'offline' : agent.status;
}

const PENDING_LABELS: Record<AgentCommand, string> = {
  start: 'starting…',
  stop: 'stopping…',
  restart: 'restarting…',
};

/** "stopping…" etc. while the agent has not acknowledged the latest command. */
export function pendingLabel(agent: AgentView): string | null {
  if (agent.optimistic) return PENDING_LABELS[agent.optimistic];
  if (!agent.pending) return null;
  const command = agent.last_command ?? (agent.desired_state === 'stopped' ? 'stop' : 'start');
  return PENDING_LABELS[command];
}

/**
 * Why a command would change nothing now, or null: Start while the agent runs and has acknowledged
 * its latest request, Stop while it is stopped and has. (Restart always does something.)
 */
export function commandBlockedReason(agent: AgentView, command: AgentCommand): string | null {
  if (agent.pending || agent.optimistic) return null;
  if (
    command === 'start' &&
    agent.desired_state === 'running' &&
    !agent.offline &&
    (agent.status === 'running' || agent.status === 'warning')
  ) {
    return 'Already running: the agent has acknowledged the latest start.';
  }
  if (command === 'stop' && agent.desired_state === 'stopped' && agent.status === 'stopped') {
    return 'Already stopped: the agent has acknowledged the latest stop.';
  }
  return null;
}

function isPending(generation: number, observedGeneration: number): boolean {
  return generation > observedGeneration;
}

function newer(a: string | null | undefined, b: string | null | undefined): boolean {
  return Date.parse(a ?? '') > Date.parse(b ?? '');
}

function sortIds(byId: Record<string, AgentView>): string[] {
  return Object.keys(byId).sort((a, b) => byId[a].agent_name.localeCompare(byId[b].agent_name) || a.localeCompare(b));
}

/**
 * Reconciles a full REST read with what Realtime already delivered: the status half of a row is
 * taken from whichever copy has the newer updated_at, the desired half from the higher generation
 * (or later request). Agents missing from the read are dropped, so no stale rows survive.
 */
export function applyOverview(state: AgentsState, rows: AgentOverviewRow[], localNowMs: number): AgentsState {
  const byId: Record<string, AgentView> = {};
  let changed = rows.length !== state.order.length;
  for (const row of rows) {
    const existing = state.byId[row.id];
    const merged = existing ? mergeFetched(existing, row) : { ...row, optimistic: null, commandError: null };
    if (merged !== existing) changed = true;
    byId[row.id] = merged;
  }
  const offset = rows[0]?.server_time ? clockOffsetMs(rows[0].server_time, localNowMs) : state.clockOffsetMs;
  // The same agents under the same names keep their order; an added, removed or renamed one re-sorts.
  const sameOrder =
    rows.length === state.order.length &&
    state.order.every((id) => byId[id]?.agent_name === state.byId[id]?.agent_name);
  return {
    byId: changed ? byId : state.byId,
    order: sameOrder ? state.order : sortIds(byId),
    clockOffsetMs: offset,
    loaded: true,
  };
}

const DESIRED_KEYS = ['desired_state', 'generation', 'last_command', 'requested_by_email', 'requested_at'] as const;

function mergeFetched(existing: AgentView, fetched: AgentOverviewRow): AgentView {
  const statusFromFetch = !newer(existing.updated_at, fetched.updated_at);
  const desiredFromFetch =
    fetched.generation > existing.generation ||
    (fetched.generation === existing.generation && !newer(existing.requested_at, fetched.requested_at));
  const next: AgentView = { ...(statusFromFetch ? { ...existing, ...fetched } : existing) };
  const desiredSource = desiredFromFetch ? fetched : existing;
  for (const key of DESIRED_KEYS) (next as Record<string, unknown>)[key] = desiredSource[key];
  next.pending = isPending(next.generation, next.observed_generation);
  next.effective_offline_after_seconds = fetched.effective_offline_after_seconds;
  next.server_time = fetched.server_time;
  return shallowEqual(existing, next) ? existing : next;
}

function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(b);
  return keys.length === Object.keys(a).length && keys.every((key) => Object.is(a[key], b[key]));
}

function replaceAgent(state: AgentsState, agent: AgentView): AgentsState {
  if (state.byId[agent.id] === agent) return state;
  return { ...state, byId: { ...state.byId, [agent.id]: agent } };
}

/** An agent_events INSERT: its snapshot is the agent_status row after the transition. */
export function applyEvent(state: AgentsState, event: Pick<AgentEventRow, 'agent_id' | 'snapshot'>): AgentsState {
  const existing = state.byId[event.agent_id];
  const snapshot = event.snapshot;
  if (!existing || !snapshot || typeof snapshot !== 'object') return state;
  // An event can arrive after a REST read that already saw a later heartbeat; never go back in time.
  if (newer(existing.updated_at, snapshot.updated_at)) return state;
  const next: AgentView = { ...existing, ...snapshot, id: existing.id };
  next.pending = isPending(next.generation, next.observed_generation);
  return replaceAgent(state, next);
}

/** An agent_desired_state UPDATE: a command was accepted (from this page or anyone else's). */
export function applyDesiredState(
  state: AgentsState,
  row: Partial<DesiredStateRow> & { agent_id: string },
): AgentsState {
  const existing = state.byId[row.agent_id];
  if (!existing || row.generation === undefined || row.generation < existing.generation) return state;
  const next: AgentView = {
    ...existing,
    desired_state: row.desired_state ?? existing.desired_state,
    generation: row.generation,
    last_command: row.last_command ?? existing.last_command,
    requested_by_email: row.requested_by_email ?? existing.requested_by_email,
    requested_at: row.requested_at ?? existing.requested_at,
  };
  next.pending = isPending(next.generation, next.observed_generation);
  return replaceAgent(state, next);
}

function updateWhere(state: AgentsState, ids: readonly string[], update: (agent: AgentView) => AgentView): AgentsState {
  let byId: Record<string, AgentView> | null = null;
  for (const id of ids) {
    const agent = state.byId[id];
    if (!agent) continue;
    const next = update(agent);
    if (next === agent) continue;
    byId ??= { ...state.byId };
    byId[id] = next;
  }
  return byId ? { ...state, byId } : state;
}

/** Shows the command as pending at once, before the function answers. */
export function markOptimistic(state: AgentsState, ids: readonly string[], command: AgentCommand): AgentsState {
  return updateWhere(state, ids, (agent) => ({ ...agent, optimistic: command, commandError: null }));
}

/** The function refused or could not be reached: undo the optimistic pending state, show why. */
export function rollbackOptimistic(state: AgentsState, ids: readonly string[], message: string | null): AgentsState {
  return updateWhere(state, ids, (agent) => ({ ...agent, optimistic: null, commandError: message }));
}

/** The function accepted: its answer carries the new desired state and generation. */
export function applyCommandAnswers(
  state: AgentsState,
  ids: readonly string[],
  answers: readonly CommandAnswer[],
  command: AgentCommand,
): AgentsState {
  const ackByName = new Map(answers.map((answer) => [answer.agent_name, answer]));
  return updateWhere(state, ids, (agent) => {
    const ack = ackByName.get(agent.agent_name);
    const next: AgentView = { ...agent, optimistic: null, commandError: null };
    if (ack && ack.generation >= agent.generation) {
      next.desired_state = ack.desired_state;
      next.generation = ack.generation;
      next.last_command = command;
      next.pending = isPending(next.generation, next.observed_generation);
    }
    return next;
  });
}

export function clearCommandError(state: AgentsState, id: string): AgentsState {
  return updateWhere(state, [id], (agent) => (agent.commandError ? { ...agent, commandError: null } : agent));
}

export function orderedAgents(state: AgentsState): AgentView[] {
  return state.order.map((id) => state.byId[id]).filter(Boolean);
}

export function countByState(agents: readonly AgentView[]): Record<DisplayState, number> {
  const counts: Record<DisplayState, number> = { running: 0, warning: 0, error: 0, stopped: 0, offline: 0 };
  for (const agent of agents) counts[displayState(agent)] += 1;
  return counts;
}

/** `tag`: only agents carrying it ('' for any). */
export type AgentFilter = { state: DisplayState | 'all'; search: string; tag?: string };

export function filterAgents(agents: readonly AgentView[], filter: AgentFilter): AgentView[] {
  const needle = filter.search.trim().toLowerCase();
  const tag = filter.tag ?? '';
  if (filter.state === 'all' && !needle && !tag) return agents as AgentView[];
  return agents.filter(
    (agent) =>
      (filter.state === 'all' || displayState(agent) === filter.state) &&
      (!needle || agent.agent_name.toLowerCase().includes(needle)) &&
      (!tag || (agent.tags ?? []).includes(tag)),
  );
}

/** Every tag in the fleet, sorted: the tag filter's choices. */
export function fleetTags(agents: readonly AgentView[]): string[] {
  const tags = new Set<string>();
  for (const agent of agents) for (const tag of agent.tags ?? []) tags.add(tag);
  return [...tags].sort();
}

/**
 * How long the dashboard says "2 workers" after a second, displaced worker instance of an agent last
 * reported (duplicate_instance_seen_at). An SDK worker stands down after one such report, so the notice must
 * outlast that moment for a person to see it; a worker that does not stand down keeps it lit.
 */
export const SECOND_WORKER_NOTICE_MS = 15 * 60_000;

export function secondWorkerSeen(seenAt: string | null | undefined, nowMs: number): boolean {
  if (!seenAt) return false;
  const at = Date.parse(seenAt);
  return Number.isFinite(at) && nowMs - at < SECOND_WORKER_NOTICE_MS;
}
