import pg from 'pg';
import type { Db, Queryable, TransactionOptions } from '../types.ts';
import { inTransaction, type Step } from './lazy-begin.ts';
import { quoteIdent } from './quote.ts';

/** Distinct statement texts prepared by name (per process; each connection prepares what it uses). */
export const MAX_NAMED_STATEMENTS = 1000;
// Errors after which a prepared statement must be prepared again: it is gone, or its plan's result type changed.
const STALE_STATEMENT_CODES = new Set(['26000', '0A000']);

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

  // Statements with parameters are prepared once per connection and bound by name afterwards, as
  // PostgREST does: Postgres then parses and plans each text once per session instead of on every
  // request (measured in docs/performance.md). Names are per text; past MAX_NAMED_STATEMENTS texts new
  // ones run unnamed. A statement whose plan went stale (a migration changed its result type) gets a new
  // name, so the next use prepares it again.
  const names = new Map<string, string>();
  let counter = 0;
  const named = (sql: string, params: unknown[]) => {
    let name = names.get(sql);
    if (!name && names.size < MAX_NAMED_STATEMENTS) names.set(sql, (name = `stack_${++counter}`));
    return name ? { name, text: sql, values: params } : { text: sql, values: params };
  };
  const query = (q: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) => {
    if (!params?.length) return q.query(sql);
    const result = q.query(named(sql, params));
    result.catch((error: { code?: string }) => {
      if (error?.code && STALE_STATEMENT_CODES.has(error.code)) names.delete(sql);
    });
    return result;
  };

  // The simple protocol takes several statements at once; the extended one (with parameters) takes one.
  // On a client (a transaction) the prefix's steps, the statement and the suffix are queries of their own,
  // pipelined: all are written at once and answered in order, one round trip. The suffix runs even when
  // the statement fails (COMMIT then ends the aborted transaction: Postgres rolls it back).
  const run = async <T>(
    q: pg.Pool | pg.PoolClient,
    sql: string,
    params?: unknown[],
    prefix?: string | Step[],
    suffix?: string,
  ) => {
    const before = typeof prefix === 'string' ? [{ sql: prefix }] : (prefix ?? []);
    let result;
    if (!suffix && !params?.length && before.every((step) => !step.params?.length)) {
      result = await q.query([...before.map((step) => step.sql), sql].join('; '));
    } else if (!suffix && before.length === 0) {
      result = await query(q, sql, params);
    } else {
      const queries = [
        ...before.map((step) => query(q, step.sql, step.params)),
        query(q, sql, params),
        ...(suffix ? [q.query(suffix)] : []),
      ];
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
        return await inTransaction(
          (sql, params, prefix, suffix) => run(client, sql, params, prefix, suffix),
          fn,
          options,
        );
      } finally {
        client.release();
      }
    },
    // LISTEN needs one session that stays open; pooled clients come and go.
    async listen(channel, onNotify) {
      if (!listener) {
        listener = await pool.connect();
        listener.on('notification', (n) => {
          for (const h of handlers.get(n.channel) ?? []) h(n.payload ?? '');
        });
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
