// Domain facts, defined once for TypeScript. Each mirrors the SQL named beside it (the one source);
// tests/integration/domain-facts.test.ts checks every one against the live schema.
import { Constants } from './database.types.ts';
import type { AgentStatus, DesiredState } from './types.ts';

/** Enum agent_run_status, in the schema's order. */
export const AGENT_STATUSES: readonly AgentStatus[] = Constants.public.Enums.agent_run_status;
/** What the dashboard and the CLI show: a status, or offline when the server has not heard from the agent. */
export type DisplayState = AgentStatus | 'offline';
export const DISPLAY_STATES: readonly DisplayState[] = [...AGENT_STATUSES, 'offline'];
/** Enum desired_state, in the schema's order. */
export const DESIRED_STATES: readonly DesiredState[] = Constants.public.Enums.desired_state;
/** Enum agent_event_kind, in the schema's order. */
export const AGENT_EVENT_KINDS = Constants.public.Enums.agent_event_kind;
/** Enum agent_command. */
export const AGENT_COMMANDS = Constants.public.Enums.agent_command;

/** Constraint agent_name_max_100_chars (characters = code points). */
export const AGENT_NAME_MAX_LENGTH = 100;

/** Constraint description_max_1000_chars (characters = code points). */
export const AGENT_DESCRIPTION_MAX_LENGTH = 1000;
/** Constraint heartbeat_interval_between_1_and_3600. */
export const HEARTBEAT_INTERVAL_RANGE_SECONDS = { min: 1, max: 3600 } as const;
/** Constraint offline_after_between_1_and_86400 (null: OFFLINE_AFTER_MISSED_HEARTBEATS heartbeat intervals). */
export const OFFLINE_AFTER_RANGE_SECONDS = { min: 1, max: 86400 } as const;
/** Constraint label_max_100_chars of agent_tokens. */
export const TOKEN_LABEL_MAX_LENGTH = 100;

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
/**
 * Bulk commands and tags ({ agent_names: [...] }): at most this many names per request, in a body of at
 * most this many bytes (under the gateway's 1 MiB, with room for the function's own call to the RPC).
 * The dashboard splits a larger selection into several requests.
 */
export const MAX_BULK_AGENT_NAMES = 10_000;
export const MAX_BULK_REQUEST_BODY_BYTES = 768 * 1024;

/** app.tag_problem() and app.tags_are_valid() (constraint tags_valid): tag length and tags per agent. */
export const TAG_MAX_LENGTH = 40;
export const TAGS_MAX_PER_AGENT = 20;
/** A tag as app.tag_problem() accepts it: lower case, no whitespace or commas (length checked apart). */
export const TAG_PATTERN = /^[^\s,]+$/u;
/** The problem with a tag as app.tag_problem() words it, or null (after the RPC's trim and lower-casing). */
export function tagProblem(tag: string): string | null {
  if (tag === '') return 'a tag must not be empty';
  if ([...tag].length > TAG_MAX_LENGTH)
    return `tag "${[...tag].slice(0, TAG_MAX_LENGTH).join('')}…" is longer than ${TAG_MAX_LENGTH} characters`;
  if (!TAG_PATTERN.test(tag)) return `tag "${tag}" must not contain spaces or commas`;
  if (tag !== tag.toLowerCase()) return `tag "${tag}" must be lower case`;
  return null;
}
/** How the RPC normalises a tag before checking it: trimmed, lower case. */
export const normalizeTag = (tag: string) => tag.trim().toLowerCase();

/** The windows of fleet_availability() (in its answer's order) and agent_availability_bar(). */
export const AVAILABILITY_WINDOWS = ['24h', '7d', '30d'] as const;
export type AvailabilityWindow = (typeof AVAILABILITY_WINDOWS)[number];
/** app.events_kept_per_agent(), prune_agent_events' default: retention's per-agent count. */
export const EVENTS_KEPT_PER_AGENT = 1000;

/** app.alert_event_names(): the events an alert channel may subscribe to. */
export const ALERT_EVENTS = [
  'offline',
  'online',
  'error',
  'warning',
  'recovered',
  'stopped_unexpectedly',
  'command',
] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];
/** app.alert_default_events(): what a new channel gets when it names no events. */
export const DEFAULT_ALERT_EVENTS: readonly AlertEvent[] = ['offline', 'online', 'error', 'stopped_unexpectedly'];
/** Constraint alert_channel_name_max_100_chars. */
export const ALERT_CHANNEL_NAME_MAX_LENGTH = 100;
/** app.alert_max_attempts(): a delivery is failed after this many attempts. */
export const ALERT_MAX_ATTEMPTS = 8;
/** The alerts cron jobs (supabase/schemas/90_schedules.sql): the dispatcher's call every 10 s, reminders every minute. */
export const DISPATCH_ALERTS_JOB_NAME = 'agent-status-dispatch-alerts';
export const DISPATCH_ALERTS_INTERVAL_SECONDS = 10;
export const REPEAT_ALERTS_JOB_NAME = 'agent-status-repeat-alerts';
/** Every cron job of the project (supabase/schemas/90_schedules.sql); `agent-status doctor` expects each. */
export const SCHEDULED_JOB_NAMES = [
  'agent-status-dispatch-alerts',
  'agent-status-prune-events',
  'agent-status-prune-job-history',
  'agent-status-prune-metrics',
  'agent-status-repeat-alerts',
  'agent-status-run-schedules',
  'agent-status-sweep-offline',
] as const;
/** Where scheduled jobs find the project (Supabase's documented Vault names for scheduling an Edge Function). */
export const VAULT_PROJECT_URL = 'project_url';
export const VAULT_SECRET_KEY = 'secret_key';

/** The levels of a log line, lowest first (app.crash_log_lines() keeps these; the SDKs' LOG_LEVELS). */
export const LOG_LEVELS = ['info', 'warn', 'error'] as const;
/** app.crash_log_max_lines(): the last lines kept with an error's event. */
export const CRASH_LOG_MAX_LINES = 50;
/** The private Realtime topic of an agent's live log (app.log_topic()). */
export const logTopic = (agentId: string) => `agent-logs:${agentId}`;
/** watch_agent_logs' default watch (p_seconds), and how often a viewer renews it. */
export const LOG_WATCH_SECONDS = 30;
export const LOG_WATCH_RENEW_MS = 10_000;
