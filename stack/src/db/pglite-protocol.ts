// One PGlite call per statement. PGlite's query() makes six calls into the WASM backend for a statement
// with parameters (parse, describe, bind, describe, execute, sync) and exec() two; each costs a pass
// through its protocol loop and result parser. Writing the messages into one buffer makes it one pass,
// lets a transaction's BEGIN and prelude ride along, and statements with parameters are prepared once
// and bound by name afterwards, as PostgREST does (measured in docs/performance.md).
import { parse, protocol, type PGlite } from '@electric-sql/pglite';
import type { Step } from './lazy-begin.ts';

const { DatabaseError } = protocol.messages;
type DatabaseError = InstanceType<typeof DatabaseError>;
type Result<T> = { rows: T[]; affectedRows?: number };
export type PipelinedRun = <T>(
  sql: string,
  params?: unknown[],
  prefix?: string | Step[],
  suffix?: string,
) => Promise<Result<T>>;

/** Prepared statements kept per database; the least recently used is closed beyond this. */
export const MAX_PREPARED_STATEMENTS = 256;
// Errors after which a prepared statement must be prepared again: it is gone, or its plan's result type changed.
const STALE_STATEMENT_CODES = new Set(['26000', '0A000']);

/** Parameter values as the text Postgres parses; undefined when one needs PGlite's own serializers. */
function asText(params: unknown[]): (string | null)[] | undefined {
  const values: (string | null)[] = [];
  for (const value of params) {
    if (value === null || value === undefined) values.push(null);
    else if (typeof value === 'string') values.push(value);
    else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
      values.push(String(value));
    else return undefined;
  }
  return values;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * A `run(sql, params, prefix, suffix)` for one PGlite session (callers serialise access): runs `prefix`
 * (parameterless SQL, or a list of steps, e.g. BEGIN and a transaction's prelude with parameters), `sql`,
 * and `suffix` (parameterless, run even when what came before failed: a COMMIT) in one call, and returns
 * the result of `sql` (its last statement). Errors are PGlite's DatabaseError, as from query() and exec().
 */
export function pipelined(pg: PGlite): PipelinedRun {
  const { serialize } = protocol;
  const prepared = new Map<string, string>();
  let closing: string[] = [];
  let counter = 0;

  return async <T>(
    sql: string,
    params: unknown[] = [],
    prefix?: string | Step[],
    suffix?: string,
  ): Promise<Result<T>> => {
    const steps: Step[] = [...(typeof prefix === 'string' ? [{ sql: prefix }] : (prefix ?? [])), { sql, params }];
    const texts = steps.map((step) => (step.params?.length ? asText(step.params) : []));
    if (texts.some((values) => !values)) return serialized<T>(steps, suffix);
    const messages: Uint8Array[] = [];
    // Statements bound by name in this call; fresh ones are parsed in it too.
    const bound: { sql: string; name: string; fresh: boolean }[] = [];
    let extended = false; // extended-protocol messages sent since the last Sync
    steps.forEach((step, i) => {
      const values = texts[i]!;
      if (values.length === 0) {
        // After an error the backend skips extended messages up to Sync: a Query must come after one.
        if (extended) messages.push(serialize.sync());
        extended = false;
        messages.push(serialize.query(step.sql));
        return;
      }
      let name = prepared.get(step.sql);
      const fresh = !name;
      if (name) prepared.delete(step.sql);
      else {
        name = `_stack_${++counter}`;
        messages.push(serialize.parse({ name, text: step.sql }));
      }
      bound.push({ sql: step.sql, name, fresh });
      messages.push(
        serialize.bind({ statement: name, values }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
      );
      extended = true;
    });
    if (bound.length > 0) {
      for (const old of closing) messages.push(serialize.close({ type: 'S', name: old }));
      closing = [];
    }
    if (extended) messages.push(serialize.sync());
    // Its own Query message: a failure earlier skips the rest of its message (or up to Sync), not this.
    if (suffix) messages.push(serialize.query(suffix));
    const { messages: replies } = await pg.execProtocol(concat(messages), { throwOnError: false });
    const error = replies.find((m): m is DatabaseError => m instanceof DatabaseError);
    // Parses are answered in order and skipped after an error: the first n fresh ones succeeded.
    let parsed = replies.filter((m) => m.name === 'parseComplete').length;
    const stale = !!(error?.code && STALE_STATEMENT_CODES.has(error.code));
    for (const { sql: text, name, fresh } of bound) {
      const usable = fresh ? parsed-- > 0 : !stale;
      if (usable) remember(text, name);
      else closing.push(name);
    }
    if (error) throw error;
    const results = parse.parseResults(replies, pg.parsers);
    const last = results[results.length - (suffix ? 2 : 1)];
    return { rows: (last?.rows ?? []) as T[], affectedRows: last?.affectedRows };
  };

  /** Parameters that need PGlite's own serializers (arrays, dates, bytes): its query(), a call per message. */
  async function serialized<T>(steps: Step[], suffix?: string): Promise<Result<T>> {
    try {
      let result: Result<T> = { rows: [] };
      for (const step of steps) {
        if (step.params?.length) {
          const r = await pg.query<T>(step.sql, step.params);
          result = { rows: r.rows, affectedRows: r.affectedRows };
        } else {
          const r = await pg.exec(step.sql);
          const last = r[r.length - 1];
          result = { rows: (last?.rows ?? []) as T[], affectedRows: last?.affectedRows };
        }
      }
      return result;
    } finally {
      if (suffix) await pg.exec(suffix);
    }
  }

  function remember(sql: string, name: string) {
    prepared.set(sql, name);
    if (prepared.size <= MAX_PREPARED_STATEMENTS) return;
    const [oldestSql, oldestName] = prepared.entries().next().value as [string, string];
    prepared.delete(oldestSql);
    closing.push(oldestName);
  }
}
