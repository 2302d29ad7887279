import { describe, expect, it } from 'vitest';
import { createMetrics, METRICS_MAX_PER_AGENT, metricNameProblem } from '../../src/index.ts';

describe('custom metrics between reports', () => {
  it('a gauge keeps its latest value; a counter sums its increments into a running total', () => {
    const metrics = createMetrics();
    expect(metrics.gauge('queue_length', 12)).toBeNull();
    expect(metrics.gauge('queue_length', 7)).toBeNull();
    expect(metrics.count('articles')).toBeNull();
    expect(metrics.count('articles', 4)).toBeNull();
    expect(metrics.take()?.payload).toEqual({ gauges: { queue_length: 7 }, counters: { articles: 5 } });
  });

  it('a delivered batch is not offered again; what changed after it was taken still is', () => {
    const metrics = createMetrics();
    metrics.gauge('queue_length', 1);
    metrics.count('articles', 2);
    const batch = metrics.take()!;
    metrics.count('articles', 3);
    metrics.delivered(batch);
    expect(metrics.take()?.payload).toEqual({ counters: { articles: 5 } });
    metrics.delivered(metrics.take()!);
    expect(metrics.take()).toBeUndefined();
  });

  it('a batch that was never delivered is offered again, with the newest values', () => {
    const metrics = createMetrics();
    metrics.count('articles', 2);
    metrics.take(); // sent, no answer
    metrics.count('articles', 1);
    metrics.gauge('queue_length', 9);
    expect(metrics.take()?.payload).toEqual({ gauges: { queue_length: 9 }, counters: { articles: 3 } });
  });

  it('one-shot calls name their series', () => {
    const metrics = createMetrics({ series: 'process-1' });
    metrics.count('articles');
    expect(metrics.take()?.payload).toEqual({ counters: { articles: 1 }, series: 'process-1' });
  });

  it('names, values and increments the backend would refuse are answered with the problem and not recorded', () => {
    const metrics = createMetrics();
    expect(metrics.gauge('Queue', 1)).toBe(
      'metric name "Queue" must start with a lower-case letter and hold only lower-case letters, digits and underscores',
    );
    expect(metrics.gauge('', 1)).toBe('a metric name must not be empty');
    expect(metrics.gauge('q', Number.NaN)).toBe('metric "q" must be a finite number, got NaN');
    expect(metrics.gauge('q', Number.POSITIVE_INFINITY)).toBe('metric "q" must be a finite number, got Infinity');
    expect(metrics.gauge('q', 1e308)).toMatch(/^metric "q" is out of range/);
    expect(metrics.gauge('q', 5e-324)).toMatch(/^metric "q" is out of range/);
    expect(metrics.gauge('q', '3' as unknown as number)).toBe('metric "q" must be a finite number, got 3');
    expect(metrics.count('c', -1)).toBe('counter "c" grows by a finite number of at least 0, got -1');
    expect(metrics.count('c', Number.NaN)).toBe('counter "c" grows by a finite number of at least 0, got NaN');
    expect(metrics.take()).toBeUndefined();
    expect(metricNameProblem(`q${'x'.repeat(64)}`)).toBe(
      `metric name "q${'x'.repeat(63)}…" is longer than 64 characters`,
    );
    expect(metricNameProblem(`q${'x'.repeat(63)}`)).toBeNull();
  });

  it('a name keeps its kind, and an agent keeps at most METRICS_MAX_PER_AGENT metrics', () => {
    const metrics = createMetrics();
    metrics.gauge('queue_length', 1);
    expect(metrics.count('queue_length')).toBe(
      'metric "queue_length" is a gauge here and cannot be used as a counter: use another name',
    );
    for (let i = 1; i < METRICS_MAX_PER_AGENT; i++) expect(metrics.gauge(`g${i}`, i)).toBeNull();
    expect(metrics.gauge('one_more', 1)).toBe('an agent keeps at most 20 custom metrics; "one_more" would be one more');
    expect(metrics.gauge('g1', 2)).toBeNull();
  });

  it('after a refusal the batch is dropped, and nothing is offered during the hold', () => {
    let now = 0;
    const metrics = createMetrics({ holdAfterRefusalMs: 60_000, now: () => now });
    metrics.gauge('queue_length', 1);
    metrics.refused(metrics.take()!);
    metrics.gauge('other', 2);
    expect(metrics.take()).toBeUndefined();
    now = 60_000;
    expect(metrics.take()?.payload).toEqual({ gauges: { other: 2 } });
  });
});
