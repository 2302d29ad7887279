import type { Queryable } from '../types.ts';

type Run = (sql: string, params?: unknown[]) => Promise<{ rows: unknown[]; affectedRows?: number }>;

/**
 * A transaction's Queryable that sends BEGIN with its first statement: in the same round trip when that
 * statement has no parameters (the simple query protocol takes several statements at once; the extended
 * protocol, used with parameters, takes one), else just before it. Every API request starts with a
 * parameterless statement (as-role.ts), so each saves one round trip to the database.
 * `begun` tells the caller whether COMMIT or ROLLBACK is owed; a transaction that ran nothing owes neither.
 */
export function lazyBegin(run: Run): Queryable & { readonly begun: boolean } {
  let begun = false;
  return {
    get begun() {
      return begun;
    },
    async query<T = Record<string, unknown>>(sql: string, params?: unknown[]) {
      if (!begun) {
        begun = true;
        if (!params?.length) return (await run(`begin; ${sql}`)) as { rows: T[]; affectedRows?: number };
        await run('begin');
      }
      return (await run(sql, params)) as { rows: T[]; affectedRows?: number };
    },
  };
}

/** Runs fn in one lazily begun transaction on `run`: COMMIT if it resolves, ROLLBACK if it throws. */
export async function inTransaction<T>(run: Run, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const tx = lazyBegin(run);
  try {
    const value = await fn(tx);
    if (tx.begun) await run('commit');
    return value;
  } catch (error) {
    if (tx.begun) await run('rollback').catch(() => undefined);
    throw error;
  }
}
