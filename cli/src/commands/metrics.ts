// metrics <name> [--minutes N] [--delete <metric>] [--json]: an agent's own numbers (agent.metric and
// agent.count in the SDKs) — each metric's latest value or counter total, and a text sparkline of the last
// minutes — from one RPC, agent_metric_series(), under RLS. --delete removes a metric the agent no longer
// reports (operators; an agent keeps at most 20). Not to be confused with `metrics-tokens` (Prometheus).
import type { MetricSeries } from '@agent-status/domain';
import type { CommandSpec, Context } from '../command.ts';
import { CliError, UsageError } from '../errors.ts';
import { localTime } from '../format.ts';
import { safe } from '../output.ts';
import { restResult } from '../remote.ts';

const DEFAULT_MINUTES = 60;
const MAX_MINUTES = 10_080;

const BLOCKS = '▁▂▃▄▅▆▇█';

/** A line of block characters scaled between the lowest and highest value ("" for no values). */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const low = Math.min(...values);
  const span = Math.max(...values) - low;
  return values.map((v) => BLOCKS[span === 0 ? 0 : Math.round(((v - low) / span) * (BLOCKS.length - 1))]).join('');
}

/** What the sparkline shows: a gauge's values, a counter's increase from one point to the next. */
export function trend(series: MetricSeries): { line: string; summary: string } {
  const values = series.points.map((p) => p[1]);
  if (series.kind === 'counter') {
    const increases = values.slice(1).map((v, i) => Math.max(0, v - values[i]));
    const added = values.length ? Math.max(0, values[values.length - 1] - values[0]) : 0;
    return { line: sparkline(increases), summary: values.length > 1 ? `+${number(added)}` : '' };
  }
  if (values.length === 0) return { line: '', summary: '' };
  return { line: sparkline(values), summary: `${number(Math.min(...values))}–${number(Math.max(...values))}` };
}

/** Up to 6 significant digits, no exponent for everyday magnitudes. */
export function number(value: number): string {
  return Math.abs(value) >= 1e15 || (value !== 0 && Math.abs(value) < 1e-4)
    ? value.toPrecision(6)
    : String(Number(value.toPrecision(6)));
}

function window(minutes: number): string {
  return minutes % 1440 === 0 ? `${minutes / 1440} d` : minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

export const metrics: CommandSpec = {
  name: 'metrics',
  summary: "an agent's own numbers (counters and gauges its worker reports), with a sparkline",
  usage: 'metrics <name> [--minutes <n>] [--delete <metric>] [--json]',
  details: [
    `--minutes <n>       how much history the sparkline shows (default ${DEFAULT_MINUTES}, at most ${MAX_MINUTES} = 7 days; 0 for none)`,
    '--delete <metric>   delete a metric the agent no longer reports, with its history (operators)',
    '--json              {"agent","minutes","bucket_seconds","server_time","metrics":[{"metric","kind","value","updated_at","points"}]}',
    "                    (points: [unix seconds, value], oldest first; a counter's value is its total)",
  ],
  options: { minutes: { type: 'string', short: 'm' }, delete: { type: 'string' } },
  positionals: ['name'],
  async run(ctx, { values, positionals: [name] }) {
    if (values.delete !== undefined) return deleteMetric(ctx, name, String(values.delete));
    const minutes = values.minutes === undefined ? DEFAULT_MINUTES : Number(values.minutes);
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_MINUTES) {
      throw new UsageError(
        `--minutes must be a whole number from 0 to ${MAX_MINUTES}, got "${values.minutes}"`,
        'metrics',
      );
    }
    await ctx.session();
    const series = restResult(
      notFoundIsAgent(await ctx.client().rpc('agent_metric_series', { p_agent_name: name, p_minutes: minutes }), name),
      'reading the metrics',
    );
    if (ctx.json) {
      const { agent_name, ...rest } = series;
      return ctx.out.json({ agent: agent_name, ...rest });
    }
    if (series.metrics.length === 0) {
      return ctx.out.line(
        `${safe(name)} reports no metrics. A worker reports them with agent.metric(name, value) and agent.count(name) (docs/metrics.md).`,
      );
    }
    const header = [
      'METRIC',
      'KIND',
      'VALUE',
      'UPDATED',
      ...(minutes > 0 ? [`LAST ${window(minutes).toUpperCase()}`, ''] : []),
    ];
    const rows = series.metrics.map((m) => {
      const { line, summary } = trend(m);
      return [
        m.metric,
        m.kind,
        number(m.value),
        localTime(m.updated_at),
        ...(minutes > 0 ? [ctx.out.style(line, 'blue'), ctx.out.style(summary, 'dim')] : []),
      ];
    });
    ctx.out.line(ctx.out.table(header, rows).join('\n'));
  },
};

async function deleteMetric(ctx: Context, name: string, metric: string) {
  await ctx.session();
  const deleted = restResult(
    notFoundIsAgent(await ctx.client().rpc('delete_agent_metric', { p_agent_name: name, p_metric: metric }), name),
    'deleting the metric',
  );
  if (!deleted) throw new CliError(`${safe(name)} has no metric "${safe(metric)}"`, 'not_found', 404);
  if (ctx.json) return ctx.out.json({ agent: name, metric, deleted: true });
  ctx.out.line(`Deleted metric ${safe(metric)} of ${safe(name)}, with its history.`);
}

/** An unknown agent (PT404) is the CLI's agent_not_found, as for `events` and the control commands. */
function notFoundIsAgent<T extends { error: { code?: string; message: string } | null }>(response: T, name: string): T {
  if (response.error?.code === 'PT404')
    throw new CliError(`there is no agent named "${safe(name)}"`, 'agent_not_found', 404);
  return response;
}
