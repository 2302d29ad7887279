// One row per figure: what was measured, the median of its runs with their spread (min–max), the goal,
// and whether the median meets it. The same rows are printed as a text table, as Markdown, and written
// as JSON with every run's value.
import { median } from './stats.ts';

/**
 * What a figure's value rests on, and so whether it carries over to another machine:
 * - ratio: two things measured in the same run and divided (portable: machine speed cancels out);
 * - count: requests, rows, messages, bytes (portable: they do not depend on the machine's speed);
 * - absolute: a time, a rate, a share of a CPU or memory on this machine (machine-bound).
 */
export type FigureKind = 'ratio' | 'count' | 'absolute';

export interface Figure {
  /** e.g. "heartbeat ingest, 1,000 agents: sustained" */
  figure: string;
  /** The median of `runs` (or their maximum, for figures judged on the worst run); null when not measured. */
  value: number | null;
  /** min–max over the runs; equal bounds for a single run. */
  spread: [number, number] | null;
  /** The value of each run, in the order measured. */
  runs: number[];
  unit: string;
  /** Human text of the goal, e.g. "≥ 2000 /s"; empty when the figure only informs. */
  goal: string;
  /** true/false against the goal; null when there is no goal or no value. */
  met: boolean | null;
  kind: FigureKind;
  /** Why a value is missing, or how it was obtained. */
  note?: string;
}

export type GoalCheck = { text: string; test: (value: number) => boolean };
export const atMost = (limit: number, unit: string): GoalCheck => ({
  text: `≤ ${limit.toLocaleString('en-US')} ${unit}`.trim(),
  test: (v) => v <= limit,
});
export const atLeast = (limit: number, unit: string): GoalCheck => ({
  text: `≥ ${limit.toLocaleString('en-US')} ${unit}`.trim(),
  test: (v) => v >= limit,
});

export interface FigureOptions {
  goal?: GoalCheck;
  note?: string;
  /** Default: absolute. */
  kind?: FigureKind;
  /** median (default), or max for figures whose every run must meet the goal (e.g. "0 messages"). */
  summary?: 'median' | 'max';
}

/** A figure from the values of its runs (one value per independent run, window or block of samples). */
export function figure(name: string, runs: readonly number[], unit: string, o: FigureOptions = {}): Figure {
  const values = runs.filter((v) => Number.isFinite(v));
  const measured = values.length > 0;
  const value = measured ? (o.summary === 'max' ? Math.max(...values) : median(values)) : null;
  return {
    figure: name,
    value,
    spread: measured ? [Math.min(...values), Math.max(...values)] : null,
    runs: values,
    unit,
    goal: o.goal?.text ?? '',
    met: o.goal && value !== null ? o.goal.test(value) : null,
    kind: o.kind ?? 'absolute',
    ...(o.note ? { note: o.note } : {}),
  };
}

export const notMeasured = (name: string, unit: string, reason: string, o: FigureOptions = {}): Figure =>
  figure(name, [], unit, { ...o, note: `not measured: ${reason}` });

function formatNumber(value: number): string {
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : Math.abs(value) >= 1 ? 1 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function formatValue(f: Figure): string {
  if (f.value === null) return 'not measured';
  return `${formatNumber(f.value)} ${f.unit}`.trim();
}

/** "812–1,204 (5)": the spread over the runs and how many there were; empty for a single run. */
function formatSpread(f: Figure): string {
  if (!f.spread || f.runs.length < 2) return f.runs.length === 1 ? '(1 run)' : '';
  const [min, max] = f.spread;
  return `${formatNumber(min)}–${formatNumber(max)} (${f.runs.length})`;
}

const verdict = (f: Figure) => (f.met === null ? '' : f.met ? 'met' : 'NOT met');

const HEADER = ['figure', 'median', 'spread (runs)', 'goal', 'met', 'kind'];
const cells = (f: Figure) => [f.figure, formatValue(f), formatSpread(f), f.goal, verdict(f), f.kind];

export function renderTable(figures: Figure[]): string {
  const rows = [HEADER, ...figures.map(cells)];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c] + (cell.length - [...cell].length)))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  const notes = figures.filter((f) => f.note).map((f) => `  * ${f.figure}: ${f.note}`);
  return [line(rows[0]), rule, ...rows.slice(1).map(line), ...(notes.length ? ['', 'notes:', ...notes] : [])].join(
    '\n',
  );
}

/** The same table as Markdown, for docs/performance.md. */
export function renderMarkdown(figures: Figure[]): string {
  const rows = figures.map((f) => `| ${cells(f).join(' | ')} |`);
  return [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`, ...rows].join('\n');
}
