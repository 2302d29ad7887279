// One agent's own numbers on its page: a tile per metric with its value (a counter's total), what kind
// it is, how it moved, and a sparkline of the chosen window (a gauge's values; a counter's increases as
// bars). Read by the metrics store while the page is open, every heartbeat interval of the agent.
import { useEffect } from 'preact/hooks';
import {
  counterIncrease,
  formatMetricValue,
  METRIC_WINDOWS,
  sparklinePoints,
  type AgentMetrics,
  type MetricSeries,
} from '../../lib/metrics.ts';
import { formatTimestamp } from '../../lib/time.ts';
import type { MetricsState, MetricsStore } from '../../state/metrics.ts';
import { useStore } from '../../state/useStore.ts';
import { Sparkline } from './Sparkline.tsx';
import './metrics.css';

const selectAgent = (s: MetricsState) => s.agent;

type Props = { store: MetricsStore; agentName: string; heartbeatIntervalSeconds: number };

export function MetricTiles({ store, agentName, heartbeatIntervalSeconds }: Props) {
  useEffect(() => store.watchAgent(agentName, heartbeatIntervalSeconds), [store, agentName, heartbeatIntervalSeconds]);
  const view = useStore(store, selectAgent);
  const minutes = view?.minutes ?? METRIC_WINDOWS[0].minutes;
  const window = METRIC_WINDOWS.find((w) => w.minutes === minutes) ?? METRIC_WINDOWS[0];
  const data = view?.agentName === agentName ? view.data : null;
  const metrics = data?.metrics;
  return (
    <section class="metric-tiles" aria-labelledby="metric-tiles-title" data-metrics={metrics?.length ?? ''}>
      <div class="metric-tiles-head">
        <h3 id="metric-tiles-title">Metrics</h3>
        {metrics && metrics.length > 0 && (
          <span class="view-toggle" role="group" aria-label="Metrics window">
            {METRIC_WINDOWS.map((w) => (
              <button
                key={w.minutes}
                type="button"
                aria-pressed={w.minutes === minutes}
                onClick={() => store.setWindow(w.minutes)}
              >
                {w.label}
              </button>
            ))}
          </span>
        )}
      </div>
      {view?.error && <p class="command-error">{view.error}</p>}
      {metrics === undefined ? (
        !view?.error && <p class="muted">Loading metrics…</p>
      ) : metrics.length === 0 ? (
        <p class="muted">
          No metrics yet. A worker reports its own numbers with <code>agent.metric(name, value)</code> and{' '}
          <code>agent.count(name)</code>.
        </p>
      ) : (
        <ul class="tiles">
          {metrics.map((series) => (
            <Tile key={series.metric} series={series} windowLabel={window.label} data={data as AgentMetrics} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Tile({ series, windowLabel, data }: { series: MetricSeries; windowLabel: string; data: AgentMetrics }) {
  const value = formatMetricValue(series.value);
  const increase = counterIncrease(series);
  const points = sparklinePoints(series);
  const values = points.map((p) => p[1]);
  const to = Date.parse(data.server_time) / 1000;
  const moved =
    series.kind === 'counter'
      ? increase === null
        ? 'total'
        : `+${formatMetricValue(increase)} in ${windowLabel}`
      : values.length > 1
        ? `${formatMetricValue(Math.min(...values))} – ${formatMetricValue(Math.max(...values))} in ${windowLabel}`
        : 'latest';
  const label =
    series.kind === 'counter'
      ? `${series.metric}: increase per interval over ${windowLabel}`
      : `${series.metric} over ${windowLabel}`;
  return (
    <li class="tile" data-metric={series.metric} data-kind={series.kind}>
      <span class="tile-name" title={series.metric}>
        {series.metric}
      </span>
      <span class="tile-value" data-value={series.value} title={`updated ${formatTimestamp(series.updated_at)}`}>
        {value}
      </span>
      <span class="tile-note">
        <span class="tile-kind">{series.kind}</span> · {moved}
      </span>
      <Sparkline
        points={points}
        from={to - data.minutes * 60}
        to={to}
        barSeconds={series.kind === 'counter' ? data.bucket_seconds : undefined}
        label={label}
      />
    </li>
  );
}
