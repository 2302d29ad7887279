// The original seed's calls, configured from the environment: one report each, one attempt, a result
// instead of an exception (monitoring must not take an agent down). A configuration mistake is not a
// network failure: it rejects with ConfigurationError so it is found at the first call.
//
// reportMetric and reportCount are their custom-metric companions for one-shot scripts: each sends one
// heartbeat carrying the metric. The process (its client) is the counters' series (a script run that
// counts 5 adds 5 to the agent's total), and a metric whose report failed rides on the next call for the
// same agent.
import { createAgentClient, type AgentClient, type AgentInfo } from './client.ts';
import { loadAgentConfig } from './config.ts';
import { newInstanceId } from './instance.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { ReportFailedError, type ReportError, type ReportResult } from './result.ts';
import { truncateMessage } from './truncate.ts';
import { messageMaxLength, METRICS_REFUSED_CODE, type ReportKind } from './constants.ts';

export interface CallOptions {
  /** Reject with ReportFailedError instead of resolving { ok: false }. */
  throwOnError?: boolean;
  /** Use this client instead of the one configured from the environment. */
  client?: AgentClient;
  info?: AgentInfo;
}

export interface HealthOptions extends CallOptions {
  /** 0–100; the database default applies when omitted (warning 75, error 30). */
  health?: number;
}

let defaultClient: AgentClient | undefined;

function clientFor(options: CallOptions): AgentClient {
  if (options.client) return options.client;
  defaultClient ??= createAgentClient(loadAgentConfig());
  return defaultClient;
}

/** Forget the environment-configured client (tests, or after changing env). */
export function resetDefaultClient(): void {
  void defaultClient?.close();
  defaultClient = undefined;
}

/**
 * Custom metrics per client and agent name: each is a series of its own (a random id), so a process that
 * counts adds what it counted to the agent's total, whatever other processes count.
 */
const metricsByClient = new WeakMap<AgentClient, Map<string, Metrics>>();
function metricsOf(client: AgentClient, name: string): Metrics {
  let byAgent = metricsByClient.get(client);
  if (!byAgent) metricsByClient.set(client, (byAgent = new Map()));
  let metrics = byAgent.get(name);
  if (!metrics) byAgent.set(name, (metrics = createMetrics({ series: newInstanceId() })));
  return metrics;
}

async function send(
  kind: ReportKind,
  name: string,
  options: HealthOptions,
  message?: string,
  metricCall = false,
): Promise<ReportResult> {
  checkName(name);
  const client = clientFor(options);
  const metrics = metricsOf(client, name);
  const report = (info: AgentInfo | undefined) =>
    client.report(kind, {
      agentName: name,
      message: message === undefined ? undefined : truncateMessage(String(message), messageMaxLength(kind)),
      health: options.health,
      info,
    });
  const batch = metrics.take();
  let result = await report(batch ? { ...options.info, metrics: batch.payload } : options.info);
  if (batch && result.ok) metrics.delivered(batch);
  if (batch && !result.ok && result.error.code === METRICS_REFUSED_CODE) {
    metrics.refused(batch);
    // Metrics left over from an earlier call must not cost this call its report.
    if (!metricCall) result = await report(options.info);
  }
  return answer(result, options);
}

function answer(result: ReportResult, options: CallOptions): ReportResult {
  if (!result.ok && options.throwOnError) throw new ReportFailedError(result.error);
  return result;
}

function checkName(name: string) {
  if (typeof name !== 'string' || name.trim() === '') throw new TypeError('agent name must be a non-empty string');
}

/** A metric that would be refused is not sent: the call answers why, as a failed report. */
function invalidMetric(problem: string, options: CallOptions): ReportResult {
  const error: ReportError = { code: 'INVALID_METRIC', message: problem, status: 0, retryable: false };
  return answer({ ok: false, error }, options);
}

export const markAgentStarted = (name: string, options: CallOptions = {}) => send('started', name, options);
export const sendHeartbeat = (name: string, options: HealthOptions = {}) => send('heartbeat', name, options);
export const reportWarning = (name: string, message: string, options: HealthOptions = {}) =>
  send('warning', name, options, message);
export const reportError = (name: string, message: string, options: HealthOptions = {}) =>
  send('error', name, options, message);
/** Back to running after a warning or an error, keeping the uptime (health 100 unless given). */
export const reportRecovered = (name: string, options: HealthOptions = {}) => send('recovered', name, options);
export const markAgentStopped = (name: string, options: CallOptions = {}) => send('stopped', name, options);
export const reportActivity = (name: string, message: string, options: CallOptions = {}) =>
  send('activity', name, options, message);

/**
 * Sets a gauge (a custom metric holding its latest value) and sends it at once with a heartbeat. A name
 * or value the backend would refuse answers INVALID_METRIC without a request.
 */
export async function reportMetric(
  name: string,
  metric: string,
  value: number,
  options: CallOptions = {},
): Promise<ReportResult> {
  checkName(name);
  const problem = metricsOf(clientFor(options), name).gauge(metric, value);
  return problem ? invalidMetric(problem, options) : send('heartbeat', name, options, undefined, true);
}

/** Adds n (default 1) to a counter (a custom metric that only goes up) and sends it at once, likewise. */
export async function reportCount(
  name: string,
  metric: string,
  n = 1,
  options: CallOptions = {},
): Promise<ReportResult> {
  checkName(name);
  const problem = metricsOf(clientFor(options), name).count(metric, n);
  return problem ? invalidMetric(problem, options) : send('heartbeat', name, options, undefined, true);
}
