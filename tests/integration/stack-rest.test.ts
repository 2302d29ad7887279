// /rest/v1 of the embedded stack, exercised with the real supabase-js client, on PGlite and
// (when TEST_DATABASE_URL is set) on PostgreSQL 15: the same answers from both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import { apiKeys, clients, createUser, databases, startTestStack, type RunningStack } from '../support/stack.ts';
import { AGENT_NAMES } from '@agent-status/agents/catalog';

const AGENTS = [...AGENT_NAMES].sort();

describe.each(databases)('stack /rest/v1 on $name', ({ databaseUrl }) => {
  let stack: RunningStack;
  let anon: SupabaseClient;
  let service: SupabaseClient;
  let viewer: SupabaseClient;
  let operator: SupabaseClient;

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    const c = clients(stack);
    anon = c.anon;
    service = c.service;
    await createUser(stack, { email: 'viewer@rest.test', password: 'viewer-password-1', role: 'viewer' });
    await createUser(stack, { email: 'operator@rest.test', password: 'operator-password-1', role: 'operator' });
    viewer = await c.signIn('viewer@rest.test', 'viewer-password-1');
    operator = await c.signIn('operator@rest.test', 'operator-password-1');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const rest = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${stack.url}/rest/v1${path}`, { ...init, headers: { apikey: apiKeys(stack).publishable, ...init.headers } });

  describe('who reads what (RLS decides)', () => {
    it('viewer, operator and service read every agent; anon reads nothing', async () => {
      for (const reader of [viewer, operator, service]) {
        const { data, error } = await reader
          .from('agent_overview')
          .select('agent_name, desired_state, pending')
          .order('agent_name');
        expect(error).toBeNull();
        expect(data!.map((r) => r.agent_name)).toEqual(AGENTS);
        expect(data![0]).toEqual({ agent_name: 'Account Manager', desired_state: 'stopped', pending: false });
      }
      const { data, error, status } = await anon.from('agent_status').select('*');
      expect(data).toBeNull();
      expect(status).toBe(401);
      expect(error).toMatchObject({ code: '42501', message: 'permission denied for table agent_status' });
    });

    it('a signed-in user without a role sees no rows', async () => {
      await createUser(stack, { email: 'nobody@rest.test', password: 'nobody-password-1' });
      const nobody = await clients(stack).signIn('nobody@rest.test', 'nobody-password-1');
      const { data, error } = await nobody.from('agent_status').select('agent_name');
      expect(error).toBeNull();
      expect(data).toEqual([]);
    });
  });

  describe('reads: filters, order, paging, count, single', () => {
    it('filters with eq, neq, in, like, ilike, is, gt and not', async () => {
      const names = async (q: PromiseLike<{ data: { agent_name: string }[] | null; error: unknown }>) => {
        const { data, error } = await q;
        expect(error).toBeNull();
        return data!.map((r) => r.agent_name).sort();
      };
      const from = () => viewer.from('agent_status').select('agent_name');
      expect(await names(from().eq('agent_name', 'Blog Generator'))).toEqual(['Blog Generator']);
      expect(await names(from().neq('agent_name', 'Blog Generator'))).toHaveLength(5);
      expect(await names(from().in('agent_name', ['Blog Generator', 'Example Agent', 'No, such "agent"']))).toEqual([
        'Blog Generator',
        'Example Agent',
      ]);
      expect(await names(from().like('agent_name', '%Agent'))).toEqual(['Example Agent']);
      expect(await names(from().ilike('agent_name', 'blog%'))).toEqual(['Blog Generator']);
      expect(await names(from().is('last_heartbeat', null))).toHaveLength(6);
      expect(await names(from().gt('health', 0))).toEqual([]);
      expect(await names(from().eq('status', 'stopped').not('agent_name', 'like', '*e*'))).toEqual([]);
      expect(await names(from().not('agent_name', 'in', '("Blog Generator","Example Agent")'))).toHaveLength(4);
    });

    it('orders by several columns, pages with limit and range, counts exactly', async () => {
      const { data } = await viewer
        .from('agent_status')
        .select('agent_name')
        .order('status')
        .order('agent_name', { ascending: false })
        .limit(2);
      expect(data).toEqual([{ agent_name: 'Tweet Scheduler' }, { agent_name: 'Example Agent' }]);
      const page = await viewer
        .from('agent_status')
        .select('agent_name', { count: 'exact' })
        .order('agent_name')
        .range(2, 3);
      expect(page.error).toBeNull();
      expect(page.data).toEqual([{ agent_name: 'Content Collector' }, { agent_name: 'Engagement Analyzer' }]);
      expect(page.count).toBe(6);
      const head = await viewer.from('agent_status').select('*', { count: 'exact', head: true });
      expect(head.count).toBe(6);
      const response = await rest('/agent_status?select=agent_name&order=agent_name.desc.nullslast&limit=3', {
        headers: { apikey: apiKeys(stack).secret, prefer: 'count=exact' },
      });
      expect(response.status).toBe(206);
      expect(response.headers.get('content-range')).toBe('0-2/6');
      expect((await response.json())[0]).toEqual({ agent_name: 'Tweet Scheduler' });
      const ranged = await rest('/agent_status?select=agent_name&order=agent_name', {
        headers: { apikey: apiKeys(stack).secret, range: '4-9' },
      });
      expect(await ranged.json()).toEqual([{ agent_name: 'Example Agent' }, { agent_name: 'Tweet Scheduler' }]);
      expect(ranged.headers.get('content-range')).toBe('4-5/*');
    });

    it('renames columns with alias:column', async () => {
      const { data } = await viewer.from('agent_status').select('name:agent_name').eq('agent_name', 'Example Agent');
      expect(data).toEqual([{ name: 'Example Agent' }]);
    });

    it('single() wants exactly one row (PGRST116, 406 otherwise); maybeSingle() allows none', async () => {
      const one = await viewer
        .from('agent_overview')
        .select('agent_name, generation')
        .eq('agent_name', 'Example Agent')
        .single();
      expect(one.error).toBeNull();
      expect(one.data).toEqual({ agent_name: 'Example Agent', generation: 0 });
      const many = await viewer.from('agent_overview').select('agent_name').single();
      expect(many.status).toBe(406);
      expect(many.error).toMatchObject({ code: 'PGRST116' });
      const none = await viewer.from('agent_overview').select('agent_name').eq('agent_name', 'nope').maybeSingle();
      expect(none).toMatchObject({ data: null, error: null });
    });
  });

  describe('writes', () => {
    it('service inserts, updates, upserts and deletes with return=representation and minimal', async () => {
      const inserted = await service
        .from('agent_status')
        .insert({ agent_name: 'Rest Test A', health: 50 })
        .select('agent_name, health, status')
        .single();
      expect(inserted.error).toBeNull();
      expect(inserted.status).toBe(201);
      expect(inserted.data).toEqual({ agent_name: 'Rest Test A', health: 50, status: 'stopped' });

      // As in PostgREST, keys missing from some rows are null unless the client asks for defaults.
      const rows = [{ agent_name: 'Rest Test B' }, { agent_name: 'Rest Test C', health: 10 }];
      const nulls = await service.from('agent_status').insert(rows);
      expect(nulls).toMatchObject({ status: 400, error: { code: '23502' } });
      const minimal = await service.from('agent_status').insert(rows, { defaultToNull: false });
      expect(minimal).toMatchObject({ error: null, status: 201, data: null });

      const updated = await service
        .from('agent_status')
        .update({ health: 99, status: 'running' })
        .like('agent_name', 'Rest Test *')
        .select('agent_name, health');
      expect(updated.error).toBeNull();
      expect(updated.data!.map((r) => r.health)).toEqual([99, 99, 99]);

      const upserted = await service
        .from('agent_status')
        .upsert(
          [
            { agent_name: 'Rest Test A', health: 1 },
            { agent_name: 'Rest Test D', health: 2 },
          ],
          { onConflict: 'agent_name' },
        )
        .select('agent_name, health')
        .order('agent_name');
      expect(upserted.error).toBeNull();
      expect(upserted.data).toEqual([
        { agent_name: 'Rest Test A', health: 1 },
        { agent_name: 'Rest Test D', health: 2 },
      ]);

      const ignored = await service
        .from('agent_status')
        .upsert({ agent_name: 'Rest Test A', health: 77 }, { onConflict: 'agent_name', ignoreDuplicates: true })
        .select();
      expect(ignored.data).toEqual([]);

      const deleted = await service
        .from('agent_status')
        .delete()
        .like('agent_name', 'Rest Test *')
        .select('agent_name');
      expect(deleted.data!.map((r) => r.agent_name).sort()).toEqual([
        'Rest Test A',
        'Rest Test B',
        'Rest Test C',
        'Rest Test D',
      ]);
      const gone = await service.from('agent_status').delete().eq('agent_name', 'Rest Test A');
      expect(gone).toMatchObject({ error: null, status: 204 });
    });

    it('constraint violations map like PostgREST: 23505 → 409, 23514 → 400', async () => {
      const duplicate = await service.from('agent_status').insert({ agent_name: 'Blog Generator' });
      expect(duplicate.status).toBe(409);
      expect(duplicate.error).toMatchObject({ code: '23505' });
      const outOfRange = await service.from('agent_status').update({ health: 101 }).eq('agent_name', 'Blog Generator');
      expect(outOfRange.status).toBe(400);
      expect(outOfRange.error).toMatchObject({ code: '23514' });
    });

    it('viewers, operators and anon cannot write agents (42501 → 403 signed in, 401 anon)', async () => {
      for (const [who, status] of [
        [viewer, 403],
        [operator, 403],
        [anon, 401],
      ] as const) {
        const insert = await who.from('agent_status').insert({ agent_name: 'Intruder' });
        expect(insert.status).toBe(status);
        expect(insert.error).toMatchObject({ code: '42501' });
        const update = await who.from('agent_status').update({ health: 5 }).eq('agent_name', 'Blog Generator');
        expect(update.status).toBe(status);
        const remove = await who.from('agent_events').delete().gt('id', 0);
        expect(remove.status).toBe(status);
      }
      const { data } = await service.from('agent_status').select('health').eq('agent_name', 'Blog Generator').single();
      expect(data).toEqual({ health: 0 });
    });
  });

  describe('rpc', () => {
    it('an agent reports with its token (issued by the service role) and reads its desired state', async () => {
      const issued = await service.rpc('issue_agent_token', {
        p_agent_name: 'Content Collector',
        p_label: 'rest test',
      });
      expect(issued.error).toBeNull();
      const token = issued.data[0].token as string;
      const report = await anon.rpc('agent_report', {
        p_kind: 'started',
        p_token: token,
        p_info: { host: 'test-host', pid: 42 },
      });
      expect(report.error).toBeNull();
      expect(report.data).toEqual([
        expect.objectContaining({
          agent_name: 'Content Collector',
          desired_state: 'stopped',
          generation: 0,
          observed_generation: 0,
        }),
      ]);
      const row = await viewer
        .from('agent_status')
        .select('status, health, host, pid')
        .eq('agent_name', 'Content Collector')
        .single();
      expect(row.data).toEqual({ status: 'running', health: 100, host: 'test-host', pid: 42 });
      const single = await anon.rpc('agent_report', { p_kind: 'heartbeat', p_token: token }).single();
      expect(single.data).toMatchObject({ agent_name: 'Content Collector' });
      const wrongAgent = await anon.rpc('agent_report', {
        p_kind: 'heartbeat',
        p_token: token,
        p_agent_name: 'Blog Generator',
      });
      expect(wrongAgent.status).toBe(403);
      expect(wrongAgent.error).toMatchObject({ code: 'PT403' });
      await anon.rpc('agent_report', { p_kind: 'stopped', p_token: token });
    });

    it('maps the RPCs’ SQLSTATEs to HTTP: PT401, PT404, 22023, 42501', async () => {
      const badToken = await anon.rpc('agent_report', { p_kind: 'heartbeat', p_token: 'ast_wrong' });
      expect(badToken).toMatchObject({
        status: 401,
        error: { code: 'PT401', message: 'invalid or revoked agent token' },
      });
      const unknown = await service.rpc('agent_report', { p_kind: 'heartbeat', p_agent_name: 'Nobody' });
      expect(unknown).toMatchObject({ status: 404, error: { code: 'PT404', message: 'unknown agent "Nobody"' } });
      const badHealth = await service.rpc('agent_report', {
        p_kind: 'heartbeat',
        p_agent_name: 'Blog Generator',
        p_health: 101,
      });
      expect(badHealth).toMatchObject({ status: 400, error: { code: '22023' } });
      const badKind = await service.rpc('agent_report', { p_kind: 'dancing', p_agent_name: 'Blog Generator' });
      expect(badKind).toMatchObject({ status: 400, error: { code: '22P02' } });
      const viewerCommand = await viewer.rpc('command_agents', { p_command: 'start', p_agent_name: 'Blog Generator' });
      expect(viewerCommand).toMatchObject({ status: 403, error: { code: '42501' } });
      const anonSweep = await anon.rpc('sweep_offline_agents');
      expect(anonSweep).toMatchObject({ status: 401, error: { code: '42501' } });
    });

    it('operators command agents; scalar results come back as values; GET calls work', async () => {
      const started = await operator.rpc('command_agents', { p_command: 'start', p_agent_name: 'Tweet Scheduler' });
      expect(started.error).toBeNull();
      expect(started.data).toEqual([{ agent_name: 'Tweet Scheduler', desired_state: 'running', generation: 1 }]);
      const stopped = await operator
        .rpc('command_agents', { p_command: 'stop' }, { get: false })
        .eq('agent_name', 'Tweet Scheduler');
      expect(stopped.data).toEqual([{ agent_name: 'Tweet Scheduler', desired_state: 'stopped', generation: 2 }]);
      const swept = await service.rpc('sweep_offline_agents', {});
      expect(swept).toMatchObject({ error: null, data: 0 });
      // GET runs read only, as on PostgREST: a reading function answers, a writing one is 405 25006.
      const viaGet = await anon.rpc('badge_state', { p_key: 'no such key' }, { get: true });
      expect(viaGet).toMatchObject({ error: null, status: 200, data: null });
      const sweepViaGet = await service.rpc('sweep_offline_agents', {}, { get: true });
      expect(sweepViaGet).toMatchObject({ status: 405, error: { code: '25006' } });
      const revoked = await service.rpc('revoke_agent_token', { p_token_id: '00000000-0000-0000-0000-000000000000' });
      expect(revoked).toMatchObject({ error: null, data: false });
      const nothing = await anon.rpc('badge_state', { p_key: 'no such key' });
      expect(nothing).toMatchObject({ error: null, status: 200, data: null });
    });

    it('unknown functions and arguments are 404 PGRST202', async () => {
      const missing = await service.rpc('no_such_function');
      expect(missing).toMatchObject({ status: 404, error: { code: 'PGRST202' } });
      const badArg = await service.rpc('agent_report', { p_kind: 'heartbeat', p_colour: 'blue' });
      expect(badArg).toMatchObject({ status: 404, error: { code: 'PGRST202' } });
    });
  });

  describe('errors', () => {
    it('unknown table 404, bad filter 400 PGRST100, unknown column 400, bad JSON 400', async () => {
      const table = await service.from('no_such_table').select('*');
      expect(table).toMatchObject({ status: 404, error: { code: '42P01' } });
      const filter = await rest('/agent_status?health=within.5', { headers: { apikey: apiKeys(stack).secret } });
      expect(filter.status).toBe(400);
      expect(await filter.json()).toMatchObject({ code: 'PGRST100', details: expect.any(String), hint: null });
      const column = await service.from('agent_status').select('colour');
      expect(column).toMatchObject({ status: 400, error: { code: '42703' } });
      const json = await rest('/agent_status', {
        method: 'POST',
        headers: { apikey: apiKeys(stack).secret, 'content-type': 'application/json' },
        body: '{nope',
      });
      expect(json.status).toBe(400);
      expect(await json.json()).toMatchObject({ code: 'PGRST102' });
      const embedded = await service.from('agent_status').select('*, agent_events(*)');
      expect(embedded).toMatchObject({ status: 400, error: { code: 'PGRST100' } });
    });

    it('an expired or forged Bearer token is 401 PGRST301', async () => {
      const secret = new TextEncoder().encode(stack.jwtSecret);
      const expired = await new SignJWT({ role: 'authenticated', sub: '00000000-0000-0000-0000-000000000001' })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(secret);
      const response = await rest('/agent_status', { headers: { authorization: `Bearer ${expired}` } });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'PGRST301', message: 'JWT expired' });
      const forged = await new SignJWT({ role: 'service_role' })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode('x'.repeat(40)));
      const forgedResponse = await rest('/agent_status', { headers: { authorization: `Bearer ${forged}` } });
      expect(forgedResponse.status).toBe(401);
      expect(await forgedResponse.json()).toMatchObject({ code: 'PGRST301' });
      const strangeRole = await new SignJWT({ role: 'postgres' })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime('1h')
        .sign(secret);
      const roleResponse = await rest('/agent_status', { headers: { authorization: `Bearer ${strangeRole}` } });
      expect(roleResponse.status).toBe(401);
    });

    it('the gateway wants an apikey: missing or invalid is 401 with hosted Supabase’s messages', async () => {
      const missing = await fetch(`${stack.url}/rest/v1/agent_status`);
      expect(missing.status).toBe(401);
      expect(await missing.json()).toEqual({ message: 'No API key found in request' });
      const invalid = await fetch(`${stack.url}/rest/v1/agent_status`, { headers: { apikey: 'not-a-key' } });
      expect(invalid.status).toBe(401);
      expect(await invalid.json()).toEqual({ message: 'Invalid API key' });
      expect(invalid.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('bodies over 1 MB are refused with 413', async () => {
      const response = await rest('/agent_status', {
        method: 'POST',
        headers: { apikey: apiKeys(stack).secret, 'content-type': 'application/json' },
        body: JSON.stringify({ agent_name: 'x'.repeat(1_100_000) }),
      });
      expect(response.status).toBe(413);
    });

    it('answers CORS preflights like hosted Supabase', async () => {
      const response = await fetch(`${stack.url}/rest/v1/agent_status`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:5173',
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'authorization, apikey, content-type, x-client-info, prefer',
        },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-methods')).toContain('PATCH');
      expect(response.headers.get('access-control-allow-headers')).toContain('apikey');
      const get = await rest('/agent_status?select=agent_name&limit=1', {
        headers: { origin: 'http://localhost:5173', apikey: apiKeys(stack).secret },
      });
      expect(get.headers.get('access-control-allow-origin')).toBe('*');
      expect(get.headers.get('access-control-expose-headers')).toContain('Content-Range');
    });

    it('only the public schema is exposed', async () => {
      const response = await rest('/users', { headers: { apikey: apiKeys(stack).secret, 'accept-profile': 'auth' } });
      expect(response.status).toBe(406);
      expect(await response.json()).toMatchObject({ code: 'PGRST106' });
    });
  });
});
