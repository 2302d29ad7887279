// What runAgent accepts and returns, and the settings its options resolve to.
import type { AgentClient } from './client.ts';
import type { AgentConfig } from './config.ts';
import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS, DEFAULT_POLL_INTERVAL_SECONDS } from './constants.ts';
import type { AgentLog } from './agent-log.ts';
import type { PaceIntervals } from './poll-pace.ts';
import type { Redact } from './redact.ts';
import { DEFAULT_REFUSED_RETRY_MS } from './refusal.ts';

export interface WorkContext {
  name: string;
  /** The desired-state generation this run of the work carries out. */
  generation: number;
  /** Fire-and-forget reports through the agent's coalescing queue: the work never waits on monitoring. */
  reportActivity(message: string): void;
  reportWarning(message: string, options?: { health?: number }): void;
  reportError(message: string, options?: { health?: number }): void;
  /** Back to running after a warning or an error (health 100 unless given). */
  reportRecovered(options?: { health?: number }): void;
  /**
   * Sets a gauge, a custom metric that holds its latest value (queue length, rate limit left). It rides on
   * the next report; a name or value the backend would refuse is logged and dropped, never thrown.
   */
  metric(name: string, value: number): void;
  /** Adds n (default 1) to a counter, a custom metric that only goes up (articles collected); likewise. */
  count(name: string, n?: number): void;
  /**
   * The agent's logger: `log.info|warn|error(message, fields?)` (and `log(message)`, info). Lines are kept
   * in memory, sent only while someone watches the agent's live log, and the last ones go with an error
   * report; printed to the console too unless `logs.echo` is false. Never throws, never waits.
   */
  log: AgentLog;
}

/** How runAgent keeps and sends the agent's log lines (docs/logs.md). */
export interface LogOptions {
  /** The ring buffer: at most this many lines (default 1,000) … */
  maxLines?: number;
  /** … and this many bytes of JSON (default 256 KiB); the oldest lines go first. */
  maxBytes?: number;
  /** Also keep what console.log/info/debug/warn/error print. Default false. */
  captureConsole?: boolean;
  /** Also keep every line written to process.stdout (info) and process.stderr (warn). Default false. */
  captureStdio?: boolean;
  /**
   * Runs on every line before it is kept (so before anything leaves the process); return the line, changed
   * or not, or null to drop it. Default: defaultRedact (values of keys that look like credentials, bearer
   * tokens, JWTs, secret keys, URL passwords). The worker's own token and keys are hidden whatever it does.
   */
  redact?: Redact;
  /** Print agent.log lines to the console as well. Default true. */
  echo?: boolean;
  /** Answer watchers (live tail). Default true; false: lines never leave the process but with an error. */
  live?: boolean;
  /** How many of the last lines go with an error report (at most 50, CRASH_LOG_MAX_LINES). Default 50; 0: none. */
  crashLines?: number;
}

export type Work = (signal: AbortSignal, context: WorkContext) => Promise<void> | void;

export interface RunAgentOptions {
  name: string;
  /** Runs while the desired state is running; must return (or reject) soon after `signal` aborts. */
  work: Work;
  heartbeatIntervalMs?: number;
  /**
   * How often to ask for the desired state (each ask is also a heartbeat), capped at the heartbeat interval.
   * A command whose push wake-up is lost is carried out at the next ask, so at most one poll interval late.
   * Default: `fallbackPollIntervalMs` while push is not subscribed or not proven, the heartbeat interval while it works.
   */
  pollIntervalMs?: number;
  /** Without `pollIntervalMs`: how often to ask while push is not subscribed or not proven. Default 2 s. */
  fallbackPollIntervalMs?: number;
  /** Subscribe to push wake-ups (Realtime Broadcast `agent-wakeup:<agent_id>`). Default true. */
  wakeup?: boolean;
  /** What a crash of the work (rejection, throw, escaped error) leads to. Default 'restart'. */
  onError?: 'restart' | 'exit';
  /** A run that lasted this long before crashing resets the restart backoff. Default 10 s. */
  minUptimeMs?: number;
  /** First restart delay after a crash; doubles per consecutive crash. Default 1 s. */
  restartDelayMs?: number;
  /**
   * Cap for restart delays and for report retry delays. Default 30 s. Report retries are also capped
   * at the heartbeat interval, so a worker reports again within one interval of the backend's return.
   */
  maxBackoffMs?: number;
  /**
   * After Agent Status refuses the worker itself (its token revoked, its agent deleted: PT401, PT403,
   * PT404), ask again this long later, doubling up to 15 min; reports made meanwhile are dropped and the
   * work is left as it is. Default 60 s.
   */
  refusedRetryMs?: number;
  /** Budget for stopping the work and sending the final report. Default 5 s. */
  shutdownTimeoutMs?: number;
  info?: { version?: string };
  /** The agent's log: ring buffer, capture of console output, redaction, live tail (docs/logs.md). */
  logs?: LogOptions;
  /** Aborting it shuts the agent down like SIGTERM (without exiting the process). */
  signal?: AbortSignal;
  /** Exit the process after a SIGINT/SIGTERM shutdown (0) or a crash with onError 'exit' (1). Default true. */
  exitProcess?: boolean;
  /** Listen to SIGINT/SIGTERM. Default true. */
  handleSignals?: boolean;
  /** Treat unhandled rejections and uncaught exceptions as crashes of the work. Default true. */
  catchEscapedErrors?: boolean;
  /** Defaults to the environment (SUPABASE_URL + AGENT_TOKEN/SUPABASE_PUBLISHABLE_KEY, or SUPABASE_SECRET_KEY; legacy names read). */
  config?: AgentConfig;
  client?: AgentClient;
  log?: (line: string) => void;
  random?: () => number;
}

/** Resolves to the exit code once the agent has shut down; `stop()` shuts it down. */
export type AgentRun = Promise<number> & {
  /** This run's instance id, sent with every report; it stands down when a newer instance takes the agent over. */
  readonly instanceId: string;
  stop(): Promise<number>;
  /** Ask for the desired state now (what a push wake-up does). */
  pollNow(): void;
};

export const DEFAULT_POLL_INTERVAL_MS = DEFAULT_POLL_INTERVAL_SECONDS * 1000;

export interface RunSettings {
  name: string;
  heartbeatIntervalMs: number;
  pace: PaceIntervals;
  onError: 'restart' | 'exit';
  minUptimeMs: number;
  restartDelayMs: number;
  maxBackoffMs: number;
  refusedRetryMs: number;
  shutdownTimeoutMs: number;
  /** The part of the shutdown budget the work gets to end; the rest is left for the final report. */
  workStopBudgetMs: number;
  exitProcess: boolean;
  log: (line: string) => void;
}

export function resolveSettings(options: RunAgentOptions): RunSettings {
  const name = options.name;
  if (typeof name !== 'string' || name.trim() === '') throw new TypeError('runAgent needs a non-empty name');
  if (typeof options.work !== 'function') throw new TypeError('runAgent needs a work function');
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS * 1000;
  const fallbackMs = Math.min(
    options.pollIntervalMs ?? options.fallbackPollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    heartbeatIntervalMs,
  );
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 5_000;
  return {
    name,
    heartbeatIntervalMs,
    // While push works: the caller's poll interval if one was given, else every heartbeat.
    pace: { fallbackMs, pushedMs: options.pollIntervalMs === undefined ? heartbeatIntervalMs : fallbackMs },
    onError: options.onError ?? 'restart',
    minUptimeMs: options.minUptimeMs ?? 10_000,
    restartDelayMs: options.restartDelayMs ?? 1_000,
    maxBackoffMs: options.maxBackoffMs ?? 30_000,
    refusedRetryMs: options.refusedRetryMs ?? DEFAULT_REFUSED_RETRY_MS,
    shutdownTimeoutMs,
    workStopBudgetMs: Math.max(0, shutdownTimeoutMs - Math.min(1_000, shutdownTimeoutMs / 4)),
    exitProcess: options.exitProcess ?? true,
    log: options.log ?? ((line: string) => console.error(`[${name}] ${line}`)),
  };
}
