// Domain facts, defined once for TypeScript. Each mirrors the SQL named beside it (the one source);
// tests/integration/domain-facts.test.ts checks every one against the live schema.
import { Constants } from './database.types.ts';
import type { AgentStatus } from './types.ts';

/** Enum agent_run_status, in the schema's order. */
export const AGENT_STATUSES: readonly AgentStatus[] = Constants.public.Enums.agent_run_status;
/** What the dashboard and the CLI show: a status, or offline when the server has not heard from the agent. */
export type DisplayState = AgentStatus | 'offline';
export const DISPLAY_STATES: readonly DisplayState[] = [...AGENT_STATUSES, 'offline'];

/** Constraint agent_name_max_100_chars (characters = code points). */
export const AGENT_NAME_MAX_LENGTH = 100;

/** Default of agent_status.heartbeat_interval_seconds. */
export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 10;
/** app.offline_after_seconds(): silent for this many heartbeat intervals (unless the agent sets its own grace) is offline. */
export const OFFLINE_AFTER_MISSED_HEARTBEATS = 3;
/** The schedule of the sweep (cron job agent-status-sweep-offline). */
export const SWEEP_INTERVAL_SECONDS = 10;
export const SWEEP_JOB_NAME = 'agent-status-sweep-offline';

export type HealthBand = 'healthy' | 'degraded' | 'critical';
/** app.health_band(): a move between bands is an event; jitter inside one is not. */
export function healthBand(health: number): HealthBand {
  return health >= 80 ? 'healthy' : health >= 40 ? 'degraded' : 'critical';
}

/** The largest request body the Edge Functions read (413 above it; docs/api.md). */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024;
