// The fleet as a client holds it: one agent_overview row per agent the caller may read, from full reads
// (readFleet) and, in between, from Realtime's changes (agent_events inserts carry the agent's row as
// `snapshot`, agent_desired_state updates the desired state). Changes arrive in any order, so nothing
// here moves an agent backwards: a row's status half is kept from whichever copy has the newer
// updated_at, its desired half from the higher generation.
// Pure reducers: each returns a new state and keeps the identity of the agents it did not change, so a
// view re-renders only the agents that changed.
import {
  AGENT_STATUSES,
  type AgentCommand,
  type AgentEventRow,
  type AgentOverviewRow,
  type CommandAnswer,
  DESIRED_STATES,
  type DesiredStateRow,
  type DisplayState,
} from '@agent-status/domain';
import type { FleetColumn, OverviewRowWith } from './read.ts';

const DESIRED_KEYS = ['desired_state', 'generation', 'last_command', 'requested_by_email', 'requested_at'] as const;

/**
 * The columns the model itself reads: identity and order, the status half (and its clock, updated_at),
 * the desired half and the offline grace (server_time, the server's clock, comes with every read). A row
 * may carry fewer of the view's other columns (the dashboard's list reads only what it shows); a read of
 * the whole row fills them in.
 */
export const MODEL_COLUMNS = [
  'id',
  'agent_name',
  'status',
  'offline',
  'updated_at',
  'observed_generation',
  'pending',
  'effective_offline_after_seconds',
  ...DESIRED_KEYS,
] as const satisfies readonly FleetColumn[];
/** An agent_overview row with at least the model's columns. */
export type FleetRow = OverviewRowWith<(typeof MODEL_COLUMNS)[number]>;

export type AgentView<Row extends FleetRow = AgentOverviewRow> = Row & {
  /** A command sent from this client and not yet answered; shown as pending, rolled back on failure. */
  optimistic: AgentCommand | null;
  /** The last command error for this agent, shown next to its controls. */
  commandError: string | null;
};

export type AgentsState<Row extends FleetRow = AgentOverviewRow> = {
  byId: Readonly<Record<string, AgentView<Row>>>;
  /** Ids sorted by agent name; recomputed only when the set of agents or a name changes. */
  order: readonly string[];
  /** Server clock − local clock, in ms, from the last read: ages are measured on the server's clock. */
  clockOffsetMs: number;
  loaded: boolean;
};

export const emptyAgentsState: AgentsState<never> = { byId: {}, order: [], clockOffsetMs: 0, loaded: false };

/** What a person is shown: the reported status, or offline when the server has not heard from the agent. */
export function displayState(agent: Pick<AgentView, 'offline' | 'status'>): DisplayState {
  return agent.offline ? 'offline' : agent.status;
}

/** A command the agent has not carried out yet: its desired generation is ahead of the one it acknowledged. */
export function isPending(agent: Pick<AgentView, 'generation' | 'observed_generation'>): boolean {
  return agent.generation > agent.observed_generation;
}

/** server_time − the local time it was read at; 0 without a server time. */
export function clockOffsetMs(serverTimeIso: string | null | undefined, localNowMs: number): number {
  const server = serverTimeIso ? Date.parse(serverTimeIso) : Number.NaN;
  return Number.isFinite(server) ? server - localNowMs : 0;
}

const known = <T extends string>(values: readonly T[], value: unknown): value is T => values.includes(value as T);

function newer(a: string | null | undefined, b: string | null | undefined): boolean {
  return Date.parse(a ?? '') > Date.parse(b ?? '');
}

// The order String.prototype.localeCompare gives, at a fraction of its cost per comparison (it builds a
// collator on every call): sorting 10,000 names is ~130,000 comparisons.
const byLocale = new Intl.Collator().compare;

function sortIds<R extends FleetRow>(byId: Record<string, AgentView<R>>): string[] {
  return Object.keys(byId).sort((a, b) => byLocale(byId[a].agent_name, byId[b].agent_name) || byLocale(a, b));
}

/**
 * Reconciles a full read with what Realtime already delivered: the status half of a row is taken from
 * whichever copy has the newer updated_at, the desired half from the higher generation (or later
 * request). Agents missing from the read are dropped, so no stale rows survive. `localNowMs`: when the
 * read was answered, for the clock offset.
 *
 * The rows are the read's own, fresh objects, and the model takes them: an agent it did not hold yet
 * is its row, given `optimistic` and `commandError`, not a copy of it (copying 10,000 rows of 38
 * columns cost the dashboard's first full list ~100 ms).
 */
export function applyOverview<R extends FleetRow>(
  state: AgentsState<R>,
  rows: readonly R[],
  localNowMs: number,
): AgentsState<R> {
  const byId: Record<string, AgentView<R>> = {};
  let changed = rows.length !== state.order.length;
  for (const row of rows) {
    const existing = state.byId[row.id];
    const merged = existing ? mergeFetched(existing, row) : asView(row);
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

function asView<R extends FleetRow>(row: R): AgentView<R> {
  const view = row as AgentView<R>;
  view.optimistic = null;
  view.commandError = null;
  return view;
}

/**
 * A read of some agents (those a view shows): each row is merged as a full read merges it; agents not in
 * the read are kept as they are, and one the model does not know yet waits for the next full read.
 */
export function applyOverviewRows<R extends FleetRow>(state: AgentsState<R>, rows: readonly R[]): AgentsState<R> {
  return updateEach(state, rows, (row) => row.id, mergeFetched);
}

/**
 * Each item's agent updated, with at most one copy of the fleet for all of them: agents no item changed
 * keep their identity, unknown agents are skipped, and a rename re-sorts the order.
 */
function updateEach<R extends FleetRow, T>(
  state: AgentsState<R>,
  items: readonly T[],
  idOf: (item: T) => string,
  update: (agent: AgentView<R>, item: T) => AgentView<R>,
): AgentsState<R> {
  let byId: Record<string, AgentView<R>> | null = null;
  let renamed = false;
  for (const item of items) {
    const id = idOf(item);
    const existing = (byId ?? state.byId)[id];
    if (!existing) continue;
    const next = update(existing, item);
    if (next === existing) continue;
    byId ??= { ...state.byId };
    byId[id] = next;
    if (next.agent_name !== existing.agent_name) renamed = true;
  }
  if (!byId) return state;
  return { ...state, byId, order: renamed ? sortIds(byId) : state.order };
}

function mergeFetched<R extends FleetRow>(existing: AgentView<R>, fetched: R): AgentView<R> {
  const statusFromFetch = !newer(existing.updated_at, fetched.updated_at);
  const desiredFromFetch =
    fetched.generation > existing.generation ||
    (fetched.generation === existing.generation && !newer(existing.requested_at, fetched.requested_at));
  const next: AgentView<R> = { ...(statusFromFetch ? { ...existing, ...fetched } : existing) };
  const desiredSource = desiredFromFetch ? fetched : existing;
  for (const key of DESIRED_KEYS) (next as Record<string, unknown>)[key] = desiredSource[key];
  next.pending = isPending(next);
  next.effective_offline_after_seconds = fetched.effective_offline_after_seconds;
  next.server_time = fetched.server_time;
  return shallowEqual(existing, next) ? existing : next;
}

function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(b);
  return keys.length === Object.keys(a).length && keys.every((key) => Object.is(a[key], b[key]));
}

/** One change as Realtime pushes it: an agent_events INSERT or an agent_desired_state UPDATE. */
export type FleetChange =
  | { event: Pick<AgentEventRow, 'agent_id' | 'snapshot'> }
  | { desiredState: Partial<DesiredStateRow> & { agent_id: string } };

/**
 * Applies changes in order with one copy of the fleet, so a burst (a sweep marking 1,000 agents offline
 * at once) costs one pass over the fleet, not one per change. Agents no change touched keep their identity.
 */
export function applyChanges<R extends FleetRow>(
  state: AgentsState<R>,
  changes: readonly FleetChange[],
): AgentsState<R> {
  return updateEach(
    state,
    changes,
    (change) => ('event' in change ? change.event.agent_id : change.desiredState.agent_id),
    (agent, change) =>
      'event' in change ? withEvent(agent, change.event) : withDesiredState(agent, change.desiredState),
  );
}

/**
 * An agent_events INSERT: its snapshot is the agent_status row after the transition. An event without
 * one (a command) changes nothing here; the desired-state update carries it. Unknown agents are left to
 * the next read (the caller reads again when it sees one).
 */
export function applyEvent<R extends FleetRow>(
  state: AgentsState<R>,
  event: Pick<AgentEventRow, 'agent_id' | 'snapshot'>,
): AgentsState<R> {
  return applyChanges(state, [{ event }]);
}

function withEvent<R extends FleetRow>(
  existing: AgentView<R>,
  event: Pick<AgentEventRow, 'agent_id' | 'snapshot'>,
): AgentView<R> {
  const snapshot = event.snapshot;
  if (!snapshot || typeof snapshot !== 'object') return existing;
  // An event can arrive after a read that already saw a later heartbeat; never go back in time.
  if (newer(existing.updated_at, snapshot.updated_at)) return existing;
  const next: AgentView<R> = { ...existing, ...snapshot, id: existing.id };
  // A state no client knows (a newer or hostile server) is not shown; the agent keeps its last known one.
  if (!known(AGENT_STATUSES, next.status)) next.status = existing.status;
  next.pending = isPending(next);
  return next;
}

/** An agent_desired_state UPDATE: a command was accepted (from this client or anyone else's); an older generation is ignored. */
export function applyDesiredState<R extends FleetRow>(
  state: AgentsState<R>,
  row: Partial<DesiredStateRow> & { agent_id: string },
): AgentsState<R> {
  return applyChanges(state, [{ desiredState: row }]);
}

function withDesiredState<R extends FleetRow>(existing: AgentView<R>, row: Partial<DesiredStateRow>): AgentView<R> {
  if (row.generation === undefined || row.generation < existing.generation) return existing;
  const next: AgentView<R> = {
    ...existing,
    desired_state: known(DESIRED_STATES, row.desired_state) ? row.desired_state : existing.desired_state,
    generation: row.generation,
    last_command: row.last_command ?? existing.last_command,
    requested_by_email: row.requested_by_email ?? existing.requested_by_email,
    requested_at: row.requested_at ?? existing.requested_at,
  };
  next.pending = isPending(next);
  return next;
}

function updateWhere<R extends FleetRow>(
  state: AgentsState<R>,
  ids: readonly string[],
  update: (agent: AgentView<R>) => AgentView<R>,
): AgentsState<R> {
  return updateEach(state, ids, (id) => id, update);
}

/** Shows the command as pending at once, before the function answers. */
export function markOptimistic<R extends FleetRow>(
  state: AgentsState<R>,
  ids: readonly string[],
  command: AgentCommand,
): AgentsState<R> {
  return updateWhere(state, ids, (agent) => ({ ...agent, optimistic: command, commandError: null }));
}

/** The function refused or could not be reached: undo the optimistic pending state, show why. */
export function rollbackOptimistic<R extends FleetRow>(
  state: AgentsState<R>,
  ids: readonly string[],
  message: string | null,
): AgentsState<R> {
  return updateWhere(state, ids, (agent) => ({ ...agent, optimistic: null, commandError: message }));
}

/** The function accepted: its answer carries each agent's new desired state and generation (an older one changes nothing). */
export function applyCommandAnswers<R extends FleetRow>(
  state: AgentsState<R>,
  ids: readonly string[],
  answers: readonly CommandAnswer[],
  command: AgentCommand,
): AgentsState<R> {
  const answerByName = new Map(answers.map((answer) => [answer.agent_name, answer]));
  return updateWhere(state, ids, (agent) => {
    const answer = answerByName.get(agent.agent_name);
    const next: AgentView<R> = { ...agent, optimistic: null, commandError: null };
    if (answer && answer.generation >= agent.generation) {
      next.desired_state = answer.desired_state;
      next.generation = answer.generation;
      next.last_command = command;
      next.pending = isPending(next);
    }
    return next;
  });
}

/**
 * A change this client made and the server answered (settings, a rename, tags, a mute): shown at once,
 * before the next read confirms it. A rename moves the agent in the order.
 */
export function patchAgent<R extends FleetRow>(
  state: AgentsState<R>,
  id: string,
  change: Partial<AgentOverviewRow>,
): AgentsState<R> {
  const existing = state.byId[id];
  if (!existing) return state;
  const next: AgentView<R> = { ...existing, ...change, id: existing.id };
  if (shallowEqual(existing, next)) return state;
  const byId = { ...state.byId, [id]: next };
  return { ...state, byId, order: next.agent_name === existing.agent_name ? state.order : sortIds(byId) };
}

/** An agent this client deleted: gone at once. */
export function removeAgent<R extends FleetRow>(state: AgentsState<R>, id: string): AgentsState<R> {
  if (!state.byId[id]) return state;
  const { [id]: _removed, ...byId } = state.byId;
  return { ...state, byId, order: state.order.filter((other) => other !== id) };
}

export function clearCommandError<R extends FleetRow>(state: AgentsState<R>, id: string): AgentsState<R> {
  return updateWhere(state, [id], (agent) => (agent.commandError ? { ...agent, commandError: null } : agent));
}

export function orderedAgents<R extends FleetRow>(state: AgentsState<R>): AgentView<R>[] {
  return state.order.map((id) => state.byId[id]).filter(Boolean);
}
