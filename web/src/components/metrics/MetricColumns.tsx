// Which custom metrics the fleet table shows as columns: a disclosure with a checkbox per metric name the
// fleet reports (with how many agents report it), at most MAX_METRIC_COLUMNS. The choice is kept per
// browser by the metrics store.
import { MAX_METRIC_COLUMNS, type MetricsState, type MetricsStore } from '../../state/metrics.ts';
import { useStore } from '../../state/useStore.ts';
import './metrics.css';

const selectNames = (s: MetricsState) => s.names;
const selectColumns = (s: MetricsState) => s.columns;

export function MetricColumns({ store }: { store: MetricsStore }) {
  const names = useStore(store, selectNames);
  const columns = useStore(store, selectColumns);
  if (names.length === 0 && columns.length === 0) return null;
  const full = columns.length >= MAX_METRIC_COLUMNS;
  // A chosen metric no agent reports any more stays listed, so it can be unchosen.
  const listed = [
    ...names,
    ...columns.filter((c) => !names.some((n) => n.metric === c)).map((metric) => ({ metric, agents: 0 })),
  ];
  const toggle = (metric: string, on: boolean) =>
    store.setColumns(on ? [...columns, metric] : columns.filter((c) => c !== metric));
  return (
    <details class="metric-columns">
      <summary>Metric columns{columns.length ? ` (${columns.length})` : ''}</summary>
      <fieldset>
        <legend class="muted">Show as columns (at most {MAX_METRIC_COLUMNS})</legend>
        {listed.map(({ metric, agents }) => {
          const on = columns.includes(metric);
          return (
            <label key={metric}>
              <input
                type="checkbox"
                checked={on}
                disabled={!on && full}
                onChange={(e) => toggle(metric, (e.currentTarget as HTMLInputElement).checked)}
              />{' '}
              {metric} <span class="muted">({agents === 1 ? '1 agent' : `${agents} agents`})</span>
            </label>
          );
        })}
      </fieldset>
    </details>
  );
}
