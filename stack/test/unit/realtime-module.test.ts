// The Realtime module alone, on in-memory PGlite with the project's migrations, behind a bare HTTP
// server, driven by the real supabase-js client. (tests/integration/stack-realtime.test.ts runs the
// same scenarios through the whole stack.)
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRole } from '../../src/db/as-role.ts';
import { openDb } from '../../src/db/index.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createKeys, type Keys } from '../../src/keys/index.ts';
import { createRealtime } from '../../src/realtime/index.ts';
import type { Claims, Db, StackModule } from '../../src/types.ts';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const HOOK_TIMEOUT = 60_000;

let db: Db;
let keys: Keys;
let realtime: StackModule;
let server: http.Server;
let url: string;
const clients: SupabaseClient[] = [];
const agentIds = new Map<string, string>();

beforeAll(async () => {
  db = await openDb({});
  await migrate(db, rootDir);
  keys = await createKeys();
  server = http.createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  realtime = await createRealtime({
    db,
    keys,
    url,
    rootDir,
    asRole: (claims, fn) => asRole(db, claims, fn),
    log: (scope, message) => {
      if (process.env.DEBUG_REALTIME) console.log(scope, message);
    },
  });
  server.on('upgrade', (req, socket, head) => realtime.upgrade!(req, socket, head));
  const { rows } = await db.query<{ id: string; agent_name: string }>('select id, agent_name from public.agent_status');
  for (const row of rows) agentIds.set(row.agent_name, row.id);
}, HOOK_TIMEOUT);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.removeAllChannels()));
  await realtime?.close();
  await new Promise((resolve) => server?.close(resolve));
  await db?.close();
}, HOOK_TIMEOUT);

const userClaims = (appRole?: string): Claims => ({
  role: 'authenticated',
  aud: 'authenticated',
  sub: randomUUID(),
  email: `${appRole ?? 'nobody'}@example.com`,
  app_metadata: appRole ? { role: appRole } : {},
});

/** A signed-in user's access token; reads check the account as well as the JWT, so it has one, as Auth keeps it. */
async function tokenFor(claims: Claims, expiresInSeconds = 3600): Promise<string> {
  if (claims.sub)
    await db.query(
      // Each user its own email (the claims' email is the role's, shared by several test users).
      'insert into auth.users (id, email, raw_app_meta_data) values ($1, $2, $3::jsonb) on conflict (id) do nothing',
      [claims.sub, `${claims.sub}@example.test`, JSON.stringify(claims.app_metadata ?? {})],
    );
  return keys.sign(claims, expiresInSeconds);
}

async function clientAs(claims: Claims | null, expiresInSeconds = 3600): Promise<SupabaseClient> {
  const client = createClient(url, keys.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: {
      transport: WebSocket as never,
      ...(process.env.DEBUG_REALTIME && {
        logger: (k: string, m: string, d: unknown) => console.log('CLIENT', k, m, JSON.stringify(d)),
      }),
    },
  });
  clients.push(client);
  await client.realtime.setAuth(claims ? await tokenFor(claims, expiresInSeconds) : keys.anonKey);
  return client;
}

interface Received {
  eventType: string;
  table: string;
  schema: string;
  commit_timestamp: string;
  new: Record<string, unknown>;
  old: Record<string, unknown>;
}

interface Subscription {
  channel: RealtimeChannel;
  received: Received[];
}

type Binding = { event: '*' | 'INSERT' | 'UPDATE' | 'DELETE'; table: string; filter?: string };

const bothTables: Binding[] = [
  { event: 'INSERT', table: 'agent_events' },
  { event: 'UPDATE', table: 'agent_desired_state' },
];

async function subscribe(client: SupabaseClient, bindings: Binding[] = bothTables): Promise<Subscription> {
  const received: Received[] = [];
  let channel = client.channel(`test-${randomUUID()}`);
  for (const binding of bindings) {
    channel = channel.on('postgres_changes' as never, { schema: 'public', ...binding } as never, (payload: Received) =>
      received.push(payload),
    );
  }
  await new Promise<void>((resolve, reject) =>
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED') resolve();
      else reject(error ?? new Error(status));
    }),
  );
  return { channel, received };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

const service: Claims = { role: 'service_role' };
const command = (cmd: 'start' | 'stop' | 'restart', agent: string) =>
  asRole(db, service, (tx) => tx.query('select * from public.command_agents($1, $2)', [cmd, agent]));
const report = (kind: string, agent: string, health?: number) =>
  asRole(db, service, (tx) =>
    tx.query('select * from public.agent_report(p_kind => $1, p_agent_name => $2, p_health => $3)', [
      kind,
      agent,
      health ?? null,
    ]),
  );

describe('Realtime postgres_changes', () => {
  it('delivers a command to operators and viewers, in the shape realtime-js hands to callbacks', async () => {
    const operator = await subscribe(await clientAs(userClaims('operator')));
    const viewer = await subscribe(await clientAs(userClaims('viewer')));
    // Anon may not select these tables: its join is refused up front (it used to be
    // accepted and then receive nothing).
    await expect(subscribe(await clientAs(null))).rejects.toThrow(
      /permission denied for table public\.agent_events: role anon/,
    );
    const anon = { received: [] as Received[] };
    const noRole = await subscribe(await clientAs(userClaims()));

    await command('restart', 'Blog Generator');
    await waitFor(() => operator.received.length >= 2 && viewer.received.length >= 2, 'operator and viewer');
    await settle();

    const agentId = agentIds.get('Blog Generator');
    for (const { received } of [operator, viewer]) {
      expect(received).toHaveLength(2);
      const update = received.find((p) => p.table === 'agent_desired_state')!;
      expect(update).toMatchObject({
        eventType: 'UPDATE',
        schema: 'public',
        new: { agent_id: agentId, desired_state: 'running', last_command: 'restart' },
        old: { agent_id: agentId },
      });
      expect(typeof update.new.generation).toBe('number');
      expect(update.commit_timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const insert = received.find((p) => p.table === 'agent_events')!;
      expect(insert).toMatchObject({
        eventType: 'INSERT',
        new: { agent_id: agentId, kind: 'command', command: 'restart' },
        old: {},
      });
    }
    expect(anon.received).toEqual([]);
    expect(noRole.received).toEqual([]);
  });

  it('applies filters on the server: agent_id=eq.<uuid> only delivers that agent', async () => {
    const tweetId = agentIds.get('Tweet Scheduler')!;
    const filtered = await subscribe(await clientAs(userClaims('operator')), [
      { event: 'INSERT', table: 'agent_events', filter: `agent_id=eq.${tweetId}` },
    ]);
    const all = await subscribe(await clientAs(userClaims('operator')), [{ event: 'INSERT', table: 'agent_events' }]);

    await command('start', 'Content Collector');
    await command('start', 'Tweet Scheduler');
    await waitFor(() => all.received.length >= 2 && filtered.received.length >= 1, 'events');
    await settle();
    expect(filtered.received.map((p) => p.new.agent_id)).toEqual([tweetId]);
  });

  it('sends nothing for a plain heartbeat, but does for a transition', async () => {
    const operator = await subscribe(await clientAs(userClaims('operator')), [
      { event: '*', table: 'agent_events' },
      { event: '*', table: 'agent_desired_state' },
    ]);
    await report('started', 'Account Manager');
    await waitFor(() => operator.received.length === 1, 'the started event');
    await report('heartbeat', 'Account Manager');
    await report('heartbeat', 'Account Manager', 95);
    await report('warning', 'Account Manager');
    await waitFor(() => operator.received.length === 2, 'the warning event');
    await settle();
    expect(operator.received.map((p) => p.new.kind)).toEqual(['status', 'warning']);
  });

  it('stops delivering after unsubscribe', async () => {
    const client = await clientAs(userClaims('operator'));
    const leaving = await subscribe(client);
    const staying = await subscribe(await clientAs(userClaims('viewer')));
    expect(await leaving.channel.unsubscribe()).toBe('ok');
    await command('stop', 'Content Collector');
    await waitFor(() => staying.received.length >= 2, 'the staying subscriber');
    await settle();
    expect(leaving.received).toEqual([]);
  });

  it('uses a refreshed access token for later changes', async () => {
    const client = await clientAs(userClaims());
    const subscription = await subscribe(client);
    const witness = await subscribe(await clientAs(service));
    await command('start', 'Engagement Analyzer');
    await waitFor(() => witness.received.length >= 2, 'the witness');
    await settle();
    expect(subscription.received).toEqual([]);

    await client.realtime.setAuth(await tokenFor(userClaims('viewer')));
    await settle();
    await command('stop', 'Engagement Analyzer');
    await waitFor(() => subscription.received.length >= 2, 'delivery under the new token');
  });

  it('closes the channel when its token has expired instead of delivering', async () => {
    const client = await clientAs(userClaims('operator'), 2);
    const subscription = await subscribe(client);
    const closed = new Promise<unknown>((resolve) =>
      subscription.channel.on('system' as never, {} as never, resolve as never),
    );
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await command('restart', 'Example Agent');
    expect(await closed).toMatchObject({ status: 'error', message: 'Token has expired' });
    await settle();
    expect(subscription.received).toEqual([]);
  });

  it('delivers rows larger than a NOTIFY payload in full', async () => {
    const operator = await subscribe(await clientAs(userClaims('operator')), [
      { event: 'INSERT', table: 'agent_events' },
    ]);
    const message = 'x'.repeat(20_000);
    await db.query(`insert into public.agent_events (agent_id, kind, message) values ($1, 'warning', $2)`, [
      agentIds.get('Example Agent'),
      message,
    ]);
    await waitFor(() => operator.received.length === 1, 'the large event');
    expect(operator.received[0].new.message).toBe(message);
  });

  it('delivers deletes with the old primary key only, to roles that may select the table', async () => {
    const operator = await subscribe(await clientAs(userClaims('operator')), [
      { event: 'DELETE', table: 'agent_events' },
    ]);
    // Refused at join (it used to be accepted and then receive nothing).
    await expect(subscribe(await clientAs(null), [{ event: 'DELETE', table: 'agent_events' }])).rejects.toThrow(
      /permission denied/,
    );
    const anon = { received: [] as Received[] };
    const { rows } = await db.query<{ id: number }>(
      'delete from public.agent_events where id = (select min(id) from public.agent_events) returning id',
    );
    await waitFor(() => operator.received.length === 1, 'the delete');
    await settle();
    expect(operator.received[0]).toMatchObject({ eventType: 'DELETE', new: {}, old: { id: rows[0].id } });
    expect(Object.keys(operator.received[0].old)).toEqual(['id']);
    expect(anon.received).toEqual([]);
  });

  it('refuses tables outside the publication and bad filters with a reason', async () => {
    const client = await clientAs(userClaims('operator'));
    await expect(subscribe(client, [{ event: '*', table: 'agent_status' }])).rejects.toThrow(
      /public.agent_status is not in the supabase_realtime publication/,
    );
    await expect(
      subscribe(client, [{ event: 'INSERT', table: 'agent_events', filter: 'agent_id=eq.not-a-uuid' }]),
    ).rejects.toThrow(/invalid filter.*uuid/);
    await expect(subscribe(client, [{ event: 'INSERT', table: 'agent_events', filter: 'nope=eq.1' }])).rejects.toThrow(
      /column "nope" does not exist/,
    );
    await expect(
      subscribe(client, [{ event: 'INSERT', table: 'agent_events', filter: 'kind=neq.error' }]),
    ).rejects.toThrow(/invalid filter on public.agent_events: .*"neq" is not supported by the embedded stack/);
  });
});

describe('Realtime broadcast', () => {
  beforeAll(async () => {
    // Client broadcasts need an INSERT policy on realtime.messages (Realtime Authorization); the
    // project's migrations have none, so this test grants signed-in users the topics it uses.
    await db.query(`create policy "test: signed-in users broadcast on wake-* topics" on realtime.messages
      for insert to authenticated with check (extension = 'broadcast' and realtime.topic() like 'wake-%')`);
  });

  it('relays to the other subscribers of the topic, and to the sender only with self', async () => {
    const topic = `wake-${randomUUID()}`;
    const listen = async (client: SupabaseClient, self: boolean) => {
      const got: unknown[] = [];
      const channel = client.channel(topic, { config: { broadcast: { self, ack: true } } });
      channel.on('broadcast', { event: 'poke' }, (message) => got.push(message.payload));
      await new Promise<void>((resolve) => channel.subscribe((status) => status === 'SUBSCRIBED' && resolve()));
      return { channel, got };
    };
    const sender = await listen(await clientAs(userClaims('operator')), false);
    const receiver = await listen(await clientAs(userClaims('viewer')), false);
    const echo = await listen(await clientAs(service), true);

    expect(await sender.channel.send({ type: 'broadcast', event: 'poke', payload: { agent: 'Blog Generator' } })).toBe(
      'ok',
    );
    await waitFor(() => receiver.got.length === 1, 'the broadcast');
    expect(await echo.channel.send({ type: 'broadcast', event: 'poke', payload: { n: 2 } })).toBe('ok');
    await waitFor(
      () => echo.got.length === 2 && sender.got.length === 1 && receiver.got.length === 2,
      'the self broadcast',
    );
    expect(receiver.got).toEqual([{ agent: 'Blog Generator' }, { n: 2 }]);
    expect(echo.got).toEqual([{ agent: 'Blog Generator' }, { n: 2 }]);
    expect(sender.got).toEqual([{ n: 2 }]);
  });
});

describe('Realtime protocol edges (raw WebSocket, vsn 1.0.0)', () => {
  async function open(vsn = '1.0.0', apikey = keys.anonKey) {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${apikey}&vsn=${vsn}`);
    const inbox: Record<string, unknown>[] = [];
    ws.on('message', (data) => inbox.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const next = async (event: string) => {
      await waitFor(() => inbox.some((m) => m.event === event), event);
      return inbox.splice(
        inbox.findIndex((m) => m.event === event),
        1,
      )[0];
    };
    const send = (message: object) => ws.send(JSON.stringify(message));
    return { ws, next, send };
  }

  it('answers heartbeats, refuses unjoined topics and bad tokens, closes a channel on an invalid refresh', async () => {
    const { ws, next, send } = await open();
    send({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '1', join_ref: null });
    expect(await next('phx_reply')).toMatchObject({ topic: 'phoenix', ref: '1', payload: { status: 'ok' } });

    send({ topic: 'realtime:x', event: 'broadcast', payload: { event: 'e' }, ref: '2', join_ref: '2' });
    expect(await next('phx_reply')).toMatchObject({
      ref: '2',
      payload: { status: 'error', response: { reason: 'unmatched topic' } },
    });

    send({
      topic: 'realtime:x',
      event: 'phx_join',
      payload: { config: {}, access_token: 'not-a-jwt' },
      ref: '3',
      join_ref: '3',
    });
    expect(await next('phx_reply')).toMatchObject({
      ref: '3',
      payload: { status: 'error', response: { reason: expect.stringMatching(/^Invalid JWT/) } },
    });

    send({ topic: 'realtime:x', event: 'phx_join', payload: { config: { private: true } }, ref: '4', join_ref: '4' });
    expect(await next('phx_reply')).toMatchObject({
      payload: { status: 'error', response: { reason: expect.stringMatching(/private channels/) } },
    });

    // Without an access_token the join uses the socket's apikey (anon).
    send({ topic: 'realtime:x', event: 'phx_join', payload: { config: {} }, ref: '5', join_ref: '5' });
    expect(await next('phx_reply')).toMatchObject({
      ref: '5',
      join_ref: '5',
      payload: { status: 'ok', response: { postgres_changes: [] } },
    });
    send({ topic: 'realtime:x', event: 'access_token', payload: { access_token: 'garbage' }, ref: '6', join_ref: '5' });
    expect(await next('system')).toMatchObject({
      payload: { status: 'error', message: expect.stringMatching(/^Invalid JWT/) },
    });
    expect(await next('phx_close')).toMatchObject({ topic: 'realtime:x', join_ref: '5' });
    ws.close();
  });

  it('takes API keys of the current model: on the socket (?apikey=) and as the access_token realtime-js sends before a sign-in', async () => {
    const { ws, next, send } = await open('1.0.0', keys.publishableKey);
    // Without an access_token the join uses the socket's publishable key (anon).
    send({ topic: 'realtime:p', event: 'phx_join', payload: { config: {} }, ref: '1', join_ref: '1' });
    expect(await next('phx_reply')).toMatchObject({ ref: '1', payload: { status: 'ok' } });
    send({
      topic: 'realtime:q',
      event: 'phx_join',
      payload: { config: {}, access_token: keys.publishableKey },
      ref: '2',
      join_ref: '2',
    });
    expect(await next('phx_reply')).toMatchObject({ ref: '2', payload: { status: 'ok' } });
    send({
      topic: 'realtime:r',
      event: 'phx_join',
      payload: { config: {}, access_token: 'sb_publishable_of_another_project' },
      ref: '3',
      join_ref: '3',
    });
    expect(await next('phx_reply')).toMatchObject({
      ref: '3',
      payload: { status: 'error', response: { reason: expect.stringMatching(/Invalid API key/) } },
    });
    // A sign-in later: the session replaces the key on the joined channel.
    send({
      topic: 'realtime:q',
      event: 'access_token',
      payload: { access_token: await tokenFor(userClaims('viewer')) },
      ref: '4',
      join_ref: '2',
    });
    // The channel is still joined (a refused token would have closed it): leaving it is answered ok.
    send({ topic: 'realtime:q', event: 'phx_leave', payload: {}, ref: '5', join_ref: '2' });
    expect(await next('phx_reply')).toMatchObject({ ref: '5', payload: { status: 'ok' } });
    ws.close();
  });

  it('closes the socket on a frame that is not the protocol', async () => {
    const { ws } = await open();
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.send('[1,2,3]');
    expect(await closed).toBe(1007);
  });

  it('refuses an unknown protocol version at the upgrade', async () => {
    await expect(open('9.9.9')).rejects.toThrow(/400/);
  });
});
