// The schema's types for supabase-js: what `supabase gen types` writes (database.types.ts, never edited
// by hand) with what the generator cannot know written here, once. `SupabaseClient<Database>` with this
// type answers every RPC with its real shape, so no caller casts an answer.
//   - A function that returns json or jsonb is generated as `Json`: here it gets the shape its SQL builds.
//   - A `returns table` column is generated as non-null: here the columns that may be null are nullable.
//   - agent_events.snapshot (jsonb) is the agent's agent_status row after the transition; its log_lines
//     (jsonb) the last lines before an error.
// tests/integration/rpc-answers.test.ts calls each of these on the real stack and checks the shapes.
// This file imports nothing but the generated types: the SDK's build ships both as declarations.
import type { Database as Generated, Json } from './database.types.ts';

export type { Json };

type Public = Generated['public'];
type Functions = Public['Functions'];
type Tables = Public['Tables'];
type Enums = Public['Enums'];
/** One row of a `returns table` function, as generated. */
type RowOf<Name extends keyof Functions> = Functions[Name]['Returns'] extends (infer Row)[] ? Row : never;
/** `Row` with the columns `Columns` nullable. */
type NullableColumns<Row, Columns extends keyof Row> = Omit<Row, Columns> & { [Column in Columns]: Row[Column] | null };

/** A row of the view agent_overview: one agent, its status and its desired state. fleet_overview() answers these. */
export type AgentOverviewRow = Public['Views']['agent_overview']['Row'];
/**
 * fleet_overview_compact(): the same rows as fleet_overview(), each one array of the view's values in
 * `columns`' order (server_time, the same for every row, once).
 */
export type CompactFleet = {
  server_time: string;
  columns: (keyof AgentOverviewRow)[];
  rows: Json[][];
};
/** A row of agent_status: what agent_events.snapshot holds (a row written before a column existed lacks it). */
export type AgentStatusRow = Tables['agent_status']['Row'];

/** What command_agents() answers per agent, and so what the `agents` function answers for a command. */
export type CommandAnswer = RowOf<'command_agents'>;
/** An agent's registry settings: update_agent()'s answer (description and offline_after_seconds may be null). */
export type AgentSettings = NullableColumns<RowOf<'update_agent'>, 'description' | 'offline_after_seconds'>;
/** tag_agents(): every named agent with its tags after the change. */
export type TaggedAgent = { agent_name: string; tags: string[] };
/**
 * fleet_availability(), per agent id: over 24 h, 7 d and 30 d the available share (0..1, null when no
 * time counted) and the seconds counted — [a24h, s24h, a7d, s7d, a30d, s30d].
 */
export type Availability = readonly [number | null, number, number | null, number, number | null, number];
export type FleetAvailability = Record<string, Availability>;
/** A bucket of agent_availability_bar(): seconds per state and its worst state (unknown: no data). */
export type AvailabilityBucket = Omit<RowOf<'agent_availability_bar'>, 'state'> & {
  state: Enums['agent_run_status'] | 'offline' | 'scheduled_off' | 'unknown';
};
/** One agent in metrics_snapshot() (the Prometheus scrape). */
export interface MetricsAgent {
  agent_name: string;
  state: Enums['agent_run_status'] | 'offline';
  up: boolean;
  health: number;
  /** Unix seconds (fractional), or null when the agent never reported. */
  last_heartbeat_seconds: number | null;
  desired_running: boolean;
  pending: boolean;
  errors_total: number;
  restarts_total: number;
  offline_total: number;
}
/** One custom metric in metrics_snapshot(): an agent's own gauge (its latest value) or counter (its total). */
export interface MetricsCustom {
  agent_name: string;
  metric: string;
  kind: Enums['agent_metric_kind'];
  value: number;
}
/** metrics_snapshot(): every agent, and every custom metric of every agent. */
export interface MetricsSnapshot {
  agents: MetricsAgent[];
  custom: MetricsCustom[];
}
/** One metric in agent_metric_series(): its value (a counter's total) and history, [unix seconds, value] oldest first. */
export interface MetricSeries {
  metric: string;
  kind: Enums['agent_metric_kind'];
  value: number;
  updated_at: string;
  points: Array<[number, number]>;
}
/** agent_metric_series(): one agent's custom metrics over the last `minutes`, in buckets of `bucket_seconds`. */
export interface AgentMetricSeries {
  agent_name: string;
  minutes: number;
  bucket_seconds: number;
  server_time: string;
  metrics: MetricSeries[];
}
/** fleet_metrics(): every metric name with how many agents report it, and the asked names' values by agent id. */
export interface FleetMetrics {
  metrics: Array<{ metric: string; agents: number }>;
  values: Record<string, Record<string, number>>;
}
/** badge_state(): one agent's state (agent_name and state set), or how many of all agents are up (both null). */
export interface BadgeState {
  agent_name: string | null;
  state: Enums['agent_run_status'] | 'offline' | null;
  up: number;
  total: number;
}
/** The level of a log line, lowest first (LOG_LEVELS). */
export type LogLevel = 'info' | 'warn' | 'error';
/** One line of an agent's log as a worker sends it on its live-log topic (publish_agent_logs; docs/logs.md). */
export type LogLine = {
  /** Per worker instance, from 1: a gap means lines were dropped from a full buffer. */
  seq: number;
  /** When the worker logged it (the worker's clock, ISO 8601). */
  at: string;
  level: LogLevel;
  text: string;
  fields?: { [key: string]: Json };
};
/** A line as an error's event keeps it (agent_events.log_lines, built by app.crash_log_lines()). */
export type CrashLogLine = Omit<LogLine, 'seq'>;
/** One broadcast on agent-logs:<agent_id>, event 'lines'. */
export type LogBatch = { instance: string; lines: LogLine[]; backlog_end?: boolean };

/** What the alert dispatcher records per delivery (record_alert_results' p_results). */
export interface AlertSendResult {
  id: string;
  ok: boolean;
  status_code: number | null;
  error: string | null;
}

type FunctionCorrections = {
  agent_report: {
    Returns: NullableColumns<RowOf<'agent_report'>, 'last_command' | 'instance_id' | 'log_watch_seconds'>[];
  };
  alert_channel_summaries: {
    Returns: NullableColumns<RowOf<'alert_channel_summaries'>, 'agent_names' | 'repeat_every_minutes'>[];
  };
  agent_availability_bar: { Returns: AvailabilityBucket[] };
  badge_state: { Returns: BadgeState | null };
  claim_alert_deliveries: {
    Returns: (Omit<
      NullableColumns<RowOf<'claim_alert_deliveries'>, 'secret' | 'message' | 'dashboard_url'>,
      'log_lines'
    > & {
      /** An error's last log lines, with the alert itself (not its reminders); null otherwise. */
      log_lines: CrashLogLine[] | null;
    })[];
  };
  command_agents_json: { Returns: CommandAnswer[] };
  fleet_availability: { Returns: FleetAvailability };
  fleet_overview: { Returns: AgentOverviewRow[] };
  fleet_overview_compact: { Returns: CompactFleet };
  issue_badge_key: { Returns: NullableColumns<RowOf<'issue_badge_key'>, 'agent_name' | 'label'>[] };
  issue_metrics_token: { Returns: NullableColumns<RowOf<'issue_metrics_token'>, 'label'>[] };
  metrics_snapshot: { Returns: MetricsSnapshot };
  agent_metric_series: { Returns: AgentMetricSeries };
  fleet_metrics: { Returns: FleetMetrics };
  /** watch_seconds is null when nobody watches (the worker stops sending). */
  publish_agent_logs: { Returns: NullableColumns<RowOf<'publish_agent_logs'>, 'watch_seconds'>[] };
  /** null (or a past time) unmutes; the answer is muted_until after the call. */
  mute_agent: { Args: { p_agent_name: string; p_until: string | null }; Returns: string | null };
  record_alert_results: { Args: { p_claim_id: string; p_results: AlertSendResult[] } };
  tag_agents: { Returns: TaggedAgent[] };
  update_agent: { Returns: AgentSettings[] };
};

type Corrected<T, Correction> = Omit<T, keyof Correction> & Correction;

type CorrectedFunctions = {
  [Name in keyof Functions]: Name extends keyof FunctionCorrections
    ? Corrected<Functions[Name], FunctionCorrections[Name]>
    : Functions[Name];
};

type CorrectedTables = Omit<Tables, 'agent_events'> & {
  agent_events: Corrected<
    Tables['agent_events'],
    {
      Row: Corrected<
        Tables['agent_events']['Row'],
        { snapshot: Partial<AgentStatusRow> | null; log_lines: CrashLogLine[] | null }
      >;
    }
  >;
};

export type Database = Omit<Generated, 'public'> & {
  public: Omit<Public, 'Functions' | 'Tables'> & { Functions: CorrectedFunctions; Tables: CorrectedTables };
};
