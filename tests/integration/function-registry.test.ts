// The agent registry through the real `agents` Edge Function, the real supabase-js and the
// stack: an operator adds, changes and deletes an agent and issues and revokes its tokens; each change
// is an event in the agent's history with the operator's email; viewers get 403 and anon 401; token
// metadata (never the hash) is REST under RLS. An operator demoted or banned by an
// administrator is refused on the next request although the session JWT in hand still says operator.
import { FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, createUser, databases, startTestStack, type RunningStack } from '../support/stack.ts';

const OPERATOR = { email: 'registry-operator@example.com', password: 'registry-operator-password', role: 'operator' };
const VIEWER = { email: 'registry-viewer@example.com', password: 'registry-viewer-password', role: 'viewer' };

describe.each(databases)('the agent registry through the agents function ($name)', ({ databaseUrl }) => {
  let stack: RunningStack;
  let service: SupabaseClient;
  let anon: SupabaseClient;
  let operator: SupabaseClient;
  let viewer: SupabaseClient;

  /** The function's answer: status and JSON body, success or not. */
  async function invoke(as: SupabaseClient, route: string, body: Record<string, unknown>) {
    const { data, error } = await as.functions.invoke(`agents/${route}`, { body });
    if (!error) return { status: route === 'create' || route === 'tokens/issue' ? 201 : 200, body: data };
    expect(error).toBeInstanceOf(FunctionsHttpError);
    const response = (error as FunctionsHttpError).context as Response;
    return { status: response.status, body: await response.json() };
  }

  /** The status code of a raw call (supabase-js does not tell 200 from 201). */
  async function rawStatus(as: SupabaseClient, route: string, body: Record<string, unknown>) {
    const token = (await as.auth.getSession()).data.session!.access_token;
    const response = await fetch(`${stack.url}/functions/v1/agents/${route}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  async function history(agentName: string) {
    const { rows } = await stack.db.query<{ kind: string; message: string | null; actor_email: string | null }>(
      `select e.kind::text as kind, e.message, e.actor_email from public.agent_events e
         join public.agent_status s on s.id = e.agent_id where s.agent_name = $1 order by e.id`,
      [agentName],
    );
    return rows;
  }

  async function report(token: string) {
    const { data, error } = await anon.rpc('agent_report', { p_kind: 'heartbeat', p_token: token });
    return error ? { error: error.code } : { agent: (data as Array<{ agent_name: string }>)[0].agent_name };
  }

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    ({ service, anon } = clients(stack));
    for (const user of [OPERATOR, VIEWER]) await createUser(stack, user);
    operator = await clients(stack).signIn(OPERATOR.email, OPERATOR.password);
    viewer = await clients(stack).signIn(VIEWER.email, VIEWER.password);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('an operator adds "My Agent": 201, stopped, health 0, desired stopped; a taken name is 409', async () => {
    const created = await rawStatus(operator, 'create', {
      agent_name: 'My Agent',
      description: 'reads the news',
      heartbeat_interval_seconds: 5,
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      agent_name: 'My Agent',
      id: expect.any(String),
      desired_state: 'stopped',
      generation: 0,
    });
    const { data } = await operator
      .from('agent_overview')
      .select('status, health, desired_state, description, heartbeat_interval_seconds')
      .eq('agent_name', 'My Agent')
      .single();
    expect(data).toEqual({
      status: 'stopped',
      health: 0,
      desired_state: 'stopped',
      description: 'reads the news',
      heartbeat_interval_seconds: 5,
    });
    const again = await invoke(operator, 'create', { agent_name: ' My Agent ' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('agent_exists');
    expect(await history('My Agent')).toEqual([
      { kind: 'created', message: 'agent added', actor_email: OPERATOR.email },
    ]);
  });

  it('a viewer gets 403 and anon 401 on every registry route, and nothing changes', async () => {
    const token = await invoke(operator, 'tokens/issue', { agent_name: 'My Agent', label: 'for the refusals' });
    const bodies: Array<[string, Record<string, unknown>]> = [
      ['create', { agent_name: 'Viewer Agent' }],
      ['update', { agent_name: 'My Agent', description: 'viewer was here' }],
      ['delete', { agent_name: 'My Agent' }],
      ['tokens/issue', { agent_name: 'My Agent' }],
      ['tokens/revoke', { token_id: token.body.token_id }],
    ];
    const before = await history('My Agent');
    for (const [route, body] of bodies) {
      const refused = await invoke(viewer, route, body);
      expect({ route, status: refused.status, code: refused.body.error?.code }).toEqual({
        route,
        status: 403,
        code: 'forbidden',
      });
      // The gateway (verify_jwt) refuses the publishable key alone before the function runs.
      expect({ route, status: (await invoke(anon, route, body)).status }).toEqual({ route, status: 401 });
    }
    expect(await history('My Agent')).toEqual(before);
    expect(await report(token.body.token)).toEqual({ agent: 'My Agent' });
  });

  it('issues a token shown once; operators read its metadata and who issued it, never the hash; viewers see none', async () => {
    const issued = await rawStatus(operator, 'tokens/issue', { agent_name: 'My Agent', label: 'laptop' });
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({
      token_id: expect.any(String),
      agent_name: 'My Agent',
      token: expect.stringMatching(/^ast_[0-9a-f]{64}$/),
    });
    expect(await report(issued.body.token)).toEqual({ agent: 'My Agent' });

    const { data: metadata, error } = await operator
      .from('agent_tokens')
      .select('id, label, created_at, last_used_at, revoked_at, created_by_email')
      .eq('id', issued.body.token_id)
      .single();
    expect(error).toBeNull();
    expect(metadata).toMatchObject({ label: 'laptop', revoked_at: null, created_by_email: OPERATOR.email });
    expect((await operator.from('agent_tokens').select('token_hash')).error?.code).toBe('42501');
    expect((await viewer.from('agent_tokens').select('id')).data).toEqual([]);
    expect((await history('My Agent')).at(-1)).toEqual({
      kind: 'token_issued',
      message: 'token "laptop" issued',
      actor_email: OPERATOR.email,
    });
  });

  it('renames and changes settings: 200 with the agent; history and tokens follow the rename', async () => {
    const issued = await invoke(operator, 'tokens/issue', { agent_name: 'My Agent' });
    const updated = await rawStatus(operator, 'update', {
      agent_name: 'My Agent',
      new_name: 'My Renamed Agent',
      description: null,
      heartbeat_interval_seconds: 20,
      offline_after_seconds: 45,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({
      id: expect.any(String),
      agent_name: 'My Renamed Agent',
      description: null,
      heartbeat_interval_seconds: 20,
      offline_after_seconds: 45,
      effective_offline_after_seconds: 45,
    });
    expect(await report(issued.body.token)).toEqual({ agent: 'My Renamed Agent' });
    const events = await history('My Renamed Agent');
    expect(events[0].kind).toBe('created');
    expect(events.at(-1)).toEqual({
      kind: 'updated',
      message:
        'renamed from "My Agent" to "My Renamed Agent"; description removed; heartbeat interval 5 s → 20 s; offline after the default → 45 s',
      actor_email: OPERATOR.email,
    });
    const badRange = await invoke(operator, 'update', { agent_name: 'My Renamed Agent', offline_after_seconds: 0 });
    expect(badRange.status).toBe(400);
    expect(badRange.body.error).toEqual({
      code: 'invalid_field',
      message: '"offline_after_seconds" must be between 1 and 86400 seconds, got 0.',
    });
    const taken = await invoke(operator, 'update', { agent_name: 'My Renamed Agent', new_name: 'Blog Generator' });
    expect(taken.status).toBe(409);
  });

  it('revokes a token at once: its next report is refused; unknown tokens are 404', async () => {
    const issued = await invoke(operator, 'tokens/issue', { agent_name: 'My Renamed Agent', label: 'to revoke' });
    expect(await report(issued.body.token)).toEqual({ agent: 'My Renamed Agent' });
    const revoked = await rawStatus(operator, 'tokens/revoke', { token_id: issued.body.token_id });
    expect(revoked).toEqual({ status: 200, body: { token_id: issued.body.token_id, revoked: true } });
    expect(await report(issued.body.token)).toEqual({ error: 'PT401' });
    expect((await invoke(operator, 'tokens/revoke', { token_id: issued.body.token_id })).status).toBe(200);
    const unknown = await invoke(operator, 'tokens/revoke', { token_id: '00000000-0000-4000-8000-000000000999' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('token_not_found');
    expect((await history('My Renamed Agent')).at(-1)).toEqual({
      kind: 'token_revoked',
      message: 'token "to revoke" revoked',
      actor_email: OPERATOR.email,
    });
  });

  it('deletes an agent with its desired state and tokens; its worker is refused; then 404', async () => {
    const issued = await invoke(operator, 'tokens/issue', { agent_name: 'My Renamed Agent' });
    const deleted = await rawStatus(operator, 'delete', { agent_name: 'My Renamed Agent' });
    expect(deleted).toEqual({ status: 200, body: { agent_name: 'My Renamed Agent', deleted: true } });
    expect(await report(issued.body.token)).toEqual({ error: 'PT401' });
    const { rows } = await stack.db.query(
      `select 1 from public.agent_tokens t where not exists (select 1 from public.agent_status s where s.id = t.agent_id)`,
    );
    expect(rows).toEqual([]);
    expect((await invoke(operator, 'delete', { agent_name: 'My Renamed Agent' })).status).toBe(404);
    expect(
      (await service.from('agent_overview').select('agent_name').eq('agent_name', 'My Renamed Agent')).data,
    ).toEqual([]);
  });

  describe('an operator changed by an administrator', () => {
    const DEMOTED = { email: 'demoted-operator@example.com', password: 'demoted-operator-password', role: 'operator' };
    const BANNED = { email: 'banned-operator@example.com', password: 'banned-operator-password', role: 'operator' };

    async function commands(as: SupabaseClient) {
      return {
        start: (await invoke(as, 'start', { agent_name: 'Content Collector' })).status,
        create: (await invoke(as, 'create', { agent_name: `Agent of ${Math.random()}` })).status,
        issue: (await invoke(as, 'tokens/issue', { agent_name: 'Content Collector' })).status,
      };
    }

    it('a demoted operator is refused on the next request, with the session JWT still saying operator', async () => {
      const user = await createUser(stack, DEMOTED);
      const session = await clients(stack).signIn(DEMOTED.email, DEMOTED.password);
      expect(await commands(session)).toEqual({ start: 200, create: 201, issue: 201 });
      const { error } = await service.auth.admin.updateUserById(user.id, { app_metadata: { role: 'viewer' } });
      expect(error).toBeNull();
      const jwt = (await session.auth.getSession()).data.session!.user.app_metadata.role;
      expect(jwt).toBe('operator');
      expect(await commands(session)).toEqual({ start: 403, create: 403, issue: 403 });
    });

    it('a banned operator is refused on the next request', async () => {
      const user = await createUser(stack, BANNED);
      const session = await clients(stack).signIn(BANNED.email, BANNED.password);
      expect((await commands(session)).start).toBe(200);
      const { error } = await service.auth.admin.updateUserById(user.id, { ban_duration: '24h' });
      expect(error).toBeNull();
      expect(await commands(session)).toEqual({ start: 403, create: 403, issue: 403 });
      await service.auth.admin.updateUserById(user.id, { ban_duration: 'none' });
      expect((await commands(session)).start).toBe(200);
    });
  });
});
