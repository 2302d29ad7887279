// The facts the SDK shares with the database, and its own defaults. The SDK is installed on its own,
// outside this repository: of @agent-status/domain it takes only the `Database` type (its build ships
// that type's declarations in dist/), and keeps its own copy of the schema's values;
// tests/integration/domain-facts.test.ts checks each against the live schema.
import type { Database } from '@agent-status/domain';

type Enums = Database['public']['Enums'];
export type ReportKind = Enums['agent_report_kind'];
export type DesiredState = Enums['desired_state'];
export type AgentCommand = Enums['agent_command'];
export type AgentStatus = Enums['agent_run_status'];

/**
 * The status a report of each kind sets (agent_report): what a worker's heartbeats restate afterwards
 * (p_info.state), so a row that a one-shot report changed behind the worker's back heals.
 */
export const STATUS_SET_BY: Readonly<Partial<Record<ReportKind, AgentStatus>>> = {
  started: 'running',
  recovered: 'running',
  warning: 'warning',
  error: 'error',
  stopped: 'stopped',
};

/** app.message_max_chars() for warnings and errors: longer messages are cut and marked, never rejected. */
export const MESSAGE_MAX_LENGTH = 2000;
/** app.message_max_chars('activity'). */
export const ACTIVITY_MAX_LENGTH = 500;
/** The marker app.bounded_text() ends a cut message with. */
export const TRUNCATION_MARKER = ' …[truncated]';

/** How many characters (code points) the database keeps of a message of this kind. */
export function messageMaxLength(kind: ReportKind): number {
  return kind === 'activity' ? ACTIVITY_MAX_LENGTH : MESSAGE_MAX_LENGTH;
}

/** app.default_health(): the health a report sets when the caller names none. */
export const DEFAULT_HEALTH: Readonly<Partial<Record<ReportKind, number>>> = {
  started: 100,
  recovered: 100,
  warning: 75,
  error: 30,
  stopped: 0,
};

/** Default of agent_status.heartbeat_interval_seconds. */
export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 10;
/** How often a worker asks for its desired state while push wake-up is not working (the SDK's own choice). */
export const DEFAULT_POLL_INTERVAL_SECONDS = 2;

/** Custom metrics (app.metric_name_problem): a name is at most this many characters … */
export const METRIC_NAME_MAX_LENGTH = 64;
/** … starts with a lower-case letter and holds only lower-case letters, digits and underscores. */
export const METRIC_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
/** How many custom metrics an agent keeps at most (app.record_agent_metrics). */
export const METRICS_MAX_PER_AGENT = 20;
/** What agent_report answers when it refuses a report's custom metrics (HTTP 422): nothing of it was recorded. */
export const METRICS_REFUSED_CODE = 'PT422';

/** The problem with a metric name, worded as app.metric_name_problem() words it, or null. */
export function metricNameProblem(name: string): string | null {
  if (typeof name !== 'string' || name === '') return 'a metric name must not be empty';
  const chars = [...name];
  if (chars.length > METRIC_NAME_MAX_LENGTH)
    return `metric name "${chars.slice(0, METRIC_NAME_MAX_LENGTH).join('')}…" is longer than ${METRIC_NAME_MAX_LENGTH} characters`;
  if (!METRIC_NAME_PATTERN.test(name))
    return `metric name "${name}" must start with a lower-case letter and hold only lower-case letters, digits and underscores`;
  return null;
}

/** The problem with a metric value (app.metric_value_problem: finite, and what double precision holds), or null. */
export function metricValueProblem(name: string, value: number): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value))
    return `metric "${name}" must be a finite number, got ${String(value)}`;
  const magnitude = Math.abs(value);
  if (magnitude >= 1e308 || (value !== 0 && magnitude < 1e-307))
    return `metric "${name}" is out of range (0, or a magnitude from 1e-307 to 1e308), got ${value}`;
  return null;
}

/** The levels of a log line, lowest first. */
export const LOG_LEVELS = ['info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** app.log_line_max_chars(): a log line's text, in characters (code points); longer ones are cut and marked. */
export const LOG_LINE_MAX_LENGTH = 2000;
/** app.log_batch_max_bytes(): one batch of live lines as JSON, in bytes (publish_agent_logs refuses more). */
export const LOG_BATCH_MAX_BYTES = 65_536;
/** app.crash_log_max_lines() and app.crash_log_max_bytes(): the last lines kept with an error's event. */
export const CRASH_LOG_MAX_LINES = 50;
export const CRASH_LOG_MAX_BYTES = 16_384;
