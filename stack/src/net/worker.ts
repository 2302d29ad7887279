// What pg_net's background worker does on hosted Supabase, for a database without pg_net (PGlite, a
// plain PostgreSQL): sends the requests that net.http_post() queued in net.http_request_queue (the
// bootstrap provides both), only once the calling transaction has committed — the queue row is not
// visible before, and the wake-up (NOTIFY net_http_request) is delivered at commit — and keeps each
// answer in net._http_response for 6 hours. Like pg_net: a request is taken off the queue before it
// is sent and never retried; a timeout or a network error is recorded as the answer. Failures of the
// worker itself are logged, never thrown. Where pg_net is installed, the database sends its own.
import type { Db } from '../types.ts';
import { sendQueued, type QueuedRequest, type RecordedResponse } from './send.ts';

export interface NetWorkerOptions {
  db: Db;
  log(scope: string, message: string): void;
  /** How often the queue is read when no wake-up came (a missed NOTIFY, a request queued before start); default 1 s. */
  pollIntervalMs?: number;
  /** Requests taken from the queue per round; all of a round are sent at once, as pg_net's batch. */
  batchSize?: number;
}

export interface NetWorker {
  /** Stops taking requests and waits for those in flight. */
  stop(): Promise<void>;
}

const RESPONSE_TTL = '6 hours';
const PRUNE_EVERY_MS = 60_000;

export async function startNetWorker(opts: NetWorkerOptions): Promise<NetWorker> {
  const { db, log } = opts;
  const { rows } = await db.query<{ pgnet: boolean; queue: boolean }>(
    `select exists (select 1 from pg_extension where extname = 'pg_net') as pgnet,
            to_regclass('net.http_request_queue') is not null as queue`,
  );
  if (rows[0].pgnet) {
    log('net', 'pg_net is installed in this database: it sends net.http_post requests, the stack sends none');
    return { stop: async () => undefined };
  }
  if (!rows[0].queue) return { stop: async () => undefined };

  let stopped = false;
  let round: Promise<void> = Promise.resolve();
  let again = false;
  let lastPrune = 0;

  // One round at a time; a wake-up during a round runs one more round after it.
  const wake = () => {
    if (stopped) return;
    if (again) return;
    again = true;
    round = round.then(async () => {
      again = false;
      await drain().catch((error) => log('net', `sending queued requests failed: ${(error as Error).message}`));
    });
  };

  async function drain() {
    for (;;) {
      if (stopped) return;
      const batch = await takeBatch(db, opts.batchSize ?? 200);
      if (batch.length === 0) break;
      const responses = await Promise.all(batch.map((request) => sendQueued(request)));
      await recordResponses(db, responses);
    }
    if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      await db.query(`delete from net._http_response where created < now() - interval '${RESPONSE_TTL}'`);
    }
  }

  const unlisten = await db.listen('net_http_request', wake);
  const poll = setInterval(wake, opts.pollIntervalMs ?? 1000);
  wake();

  return {
    async stop() {
      stopped = true;
      clearInterval(poll);
      await unlisten().catch(() => undefined);
      await round;
    },
  };
}

/** Takes the oldest queued requests off the queue (skip locked: several stacks on one database share the work). */
async function takeBatch(db: Db, size: number): Promise<QueuedRequest[]> {
  const { rows } = await db.query<QueuedRequest>(
    `delete from net.http_request_queue
      where id in (select id from net.http_request_queue order by id limit $1 for update skip locked)
      returning id::text as id, method, url, headers, encode(body, 'base64') as body, timeout_milliseconds as "timeoutMs"`,
    [size],
  );
  return rows;
}

async function recordResponses(db: Db, responses: RecordedResponse[]): Promise<void> {
  await db.query(
    `insert into net._http_response (id, status_code, content_type, headers, content, timed_out, error_msg)
     select id, status_code, content_type, headers, content, timed_out, error_msg
       from jsonb_to_recordset($1::jsonb) as r(id bigint, status_code integer, content_type text, headers jsonb,
                                               content text, timed_out boolean, error_msg text)`,
    [JSON.stringify(responses)],
  );
}
