// Domain facts, defined once. Enumerations come from the database schema through the generated
// types; numbers that the schema also enforces name the constraint they mirror.
import { Constants, type Database } from './database.types.ts';

type PublicSchema = Database['public'];
export type AgentStatus = PublicSchema['Enums']['agent_run_status'];
export type DesiredState = PublicSchema['Enums']['desired_state'];
export type AgentCommand = PublicSchema['Enums']['agent_command'];
export type ReportKind = PublicSchema['Enums']['agent_report_kind'];
export type EventKind = PublicSchema['Enums']['agent_event_kind'];
export type AgentStatusRow = PublicSchema['Tables']['agent_status']['Row'];
export type AgentOverviewRow = PublicSchema['Views']['agent_overview']['Row'];
export type AgentEventRow = PublicSchema['Tables']['agent_events']['Row'];
export type DesiredStateRow = PublicSchema['Tables']['agent_desired_state']['Row'];

export const AGENT_STATUSES: readonly AgentStatus[] = Constants.public.Enums.agent_run_status;
export const DESIRED_STATES: readonly DesiredState[] = Constants.public.Enums.desired_state;
export const AGENT_COMMANDS: readonly AgentCommand[] = Constants.public.Enums.agent_command;
export const REPORT_KINDS: readonly ReportKind[] = Constants.public.Enums.agent_report_kind;
export const EVENT_KINDS: readonly EventKind[] = Constants.public.Enums.agent_event_kind;

/** Mirrors constraint agent_name_max_100_chars. */
export const AGENT_NAME_MAX_LENGTH = 100;
/** Mirrors app.bounded_text(): longer messages are cut and marked, never rejected. */
export const MESSAGE_MAX_LENGTH = 2000;
export const TRUNCATION_MARKER = ' …[truncated]';
/** Mirrors the default of agent_status.heartbeat_interval_seconds. */
export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 10;
/** How often a worker asks for its desired state while push wake-up is not working (the SDK's default). */
export const DEFAULT_POLL_INTERVAL_SECONDS = 2;
/** An agent is offline after this many missed heartbeat intervals (sweep_offline_agents). */
export const OFFLINE_AFTER_MISSED_HEARTBEATS = 3;
/** How often the stack's scheduler runs the sweep; pg_cron's schedule on hosted Supabase says the same. */
export const SWEEP_INTERVAL_SECONDS = 10;

/** Mirrors app.health_band(). */
export type HealthBand = 'healthy' | 'degraded' | 'critical';
export function healthBand(health: number): HealthBand {
  return health >= 80 ? 'healthy' : health >= 40 ? 'degraded' : 'critical';
}

/** Edge Function `agents`: the largest request body it reads. */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024;
