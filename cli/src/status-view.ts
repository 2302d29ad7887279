// One line per agent — name, state, health, heartbeat age, uptime, desired state, pending — as text for
// people and as the stable JSON of `status --json` (docs/cli.md).
import { displayState, isPending } from '@agent-status/client';
import { type AgentOverviewRow, type DisplayState, OFFLINE_AFTER_MISSED_HEARTBEATS } from '@agent-status/domain';
import { duration } from './format.ts';
import { safe, type Output, type Style } from './output.ts';

export interface AgentJson {
  name: string;
  state: DisplayState;
  health: number;
  last_heartbeat: string | null;
  heartbeat_age_seconds: number | null;
  started_at: string | null;
  uptime_seconds: number | null;
  desired_state: 'running' | 'stopped';
  generation: number;
  observed_generation: number;
  pending: boolean;
  last_activity: string | null;
  last_error: string | null;
}

const STATE_STYLE: Record<DisplayState, Style[]> = {
  running: ['green'],
  warning: ['yellow'],
  error: ['red'],
  offline: ['red', 'bold'],
  stopped: ['gray'],
};

const secondsSince = (iso: string | null, nowMs: number) =>
  iso ? Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000)) : null;

export function agentJson(agent: AgentOverviewRow, serverNowMs: number): AgentJson {
  const state = displayState(agent);
  return {
    name: agent.agent_name,
    state,
    health: agent.health,
    last_heartbeat: agent.last_heartbeat,
    heartbeat_age_seconds: secondsSince(agent.last_heartbeat, serverNowMs),
    started_at: agent.started_at,
    uptime_seconds: state === 'stopped' || state === 'offline' ? null : secondsSince(agent.started_at, serverNowMs),
    desired_state: agent.desired_state,
    generation: agent.generation,
    observed_generation: agent.observed_generation,
    pending: isPending(agent),
    last_activity: agent.last_activity,
    last_error: agent.last_error,
  };
}

/**
 * The heartbeat column. Heartbeats are not pushed (each one would be a metered Realtime message), so a
 * live view only knows the last heartbeat it read. For an agent the server has not marked offline,
 * once that reading is older than one interval the column says what is certain: it reported within its
 * offline threshold (the server's sweep would have sent the offline event otherwise).
 */
function heartbeatCell(agent: AgentOverviewRow, json: AgentJson, live: boolean): string {
  if (json.heartbeat_age_seconds === null) return '—';
  const reporting = json.state !== 'offline' && json.state !== 'stopped';
  const offlineAfter =
    agent.effective_offline_after_seconds ?? agent.heartbeat_interval_seconds * OFFLINE_AFTER_MISSED_HEARTBEATS;
  if (live && reporting && json.heartbeat_age_seconds > agent.heartbeat_interval_seconds + 2)
    return `< ${duration(offlineAfter)} ago`;
  return `${duration(json.heartbeat_age_seconds)} ago`;
}

export function statusTable(out: Output, agents: AgentOverviewRow[], serverNowMs: number, live = false): string[] {
  const rows = agents.map((agent) => {
    const json = agentJson(agent, serverNowMs);
    return [
      safe(json.name),
      out.style(json.state, ...STATE_STYLE[json.state]),
      String(json.health),
      heartbeatCell(agent, json, live),
      json.uptime_seconds === null ? '—' : duration(json.uptime_seconds),
      json.desired_state,
      json.pending ? out.style('pending', 'yellow') : '—',
    ];
  });
  if (rows.length === 0) return ['No agents.'];
  return out.table(['NAME', 'STATE', 'HEALTH', 'HEARTBEAT', 'UPTIME', 'DESIRED', 'COMMAND'], rows, [
    'left',
    'left',
    'right',
  ]);
}
