// The SDK's single door to the shared domain facts (limits, kinds, defaults), so no number is redefined here.
export {
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  DEFAULT_POLL_INTERVAL_SECONDS,
  MESSAGE_MAX_LENGTH,
  TRUNCATION_MARKER,
  REPORT_KINDS,
  type ReportKind,
  type DesiredState,
  type AgentCommand,
} from '../../supabase/functions/_shared/domain.ts';
