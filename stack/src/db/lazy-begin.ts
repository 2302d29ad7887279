import type { Queryable } from '../types.ts';

/**
 * Runs one statement. `prefix` is parameterless SQL to run first, in the same round trip when the driver
 * can (PGlite always can; node-postgres when the statement has no parameters either).
 */
export type Run = (sql: string, params?: unknown[], prefix?: string) => Promise<{ rows: unknown[]; affectedRows?: number }>;

/**
 * A transaction's Queryable that sends BEGIN, and the transaction's prelude (an API request's role and
 * claims, see as-role.ts), together with its first statement: a request's transaction then costs one
 * round trip for its statement and one for COMMIT, however the driver sends them.
 * `begun` tells the caller whether COMMIT or ROLLBACK is owed; a transaction that ran nothing owes neither.
 */
export function lazyBegin(run: Run, prelude?: string): Queryable & { readonly begun: boolean } {
  let begun = false;
  return {
    get begun() {
      return begun;
    },
    async query<T = Record<string, unknown>>(sql: string, params?: unknown[]) {
      if (begun) return (await run(sql, params)) as { rows: T[]; affectedRows?: number };
      begun = true;
      return (await run(sql, params, prelude ? `begin; ${prelude}` : 'begin')) as { rows: T[]; affectedRows?: number };
    },
  };
}

/** Runs fn in one lazily begun transaction on `run`: COMMIT if it resolves, ROLLBACK if it throws. */
export async function inTransaction<T>(run: Run, fn: (tx: Queryable) => Promise<T>, prelude?: string): Promise<T> {
  const tx = lazyBegin(run, prelude);
  try {
    const value = await fn(tx);
    if (tx.begun) await run('commit');
    return value;
  } catch (error) {
    if (tx.begun) await run('rollback').catch(() => undefined);
    throw error;
  }
}
