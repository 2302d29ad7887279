// a join is decided without the database — the publication and the roles' SELECT
// privileges are cached by the change feed (re-read on a schedule), filter values are checked in memory,
// and nothing a client sends runs DDL. Counted here: every statement the Realtime module sends while
// joins are handled, apart from the scheduled re-read of the publication.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keys } from '../../src/keys/index.ts';
import { type RealtimeHarness, startRealtimeHarness } from '../support/realtime-module.ts';

let harness: RealtimeHarness;
let keys: Keys;
let url: string;
let agentId: string;
let statements: string[];
const SCHEDULED = /pg_publication_tables/;

beforeAll(async () => {
  harness = await startRealtimeHarness();
  ({ keys, url, statements } = harness);
  agentId = (await harness.db.query<{ id: string }>(`select id from public.agent_status limit 1`)).rows[0].id;
}, 60_000);

afterAll(() => harness?.close(), 60_000);

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
