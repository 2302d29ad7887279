// The agents' own numbers on the dashboard: the open agent's metrics with their history (its tiles),
// read again every heartbeat interval of that agent while its page is open, and the metric columns the
// user chose for the fleet table, read with the fleet (every 10 s) while the table shows them. Nothing is
// read while nobody looks: an agent page closed, no column chosen. Which columns are chosen is kept in
// localStorage, per browser.
import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS } from '@agent-status/domain';
import {
  METRIC_WINDOWS,
  readAgentMetrics,
  readFleetMetrics,
  type AgentMetrics,
  type FleetMetrics,
} from '../lib/metrics.ts';
import type { DashboardClient } from '../lib/supabase.ts';

export type AgentMetricsView = {
  agentName: string;
  minutes: number;
  data: AgentMetrics | null;
  error: string | null;
};

export type MetricsState = {
  /** The open agent's metrics; null while no agent page is open. */
  agent: AgentMetricsView | null;
  /** Every metric name the fleet reports (for choosing columns), with how many agents do. */
  names: FleetMetrics['metrics'];
  /** The chosen columns' latest values, by agent id. */
  values: FleetMetrics['values'];
  /** The metric columns of the fleet table, in the order chosen. */
  columns: readonly string[];
  fleetError: string | null;
};

export type MetricsStoreOptions = {
  /** How often the chosen columns are read. Default: the default heartbeat interval (the fleet's pace). */
  fleetPollMs?: number;
  /** How often the list of metric names is read. Default 60 s. */
  namesPollMs?: number;
  /** Bounds of an agent page's pace, which follows the agent's heartbeat interval. */
  minAgentPollMs?: number;
  maxAgentPollMs?: number;
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
};

export const COLUMNS_KEY = 'agent-status.metric-columns';
/** How many metric columns the table shows at most. */
export const MAX_METRIC_COLUMNS = 5;

export type MetricsStore = ReturnType<typeof createMetricsStore>;

export function createMetricsStore(client: DashboardClient, options: MetricsStoreOptions = {}) {
  const {
    fleetPollMs = DEFAULT_HEARTBEAT_INTERVAL_SECONDS * 1000,
    namesPollMs = 60_000,
    minAgentPollMs = 2_000,
    maxAgentPollMs = 30_000,
    storage = globalThis.localStorage ?? null,
  } = options;
  let state: MetricsState = { agent: null, names: [], values: {}, columns: loadColumns(storage), fleetError: null };
  const listeners = new Set<() => void>();
  const setState = (patch: Partial<MetricsState>) => {
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
  };

  // --- the open agent -------------------------------------------------------------------------------
  let agentTimer: ReturnType<typeof setTimeout> | null = null;
  let agentPollMs = minAgentPollMs;
  let watching: string | null = null;

  async function readAgent() {
    const current = state.agent;
    if (!current) return;
    const result = await readAgentMetrics(client, current.agentName, current.minutes);
    // Only the answer for what is still asked lands (the page may have moved on meanwhile).
    if (state.agent?.agentName !== current.agentName || state.agent.minutes !== current.minutes) return;
    setState({
      agent: result.ok
        ? { ...state.agent, data: result.value, error: null }
        : { ...state.agent, error: result.error.message },
    });
  }

  function scheduleAgent() {
    if (agentTimer) clearTimeout(agentTimer);
    agentTimer = null;
    if (!watching) return;
    agentTimer = setTimeout(async () => {
      await readAgent().catch(() => undefined);
      scheduleAgent();
    }, agentPollMs);
  }

  /**
   * Reads an agent's metrics now and again every heartbeat interval (a new value arrives with a
   * heartbeat), until the returned function is called.
   */
  function watchAgent(agentName: string, heartbeatIntervalSeconds = DEFAULT_HEARTBEAT_INTERVAL_SECONDS) {
    agentPollMs = Math.min(maxAgentPollMs, Math.max(minAgentPollMs, heartbeatIntervalSeconds * 1000));
    if (watching !== agentName || !state.agent) {
      watching = agentName;
      setState({
        agent: { agentName, minutes: state.agent?.minutes ?? METRIC_WINDOWS[0].minutes, data: null, error: null },
      });
      void readAgent().catch(() => undefined);
    }
    scheduleAgent();
    return () => {
      if (watching !== agentName) return;
      watching = null;
      if (agentTimer) clearTimeout(agentTimer);
      agentTimer = null;
      setState({ agent: null });
    };
  }

  /** The history window of the open agent's sparklines. */
  function setWindow(minutes: number) {
    if (!state.agent || state.agent.minutes === minutes) return;
    setState({ agent: { ...state.agent, minutes } });
    void readAgent().catch(() => undefined);
  }

  // --- the fleet table's columns --------------------------------------------------------------------
  let fleetTimer: ReturnType<typeof setInterval> | null = null;
  let namesTimer: ReturnType<typeof setInterval> | null = null;

  async function refreshNames() {
    const result = await readFleetMetrics(client, state.columns);
    if (!result.ok) return setState({ fleetError: result.error.message });
    setState({ names: result.value.metrics, values: result.value.values, fleetError: null });
  }

  async function refreshValues() {
    if (state.columns.length === 0) return;
    const asked = state.columns;
    const result = await readFleetMetrics(client, asked);
    if (state.columns !== asked) return;
    if (!result.ok) return setState({ fleetError: result.error.message });
    setState({ values: result.value.values, fleetError: null });
  }

  function setColumns(columns: readonly string[]) {
    const next = [...new Set(columns)].slice(0, MAX_METRIC_COLUMNS);
    setState({ columns: next });
    saveColumns(storage, next);
    void refreshValues().catch(() => undefined);
  }

  /** While the table is shown: names now and every minute, the chosen columns' values every fleet poll. */
  function showTable() {
    if (fleetTimer) return () => undefined;
    void refreshNames().catch(() => undefined);
    namesTimer = setInterval(() => void refreshNames().catch(() => undefined), namesPollMs);
    fleetTimer = setInterval(() => void refreshValues().catch(() => undefined), fleetPollMs);
    return () => {
      if (fleetTimer) clearInterval(fleetTimer);
      if (namesTimer) clearInterval(namesTimer);
      fleetTimer = namesTimer = null;
    };
  }

  return {
    getState: () => state,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    watchAgent,
    setWindow,
    setColumns,
    showTable,
    refreshNames,
    stop() {
      if (agentTimer) clearTimeout(agentTimer);
      if (fleetTimer) clearInterval(fleetTimer);
      if (namesTimer) clearInterval(namesTimer);
      agentTimer = fleetTimer = namesTimer = null;
      watching = null;
    },
  };
}

function loadColumns(storage: MetricsStoreOptions['storage']): string[] {
  try {
    const saved = JSON.parse(storage?.getItem(COLUMNS_KEY) ?? '[]');
    return Array.isArray(saved)
      ? saved.filter((c): c is string => typeof c === 'string').slice(0, MAX_METRIC_COLUMNS)
      : [];
  } catch {
    return [];
  }
}

function saveColumns(storage: MetricsStoreOptions['storage'], columns: readonly string[]) {
  try {
    storage?.setItem(COLUMNS_KEY, JSON.stringify(columns));
  } catch {
    // A full or disabled storage only means the choice is not remembered.
  }
}
