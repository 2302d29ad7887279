import type { AgentEventRow } from '@agent-status/domain';

type Point = { t: number; health: number };

/** Health over time from the events that carry it, oldest first. Pure, for the chart and tests. */
export function healthPoints(events: readonly Pick<AgentEventRow, 'created_at' | 'health'>[]): Point[] {
  return events
    .filter((e): e is typeof e & { health: number } => typeof e.health === 'number')
    .map((e) => ({ t: Date.parse(e.created_at), health: e.health }))
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t);
}

const WIDTH = 300;
const HEIGHT = 60;

const INSET = 3; // keeps lines at 0 and 100 visible inside the frame

/** `nowMs` (server time) extends the last reading to the present: health holds until it changes. */
export function HealthChart({ events, nowMs }: { events: readonly AgentEventRow[]; nowMs: number }) {
  const points = healthPoints(events);
  if (points.length < 1) return <p class="muted">No health readings yet.</p>;
  const first = points[0].t;
  const end = Math.max(nowMs, points[points.length - 1].t);
  const span = Math.max(1, end - first);
  const yOf = (health: number) => INSET + (1 - health / 100) * (HEIGHT - 2 * INSET);
  // A step line: health holds its value until the next reading.
  let path = '';
  points.forEach((p, i) => {
    const x = ((p.t - first) / span) * WIDTH;
    path += i === 0 ? `M${x.toFixed(1)},${yOf(p.health).toFixed(1)}` : `H${x.toFixed(1)}V${yOf(p.health).toFixed(1)}`;
  });
  path += `H${WIDTH}`;
  const latest = points[points.length - 1].health;
  const lowest = Math.min(...points.map((p) => p.health));
  return (
    <svg
      class="health-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`Health over time: ${points.length} readings, latest ${latest}, lowest ${lowest}`}
    >
      <line x1="0" x2={WIDTH} y1={yOf(80)} y2={yOf(80)} class="chart-guide" />
      <line x1="0" x2={WIDTH} y1={yOf(40)} y2={yOf(40)} class="chart-guide" />
      <path d={path} class="chart-line" vector-effect="non-scaling-stroke" />
    </svg>
  );
}
