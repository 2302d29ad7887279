// The stack's stand-in for pg_net: net.http_post() queues a request that is sent only after the
// calling transaction commits (never after a rollback), with the queued method, headers, body and
// query parameters; the answer, a timeout or a network error lands in net._http_response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestStack, type RunningStack } from '../support/stack.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { eventually, sleep } from '../support/eventually.ts';

interface ResponseRow {
  id: string;
  status_code: number | null;
  content: string | null;
  timed_out: boolean | null;
  error_msg: string | null;
}

describe.each(databases)('net.http_post on the stack ($name)', ({ databaseUrl }) => {
  let stack: RunningStack;
  let receiver: Receiver;

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await stack?.stop();
  });

  const response = async (id: string) =>
    (
      await stack.db.query<ResponseRow>(
        `select id::text, status_code, content, timed_out, error_msg from net._http_response where id = $1`,
        [id],
      )
    ).rows[0];

  it('sends after commit, with the queued headers, body and params, and records the answer', async () => {
    receiver.requests.length = 0;
    const id = await stack.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `select net.http_post(url := $1, body := '{"hello":"world"}'::jsonb, params := '{"a b":"c&d"}'::jsonb,
                              headers := '{"Content-Type":"application/json","X-Test":"yes"}'::jsonb)::text as id`,
        [`${receiver.url}/hook`],
      );
      await sleep(1_500); // the worker polls every second: nothing may leave before the commit
      expect(receiver.requests).toHaveLength(0);
      return rows[0].id;
    });
    const answer = await eventually(
      () => response(id),
      (row) => row !== undefined,
      'the response row',
      10_000,
    );
    expect(answer).toMatchObject({ status_code: 200, content: 'ok', timed_out: false, error_msg: null });
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/hook?a%20b=c%26d');
    expect(request.headers['x-test']).toBe('yes');
    expect(JSON.parse(request.body)).toEqual({ hello: 'world' });
    const { rows } = await stack.db.query(`select 1 from net.http_request_queue where id = $1`, [id]);
    expect(rows).toHaveLength(0);
  });

  it('never sends a request whose transaction rolled back', async () => {
    receiver.requests.length = 0;
    await stack.db
      .transaction(async (tx) => {
        await tx.query(`select net.http_post(url := $1)`, [`${receiver.url}/rolled-back`]);
        throw new Error('rollback');
      })
      .catch(() => undefined);
    await sleep(2_500);
    expect(receiver.requests).toHaveLength(0);
  });

  it('records a timeout and a refused connection as pg_net does', async () => {
    receiver.delayMs = 2_000;
    const [{ slow }] = (
      await stack.db.query<{ slow: string }>(
        `select net.http_post(url := $1, timeout_milliseconds := 200)::text as slow`,
        [`${receiver.url}/slow`],
      )
    ).rows;
    const [{ refused }] = (
      await stack.db.query<{ refused: string }>(
        `select net.http_post(url := 'http://127.0.0.1:1/nothing')::text as refused`,
      )
    ).rows;
    const timedOut = await eventually(
      () => response(slow),
      (row) => row !== undefined,
      'the timeout row',
      10_000,
    );
    expect(timedOut).toMatchObject({ status_code: null, timed_out: true });
    expect(timedOut.error_msg).toMatch(/Timeout of 200 ms/);
    const failed = await eventually(
      () => response(refused),
      (row) => row !== undefined,
      'the refused row',
      10_000,
    );
    expect(failed.status_code).toBeNull();
    expect(failed.error_msg).toBeTruthy();
    receiver.delayMs = 0;
  });
});
