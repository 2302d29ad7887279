import pg from 'pg';
import type { Db, Queryable, TransactionOptions } from '../types.ts';
import { inTransaction, type Step } from './lazy-begin.ts';
import { quoteIdent } from './quote.ts';

/** A real Postgres (DATABASE_URL), e.g. PostgreSQL 15 in tests or a self-hosted server. */
export async function openPostgres(connectionString: string): Promise<Db> {
  // Pipeline mode (node-postgres ≥ 8.23): a client writes each query as soon as it is given one instead
  // of waiting for the previous answer, so a request's prelude and first statement share a round trip.
  const pool = new pg.Pool({ connectionString, max: 10, pipeline: true } as pg.PoolConfig);
  // An idle client that loses its server (restart, network) must not crash the process.
  pool.on('error', () => undefined);
  await pool.query('select 1');
  let listener: pg.PoolClient | undefined;
  const handlers = new Map<string, Set<(payload: string) => void>>();

  // Statements with parameters run before another (a transaction's prelude) are prepared once per
  // connection, under these names.
  const names = new Map<string, string>();
  const named = (step: Step) => {
    if (!step.params?.length) return step.sql;
    let name = names.get(step.sql);
    if (!name) names.set(step.sql, (name = `stack_prelude_${names.size + 1}`));
    return { name, text: step.sql, values: step.params };
  };

  // The simple protocol takes several statements at once; the extended one (with parameters) takes one.
  // On a client (a transaction) the prefix's steps, the statement and the suffix are queries of their own,
  // pipelined: all are written at once and answered in order, one round trip. The suffix runs even when
  // the statement fails (COMMIT then ends the aborted transaction: Postgres rolls it back).
  const run = async <T>(q: pg.Pool | pg.PoolClient, sql: string, params?: unknown[], prefix?: string | Step[], suffix?: string) => {
    const before = typeof prefix === 'string' ? [{ sql: prefix }] : prefix ?? [];
    let result;
    if (!suffix && !params?.length && before.every((step) => !step.params?.length)) {
      result = await q.query([...before.map((step) => step.sql), sql].join('; '));
    } else if (!suffix && before.length === 0) {
      result = await q.query(sql, params);
    } else {
      const queries = [...before.map((step) => q.query(named(step) as string)), q.query(sql, params), ...(suffix ? [q.query(suffix)] : [])];
      for (const query of queries) query.catch(() => undefined); // the first failure is the cause; the rest follow from it
      for (let i = 0; i < before.length; i++) await queries[i];
      result = await queries[before.length];
      if (suffix) await queries[before.length + 1];
    }
    // A multi-statement script returns one result per statement.
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    return { rows: (last?.rows ?? []) as T[], affectedRows: last?.rowCount ?? undefined };
  };

  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions) {
      const client = await pool.connect();
      try {
        return await inTransaction((sql, params, prefix, suffix) => run(client, sql, params, prefix, suffix), fn, options);
      } finally {
        client.release();
      }
    },
    // LISTEN needs one session that stays open; pooled clients come and go.
    async listen(channel, onNotify) {
      if (!listener) {
        listener = await pool.connect();
        listener.on('notification', (n) => handlers.get(n.channel)?.forEach((h) => h(n.payload ?? '')));
      }
      const client = listener;
      let set = handlers.get(channel);
      if (!set) {
        handlers.set(channel, (set = new Set()));
        await client.query(`listen ${quoteIdent(channel)}`);
      }
      set.add(onNotify);
      return async () => {
        set.delete(onNotify);
        if (set.size === 0 && handlers.get(channel) === set) {
          handlers.delete(channel);
          await client.query(`unlisten ${quoteIdent(channel)}`).catch(() => undefined);
        }
      };
    },
    async close() {
      listener?.release();
      listener = undefined;
      await pool.end();
    },
  };
}
