import type { Queryable, TransactionOptions } from '../types.ts';

/** A statement run before another: parameterless SQL (may hold several statements), or one with parameters. */
export type Step = { sql: string; params?: unknown[] };

/**
 * Runs one statement. `prefix` is what to run first (parameterless SQL, or steps) and `suffix`
 * parameterless SQL to run after it (even when it fails), in the same round trip when the driver can
 * (PGlite always; node-postgres pipelines them on one connection).
 */
export type Run = (
  sql: string,
  params?: unknown[],
  prefix?: string | Step[],
  suffix?: string,
) => Promise<{ rows: unknown[]; affectedRows?: number }>;

/** Thrown when a transaction declared `single` is given a second statement. */
export class SingleStatementError extends Error {
  constructor() {
    super('this transaction was declared single-statement and has already committed');
  }
}

/**
 * A transaction's Queryable that sends BEGIN, and the transaction's prelude (an API request's role and
 * claims, see as-role.ts), together with its first statement: a request's transaction then costs one
 * round trip for its statement and one for COMMIT, however the driver sends them. A `single` transaction
 * (one statement, known beforehand) sends its COMMIT with that statement too: one round trip in all; when
 * the statement fails, that COMMIT ends the aborted transaction, which Postgres rolls back.
 * `owed` tells the caller whether COMMIT or ROLLBACK is still owed; a transaction that ran nothing owes neither.
 */
export function lazyBegin(
  run: Run,
  { prelude, preludeParams, single, readOnly }: TransactionOptions = {},
): Queryable & { readonly owed: boolean } {
  const begin = readOnly ? 'begin read only' : 'begin';
  let begun = false;
  let ended = false;
  return {
    get owed() {
      return begun && !ended;
    },
    async query<T = Record<string, unknown>>(sql: string, params?: unknown[]) {
      if (ended) throw new SingleStatementError();
      if (begun) return (await run(sql, params)) as { rows: T[]; affectedRows?: number };
      begun = true;
      // A prelude with parameters is a prepared statement (planned once per session, not per request).
      const prefix = !prelude
        ? begin
        : preludeParams
          ? [{ sql: begin }, { sql: prelude, params: preludeParams }]
          : `${begin}; ${prelude}`;
      if (!single) return (await run(sql, params, prefix)) as { rows: T[]; affectedRows?: number };
      ended = true;
      return (await run(sql, params, prefix, 'commit')) as { rows: T[]; affectedRows?: number };
    },
  };
}

/** Runs fn in one lazily begun transaction on `run`: COMMIT if it resolves, ROLLBACK if it throws. */
export async function inTransaction<T>(
  run: Run,
  fn: (tx: Queryable) => Promise<T>,
  options?: TransactionOptions,
): Promise<T> {
  const tx = lazyBegin(run, options);
  try {
    const value = await fn(tx);
    if (tx.owed) await run('commit');
    return value;
  } catch (error) {
    if (tx.owed) await run('rollback').catch(() => undefined);
    throw error;
  }
}
