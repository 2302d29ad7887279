// The agents' own numbers (custom metrics) as the dashboard reads them: one agent's metrics with their
// history (agent_metric_series) for its page, and chosen metrics of the whole fleet (fleet_metrics) for
// table columns. Both RPCs answer one JSON value under RLS (supabase/schemas/35_custom_metrics.sql).
import { restResult, type Result } from '@agent-status/client';
import type { AgentMetricSeries, FleetMetrics, MetricSeries } from '@agent-status/domain';
import { worded } from './failure.ts';
import type { DashboardClient } from './supabase.ts';

export type { AgentMetricSeries as AgentMetrics, FleetMetrics, MetricKind, MetricSeries } from '@agent-status/domain';

/** The history windows the agent page offers. */
export const METRIC_WINDOWS = [
  { minutes: 60, label: '1 h' },
  { minutes: 1440, label: '24 h' },
  { minutes: 10_080, label: '7 d' },
] as const;

export async function readAgentMetrics(
  client: DashboardClient,
  agentName: string,
  minutes: number,
): Promise<Result<AgentMetricSeries>> {
  const response = await client.rpc(
    'agent_metric_series',
    { p_agent_name: agentName, p_minutes: minutes },
    { get: true },
  );
  return worded(Promise.resolve(restResult(response)));
}

export async function readFleetMetrics(
  client: DashboardClient,
  names: readonly string[],
): Promise<Result<FleetMetrics>> {
  return worded(Promise.resolve(restResult(await client.rpc('fleet_metrics', { p_metrics: [...names] }))));
}

/**
 * What a sparkline draws, [unix seconds, value]: a gauge's values; a counter's increase from one point to
 * the next, at the later one's time (the first point's own increase happened before the window).
 */
export function sparklinePoints(series: Pick<MetricSeries, 'kind' | 'points'>): Array<[number, number]> {
  if (series.kind === 'gauge') return series.points;
  return series.points.slice(1).map(([t, v], i) => [t, Math.max(0, v - series.points[i][1])]);
}

/** How much a counter grew over the points shown (null for a gauge or fewer than two points). */
export function counterIncrease(series: Pick<MetricSeries, 'kind' | 'points'>): number | null {
  if (series.kind !== 'counter' || series.points.length < 2) return null;
  return Math.max(0, series.points[series.points.length - 1][1] - series.points[0][1]);
}

const compact = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 4, notation: 'compact' });
const plain = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

/** A value for a tile or a cell: 1,234.5 up to a million, then 1.235M; tiny values in exponent form. */
export function formatMetricValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && magnitude < 0.001) return value.toExponential(2);
  return magnitude >= 1_000_000 ? compact.format(value) : plain.format(value);
}
