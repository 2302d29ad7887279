// The compact text of tool answers. Everything an agent or a person wrote (names, messages, activity,
// log lines) reaches the assistant as data: control characters escaped, free text quoted, long text cut.
import { safe } from '../output.ts';

/** Free text from the server, quoted (JSON string syntax) and cut to `max` code points. */
export function quoted(text: string, max = 300): string {
  return JSON.stringify(cut(text, max));
}

/** A name from the server on one line: control characters escaped. */
export const name = (text: string) => safe(text);

/** At most `max` code points; a cut text ends with "…". */
export function cut(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/** 2026-11-27T14:03:05Z: UTC, to the second. */
export function utc(iso: string | null): string {
  if (!iso) return '—';
  const time = Date.parse(iso);
  return Number.isFinite(time) ? new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z') : iso;
}

/** 99.95 %, or — when nothing was counted. */
export function percent(ratio: number | null): string {
  if (ratio === null) return '—';
  const value = ratio * 100;
  return `${value === 100 || value === 0 ? value.toFixed(0) : value.toFixed(2)} %`;
}

/** The line that tells the assistant how to get the next page. */
export function more(tool: string, cursor: string | null): string[] {
  return cursor ? [`More: call ${tool} again with cursor "${cursor}".`] : [];
}
