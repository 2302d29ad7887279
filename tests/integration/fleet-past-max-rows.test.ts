// A fleet past config.toml's [api] max_rows (1,000), with the real supabase-js: the stack cuts every
// read and set-returning RPC answer as hosted PostgREST does (Content-Range tells the cut), and what
// the product reads whole — the dashboard's overview (fleet_overview, or paged), the `agents` function's start-all, bulk
// commands and tags, fleet availability — comes back complete. Nothing cut here means nothing cut on
// hosted Supabase.
import { readFleet, type ProjectClient } from '@agent-status/client';
import type { AgentOverviewRow } from '@agent-status/domain';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, clients, createUser, databases, startTestStack, type RunningStack } from '../support/stack.ts';

const OPERATOR = { email: 'fleet-operator@example.com', password: 'fleet-operator-password', role: 'operator' };
const EXTRA = 1005;
const TOTAL = EXTRA + 6; // and the six seeded agents
const fleetName = (i: number) => `fleet-${String(i).padStart(4, '0')}`;

describe.each(databases)('a fleet of 1,011 agents past max_rows = 1000 ($name)', ({ databaseUrl }) => {
  let stack: RunningStack;
  let operator: SupabaseClient;
  let service: SupabaseClient;

  /** A raw REST request as the service role, for the headers supabase-js keeps to itself. */
  const rest = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.url}/rest/v1${path}`, {
      ...init,
      headers: {
        apikey: apiKeys(stack).secret,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string>),
      },
    });

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    // Set-based, through the stack's own database handle: one statement for the whole fleet.
    await stack.db.query(
      `insert into public.agent_status (agent_name) select 'fleet-' || lpad(g::text, 4, '0') from generate_series(0, $1::int - 1) g`,
      [EXTRA],
    );
    await createUser(stack, OPERATOR);
    operator = await clients(stack).signIn(OPERATOR.email, OPERATOR.password);
    service = clients(stack).service;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('a read of a view without a range is cut at 1,000, and Content-Range says so', async () => {
    const plain = await rest('/agent_overview?select=id');
    expect(plain.status).toBe(200);
    expect((await plain.json()).length).toBe(1000);
    expect(plain.headers.get('content-range')).toBe('0-999/*');

    const counted = await rest('/agent_overview?select=id', { headers: { prefer: 'count=exact' } });
    expect(counted.status).toBe(206);
    expect(counted.headers.get('content-range')).toBe(`0-999/${TOTAL}`);

    const asked = await rest('/agent_status?select=id&limit=5000');
    expect((await asked.json()).length).toBe(1000);
    const ranged = await rest('/agent_status?select=id', { headers: { range: '0-4999' } });
    expect((await ranged.json()).length).toBe(1000);
  });

  it('paging with count: every agent once', async () => {
    const first = await operator
      .from('agent_overview')
      .select('id, agent_name', { count: 'exact' })
      .order('agent_name')
      .range(0, 999);
    expect(first.error).toBeNull();
    expect(first.count).toBe(TOTAL);
    expect(first.data!.length).toBe(1000);
    const second = await operator.from('agent_overview').select('id, agent_name').order('agent_name').range(1000, 1999);
    expect(second.data!.length).toBe(TOTAL - 1000);
    const names = new Set([...first.data!, ...second.data!].map((row) => row.agent_name));
    expect(names.size).toBe(TOTAL);
    expect(names.has(fleetName(EXTRA - 1))).toBe(true);
  });

  it('a set-returning RPC is cut too, counted when asked, and runs once', async () => {
    const response = await rest('/rpc/command_agents', {
      method: 'POST',
      body: JSON.stringify({ p_command: 'restart' }),
      headers: { prefer: 'count=exact' },
    });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`0-999/${TOTAL}`);
    expect((await response.json()).length).toBe(1000);
    // A restart bumps every generation once: the function ran once although the page and the count both read it.
    const { rows } = await stack.db.query<{ generations: number[] }>(
      'select array_agg(distinct generation::int) as generations from public.agent_desired_state',
    );
    expect(rows[0].generations).toEqual([1]);
  });

  it('writes that return their rows are not cut (PostgREST caps reads, not mutations)', async () => {
    const { rows: ids } = await stack.db.query<{ id: string }>(
      `select id from public.agent_status where agent_name like 'fleet-%' order by agent_name limit 1001`,
    );
    const events = await service
      .from('agent_events')
      .insert(ids.map((row) => ({ agent_id: row.id, kind: 'health' as const, message: 'bulk' })))
      .select('id');
    expect(events.error).toBeNull();
    expect(events.data!.length).toBe(1001);
  });

  it('start-all through the function answers every agent', async () => {
    const { data, error } = await operator.functions.invoke('agents/start-all', { method: 'POST' });
    expect(error).toBeNull();
    const agents = (data as { agents: { agent_name: string; desired_state: string }[] }).agents;
    expect(agents.length).toBe(TOTAL);
    expect(new Set(agents.map((a) => a.desired_state))).toEqual(new Set(['running']));
    expect(agents.map((a) => a.agent_name)).toContain(fleetName(EXTRA - 1));
  });

  it('a bulk command for 1,001 agents by name is one request and answers all of them', async () => {
    const names = Array.from({ length: 1001 }, (_, i) => fleetName(i));
    const { data, error } = await operator.functions.invoke('agents/stop', {
      method: 'POST',
      body: { agent_names: names },
    });
    expect(error).toBeNull();
    const agents = (data as { agents: { agent_name: string; desired_state: string }[] }).agents;
    expect(agents.length).toBe(1001);
    expect(agents.every((a) => a.desired_state === 'stopped')).toBe(true);
    const { rows } = await stack.db.query<{ stopped: number }>(
      `select count(*)::int as stopped from public.agent_desired_state d join public.agent_status s on s.id = d.agent_id where d.desired_state = 'stopped'`,
    );
    expect(rows[0].stopped).toBe(1001);
  });

  it('tags for 1,001 agents in one request; the tag then names them', async () => {
    const names = Array.from({ length: 1001 }, (_, i) => fleetName(i));
    const { data, error } = await operator.functions.invoke('agents/tags', {
      method: 'POST',
      body: { agent_names: names, add: ['canary'] },
    });
    expect(error).toBeNull();
    expect((data as { agents: unknown[] }).agents.length).toBe(1001);
    const { rows } = await stack.db.query<{ tagged: number }>(
      `select count(*)::int as tagged from public.agent_status where 'canary' = any (tags)`,
    );
    expect(rows[0].tagged).toBe(1001);
  });

  it("the dashboard's fleet_overview is every agent once, as one JSON value", async () => {
    const { data, error } = await operator.rpc('fleet_overview', undefined, { get: true });
    expect(error).toBeNull();
    const rows = data as unknown as { agent_name: string; tags: string[] }[];
    expect(rows).toHaveLength(TOTAL);
    expect(new Set(rows.map((r) => r.agent_name)).size).toBe(TOTAL);
    expect(rows.filter((r) => r.agent_name.startsWith('fleet-'))).toHaveLength(EXTRA);
  });

  it("the dashboard's and the CLI's read (readFleet: fleet_overview_compact) is every agent once, as fleet_overview() has them", async () => {
    const read = await readFleet(operator as ProjectClient);
    if (!read.ok) throw new Error(read.error.message);
    expect(read.value).toHaveLength(TOTAL);
    const whole = (await operator.rpc('fleet_overview', undefined, { get: true }))
      .data as unknown as AgentOverviewRow[];
    const withoutClock = ({ server_time: _t, ...row }: AgentOverviewRow) => row;
    expect(read.value.map(withoutClock)).toEqual(whole.map(withoutClock));
  });

  it('fleet availability is one JSON value for every agent (a scalar answer is not cut)', async () => {
    const { data, error } = await operator.rpc('fleet_availability', {}, { get: true });
    expect(error).toBeNull();
    expect(Object.keys(data as Record<string, unknown>).length).toBe(TOTAL);
  });
});
