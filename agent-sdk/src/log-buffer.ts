// The worker's recent log lines, in memory: a ring bounded by count and by bytes, the oldest dropped
// first. Each line gets a sequence number (per process, from 1), so a viewer can merge a backlog it
// receives again with what it has, and see where lines were dropped. Lines enter it redacted
// (agent-log.ts); nothing here leaves the process.
import type { LogLevel } from './constants.ts';

/** JSON, as fields of a log line may hold it (assignable to the generated Json type). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type LogFields = { [key: string]: JsonValue };

/** One line (a type alias, not an interface, so that it is assignable to the generated Json). */
export type LogLine = {
  seq: number;
  /** When the worker logged it (the worker's clock, ISO 8601). */
  at: string;
  level: LogLevel;
  text: string;
  fields?: LogFields;
};

/** A line as the error's event keeps it (agent_events.log_lines): no sequence number. */
export type CrashLogLine = Omit<LogLine, 'seq'>;

export const DEFAULT_LOG_MAX_LINES = 1000;
export const DEFAULT_LOG_MAX_BYTES = 256 * 1024;

export interface LogBuffer {
  /** Adds a line (numbered here) and drops the oldest ones beyond the bounds. */
  push(line: Omit<LogLine, 'seq'>): LogLine;
  /** The lines after `seq`, oldest first (all of them for 0). */
  since(seq: number): LogLine[];
  /** The newest lines, at most `maxLines` and `maxBytes` of JSON, oldest first. */
  newest(maxLines: number, maxBytes: number): LogLine[];
  /** The highest sequence number given so far (0: none). */
  lastSeq(): number;
  size(): number;
  bytes(): number;
}

/** UTF-8 length of a string, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Bytes of a line as JSON (what it weighs in a batch, in the buffer, in an event). */
export function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value));
}

export function createLogBuffer(maxLines = DEFAULT_LOG_MAX_LINES, maxBytes = DEFAULT_LOG_MAX_BYTES): LogBuffer {
  const lines: Array<{ line: LogLine; bytes: number }> = [];
  let head = 0; // index of the oldest kept line in `lines`
  let seq = 0;
  let total = 0;

  function evict() {
    while (lines.length - head > maxLines || (total > maxBytes && lines.length - head > 1)) {
      total -= lines[head].bytes;
      head++;
    }
    // Compact now and then, so the array does not grow without end.
    if (head > 1024 && head * 2 > lines.length) {
      lines.splice(0, head);
      head = 0;
    }
  }

  return {
    push(line) {
      seq += 1;
      const numbered: LogLine = { seq, ...line };
      const bytes = jsonBytes(numbered);
      lines.push({ line: numbered, bytes });
      total += bytes;
      evict();
      return numbered;
    },
    since(after) {
      const out: LogLine[] = [];
      for (let i = lines.length - 1; i >= head && lines[i].line.seq > after; i--) out.push(lines[i].line);
      return out.reverse();
    },
    newest(max, maxBytesWanted) {
      const out: LogLine[] = [];
      let bytes = 0;
      for (let i = lines.length - 1; i >= head && out.length < max; i--) {
        bytes += lines[i].bytes;
        if (bytes > maxBytesWanted) break;
        out.push(lines[i].line);
      }
      return out.reverse();
    },
    lastSeq: () => seq,
    size: () => lines.length - head,
    bytes: () => total,
  };
}
