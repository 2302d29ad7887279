// Names for the schema's types that the packages use, from the corrected `Database` (database.ts).
import type { AgentSettings, CommandAnswer, Database, TaggedAgent } from './database.ts';

export type {
  AgentOverviewRow,
  AgentSettings,
  AgentStatusRow,
  AlertSendResult,
  Availability,
  AvailabilityBucket,
  BadgeState,
  CommandAnswer,
  CompactFleet,
  CrashLogLine,
  Database,
  FleetAvailability,
  Json,
  LogBatch,
  LogLevel,
  LogLine,
  MetricsAgent,
  MetricsCustom,
  MetricsSnapshot,
  MetricSeries,
  AgentMetricSeries,
  FleetMetrics,
  TaggedAgent,
} from './database.ts';

type PublicSchema = Database['public'];
type Functions = PublicSchema['Functions'];
export type AgentStatus = PublicSchema['Enums']['agent_run_status'];
export type DesiredState = PublicSchema['Enums']['desired_state'];
export type AgentCommand = PublicSchema['Enums']['agent_command'];
export type ReportKind = PublicSchema['Enums']['agent_report_kind'];
export type MetricKind = PublicSchema['Enums']['agent_metric_kind'];
export type AgentEventRow = PublicSchema['Tables']['agent_events']['Row'];
export type DesiredStateRow = PublicSchema['Tables']['agent_desired_state']['Row'];
export type AlertChannelKind = PublicSchema['Enums']['alert_channel_kind'];
export type AlertDeliveryStatus = PublicSchema['Enums']['alert_delivery_status'];
export type AlertChannelRow = PublicSchema['Tables']['alert_channels']['Row'];
export type AlertChannelSummary = Functions['alert_channel_summaries']['Returns'][number];
export type AlertDeliveryRow = PublicSchema['Tables']['alert_deliveries']['Row'];
/** A row of claim_alert_deliveries(). */
export type ClaimedDelivery = Functions['claim_alert_deliveries']['Returns'][number];

/** The settings the registry takes (`agents` function /create and /update): a key left out is not changed. */
export type AgentSettingsChange = Partial<
  Pick<AgentSettings, 'description' | 'heartbeat_interval_seconds' | 'offline_after_seconds'>
>;
/** The `agents` function's answer to /create. */
export type CreatedAgent = Functions['create_agent']['Returns'][number];
/** The `agents` function's answer to /tokens/issue: the token is in it once, only its hash is stored. */
export type IssuedAgentToken = Functions['issue_agent_token']['Returns'][number];

// What the `agents` Edge Function answers on success (docs/api.md): the function builds these, the
// dashboard and the CLI read them.
/** A command for several or all agents: every commanded agent's answer, by name. */
export type CommandAnswers = { agents: CommandAnswer[] };
export type DeletedAgent = { agent_name: string; deleted: true };
export type RevokedAgentToken = { token_id: string; revoked: true };
export type TaggedAgents = { agents: TaggedAgent[] };
