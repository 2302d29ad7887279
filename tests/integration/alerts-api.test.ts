// Alert channels through the real API: operators manage them over REST; viewers see summaries only
// (never url or secret) and write nothing; anon gets nothing; bad input is a clear 400; mute is an
// RPC for operators; POST /alerts/test answers with the receiver's status; /alerts/dispatch wants
// the secret key.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, createUser, type RunningStack } from '../support/stack.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { startAlertsStack } from '../support/alerts.ts';

const OPERATOR = { email: 'alerts-operator@example.com', password: 'operator-password-1', role: 'operator' };
const VIEWER = { email: 'alerts-viewer@example.com', password: 'viewer-password-1', role: 'viewer' };

let stack: RunningStack;
let receiver: Receiver;
let operator: SupabaseClient;
let viewer: SupabaseClient;

beforeAll(async () => {
  stack = await startAlertsStack();
  receiver = await startReceiver();
  await createUser(stack, OPERATOR);
  await createUser(stack, VIEWER);
  operator = await clients(stack).signIn(OPERATOR.email, OPERATOR.password);
  viewer = await clients(stack).signIn(VIEWER.email, VIEWER.password);
}, 180_000);

afterAll(async () => {
  await receiver?.close();
  await stack?.stop();
});

async function accessToken(client: SupabaseClient) {
  return (await client.auth.getSession()).data.session!.access_token;
}

async function callTest(token: string | null, body: unknown) {
  const response = await fetch(`${stack.url}/functions/v1/alerts/test`, {
    method: 'POST',
    headers: {
      apikey: stack.anonKey,
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('alert channels over REST', () => {
  let channelId: string;

  it('operators add, read, change and delete channels; created_by is the operator', async () => {
    const { data, error } = await operator
      .from('alert_channels')
      .insert({ name: 'ops hook', kind: 'webhook', url: `${receiver.url}/ops`, secret: 's3cret' })
      .select()
      .single();
    expect(error).toBeNull();
    expect(data).toMatchObject({
      name: 'ops hook',
      kind: 'webhook',
      url: `${receiver.url}/ops`,
      secret: 's3cret',
      enabled: true,
    });
    expect([...data!.events].sort()).toEqual(['error', 'offline', 'online', 'stopped_unexpectedly']);
    const { data: me } = await operator.auth.getUser();
    expect(data!.created_by).toBe(me.user!.id);
    channelId = data!.id;

    const updated = await operator
      .from('alert_channels')
      .update({ enabled: false, events: ['offline'] })
      .eq('id', channelId)
      .select('enabled, events')
      .single();
    expect(updated.error).toBeNull();
    expect(updated.data).toEqual({ enabled: false, events: ['offline'] });
    await operator.from('alert_channels').update({ enabled: true }).eq('id', channelId);
  });

  it('viewers see name, kind and events through alert_channel_summaries, never url or secret, and write nothing', async () => {
    const summaries = await viewer.rpc('alert_channel_summaries');
    expect(summaries.error).toBeNull();
    expect(summaries.data).toHaveLength(1);
    expect(summaries.data[0]).toMatchObject({ id: channelId, name: 'ops hook', kind: 'webhook' });
    expect(JSON.stringify(summaries.data)).not.toContain(receiver.url);
    expect(Object.keys(summaries.data[0])).not.toContain('url');
    expect(Object.keys(summaries.data[0])).not.toContain('secret');

    const table = await viewer.from('alert_channels').select('*');
    expect(table.data).toEqual([]);
    const insert = await viewer
      .from('alert_channels')
      .insert({ name: 'viewer hook', kind: 'webhook', url: `${receiver.url}/v` });
    expect(insert.error?.code).toBe('42501');
    const update = await viewer
      .from('alert_channels')
      .update({ url: 'https://example.com/stolen' })
      .eq('id', channelId)
      .select();
    expect(update.data ?? []).toEqual([]);
    const remove = await viewer.from('alert_channels').delete().eq('id', channelId).select();
    expect(remove.data ?? []).toEqual([]);
    expect((await viewer.from('alert_deliveries').select('*')).data).toEqual([]);
    const { rows } = await stack.db.query(`select url from alert_channels where id = $1`, [channelId]);
    expect(rows[0]).toEqual({ url: `${receiver.url}/ops` });
  });

  it('anon reads and writes nothing', async () => {
    const anon = clients(stack).anon;
    expect((await anon.from('alert_channels').select('*')).error?.code).toBe('42501');
    expect((await anon.from('alert_deliveries').select('*')).error?.code).toBe('42501');
    expect((await anon.rpc('alert_channel_summaries')).error).not.toBeNull();
    expect(
      (await anon.from('alert_channels').insert({ name: 'x', kind: 'webhook', url: 'https://example.com' })).error
        ?.code,
    ).toBe('42501');
  });

  it('bad input is a clear 400: malformed URL, unknown event, a 10 KB name, an unknown kind', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: 'bad url', kind: 'webhook', url: 'not a url' }, /url must be an http\(s\) URL/],
      [{ name: 'ftp', kind: 'webhook', url: 'ftp://example.com/x' }, /http:\/\/ or https:\/\//],
      [
        { name: 'bad event', kind: 'slack', url: 'https://hooks.example.com/x', events: ['offline', 'exploded'] },
        /unknown event "exploded"/,
      ],
      [
        { name: 'n'.repeat(10_240), kind: 'webhook', url: 'https://example.com/x' },
        /name must be at most 100 characters/,
      ],
      [{ name: 'bad kind', kind: 'email', url: 'https://example.com/x' }, /alert_channel_kind/],
    ];
    for (const [row, message] of cases) {
      const response = await fetch(`${stack.url}/rest/v1/alert_channels`, {
        method: 'POST',
        headers: {
          apikey: stack.anonKey,
          authorization: `Bearer ${await accessToken(operator)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(row),
      });
      const body = await response.json();
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(body.message).toMatch(message);
    }
  });

  it('private, loopback and link-local addresses are refused unless the deployment allows them', async () => {
    await stack.db.query(`update alert_settings set allow_private_urls = false`);
    try {
      for (const url of [
        'http://127.0.0.1:8080/x',
        'http://10.0.0.5/x',
        'http://169.254.169.254/latest',
        'http://[::1]/x',
        'http://localhost/x',
        'http://192.168.1.1/x',
      ]) {
        const { error } = await operator.from('alert_channels').insert({ name: 'private', kind: 'webhook', url });
        expect(error?.code, url).toBe('22023');
        expect(error?.message).toMatch(/only allows public addresses/);
      }
      const { error } = await operator
        .from('alert_channels')
        .insert({ name: 'public', kind: 'discord', url: 'https://discord.com/api/webhooks/1/abc' });
      expect(error).toBeNull();
    } finally {
      await stack.db.query(`update alert_settings set allow_private_urls = true`);
    }
  });
});

describe('mute', () => {
  it('operators mute and unmute an agent; viewers cannot', async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const muted = await operator.rpc('mute_agent', { p_agent_name: 'Content Collector', p_until: until });
    expect(muted.error).toBeNull();
    expect(new Date(muted.data).getTime()).toBe(new Date(until).getTime());
    const { data } = await viewer
      .from('agent_status')
      .select('muted_until')
      .eq('agent_name', 'Content Collector')
      .single();
    expect(new Date(data!.muted_until).getTime()).toBe(new Date(until).getTime());
    expect((await viewer.rpc('mute_agent', { p_agent_name: 'Content Collector', p_until: null })).error?.code).toBe(
      '42501',
    );
    expect((await operator.rpc('mute_agent', { p_agent_name: 'No Such Agent', p_until: until })).error?.code).toBe(
      'PT404',
    );
    const unmuted = await operator.rpc('mute_agent', { p_agent_name: 'Content Collector', p_until: null });
    expect(unmuted.error).toBeNull();
    expect(unmuted.data).toBeNull();
  });
});

describe('POST /alerts/test and /alerts/dispatch', () => {
  it('an operator sends a test message and gets the receiver status; viewers 403, no session 401, unknown 404, bad id 400', async () => {
    const { data } = await operator
      .from('alert_channels')
      .insert({ name: 'test hook', kind: 'webhook', url: `${receiver.url}/test-hook`, secret: 'k' })
      .select('id')
      .single();
    receiver.respondWith(204);
    const ok = await callTest(await accessToken(operator), { channel_id: data!.id });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ channel_id: data!.id, ok: true, status_code: 204, error: null });
    const received = receiver.requests.filter((r) => r.path === '/test-hook');
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0].body)).toMatchObject({
      event: 'test',
      agent_name: null,
      dashboard_url: 'http://dashboard.test/#/alerts',
    });

    receiver.respondWith(503);
    const failing = await callTest(await accessToken(operator), { channel_id: data!.id });
    expect(failing.body).toMatchObject({ ok: false, status_code: 503 });
    expect(failing.body.error).toMatch(/HTTP 503/);

    expect((await callTest(await accessToken(viewer), { channel_id: data!.id })).status).toBe(403);
    expect((await callTest(null, { channel_id: data!.id })).status).toBe(401);
    expect(
      (await callTest(await accessToken(operator), { channel_id: '00000000-0000-4000-8000-000000000000' })).status,
    ).toBe(404);
    const bad = await callTest(await accessToken(operator), { channel_id: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_channel_id');
  });

  it('the dispatcher refuses anything but the secret key', async () => {
    const call = (headers: Record<string, string>) =>
      fetch(`${stack.url}/functions/v1/alerts/dispatch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{}',
      });
    expect((await call({})).status).toBe(401);
    expect((await call({ apikey: stack.anonKey })).status).toBe(401);
    expect((await call({ apikey: stack.anonKey, authorization: `Bearer ${await accessToken(operator)}` })).status).toBe(
      401,
    );
    const ok = await call({ apikey: stack.serviceRoleKey });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ claimed: expect.any(Number) });
  });
});
