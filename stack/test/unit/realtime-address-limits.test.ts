// What many sockets from one client address can cost the stack's Realtime: a connection cap and a join
// budget per address (the per-socket limits let 45 sockets make 4,500 joins at once), and private joins
// whose read policy is asked in batches — one transaction for many joins, never one per join.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADDRESS_JOIN_BURST,
  MAX_SOCKETS_PER_ADDRESS,
  TOO_MANY_CONNECTIONS,
  TOO_MANY_JOINS,
} from '../../src/realtime/limits.ts';
import { type RealtimeHarness, startRealtimeHarness } from '../support/realtime-module.ts';

let harness: RealtimeHarness;
const open = new Set<WebSocket>();

beforeAll(async () => {
  harness = await startRealtimeHarness();
  await harness.db.query(`
    create policy "test: ok topics readable, boom topics fail" on realtime.messages for select to authenticated
      using (realtime.topic() like 'ok:%' or (realtime.topic() like 'boom:%' and 1 / (length(realtime.topic()) - length(realtime.topic())) = 1))`);
}, 60_000);

afterAll(async () => {
  for (const ws of open) ws.terminate();
  await harness?.close();
}, 60_000);

interface Reply {
  status: string;
  response: { reason?: string };
}

/** A socket with the publishable (anon) key; `replies` collects phx_reply payloads by ref. */
async function socket(): Promise<{ ws: WebSocket; replies: Map<string, Reply>; closed: Promise<number> }> {
  const ws = new WebSocket(`${harness.url}/realtime/v1/websocket?apikey=${harness.keys.anonKey}&vsn=1.0.0`);
  const replies = new Map<string, Reply>();
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { event: string; ref: string; payload: Reply };
    if (frame.event === 'phx_reply') replies.set(frame.ref, frame.payload);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  open.add(ws);
  return { ws, replies, closed };
}

const join = (ws: WebSocket, topic: string, ref: string, payload: object = { config: { private: true } }) =>
  ws.send(JSON.stringify({ topic: `realtime:${topic}`, event: 'phx_join', payload, ref, join_ref: ref }));

async function until(condition: () => boolean, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function closeAll() {
  for (const ws of open) ws.terminate();
  open.clear();
  // Budgets refill: the next test starts with a full one.
  await new Promise((resolve) => setTimeout(resolve, 11_000));
}

describe('many sockets from one address', () => {
  it("45 sockets × 100 private joins of topics that cannot exist (the probe): answered, in a few transactions, and over the address's budget refused without the database, sockets kept", async () => {
    const sockets = await Promise.all(Array.from({ length: 45 }, () => socket()));
    const before = harness.transactions();
    for (const [s, { ws }] of sockets.entries())
      for (let j = 0; j < 100; j++) join(ws, `agent-wakeup:${randomUUID()}`, `${s}-${j}`);
    await until(() => sockets.every(({ replies }) => replies.size === 100), 'every join answered');
    const spent = harness.transactions() - before;
    const replies = sockets.flatMap(({ replies }) => [...replies.values()]);
    const overBudget = replies.filter((r) => r.response.reason === TOO_MANY_JOINS).length;
    console.log(`4,500 private joins: ${spent} transactions, ${overBudget} refused over the address's budget`);
    // Before: one transaction per join (4,500), and no budget across sockets. An idle machine batches
    // them into ~20 transactions; a loaded one into more, smaller batches (52 seen at load 20): the bound
    // is ten times fewer than one per join.
    expect(spent).toBeLessThanOrEqual(450);
    expect(overBudget).toBeGreaterThanOrEqual(4_500 - ADDRESS_JOIN_BURST - 1_000);
    expect(sockets.every(({ ws }) => ws.readyState === WebSocket.OPEN)).toBe(true);
    await closeAll();
  }, 120_000);

  it('one transaction answers many private joins; a policy that fails for one topic refuses that one only', async () => {
    const token = await harness.keys.sign({ role: 'authenticated', aud: 'authenticated', sub: randomUUID() }, 3600);
    const joinAll = async (topics: string[]) => {
      const sockets = await Promise.all(topics.map(() => socket()));
      const before = harness.transactions();
      for (const [i, { ws }] of sockets.entries())
        join(ws, topics[i], 'r', { access_token: token, config: { private: true } });
      await until(() => sockets.every(({ replies }) => replies.size === 1), 'every answer');
      const replies = sockets.map(({ replies }) => replies.get('r') as Reply);
      return { statuses: replies.map((r) => r.status), replies, transactions: harness.transactions() - before };
    };
    const plain = await joinAll(['ok:1', 'nope:1', 'ok:2', 'nope:2', 'ok:3', 'ok:4']);
    expect(plain.statuses).toEqual(['ok', 'error', 'ok', 'error', 'ok', 'ok']);
    expect(plain.replies[1].response.reason).toMatch(/do not have permissions to read from this Channel topic: nope:1/);
    expect(plain.transactions).toBeLessThanOrEqual(2);
    const failing = await joinAll(['ok:5', 'boom:1', 'ok:6']);
    expect(failing.statuses).toEqual(['ok', 'error', 'ok']);
    await closeAll();
  }, 60_000);

  it(`an address may hold ${MAX_SOCKETS_PER_ADDRESS} sockets at once; the next is refused until one closes`, async () => {
    const sockets = await Promise.all(Array.from({ length: MAX_SOCKETS_PER_ADDRESS }, () => socket()));
    const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const ws = new WebSocket(`${harness.url}/realtime/v1/websocket?apikey=${harness.keys.anonKey}&vsn=1.0.0`);
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      ws.on('open', () => reject(new Error('opened')));
    });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toEqual({ error: TOO_MANY_CONNECTIONS });
    sockets[0].ws.close();
    await sockets[0].closed;
    // The server counts the socket gone once it has seen the close too.
    let again: Awaited<ReturnType<typeof socket>> | undefined;
    for (let attempt = 0; !again && attempt < 50; attempt++)
      again = await socket().catch(() => new Promise<undefined>((resolve) => setTimeout(resolve, 100)));
    expect(again?.ws.readyState).toBe(WebSocket.OPEN);
    await closeAll();
  }, 60_000);
});
