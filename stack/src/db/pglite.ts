import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable } from '../types.ts';
import { createMutex } from './mutex.ts';
import { inTransaction } from './lazy-begin.ts';

/**
 * Embedded Postgres. PGlite has exactly one session, so every query and every transaction
 * waits its turn: without the queue a query from one request could land inside another's transaction.
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  // A fresh clone has no .data/ yet; PGlite creates only the last path segment.
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir);
  const exclusive = createMutex();
  // Without parameters, the simple protocol lets scripts (migrations) hold several statements.
  const run = async <T>(q: Pick<PGlite, 'query' | 'exec'>, sql: string, params?: unknown[]) => {
    if (!params?.length) {
      const results = await q.exec(sql);
      const last = results[results.length - 1];
      return { rows: (last?.rows ?? []) as T[], affectedRows: last?.affectedRows };
    }
    const result = await q.query<T>(sql, params);
    return { rows: result.rows, affectedRows: result.affectedRows };
  };

  return {
    kind: 'pglite',
    query: <T = Record<string, unknown>>(sql: string, params?: unknown[]) =>
      exclusive(() => run<T>(pg, sql, params)),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
      exclusive(() => inTransaction((sql, params) => run(pg, sql, params), fn)),
    async listen(channel, onNotify) {
      const unlisten = await exclusive(() => pg.listen(channel, onNotify));
      return () => exclusive(() => unlisten());
    },
    close: () => exclusive(() => pg.close()),
  };
}
