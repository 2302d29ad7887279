// The agent store: the fleet model of @agent-status/client (one read of the whole fleet, Realtime
// changes merged in between) kept current by a REST refresh on a timer (every 10 s while live —
// heartbeats are not pushed; for a large fleet, of the rows on screen — and every few seconds while
// Realtime is down). Components subscribe and select what they need. What the dashboard changes of an
// agent (commands, settings, a rename, tags, a mute, a delete) goes through the store too, which shows
// the server's answer in place at once.
import {
  applyChanges,
  applyCommandAnswers,
  applyOverview,
  applyOverviewRows,
  clearCommandError,
  emptyAgentsState,
  markOptimistic,
  patchAgent,
  readFleet,
  readFleetHead,
  readFleetRows,
  removeAgent,
  rollbackOptimistic,
  sendCommand,
  sendCommandToAll,
  subscribeChanges,
  type AgentsState,
  type FleetChange,
} from '@agent-status/client';
import {
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  type AgentCommand,
  type AgentEventRow,
  type AgentSettings,
  type AgentSettingsChange,
  type AvailabilityBucket,
  type AvailabilityWindow,
  type CreatedAgent,
  type FleetAvailability,
  isScheduleActor,
  type ScheduleOverviewRow,
} from '@agent-status/domain';
import type { Result } from '@agent-status/client';
import { muteAgent } from '../lib/alerts.ts';
import { failureMessage, worded } from '../lib/failure.ts';
import { createAgent, deleteAgent, tagAgents, updateAgent } from '../lib/registry.ts';
import { readSchedules } from '../lib/schedules.ts';
import type { DashboardClient } from '../lib/supabase.ts';
import { LIST_COLUMNS, type ListRow } from './listRow.ts';

export type Connection = 'connecting' | 'live' | 'polling' | 'unreachable';
/** A command from the dashboard's buttons: for one agent, or Start all / Stop all. */
export type CommandRoute = AgentCommand | keyof typeof FOR_ALL;
const FOR_ALL = { 'start-all': 'start', 'stop-all': 'stop' } as const;
const isForAll = (route: CommandRoute): route is keyof typeof FOR_ALL => Object.hasOwn(FOR_ALL, route);

export type History = { agentId: string; events: AgentEventRow[]; loading: boolean; error: string | null };

export type StoreState = {
  agents: AgentsState<ListRow>;
  /** False while only the first screen of agents is known (the whole fleet is still being read). */
  fleetComplete: boolean;
  connection: Connection;
  loadError: string | null;
  /** Error of the last Start all / Stop all, shown next to those buttons. */
  bulkError: string | null;
  history: History | null;
  /** fleet_availability(): per agent id [a24h, s24h, a7d, s7d, a30d, s30d]; read once a minute. */
  availability: Readonly<FleetAvailability>;
  /** agent_schedule_overview: every schedule (null until read), read again when one changes something. */
  schedules: { rows: ScheduleOverviewRow[] | null; error: string | null };
  /** The open agent's availability bar (agent_availability_bar) over one window; buckets null while read. */
  availabilityBar: AvailabilityBar | null;
};

export type AvailabilityBar = {
  agentId: string;
  window: AvailabilityWindow;
  buckets: AvailabilityBucket[] | null;
  error: string | null;
};

/** Settings the dashboard changes; `new_name` renames. */
export type SettingsChange = AgentSettingsChange & { new_name?: string };

/**
 * The first read's size: a screen of rows, and one more than the fleet size above which the page opens
 * as the table (TABLE_BY_DEFAULT_ABOVE in useListView), so the first screen is drawn in the view the whole
 * fleet will have (a head of 50 drew 50 cards, then switched to the table).
 */
export const FIRST_SCREEN_ROWS = 101;

export type AgentStoreOptions = {
  livePollMs?: number;
  fallbackPollMs?: number;
  historyLimit?: number;
  availabilityPollMs?: number;
  /** Up to this many agents, every live poll reads the whole fleet; above, only the agents on screen (watchRows). */
  wholeFleetPollUpTo?: number;
  /** Above wholeFleetPollUpTo, how often the whole fleet is read while Realtime is live. */
  wholeFleetPollMs?: number;
  /** How many agents the first, small read asks for (a first screen); 0: none, wait for the whole fleet. */
  headRows?: number;
  /** How long Realtime changes that follow one another are gathered to be applied together (one render per burst). */
  changeBatchMs?: number;
  /** The longest wait before the schedules are read again (their next changes move on as time passes). */
  schedulesPollMs?: number;
  now?: () => number;
};

export type AgentStore = ReturnType<typeof createAgentStore>;

export function createAgentStore(client: DashboardClient, options: AgentStoreOptions = {}) {
  const {
    livePollMs = DEFAULT_HEARTBEAT_INTERVAL_SECONDS * 1000,
    fallbackPollMs = 3_000,
    historyLimit = 200,
    availabilityPollMs = 60_000,
    schedulesPollMs = 10 * 60_000,
    changeBatchMs = 16,
    headRows = FIRST_SCREEN_ROWS,
    wholeFleetPollUpTo = 1_000,
    wholeFleetPollMs = 60_000,
    now = () => Date.now(),
  } = options;
  let state: StoreState = {
    agents: emptyAgentsState,
    fleetComplete: false,
    connection: 'connecting',
    loadError: null,
    bulkError: null,
    history: null,
    availability: {},
    schedules: { rows: null, error: null },
    availabilityBar: null,
  };
  let availabilityTimer: ReturnType<typeof setInterval> | null = null;
  let schedulesTimer: ReturnType<typeof setTimeout> | null = null;
  const listeners = new Set<() => void>();
  let unsubscribe: (() => Promise<void>) | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let started = false;
  let realtimeUp = false;

  function setState(patch: Partial<StoreState>) {
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
  }
  const updateAgents = (reduce: (agents: AgentsState<ListRow>) => AgentsState<ListRow>) => {
    const next = reduce(state.agents);
    if (next !== state.agents) setState({ agents: next });
  };

  // One read at a time: a refresh asked for while one is in flight runs once after it (at start-up,
  // Realtime's first SUBSCRIBED asks while the first read is still coming; reading 10,000 agents
  // twice at once would double the wait for the first list).
  let inFlight: Promise<void> | null = null;
  let again = false;
  function refresh(): Promise<void> {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = readOverview().finally(() => {
      inFlight = null;
      if (again && running) {
        again = false;
        void refresh().catch(() => undefined);
      }
    });
    return inFlight;
  }

  async function readOverview(): Promise<void> {
    const read = await readFleet(client, LIST_COLUMNS);
    if (!running) return;
    if (!read.ok) {
      setState({ loadError: describeReadError(read.error), connection: realtimeUp ? state.connection : 'unreachable' });
      return;
    }
    wholeReadAt = now();
    setState({
      agents: applyOverview(state.agents, read.value, now()),
      fleetComplete: true,
      loadError: null,
      connection: realtimeUp ? 'live' : state.connection === 'connecting' ? 'connecting' : 'polling',
    });
  }

  // The first reads: a small one (below), then the whole fleet. Sent once, by readFirst() as soon as the
  // page has its shell (before it paints it) or by start(), whichever comes first.
  let firstRead: Promise<void> | null = null;
  function readFirst(): Promise<void> {
    firstRead ??= (() => {
      running = true;
      // Asked first: on a single database session the small read is answered before the whole fleet.
      if (headRows > 0) void readHead().catch(() => undefined);
      return refresh().catch(() => setState({ connection: 'unreachable' }));
    })();
    return firstRead;
  }

  // A first screen of agents from a small read, drawn while the whole fleet is still on its way; the
  // whole read replaces it (a head that answers after it is dropped).
  async function readHead(): Promise<void> {
    const head = await readFleetHead(client, headRows);
    if (!running || state.fleetComplete || !head.ok || state.agents.loaded) return;
    setState({ agents: applyOverview(state.agents, head.value, now()) });
  }

  // While Realtime is live, transitions arrive by push and a poll only freshens heartbeat ages. A large
  // fleet then reads just the agents on screen at each poll and the whole fleet less often: reading
  // 10,000 agents every 10 s kept an idle page's main thread busy 7 % of the time.
  // The whole fleet is read with the list's columns only: the open agent's page reads its whole row, at
  // once and at each poll.
  let watched: readonly string[] = [];
  let openId: string | null = null;
  let wholeReadAt = Number.NEGATIVE_INFINITY;
  async function poll(): Promise<void> {
    const large = state.agents.order.length > wholeFleetPollUpTo;
    const onScreenOnly = realtimeUp && large && now() - wholeReadAt < wholeFleetPollMs;
    if (!onScreenOnly) await refresh();
    await readRows([...(onScreenOnly ? watched : []), ...(openId ? [openId] : [])]);
  }

  async function readRows(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    const read = await readFleetRows(client, [...new Set(ids)]);
    if (running && read.ok) updateAgents((agents) => applyOverviewRows(agents, read.value));
  }

  function schedulePoll() {
    if (pollTimer) clearTimeout(pollTimer);
    if (!running) return;
    pollTimer = setTimeout(
      async () => {
        await poll().catch(() => setState({ connection: 'unreachable' }));
        schedulePoll();
      },
      realtimeUp ? livePollMs : fallbackPollMs,
    );
  }

  // Realtime delivers a burst (a sweep marking a thousand agents offline) as a thousand messages. The
  // first change of a quiet moment is shown at once; those that follow within changeBatchMs are applied
  // together, with one copy of the fleet and one render instead of one each.
  let queued: FleetChange[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  function queueChange(change: FleetChange) {
    if (flushTimer) {
      queued.push(change);
      return;
    }
    updateAgents((agents) => applyChanges(agents, [change]));
    flushTimer = setTimeout(flushChanges, changeBatchMs);
  }
  function flushChanges() {
    flushTimer = null;
    if (!queued.length) return;
    const changes = queued;
    queued = [];
    if (running) updateAgents((agents) => applyChanges(agents, changes));
    // Still in a burst: keep gathering.
    flushTimer = setTimeout(flushChanges, changeBatchMs);
  }

  // Pages that show raw events (the fleet activity feed) listen here: one Realtime channel serves all.
  const eventListeners = new Set<(event: AgentEventRow) => void>();

  function onEvent(event: AgentEventRow) {
    for (const listener of eventListeners) listener(event);
    // An agent added, renamed or changed elsewhere (rows of agent_status are not pushed): read the fleet again.
    if (!state.agents.byId[event.agent_id] || event.kind === 'created' || event.kind === 'updated')
      void refresh().catch(() => undefined);
    queueChange({ event });
    // A schedule acted, or an agent's tags changed (what a tag's schedule covers): its next changes moved.
    if ((event.kind === 'command' && isScheduleActor(event.actor_email)) || event.kind === 'updated')
      void refreshSchedules().catch(() => undefined);
    const history = state.history;
    if (history && history.agentId === event.agent_id && !history.events.some((e) => e.id === event.id)) {
      setState({ history: { ...history, events: [event, ...history.events].slice(0, historyLimit) } });
    }
  }

  function subscribe() {
    unsubscribe = subscribeChanges(
      client,
      {
        onEvent,
        onDesiredState: (row) => queueChange({ desiredState: row }),
        onStatus(status) {
          if (!running) return;
          const wasUp = realtimeUp;
          realtimeUp = status === 'live';
          setState({ connection: realtimeUp ? 'live' : 'polling' });
          // Back from a disconnect: whatever happened meanwhile comes from one REST read.
          if (realtimeUp && !wasUp) void refresh().catch(() => undefined);
          schedulePoll();
        },
      },
      { channel: 'agent-dashboard', desiredState: true },
    );
  }

  async function command(route: CommandRoute, target?: { id: string; name: string }): Promise<boolean> {
    const commandName: AgentCommand = isForAll(route) ? FOR_ALL[route] : route;
    const ids = target ? [target.id] : [...state.agents.order];
    updateAgents((agents) => markOptimistic(agents, ids, commandName));
    if (!target) setState({ bulkError: null });
    const outcome = await worded(
      isForAll(route) ? sendCommandToAll(client, FOR_ALL[route]) : sendCommand(client, route, target?.name ?? []),
    );
    if (outcome.ok) {
      updateAgents((agents) => applyCommandAnswers(agents, ids, outcome.value, commandName));
      return true;
    }
    updateAgents((agents) => rollbackOptimistic(agents, ids, target ? outcome.error.message : null));
    if (!target) setState({ bulkError: outcome.error.message });
    return false;
  }

  /** A command for a chosen set of agents: one request ({ agent_names }), one set-based statement. */
  async function commandMany(commandName: AgentCommand, ids: readonly string[]): Promise<boolean> {
    const names = ids.map((id) => state.agents.byId[id]?.agent_name).filter((name): name is string => Boolean(name));
    if (!names.length) return true;
    updateAgents((agents) => markOptimistic(agents, ids, commandName));
    setState({ bulkError: null });
    const outcome = await worded(sendCommand(client, commandName, names));
    if (outcome.ok) {
      updateAgents((agents) => applyCommandAnswers(agents, ids, outcome.value, commandName));
      return true;
    }
    updateAgents((agents) => rollbackOptimistic(agents, ids, null));
    setState({ bulkError: outcome.error.message });
    return false;
  }

  // Availability changes slowly (minutes): one fleet-wide query a minute, not per event.
  async function refreshAvailability(): Promise<void> {
    const { data, error } = await client.rpc('fleet_availability', undefined, { get: true });
    if (!running || error || !data || typeof data !== 'object') return;
    setState({ availability: data });
  }

  // Schedules: read at start, after a change, after a schedule acts, and just after the soonest next
  // change (what each says now and next is the database's answer, as time passes).
  let schedulesRead: Promise<void> | null = null;
  function refreshSchedules(): Promise<void> {
    schedulesRead ??= readSchedules(client)
      .then((result) => {
        if (!running) return;
        setState({
          schedules: result.ok
            ? { rows: result.value, error: null }
            : { rows: state.schedules.rows, error: failureMessage(result.error) },
        });
        armSchedulesTimer();
      })
      .finally(() => {
        schedulesRead = null;
      });
    return schedulesRead;
  }

  function armSchedulesTimer() {
    if (schedulesTimer) clearTimeout(schedulesTimer);
    if (!running) return;
    const soonest = Math.min(
      ...(state.schedules.rows ?? [])
        .filter((s) => s.enabled && s.next_change_at)
        .map((s) => Date.parse(s.next_change_at as string)),
    );
    // A few seconds after the change: the job acts within its minute.
    const wait = Number.isFinite(soonest) ? Math.max(soonest - now() + 5_000, 5_000) : schedulesPollMs;
    schedulesTimer = setTimeout(() => void refreshSchedules().catch(() => undefined), Math.min(wait, schedulesPollMs));
  }

  async function openHistory(agentId: string) {
    setState({ history: { agentId, events: [], loading: true, error: null } });
    const { data, error } = await client
      .from('agent_events')
      .select('*')
      .eq('agent_id', agentId)
      .order('created_at', { ascending: false })
      .order('id', { ascending: false })
      .limit(historyLimit);
    if (state.history?.agentId !== agentId) return;
    // Live events that arrived during the read are kept.
    const live = state.history.events;
    const fetched = data ?? [];
    const merged = [...live.filter((e) => !fetched.some((f) => f.id === e.id)), ...fetched];
    setState({ history: { agentId, events: merged, loading: false, error: error ? describeReadError(error) : null } });
  }

  /** The agent's availability bar over `window`; a later open (another agent or window) wins. */
  async function openAvailabilityBar(agentId: string, window: AvailabilityWindow): Promise<void> {
    setState({ availabilityBar: { agentId, window, buckets: null, error: null } });
    const { data, error } = await client.rpc(
      'agent_availability_bar',
      { p_agent_id: agentId, p_window: window },
      { get: true },
    );
    const open = state.availabilityBar;
    if (open?.agentId !== agentId || open.window !== window) return;
    setState({ availabilityBar: { agentId, window, buckets: data ?? [], error: error ? error.message : null } });
  }

  const nameOf = (agentId: string) => state.agents.byId[agentId]?.agent_name;
  const GONE = 'This agent no longer exists.';

  /** Mutes the agent's alerts until `until` (null unmutes). The failure's words, or null. */
  async function mute(agentId: string, until: Date | null): Promise<string | null> {
    const name = nameOf(agentId);
    if (name === undefined) return GONE;
    const result = await muteAgent(client, name, until);
    if (!result.ok) return result.error.message;
    updateAgents((agents) => patchAgent(agents, agentId, { muted_until: result.value }));
    return null;
  }

  /** Adds and removes tags on the agents, in one request. The failure's words, or null. */
  async function tag(agentIds: readonly string[], change: { add?: string[]; remove?: string[] }) {
    const idByName = new Map<string, string>();
    for (const id of agentIds) {
      const name = nameOf(id);
      if (name !== undefined) idByName.set(name, id);
    }
    if (idByName.size === 0) return GONE;
    const result = await tagAgents(client, [...idByName.keys()], change);
    if (!result.ok) return result.error.message;
    updateAgents((agents) =>
      result.value.reduce((next, tagged) => {
        const id = idByName.get(tagged.agent_name);
        return id ? patchAgent(next, id, { tags: tagged.tags }) : next;
      }, agents),
    );
    return null;
  }

  /** Changes the agent's settings (and name); the agent shows the answer at once. */
  async function changeSettings(agentId: string, change: SettingsChange): Promise<Result<AgentSettings>> {
    const name = nameOf(agentId);
    if (name === undefined) return { ok: false, error: { code: 'not_found', message: GONE, status: 404 } };
    const result = await updateAgent(client, name, change);
    if (result.ok) {
      const { id: _id, ...settings } = result.value;
      updateAgents((agents) => patchAgent(agents, agentId, settings));
    }
    return result;
  }

  /** Deletes the agent; it is gone from the fleet at once. The failure's words, or null. */
  async function remove(agentId: string): Promise<string | null> {
    const name = nameOf(agentId);
    if (name === undefined) return null;
    const result = await deleteAgent(client, name);
    if (!result.ok) return result.error.message;
    updateAgents((agents) => removeAgent(agents, agentId));
    return null;
  }

  /** Adds an agent; the fleet is read again for its row. */
  async function add(agentName: string, settings: AgentSettingsChange): Promise<Result<CreatedAgent>> {
    const result = await createAgent(client, agentName, settings);
    if (result.ok) await refresh().catch(() => undefined);
    return result;
  }

  // Back online or back to the tab: reconcile at once instead of waiting for the next poll.
  const refreshNow = () => {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
    void refresh().catch(() => undefined);
  };

  return {
    getState: () => state,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      if (started) return;
      started = true;
      running = true;
      globalThis.addEventListener?.('online', refreshNow);
      globalThis.document?.addEventListener('visibilitychange', refreshNow);
      subscribe();
      await readFirst();
      schedulePoll();
      void refreshAvailability().catch(() => undefined);
      availabilityTimer = setInterval(() => void refreshAvailability().catch(() => undefined), availabilityPollMs);
      void refreshSchedules().catch(() => undefined);
    },
    async stop() {
      running = false;
      started = false;
      firstRead = null; // a store started again reads the fleet again
      globalThis.removeEventListener?.('online', refreshNow);
      globalThis.document?.removeEventListener('visibilitychange', refreshNow);
      if (pollTimer) clearTimeout(pollTimer);
      pollTimer = null;
      if (availabilityTimer) clearInterval(availabilityTimer);
      availabilityTimer = null;
      if (schedulesTimer) clearTimeout(schedulesTimer);
      schedulesTimer = null;
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
      queued = [];
      await unsubscribe?.();
      unsubscribe = null;
    },
    refresh,
    /**
     * Sends the first reads at once, without the Realtime join or the timers (start() does those and
     * waits for these reads): the page calls it before its first paint, start() after it.
     */
    readFirst: () => void readFirst(),
    /** The agent whose page is open (null: none): its whole row is read now and at each poll. */
    openAgent(agentId: string | null) {
      if (agentId === openId) return;
      openId = agentId;
      if (agentId) void readRows([agentId]).catch(() => undefined);
    },
    /** The agents a view shows now (the table's rows on screen): what a live poll of a large fleet reads. */
    watchRows(ids: readonly string[]) {
      watched = ids;
    },
    command,
    commandMany,
    refreshAvailability,
    refreshSchedules,
    /** Calls `listener` with every agent event pushed by Realtime; returns the unsubscribe. */
    onEvents(listener: (event: AgentEventRow) => void) {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    },
    openHistory,
    closeHistory: () => setState({ history: null }),
    dismissError: (agentId: string) => updateAgents((agents) => clearCommandError(agents, agentId)),
    openAvailabilityBar,
    mute,
    tag,
    changeSettings,
    remove,
    add,
  };
}

function describeReadError(error: { message?: string; code?: string }): string {
  if (error.code === 'unreachable' || /fetch|network/i.test(error.message ?? ''))
    return 'Cannot reach the backend; retrying.';
  return error.message || 'Could not load agents.';
}
