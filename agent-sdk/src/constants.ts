// The facts the SDK shares with the database, and its own defaults. The SDK is installed on its own,
// outside this repository: of @agent-status/domain it takes only the `Database` type (its build ships
// that type's declarations in dist/), and keeps its own copy of the schema's values;
// tests/integration/domain-facts.test.ts checks each against the live schema.
import type { Database } from '@agent-status/domain';

type Enums = Database['public']['Enums'];
export type ReportKind = Enums['agent_report_kind'];
export type DesiredState = Enums['desired_state'];
export type AgentCommand = Enums['agent_command'];

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
