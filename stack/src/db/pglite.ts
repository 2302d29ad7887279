import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable, TransactionOptions } from '../types.ts';
import { createMutex } from './mutex.ts';
import { inTransaction } from './lazy-begin.ts';
import { pipelined } from './pglite-protocol.ts';
import { makePrivateDir } from './private-dir.ts';

/**
 * Postgres' own buffer cache, inside PGlite's WebAssembly memory. Postgres' default (128 MB) is sized for
 * a server with its own RAM; here every page it caches is already in memory once more (PGlite's files are
 * Node's, in the OS page cache, or its in-memory file system), and the buffers are the largest part of
 * the stack's resident memory. 16 MB holds this project's working set (docs/performance.md).
 */
const SHARED_BUFFERS = process.env.STACK_PGLITE_SHARED_BUFFERS || '16MB';

/**
 * Embedded Postgres. PGlite has exactly one session, so every query and every transaction
 * waits its turn: without the queue a query from one request could land inside another's transaction.
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  // A fresh clone has no .data/ yet; PGlite creates only the last path segment. Private on every start.
  if (dataDir) await makePrivateDir(dataDir);
  const pg = await PGlite.create({
    dataDir,
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
  });
  // A new database's files are written 0666 whatever the umask.
  if (dataDir) await makePrivateDir(dataDir);
  const exclusive = createMutex();
  const run = pipelined(pg);

  return {
    kind: 'pglite',
    query: <T = Record<string, unknown>>(sql: string, params?: unknown[]) => exclusive(() => run<T>(sql, params)),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions) =>
      exclusive(() => inTransaction(run, fn, options)),
    async listen(channel, onNotify) {
      const unlisten = await exclusive(() => pg.listen(channel, onNotify));
      return () => exclusive(() => unlisten());
    },
    close: () =>
      exclusive(async () => {
        await pg.close();
        // Whatever loosened a mode while it ran (nothing of ours should): tightened at rest too.
        if (dataDir) await makePrivateDir(dataDir);
      }),
  };
}
