// One row per figure: what was measured, its value, the goal, and whether the goal is met.
// The same rows are printed as a text table and written as JSON.

export interface Figure {
  /** e.g. "heartbeat ingest, 1,000 agents: sustained" */
  figure: string;
  /** Numeric value, or null when not measured. */
  value: number | null;
  unit: string;
  /** Human text of the goal, e.g. "≥ 2000/s"; empty when the figure only informs. */
  goal: string;
  /** true/false against the goal; null when there is no goal or no value. */
  met: boolean | null;
  /** Why a value is missing, or how it was obtained. */
  note?: string;
}

export type GoalCheck = { text: string; test: (value: number) => boolean };
export const atMost = (limit: number, unit: string): GoalCheck => ({
  text: `≤ ${limit} ${unit}`.trim(),
  test: (v) => v <= limit,
});
export const atLeast = (limit: number, unit: string): GoalCheck => ({
  text: `≥ ${limit} ${unit}`.trim(),
  test: (v) => v >= limit,
});

export function figure(name: string, value: number | null, unit: string, goal?: GoalCheck, note?: string): Figure {
  const measured = value !== null && Number.isFinite(value);
  return {
    figure: name,
    value: measured ? value : null,
    unit,
    goal: goal?.text ?? '',
    met: goal && measured ? goal.test(value) : null,
    ...(note ? { note } : {}),
  };
}

export const notMeasured = (name: string, unit: string, reason: string, goal?: GoalCheck): Figure =>
  figure(name, null, unit, goal, `not measured: ${reason}`);

function formatValue(f: Figure): string {
  if (f.value === null) return 'not measured';
  const digits = Math.abs(f.value) >= 100 || Number.isInteger(f.value) ? 0 : Math.abs(f.value) >= 1 ? 1 : 3;
  return `${f.value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${f.unit}`.trim();
}

const verdict = (f: Figure) => (f.met === null ? '' : f.met ? 'met' : 'NOT met');

export function renderTable(figures: Figure[]): string {
  const rows = [
    ['figure', 'value', 'goal', 'met'],
    ...figures.map((f) => [f.figure, formatValue(f), f.goal, verdict(f)]),
  ];
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
  const rows = figures.map((f) => `| ${f.figure} | ${formatValue(f)} | ${f.goal} | ${verdict(f)} |`);
  return ['| figure | value | goal | met |', '|---|---|---|---|', ...rows].join('\n');
}
