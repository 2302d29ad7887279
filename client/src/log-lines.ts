// What a viewer keeps of an agent's live log, pure: batches merged by (worker instance, sequence number) so
// a backlog sent again adds nothing twice, in the order the worker logged them, bounded; the gaps where a
// worker dropped lines from its full buffer; filters by level and text; lines as plain text.
import { LOG_LEVELS, type LogBatch, type LogLevel, type LogLine } from '@agent-status/domain';

/** A line as a viewer shows it: its worker instance, and a stable key. */
export type ShownLine = LogLine & { instance: string; key: string };
/** Lines, or the mark of lines the viewer never received (dropped from a full buffer before being sent). */
export type LogEntry = { kind: 'line'; line: ShownLine } | { kind: 'gap'; key: string; missing: number };

export interface LogLines {
  /** The lines kept, oldest first. */
  lines: readonly ShownLine[];
  /** Keys of the lines kept, for deduplication. */
  keys: ReadonlySet<string>;
  /** Lines let go from the front to stay within the bound. */
  trimmed: number;
}

/** A viewer keeps at most this many lines (the worker's buffer holds 1,000 by default). */
export const MAX_SHOWN_LINES = 5_000;

export const emptyLogLines: LogLines = { lines: [], keys: new Set(), trimmed: 0 };

const isLevel = (value: unknown): value is LogLevel => LOG_LEVELS.includes(value as LogLevel);

/** A batch's lines as they may be shown; anything that is not a line of the contract is left out. */
export function batchLines(batch: unknown): ShownLine[] {
  const { instance, lines } = (batch ?? {}) as Partial<LogBatch>;
  if (typeof instance !== 'string' || !Array.isArray(lines)) return [];
  return lines.flatMap((line): ShownLine[] => {
    if (!line || typeof line !== 'object' || !Number.isInteger(line.seq) || typeof line.text !== 'string') return [];
    return [
      {
        seq: line.seq,
        at: typeof line.at === 'string' ? line.at : '',
        level: isLevel(line.level) ? line.level : 'info',
        text: line.text,
        ...(line.fields && typeof line.fields === 'object' && !Array.isArray(line.fields)
          ? { fields: line.fields }
          : {}),
        instance,
        key: `${instance}:${line.seq}`,
      },
    ];
  });
}

/** Adds a batch: new lines only, in sequence order within their instance; the oldest go beyond `max`. */
export function mergeBatch(state: LogLines, batch: unknown, max = MAX_SHOWN_LINES): LogLines {
  const fresh = batchLines(batch).filter((line) => !state.keys.has(line.key));
  if (fresh.length === 0) return state;
  let lines = [...state.lines];
  for (const line of fresh) {
    // A backlog sent again after live lines: put a line before the later ones of its instance.
    let at = lines.length;
    while (at > 0 && lines[at - 1].instance === line.instance && lines[at - 1].seq > line.seq) at--;
    lines.splice(at, 0, line);
  }
  const keys = new Set(state.keys);
  for (const line of fresh) keys.add(line.key);
  let trimmed = state.trimmed;
  if (lines.length > max) {
    const cut = lines.length - max;
    for (const line of lines.slice(0, cut)) keys.delete(line.key);
    lines = lines.slice(cut);
    trimmed += cut;
  }
  return { lines, keys, trimmed };
}

/** `level` and above (info shows everything). */
export function atLeast(level: LogLevel, wanted: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(wanted);
}

export interface LogFilter {
  level: LogLevel;
  /** Case-insensitive, in the text and the fields. */
  text: string;
}

export function matches(line: LogLine, filter: LogFilter): boolean {
  if (!atLeast(line.level, filter.level)) return false;
  const wanted = filter.text.trim().toLowerCase();
  if (!wanted) return true;
  return (
    line.text.toLowerCase().includes(wanted) ||
    (line.fields !== undefined && JSON.stringify(line.fields).toLowerCase().includes(wanted))
  );
}

/** The lines to show, with a gap mark wherever sequence numbers of one instance jump. */
export function entries(lines: readonly ShownLine[], filter: LogFilter): LogEntry[] {
  const out: LogEntry[] = [];
  const lastSeq = new Map<string, number>();
  for (const line of lines) {
    const previous = lastSeq.get(line.instance);
    lastSeq.set(line.instance, line.seq);
    if (previous !== undefined && line.seq > previous + 1) {
      out.push({ kind: 'gap', key: `gap:${line.key}`, missing: line.seq - previous - 1 });
    }
    if (matches(line, filter)) out.push({ kind: 'line', line });
  }
  return out;
}

/** One line as plain text: "2026-12-06T10:00:01.000Z warn  text {"fields":…}". */
export function lineAsText(line: LogLine): string {
  const fields = line.fields && Object.keys(line.fields).length > 0 ? ` ${JSON.stringify(line.fields)}` : '';
  return `${line.at} ${line.level.padEnd(5)} ${line.text}${fields}`;
}
