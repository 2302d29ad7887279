// Agent SDK: report an agent's state to Agent Status and obey its desired state.
export {
  markAgentStarted,
  sendHeartbeat,
  reportWarning,
  reportError,
  markAgentStopped,
  reportActivity,
  reportRecovered,
  reportMetric,
  reportCount,
  resetDefaultClient,
  type CallOptions,
  type HealthOptions,
} from './seed-compatible.ts';
export { runAgent } from './run-agent.ts';
export { createInstance, newInstanceId, type Instance } from './instance.ts';
export { STAND_DOWN } from './shutdown.ts';
export {
  DEFAULT_POLL_INTERVAL_MS,
  type RunAgentOptions,
  type AgentRun,
  type Work,
  type WorkContext,
  type LogOptions,
} from './run-options.ts';
export type { AgentLog } from './agent-log.ts';
export { defaultRedact, isSensitiveKey, redactText, REDACTED, type Redact, type LogEntry } from './redact.ts';
export {
  DEFAULT_LOG_MAX_LINES,
  DEFAULT_LOG_MAX_BYTES,
  type LogLine,
  type CrashLogLine,
  type LogFields,
  type JsonValue,
} from './log-buffer.ts';
export type { LogBatch, PublishResult } from './log-tail.ts';
export {
  createAgentClient,
  wakeupTopic,
  type AgentClient,
  type AgentClientOptions,
  type AgentInfo,
  type ReportInput,
  type WakeupStatus,
  type LogWatchMessage,
} from './client.ts';
export { createReporter, type Reporter, type PendingReport, type ReporterOptions } from './reporter.ts';
export { supersedes, enqueueCoalesced } from './coalesce.ts';
export {
  createMetrics,
  type Metrics,
  type MetricsBatch,
  type MetricsOptions,
  type MetricsPayload,
  type MetricKind,
} from './metrics.ts';
export { loadAgentConfig, configFromEnv, readEnv, ConfigurationError, type AgentConfig, type Env } from './config.ts';
export { ReportFailedError, type Desired, type ReportError, type ReportResult } from './result.ts';
export { truncateMessage, describeError } from './truncate.ts';
export { REFUSAL_CODES, DEFAULT_REFUSED_RETRY_MS, MAX_REFUSED_RETRY_MS, isRefusal, explainRefusal } from './refusal.ts';
export { fullJitterDelay, backoffCeiling, type BackoffPolicy } from './backoff.ts';
export {
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  DEFAULT_HEALTH,
  MESSAGE_MAX_LENGTH,
  ACTIVITY_MAX_LENGTH,
  messageMaxLength,
  METRIC_NAME_MAX_LENGTH,
  METRIC_NAME_PATTERN,
  METRICS_MAX_PER_AGENT,
  METRICS_REFUSED_CODE,
  metricNameProblem,
  metricValueProblem,
  LOG_LEVELS,
  LOG_LINE_MAX_LENGTH,
  LOG_BATCH_MAX_BYTES,
  CRASH_LOG_MAX_LINES,
  CRASH_LOG_MAX_BYTES,
  type LogLevel,
  type ReportKind,
  type DesiredState,
  type AgentCommand,
} from './constants.ts';
