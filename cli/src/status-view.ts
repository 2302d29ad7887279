// One line per agent — name, state, health, heartbeat age, uptime, desired state, pending — as text for
// people and as the stable JSON of `status --json` (docs/cli.md).
import { isPending, stateOf, type Agent, type AgentState } from './fleet.ts';
import { duration } from './format.ts';
import { safe, type Output, type Style } from './output.ts';

export interface AgentJson {
  name: string;
  state: AgentState;
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

const STATE_STYLE: Record<AgentState, Style[]> = {
  running: ['green'],
  warning: ['yellow'],
  error: ['red'],
  offline: ['red', 'bold'],
  stopped: ['gray'],
};

const secondsSince = (iso: string | null, nowMs: number) =>
  iso ? Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000)) : null;

export function agentJson(agent: Agent, serverNowMs: number): AgentJson {
  const state = stateOf(agent);
  return {
    name: agent.name,
    state,
    health: agent.health,
    last_heartbeat: agent.lastHeartbeat,
    heartbeat_age_seconds: secondsSince(agent.lastHeartbeat, serverNowMs),
    started_at: agent.startedAt,
    uptime_seconds: state === 'stopped' || state === 'offline' ? null : secondsSince(agent.startedAt, serverNowMs),
    desired_state: agent.desiredState,
    generation: agent.generation,
    observed_generation: agent.observedGeneration,
    pending: isPending(agent),
    last_activity: agent.lastActivity,
    last_error: agent.lastError,
  };
}

/**
 * The heartbeat column. Heartbeats are not pushed (each one would be a metered Realtime message), so a
 * live view only knows the last heartbeat it read. For an agent the server has not marked offline,
 * once that reading is older than one interval the column says what is certain: it reported within its
 * offline threshold (the server's sweep would have sent the offline event otherwise).
 */
function heartbeatCell(agent: Agent, json: AgentJson, live: boolean): string {
  if (json.heartbeat_age_seconds === null) return '—';
  const reporting = json.state !== 'offline' && json.state !== 'stopped';
  if (live && reporting && json.heartbeat_age_seconds > agent.heartbeatIntervalSeconds + 2)
    return `< ${duration(agent.offlineAfterSeconds)} ago`;
  return `${duration(json.heartbeat_age_seconds)} ago`;
}

export function statusTable(out: Output, agents: Agent[], serverNowMs: number, live = false): string[] {
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
