// biome-ignore-all lint/style/noNonNullAssertion: agent_overview's columns are NOT NULL, but views are typed nullable
// The fleet as the CLI shows it: agent_overview read in pages (PostgREST caps a response at max_rows),
// ages measured on the database's clock (its server_time), and kept current by the same Realtime
// changes the dashboard uses (agent_events inserts carry the agent's row as `snapshot`,
// agent_desired_state updates carry the desired state).
import type { Client } from './client.ts';
import { AGENT_STATUSES, DESIRED_STATES, type AgentOverviewRow, type Database } from '@agent-status/domain';
import { CliError } from './errors.ts';
import { restResult } from './remote.ts';

type Tables = Database['public']['Tables'];
export type AgentStatusRow = Tables['agent_status']['Row'];
export type DesiredStateRow = Tables['agent_desired_state']['Row'];
export type AgentEventRow = Tables['agent_events']['Row'];
export type { AgentOverviewRow };
export type AgentState = Database['public']['Enums']['agent_run_status'] | 'offline';

export interface Agent {
  id: string;
  name: string;
  status: Database['public']['Enums']['agent_run_status'];
  offline: boolean;
  health: number;
  lastHeartbeat: string | null;
  startedAt: string | null;
  /** What the agent last did (agent_status.last_activity). */
  lastActivity: string | null;
  lastError: string | null;
  lastWarning: string | null;
  description: string | null;
  tags: string[];
  desiredState: Database['public']['Enums']['desired_state'];
  generation: number;
  observedGeneration: number;
  heartbeatIntervalSeconds: number;
  offlineAfterSeconds: number;
  updatedAt: string;
}

export interface Fleet {
  agents: Map<string, Agent>;
  /** server clock − local clock, in ms, from the last read. */
  clockOffsetMs: number;
}

const PAGE = 1000;
// One literal, so that supabase-js types the rows from it.
const COLUMNS =
  'id, agent_name, status, offline, health, last_heartbeat, started_at, last_activity, last_error, last_warning, description, tags, desired_state, generation, observed_generation, heartbeat_interval_seconds, effective_offline_after_seconds, updated_at, server_time';

type FleetColumns = Pick<
  AgentOverviewRow,
  | 'id'
  | 'agent_name'
  | 'status'
  | 'offline'
  | 'health'
  | 'last_heartbeat'
  | 'started_at'
  | 'last_activity'
  | 'last_error'
  | 'last_warning'
  | 'description'
  | 'tags'
  | 'desired_state'
  | 'generation'
  | 'observed_generation'
  | 'heartbeat_interval_seconds'
  | 'effective_offline_after_seconds'
  | 'updated_at'
>;

/** An agent_overview row as the CLI models an agent. */
export function agentFromRow(row: FleetColumns): Agent {
  return {
    id: row.id!,
    name: row.agent_name!,
    status: known(AGENT_STATUSES, row.status, 'state'),
    offline: row.offline!,
    health: row.health!,
    lastHeartbeat: row.last_heartbeat,
    startedAt: row.started_at,
    lastActivity: row.last_activity,
    lastError: row.last_error,
    lastWarning: row.last_warning,
    description: row.description,
    tags: row.tags ?? [],
    desiredState: known(DESIRED_STATES, row.desired_state, 'desired state'),
    generation: row.generation!,
    observedGeneration: row.observed_generation!,
    heartbeatIntervalSeconds: row.heartbeat_interval_seconds!,
    offlineAfterSeconds: row.effective_offline_after_seconds!,
    updatedAt: row.updated_at!,
  };
}

export const stateOf = (agent: Pick<Agent, 'status' | 'offline'>): AgentState =>
  agent.offline ? 'offline' : agent.status;
export const isPending = (agent: Agent) => agent.generation > agent.observedGeneration;

export async function readFleet(client: Client): Promise<Fleet> {
  const agents = new Map<string, Agent>();
  let clockOffsetMs = 0;
  for (let from = 0; ; from += PAGE) {
    const requestedAt = Date.now();
    const rows = restResult(
      await client
        .from('agent_overview')
        .select(COLUMNS)
        .order('agent_name')
        .order('id')
        .range(from, from + PAGE - 1),
      'reading agents',
    );
    for (const row of rows) {
      agents.set(row.id!, agentFromRow(row));
      if (row.server_time) clockOffsetMs = Date.parse(row.server_time) - (requestedAt + Date.now()) / 2;
    }
    if (rows.length < PAGE) break;
  }
  return { agents, clockOffsetMs };
}

/** A value the CLI can show, or a clear failure: a newer or hostile server may answer anything. */
function known<T extends string>(values: readonly T[], value: unknown, what: string): T {
  if (values.includes(value as T)) return value as T;
  throw new CliError(
    `unexpected answer from the server: an agent's ${what} "${String(value)}" (this CLI knows ${values.join(', ')})`,
    'unexpected_answer',
  );
}

const knownOr = <T extends string>(values: readonly T[], value: unknown, fallback: T): T =>
  values.includes(value as T) ? (value as T) : fallback;

/** An agent_events row from Realtime: its snapshot is the agent's row after the transition. Null = unknown agent. */
export function applyEvent(agent: Agent | undefined, event: Pick<AgentEventRow, 'snapshot'>): Agent | null | undefined {
  const row = event.snapshot as Partial<AgentStatusRow> | null;
  if (!row) return agent; // a command event: the desired-state update carries it
  if (!agent) return null;
  if (row.updated_at && Date.parse(row.updated_at) < Date.parse(agent.updatedAt)) return agent; // an older view
  return {
    ...agent,
    name: row.agent_name ?? agent.name,
    status: knownOr(AGENT_STATUSES, row.status, agent.status),
    offline: row.offline ?? agent.offline,
    health: row.health ?? agent.health,
    lastHeartbeat: row.last_heartbeat !== undefined ? row.last_heartbeat : agent.lastHeartbeat,
    startedAt: row.started_at !== undefined ? row.started_at : agent.startedAt,
    lastActivity: row.last_activity !== undefined ? row.last_activity : agent.lastActivity,
    lastError: row.last_error !== undefined ? row.last_error : agent.lastError,
    lastWarning: row.last_warning !== undefined ? row.last_warning : agent.lastWarning,
    description: row.description !== undefined ? row.description : agent.description,
    tags: row.tags ?? agent.tags,
    observedGeneration: row.observed_generation ?? agent.observedGeneration,
    heartbeatIntervalSeconds: row.heartbeat_interval_seconds ?? agent.heartbeatIntervalSeconds,
    updatedAt: row.updated_at ?? agent.updatedAt,
  };
}

export function applyDesiredState(agent: Agent, row: Partial<DesiredStateRow>): Agent {
  return {
    ...agent,
    desiredState: knownOr(DESIRED_STATES, row.desired_state, agent.desiredState),
    generation: row.generation ?? agent.generation,
  };
}

/** Looks an agent up by its exact name; null when there is none. */
export async function findAgent(client: Client, name: string): Promise<{ id: string; name: string } | null> {
  const rows = restResult(
    await client.from('agent_status').select('id, agent_name').eq('agent_name', name).limit(1),
    'looking up the agent',
  );
  return rows[0] ? { id: rows[0].id, name: rows[0].agent_name } : null;
}
