// Custom metrics on the agent's side: a gauge holds its latest value, a counter the running total of this
// series (one run of a worker, or one process of a one-shot script). Nothing is sent from here: the values
// wait for the next report, which carries every metric that changed since the last batch the backend
// accepted (p_info.metrics). The database adds what a series counted since that series' last report, so a
// report sent twice (a retry whose answer was lost) counts nothing twice, and one that never arrived loses
// nothing: the next carries the total. Names and values are checked here as the database checks them
// (constants.ts), so a report is refused for its metrics only when the agent would keep more than
// METRICS_MAX_PER_AGENT or a name changes kind.
import { METRICS_MAX_PER_AGENT, metricNameProblem, metricValueProblem } from './constants.ts';

export type MetricKind = 'gauge' | 'counter';

/** p_info.metrics, as agent_report reads it. */
export type MetricsPayload = {
  gauges?: Record<string, number>;
  /** Each counter's running total in this series. */
  counters?: Record<string, number>;
  /** The series counters count in; the report's instance_id when absent. */
  series?: string;
};

/** What one report carries, and which version of each metric that is. */
export interface MetricsBatch {
  readonly payload: MetricsPayload;
  readonly versions: ReadonlyMap<string, number>;
}

export interface Metrics {
  /** Sets a gauge. Answers the problem instead, recording nothing, for a name or value the backend would refuse. */
  gauge(name: string, value: number): string | null;
  /** Adds n (default 1, never negative) to a counter; the problem likewise. */
  count(name: string, n?: number): string | null;
  /** Every metric changed since it was last delivered, or undefined when none did. */
  take(): MetricsBatch | undefined;
  /** The backend recorded the batch. */
  delivered(batch: MetricsBatch): void;
  /**
   * The backend refused the batch (METRICS_REFUSED_CODE): its values are not offered again until they change,
   * and nothing is offered during the hold (MetricsOptions.holdAfterRefusalMs).
   */
  refused(batch: MetricsBatch): void;
}

interface Entry {
  kind: MetricKind;
  value: number;
  /** Bumped by every change; `sent` is the version last delivered (or refused). */
  version: number;
  sent: number;
}

export interface MetricsOptions {
  /** Names the counters' series when the reports carry no instance id of their own (one-shot calls). */
  series?: string;
  /**
   * After a refusal, offer no metrics for this long: a refusal the worker cannot fix by itself (more metrics
   * than the agent may keep, a name of another kind) costs one extra request now and then, not every report.
   */
  holdAfterRefusalMs?: number;
  now?: () => number;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const { series, holdAfterRefusalMs = 0, now = Date.now } = options;
  const entries = new Map<string, Entry>();
  let heldUntil = 0;

  function record(name: string, kind: MetricKind, next: (entry: Entry | undefined) => number): string | null {
    const problem = metricNameProblem(name);
    if (problem) return problem;
    const entry = entries.get(name);
    if (entry && entry.kind !== kind)
      return `metric "${name}" is a ${entry.kind} here and cannot be used as a ${kind}: use another name`;
    if (!entry && entries.size >= METRICS_MAX_PER_AGENT)
      return `an agent keeps at most ${METRICS_MAX_PER_AGENT} custom metrics; "${name}" would be one more`;
    const value = next(entry);
    const valueProblem = metricValueProblem(name, value);
    if (valueProblem) return valueProblem;
    if (entry) {
      entry.value = value;
      entry.version += 1;
    } else entries.set(name, { kind, value, version: 1, sent: 0 });
    return null;
  }

  function settle(batch: MetricsBatch) {
    for (const [name, version] of batch.versions) {
      const entry = entries.get(name);
      if (entry) entry.sent = Math.max(entry.sent, version);
    }
  }

  return {
    gauge: (name, value) => record(name, 'gauge', () => value),
    count(name, n = 1) {
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
        return `counter "${name}" grows by a finite number of at least 0, got ${String(n)}`;
      return record(name, 'counter', (entry) => (entry?.value ?? 0) + n);
    },
    take() {
      if (now() < heldUntil) return undefined;
      const gauges: Record<string, number> = {};
      const counters: Record<string, number> = {};
      const versions = new Map<string, number>();
      for (const [name, entry] of entries) {
        if (entry.version <= entry.sent) continue;
        (entry.kind === 'gauge' ? gauges : counters)[name] = entry.value;
        versions.set(name, entry.version);
      }
      if (versions.size === 0) return undefined;
      const payload: MetricsPayload = {};
      if (Object.keys(gauges).length) payload.gauges = gauges;
      if (Object.keys(counters).length) payload.counters = counters;
      if (series !== undefined) payload.series = series;
      return { payload, versions };
    },
    delivered: settle,
    refused(batch) {
      settle(batch);
      heldUntil = now() + holdAfterRefusalMs;
    },
  };
}
