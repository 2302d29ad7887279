// `agent.log`: the worker's logger. A line is made (text bounded, fields made JSON and bounded), redacted,
// put in the ring buffer and — unless echo is off — printed as console.log/warn/error would. Logging
// never throws into the agent's code and never waits on the network: sending is the live tail's job
// (log-tail.ts), and it only runs while someone watches.
import { format } from 'node:util';
import { LOG_LINE_MAX_LENGTH, type LogLevel } from './constants.ts';
import type { JsonValue, LogBuffer, LogFields, LogLine } from './log-buffer.ts';
import { defaultRedact, hideSecrets, type LogEntry, type Redact } from './redact.ts';
import { truncateMessage } from './truncate.ts';

/** `agent.log(line)` (info) and `agent.log.info|warn|error(message, fields?)`. */
export interface AgentLog {
  (message: unknown, fields?: Record<string, unknown>): void;
  info(message: unknown, fields?: Record<string, unknown>): void;
  warn(message: unknown, fields?: Record<string, unknown>): void;
  error(message: unknown, fields?: Record<string, unknown>): void;
}

/** A field's string value is cut to this many characters, and a line's fields to this many bytes of JSON. */
export const FIELD_VALUE_MAX_LENGTH = 500;
export const FIELDS_MAX_BYTES = 2048;

export interface AgentLogOptions {
  buffer: LogBuffer;
  /** Runs on every line before it is kept; null drops the line. Default: defaultRedact. */
  redact?: Redact;
  /** The worker's own credentials: hidden in every line whatever `redact` does. */
  secrets?: readonly (string | undefined)[];
  /** Print agent.log lines to the console too (not the captured ones, which were printed already). */
  echo?: (level: LogLevel, text: string, fields?: LogFields) => void;
  /** Called after a line entered the buffer. */
  onLine?: (line: LogLine) => void;
  /** Where a failing redaction hook is reported (once). */
  warn?: (message: string) => void;
}

export interface AgentLogger {
  log: AgentLog;
  /** Records a line that was already printed (captured console output): no echo. */
  capture(level: LogLevel, message: unknown, fields?: Record<string, unknown>): void;
}

/** Text of anything logged: strings as they are, errors with their stack, the rest as console.log shows it. */
export function lineText(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof Error) return message.stack ?? `${message.name}: ${message.message}`;
  try {
    return format('%O', message);
  } catch {
    return String(message);
  }
}

function jsonValue(value: unknown, depth: number, seen: Set<object>): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return truncateMessage(value, FIELD_VALUE_MAX_LENGTH);
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (value instanceof Error) return truncateMessage(`${value.name}: ${value.message}`, FIELD_VALUE_MAX_LENGTH);
  if (typeof value !== 'object') return String(value);
  if (seen.has(value) || depth > 4) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => jsonValue(item, depth + 1, seen));
  const out: LogFields = {};
  for (const [key, item] of Object.entries(value).slice(0, 50)) out[key] = jsonValue(item, depth + 1, seen);
  return out;
}

/** Fields as JSON: strings cut, at most FIELDS_MAX_BYTES (later keys left out, and said so). */
export function lineFields(fields: unknown): LogFields | undefined {
  if (fields === undefined || fields === null) return undefined;
  const value = jsonValue(fields, 0, new Set());
  const object: LogFields = value && typeof value === 'object' && !Array.isArray(value) ? value : { value };
  const out: LogFields = {};
  const keys = Object.keys(object);
  for (const [i, key] of keys.entries()) {
    const next = { ...out, [key]: object[key] };
    if (JSON.stringify(next).length > FIELDS_MAX_BYTES - 40) {
      out['…'] = `${keys.length - i} more field(s) left out`;
      break;
    }
    out[key] = object[key];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function createAgentLogger(options: AgentLogOptions): AgentLogger {
  const redact = options.redact ?? defaultRedact;
  const hide = hideSecrets(options.secrets ?? []);
  let hookFailed = false;

  function record(level: LogLevel, message: unknown, fields: unknown, echo: boolean) {
    try {
      const entry: LogEntry = {
        at: new Date().toISOString(),
        level,
        text: truncateMessage(lineText(message), LOG_LINE_MAX_LENGTH),
      };
      const bounded = lineFields(fields);
      if (bounded) entry.fields = bounded;
      let redacted: LogEntry | null;
      try {
        redacted = redact(entry);
      } catch (error) {
        // A broken hook must not let the line out unredacted, nor break the agent: drop the line.
        if (!hookFailed) options.warn?.(`the log redaction hook threw (${String(error)}); such lines are dropped`);
        hookFailed = true;
        redacted = null;
      }
      if (echo) options.echo?.(level, entry.text, entry.fields);
      if (!redacted) return;
      const kept = hide({ ...redacted, text: truncateMessage(String(redacted.text), LOG_LINE_MAX_LENGTH) });
      const line = options.buffer.push(kept);
      options.onLine?.(line);
    } catch {
      // Logging never throws into the agent's code.
    }
  }

  const at = (level: LogLevel) => (message: unknown, fields?: Record<string, unknown>) =>
    record(level, message, fields, true);
  const log = Object.assign(at('info'), { info: at('info'), warn: at('warn'), error: at('error') }) as AgentLog;
  return { log, capture: (level, message, fields) => record(level, message, fields, false) };
}
