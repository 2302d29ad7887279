// A sparkline: a metric over a time window, scaled between its lowest and highest value, with no axes.
// Points sit at their time within the window, so a metric that began reporting a minute ago is drawn at
// the right edge, not stretched over the hour. A gauge is a line through its values; a counter is a bar
// per interval, as high as the counter grew in it.
const WIDTH = 120;
const HEIGHT = 32;
const INSET = 2; // keeps the line at the extremes inside the frame

export type Point = readonly [seconds: number, value: number];
export type Frame = { from: number; to: number; width?: number; height?: number };

type Props = {
  /** [unix seconds, value], oldest first: a gauge's values, or a counter's increases (lib/metrics.ts). */
  points: readonly Point[];
  /** The window shown, in unix seconds. */
  from: number;
  to: number;
  /** Bars from zero (a counter's increases), each this many seconds wide, rather than a line. */
  barSeconds?: number;
  /** What the sparkline says to a screen reader. */
  label: string;
};

const xOf = ({ from, to, width = WIDTH }: Frame, t: number) =>
  Math.min(width, Math.max(0, ((t - from) / Math.max(1, to - from)) * width));

/** The SVG path of a gauge's line, each point at its time. Pure, for the component and tests. */
export function linePath(points: readonly Point[], frame: Frame): string {
  if (points.length === 0) return '';
  const height = frame.height ?? HEIGHT;
  const values = points.map((p) => p[1]);
  const low = Math.min(...values);
  const span = Math.max(...values) - low;
  const y = (v: number) => (span === 0 ? height / 2 : INSET + (1 - (v - low) / span) * (height - 2 * INSET));
  const path = points.map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${xOf(frame, t).toFixed(1)},${y(v).toFixed(1)}`);
  // One point is a short dash, so that it shows.
  if (points.length === 1) path.push(`h${xOf(frame, points[0][0]) >= 2 ? -2 : 2}`);
  return path.join('');
}

/** One path of bars from the bottom, each ending at its point's time, as high as `value / highest`. */
export function barsPath(points: readonly Point[], frame: Frame, barSeconds: number): string {
  const height = frame.height ?? HEIGHT;
  const highest = Math.max(0, ...points.map((p) => p[1]));
  if (highest === 0) return '';
  const width = Math.max(1.5, xOf(frame, frame.from + barSeconds) - xOf(frame, frame.from));
  return points
    .map(([t, v]) => {
      const h = (Math.max(0, v) / highest) * (height - INSET);
      const right = xOf(frame, t);
      const left = Math.max(0, right - width * 0.8);
      return h > 0
        ? `M${left.toFixed(1)},${height}V${(height - h).toFixed(1)}H${Math.max(right, left + 1).toFixed(1)}V${height}Z`
        : '';
    })
    .join('');
}

export function Sparkline({ points, from, to, barSeconds, label }: Props) {
  const frame = { from, to };
  const empty = points.length === 0;
  return (
    <svg
      class={`sparkline${empty ? ' empty' : ''}`}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={empty ? `${label}: no history yet` : label}
    >
      <line x1="0" x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} class="sparkline-base" />
      {!empty &&
        (barSeconds ? (
          <path d={barsPath(points, frame, barSeconds)} class="sparkline-bars" />
        ) : (
          <path d={linePath(points, frame)} class="sparkline-line" vector-effect="non-scaling-stroke" />
        ))}
    </svg>
  );
}
