// Order statistics for latency samples. Percentiles use the nearest-rank method on sorted samples,
// so p95 of 20 samples is the 19th smallest: a real observation, never an interpolation.

export function percentile(samples: readonly number[], p: number): number {
  if (!samples.length) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile must be within 0–100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export const median = (samples: readonly number[]) => percentile(samples, 50);
export const p95 = (samples: readonly number[]) => percentile(samples, 95);
export const p99 = (samples: readonly number[]) => percentile(samples, 99);

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  return { n: samples.length, p50: median(samples), p95: p95(samples), p99: p99(samples), max: Math.max(...samples) };
}

/** Milliseconds since an arbitrary origin, sub-millisecond resolution. */
export const nowMs = () => performance.now();

export const round = (value: number, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);

/**
 * Splits samples taken one after the other into `count` consecutive blocks of (nearly) equal size, so
 * a statistic can be taken per block and reported as the median of the blocks with their spread.
 */
export function blocks<T>(samples: readonly T[], count: number): T[][] {
  const n = Math.max(1, Math.min(count, samples.length));
  return Array.from({ length: n }, (_, i) =>
    samples.slice(Math.floor((i * samples.length) / n), Math.floor(((i + 1) * samples.length) / n)),
  );
}

/** `statistic` of each of `count` consecutive blocks of the samples. */
export const perBlock = (samples: readonly number[], count: number, statistic: (block: number[]) => number) =>
  blocks(samples, count).map(statistic);
