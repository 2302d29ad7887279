// Fire-and-forget reporting for a long-running agent: one request at a time, coalesced while waiting,
// retried with backoff and full jitter while the backend is away. The caller never waits on it. Custom
// metrics ride on whichever report goes next (metrics.ts); a report refused for its metrics is sent again
// without them, so a metric never costs a heartbeat.
import { fullJitterDelay, sleep, type BackoffPolicy } from './backoff.ts';
import type { AgentClient, AgentInfo } from './client.ts';
import { enqueueCoalesced } from './coalesce.ts';
import type { Desired, ReportError } from './result.ts';
import { truncateMessage } from './truncate.ts';
import { messageMaxLength, METRICS_REFUSED_CODE, type ReportKind } from './constants.ts';
import type { Metrics, MetricsBatch } from './metrics.ts';

export interface PendingReport {
  kind: ReportKind;
  message?: string;
  health?: number;
  /** Sent with this report only, over the snapshot's info (an error's last log lines). */
  info?: AgentInfo;
}

export interface ReporterOptions {
  client: AgentClient;
  agentName: string;
  /** Read at send time, so a retried report carries the newest acknowledgement and info. */
  snapshot?: () => { observedGeneration?: number; info?: AgentInfo };
  onAnswer?: (desired: Desired) => void;
  /** Every failed attempt, with what happens next. */
  onFailure?: (error: ReportError, report: PendingReport, retryInMs: number | null) => void;
  /** Called once when a report succeeds after failures. */
  onRecovered?: (failedAttempts: number) => void;
  /** Custom metrics: every report carries those changed since the last accepted batch. */
  metrics?: Metrics;
  /** The backend refused a batch of metrics (the report itself then goes again without them). */
  onMetricsRefused?: (error: ReportError, batch: MetricsBatch) => void;
  backoff?: BackoffPolicy;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export const DEFAULT_REPORT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };

export interface Reporter {
  enqueue(report: PendingReport): void;
  /** Resolves true once nothing is pending, false if timeoutMs passes first. */
  flush(timeoutMs: number): Promise<boolean>;
  pending(): readonly PendingReport[];
  close(): void;
}

export function createReporter(options: ReporterOptions): Reporter {
  const backoff = options.backoff ?? DEFAULT_REPORT_BACKOFF;
  const wait = options.sleep ?? sleep;
  const closing = new AbortController();
  let queue: PendingReport[] = [];
  let inFlight: PendingReport | undefined;
  let draining = false;
  let idleWaiters: Array<() => void> = [];

  function enqueue(report: PendingReport) {
    if (closing.signal.aborted) return;
    const item = {
      ...report,
      message:
        report.message === undefined ? undefined : truncateMessage(report.message, messageMaxLength(report.kind)),
    };
    queue = enqueueCoalesced(queue, item, inFlight);
    if (!draining) void drain();
  }

  async function drain() {
    draining = true;
    let failures = 0;
    try {
      while (queue.length > 0 && !closing.signal.aborted) {
        const report = queue[0];
        inFlight = report;
        const snapshot = options.snapshot?.() ?? {};
        const batch = options.metrics?.take();
        const result = await options.client.report(report.kind, {
          agentName: options.agentName,
          message: report.message,
          health: report.health,
          observedGeneration: snapshot.observedGeneration,
          info:
            report.info || batch
              ? { ...snapshot.info, ...report.info, ...(batch ? { metrics: batch.payload } : {}) }
              : snapshot.info,
        });
        inFlight = undefined;
        if (result.ok) {
          if (batch) options.metrics?.delivered(batch);
          queue = queue.filter((item) => item !== report);
          if (failures > 0) options.onRecovered?.(failures);
          failures = 0;
          options.onAnswer?.(result.desired);
          continue;
        }
        if (batch && result.error.code === METRICS_REFUSED_CODE) {
          // Nothing of the report was recorded: forget these values and send it again at once.
          options.metrics?.refused(batch);
          options.onMetricsRefused?.(result.error, batch);
          continue;
        }
        if (!result.error.retryable) {
          // Sending it again cannot help (bad token, unknown agent, invalid health): drop it, keep going.
          queue = queue.filter((item) => item !== report);
          options.onFailure?.(result.error, report, null);
          continue;
        }
        const delay = fullJitterDelay(failures, backoff, options.random);
        failures += 1;
        options.onFailure?.(result.error, report, delay);
        await wait(delay, closing.signal);
      }
    } finally {
      inFlight = undefined;
      draining = false;
      if (queue.length === 0 || closing.signal.aborted) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  function flush(timeoutMs: number): Promise<boolean> {
    if (queue.length === 0 && !draining) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(queue.length === 0);
      });
    });
  }

  return {
    enqueue,
    flush,
    pending: () => [...queue],
    close: () => closing.abort(),
  };
}
