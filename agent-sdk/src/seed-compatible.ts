// The original seed's calls, configured from the environment: one report each, one attempt, a result
// instead of an exception (monitoring must not take an agent down). A configuration mistake is not a
// network failure: it rejects with ConfigurationError so it is found at the first call.
import { createAgentClient, type AgentClient, type AgentInfo } from './client.ts';
import { loadAgentConfig } from './config.ts';
import { ReportFailedError, type ReportResult } from './result.ts';
import { truncateMessage } from './truncate.ts';
import { messageMaxLength, type ReportKind } from './constants.ts';

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

async function send(kind: ReportKind, name: string, options: HealthOptions, message?: string): Promise<ReportResult> {
  if (typeof name !== 'string' || name.trim() === '') throw new TypeError('agent name must be a non-empty string');
  const result = await clientFor(options).report(kind, {
    agentName: name,
    message: message === undefined ? undefined : truncateMessage(String(message), messageMaxLength(kind)),
    health: options.health,
    info: options.info,
  });
  if (!result.ok && options.throwOnError) throw new ReportFailedError(result.error);
  return result;
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
