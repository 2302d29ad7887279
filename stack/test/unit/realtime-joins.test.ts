// a join is decided without the database — the publication and the roles' SELECT
// privileges are cached by the change feed (re-read on a schedule), filter values are checked in memory,
// and nothing a client sends runs DDL. Counted here: every statement the Realtime module sends while
// joins are handled, apart from the scheduled re-read of the publication.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRole } from '../../src/db/as-role.ts';
import { openDb } from '../../src/db/index.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createKeys, type Keys } from '../../src/keys/index.ts';
import { createRealtime } from '../../src/realtime/index.ts';
import type { Db, StackModule } from '../../src/types.ts';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let db: Db;
let keys: Keys;
let realtime: StackModule;
let server: http.Server;
let url: string;
let agentId: string;
const statements: string[] = [];
const SCHEDULED = /pg_publication_tables/;

beforeAll(async () => {
  db = await openDb({});
  await migrate(db, rootDir);
  keys = await createKeys();
  const counted: Db = {
    ...db,
    kind: db.kind,
    query: (sql, params) => (statements.push(sql), db.query(sql, params)),
    transaction: (fn, options) =>
      db.transaction((tx) => fn({ query: (sql, params) => (statements.push(sql), tx.query(sql, params)) }), options),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: () => db.close(),
  };
  server = http.createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  realtime = await createRealtime({
    db: counted,
    keys,
    url,
    rootDir,
    asRole: (claims, fn) => asRole(counted, claims, fn),
    log: () => undefined,
  });
  server.on('upgrade', (req, socket, head) => realtime.upgrade!(req, socket, head));
  agentId = (await db.query<{ id: string }>(`select id from public.agent_status limit 1`)).rows[0].id;
}, 60_000);

afterAll(async () => {
  await realtime?.close();
  await new Promise((resolve) => server?.close(resolve));
  await db?.close();
}, 60_000);

async function joinReplies(frames: object[]): Promise<{ status: string; response: { reason?: string } }[]> {
  const ws = new WebSocket(`${url}/realtime/v1/websocket?apikey=${keys.anonKey}&vsn=1.0.0`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const replies: { status: string; response: { reason?: string } }[] = [];
  const done = new Promise<void>((resolve) =>
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        event: string;
        payload: { status: string; response: { reason?: string } };
      };
      if (message.event === 'phx_reply') replies.push(message.payload);
      if (replies.length === frames.length) resolve();
    }),
  );
  for (const [i, payload] of frames.entries()) {
    ws.send(
      JSON.stringify({ topic: `realtime:t${i}`, event: 'phx_join', payload, ref: String(i), join_ref: String(i) }),
    );
  }
  await done;
  ws.close();
  return replies;
}

describe('joins without the database', () => {
  it('100 filtered bindings, a refused role, an unknown table, a bad value: not one statement', async () => {
    const operator = await keys.sign(
      { role: 'authenticated', aud: 'authenticated', sub: agentId, app_metadata: { role: 'operator' } },
      3600,
    );
    const binding = (filter?: string, table = 'agent_events') => ({
      event: 'INSERT',
      schema: 'public',
      table,
      ...(filter && { filter }),
    });
    statements.length = 0;
    const replies = await joinReplies([
      {
        access_token: operator,
        config: { postgres_changes: Array.from({ length: 100 }, () => binding(`agent_id=eq.${agentId}`)) },
      },
      { config: { postgres_changes: [binding()] } }, // anon may not select agent_events
      { access_token: operator, config: { postgres_changes: [binding(undefined, 'not_published')] } },
      { access_token: operator, config: { postgres_changes: [binding('agent_id=eq.nope')] } },
      { config: { postgres_changes: Array.from({ length: 2000 }, () => binding(`agent_id=eq.${agentId}`)) } },
    ]);
    expect(replies.map((r) => r.status)).toEqual(['ok', 'error', 'error', 'error', 'error']);
    expect(replies[1].response.reason).toMatch(/permission denied/);
    expect(replies[2].response.reason).toMatch(/not in the supabase_realtime publication/);
    expect(replies[3].response.reason).toMatch(/invalid input syntax for type uuid/);
    expect(replies[4].response.reason).toMatch(/at most 100/);
    expect(statements.filter((sql) => !SCHEDULED.test(sql))).toEqual([]);
  });
});
