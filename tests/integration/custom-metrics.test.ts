// Custom metrics end to end below the dashboard: the SDK's agent.metric and agent.count ride on the worker's
// reports into the real stack, survive an outage without loss or double counting, restart as a reset, are
// refused by the database when past its limits without costing a heartbeat, and are read (or not) by each
// role through the real supabase-js.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createAgentClient,
  reportCount,
  reportMetric,
  runAgent,
  type AgentRun,
  type WorkContext,
} from '@agent-status/agent-sdk';
import { eventually } from '../support/eventually.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';
import { apiKeys, clients, createUser, databases, startTestStack, type RunningStack } from '../support/stack.ts';

type Series = { metric: string; kind: string; value: number; points: Array<[number, number]> };

describe.each(databases)('custom metrics against the stack ($name)', ({ databaseUrl }) => {
  let stack: RunningStack;
  let service: SupabaseClient;
  let viewer: SupabaseClient;
  let operator: SupabaseClient;
  const tokens = new Map<string, string>();
  let runs: AgentRun[] = [];
  const VIEWER = { email: 'metrics-viewer@example.com', password: 'metrics-viewer-password', role: 'viewer' as const };
  const OPERATOR = {
    email: 'metrics-operator@example.com',
    password: 'metrics-operator-password',
    role: 'operator' as const,
  };

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    service = clients(stack).service;
    await createUser(stack, VIEWER);
    await createUser(stack, OPERATOR);
    viewer = await clients(stack).signIn(VIEWER.email, VIEWER.password);
    operator = await clients(stack).signIn(OPERATOR.email, OPERATOR.password);
    for (const name of ['Content Collector', 'Blog Generator', 'Tweet Scheduler']) {
      const { data, error } = await service.rpc('issue_agent_token', { p_agent_name: name, p_label: 'metrics test' });
      if (error) throw new Error(`issue_agent_token failed: ${error.message}`);
      tokens.set(name, data[0].token);
      const started = await service.rpc('command_agents', { p_command: 'start', p_agent_names: [name] });
      if (started.error) throw new Error(`command_agents failed: ${started.error.message}`);
    }
  });
  afterEach(async () => {
    await Promise.all(runs.map((run) => run.stop()));
    runs = [];
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const agentClient = (name: string, url = stack.url) =>
    createAgentClient({ url, anonKey: apiKeys(stack).publishable, token: tokens.get(name)! });

  /** A worker whose work hands its agent handle to the test. */
  function worker(name: string, log: string[] = [], url?: string) {
    let handle: WorkContext | undefined;
    const run = runAgent({
      name,
      client: agentClient(name, url),
      heartbeatIntervalMs: 1_000,
      fallbackPollIntervalMs: 250,
      maxBackoffMs: 200,
      wakeup: false,
      handleSignals: false,
      catchEscapedErrors: false,
      exitProcess: false,
      log: (line) => log.push(line),
      work: async (signal, agent) => {
        handle = agent;
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      },
    });
    runs.push(run);
    return { run, agent: async () => (await eventually(async () => handle, Boolean, `${name}'s work`)) as WorkContext };
  }

  async function metrics(name: string, as: SupabaseClient = viewer): Promise<Record<string, Series>> {
    const { data, error } = await as.rpc('agent_metric_series', { p_agent_name: name, p_minutes: 60 });
    if (error) throw new Error(`agent_metric_series: ${error.message}`);
    return Object.fromEntries((data as { metrics: Series[] }).metrics.map((m) => [m.metric, m]));
  }
  const latest = (name: string, metric: string) => async () => (await metrics(name))[metric]?.value;

  it("a worker's gauge and counter reach the agent with its next heartbeat, with a history point each", async () => {
    const { agent } = worker('Content Collector');
    const work = await agent();
    work.metric('queue_length', 12);
    work.count('articles_collected', 5);
    work.count('articles_collected');
    // The next heartbeat carries them: within a heartbeat interval (1 s), 10× generous.
    const seen = await eventually(
      () => metrics('Content Collector'),
      (m) => m.articles_collected?.value === 6,
      'the metrics',
      10_000,
    );
    expect(seen.queue_length).toMatchObject({ kind: 'gauge', value: 12 });
    expect(seen.articles_collected).toMatchObject({ kind: 'counter', value: 6 });
    expect(seen.queue_length.points.at(-1)?.[1]).toBe(12);
    work.metric('queue_length', 3);
    await eventually(latest('Content Collector', 'queue_length'), (v) => v === 3, 'the gauge, down to 3');
    expect((await metrics('Content Collector')).articles_collected.value).toBe(6);
  });

  it('while the backend is away the worker keeps counting: nothing is lost and nothing counted twice', async () => {
    const proxy = await startTcpProxy(stack.url);
    try {
      const { agent } = worker('Blog Generator', [], proxy.url);
      const work = await agent();
      work.count('posts_drafted', 3);
      await eventually(latest('Blog Generator', 'posts_drafted'), (v) => v === 3, 'the first count');
      await proxy.down();
      work.count('posts_drafted', 2);
      work.metric('words_per_post', 900);
      work.count('posts_drafted', 2);
      work.metric('words_per_post', 1_200);
      await new Promise((resolve) => setTimeout(resolve, 2_500)); // a few failed heartbeats
      expect(await latest('Blog Generator', 'posts_drafted')()).toBe(3);
      await proxy.up();
      await eventually(latest('Blog Generator', 'posts_drafted'), (v) => v === 7, 'the counts of the outage', 15_000);
      expect(await latest('Blog Generator', 'words_per_post')()).toBe(1_200);
      // Heartbeats go on; the total stays put until the work counts again.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await latest('Blog Generator', 'posts_drafted')()).toBe(7);
    } finally {
      await proxy.close();
    }
  });

  it('a new worker instance counts from zero again: a reset, and the agent total goes on', async () => {
    const first = worker('Tweet Scheduler');
    (await first.agent()).count('tweets_scheduled', 4);
    await eventually(latest('Tweet Scheduler', 'tweets_scheduled'), (v) => v === 4, 'the first worker');
    await first.run.stop();
    const second = worker('Tweet Scheduler');
    (await second.agent()).count('tweets_scheduled', 1);
    await eventually(latest('Tweet Scheduler', 'tweets_scheduled'), (v) => v === 5, 'the second worker, added');
  });

  it('past the limits the database refuses the metrics with PT422; the worker says why and its heartbeats go on', async () => {
    // Twenty metrics already (what an older version of the worker reported).
    const gauges = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`old_${i}`, i]));
    const filled = await agentClient('Content Collector').report('heartbeat', { info: { metrics: { gauges } } });
    expect(filled.ok).toBe(false);
    const [{ count }] = (
      await stack.db.query<{ count: number }>(
        `select count(*)::integer as count from public.agent_metrics m join public.agent_status s on s.id = m.agent_id
        where s.agent_name = 'Content Collector'`,
      )
    ).rows;
    expect(count).toBe(2); // the report was refused whole: 20 old ones + 2 would be 22
    const direct = await agentClient('Content Collector').report('heartbeat', {
      info: { metrics: { gauges: { 'Not A Name': 1 } as Record<string, number> } },
    });
    expect(direct).toMatchObject({
      ok: false,
      error: {
        code: 'PT422',
        status: 422,
        retryable: false,
        message:
          'metric name "Not A Name" must start with a lower-case letter and hold only lower-case letters, digits and underscores',
      },
    });

    await stack.db.query(
      `insert into public.agent_metrics (agent_id, metric, kind, value)
       select s.id, 'old_' || i, 'gauge', i from public.agent_status s, generate_series(1, 18) i where s.agent_name = 'Content Collector'`,
    );
    const log: string[] = [];
    const { agent } = worker('Content Collector', log);
    const work = await agent();
    const before = Date.now();
    work.metric('one_too_many', 1);
    await eventually(
      async () => log.find((l) => l.startsWith('custom metrics refused')),
      Boolean,
      'the refusal, logged',
    );
    expect(log.find((l) => l.startsWith('custom metrics refused'))).toMatch(
      /^custom metrics refused \(PT422: an agent keeps at most 20 custom metrics; this report would make 21 \(.*one_too_many.*\)/,
    );
    const { data } = await service
      .from('agent_status')
      .select('last_heartbeat')
      .eq('agent_name', 'Content Collector')
      .single();
    await eventually(
      async () =>
        (await service.from('agent_status').select('last_heartbeat').eq('agent_name', 'Content Collector').single())
          .data,
      (row) => Date.parse(row?.last_heartbeat ?? '') > before,
      `heartbeats go on (was ${data?.last_heartbeat})`,
    );
    expect(await metrics('Content Collector')).not.toHaveProperty('one_too_many');
  });

  it('one-shot scripts: reportCount and reportMetric each send one report; the process is the series', async () => {
    const client = agentClient('Blog Generator');
    expect(await reportCount('Blog Generator', 'runs', 1, { client })).toMatchObject({ ok: true });
    expect(await reportCount('Blog Generator', 'runs', 1, { client })).toMatchObject({ ok: true });
    expect(await reportMetric('Blog Generator', 'last_run_seconds', 4.25, { client })).toMatchObject({ ok: true });
    expect(await reportMetric('Blog Generator', 'bad name', 1, { client })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_METRIC' },
    });
    const seen = await metrics('Blog Generator');
    expect(seen.runs).toMatchObject({ kind: 'counter', value: 2 });
    expect(seen.last_run_seconds).toMatchObject({ kind: 'gauge', value: 4.25 });
  });

  it('who reads and who deletes, through supabase-js: anon nothing, viewers read, operators delete', async () => {
    const anon = clients(stack).anon;
    for (const table of ['agent_metrics', 'agent_metric_points'] as const) {
      const read = await anon.from(table).select('*');
      expect(read.error?.code, table).toBe('42501');
      expect((await viewer.from(table).select('metric')).data?.length, table).toBeGreaterThan(0);
      const forged = await viewer.from(table).delete().neq('metric', '');
      expect(forged.error?.code, table).toBe('42501');
    }
    expect((await anon.rpc('agent_metric_series', { p_agent_name: 'Blog Generator' })).error?.code).toBe('42501');
    expect((await anon.rpc('fleet_metrics', { p_metrics: ['runs'] })).error?.code).toBe('42501');
    const fleet = await viewer.rpc('fleet_metrics', { p_metrics: ['runs'] });
    expect(fleet.error).toBeNull();
    expect(Object.values((fleet.data as { values: Record<string, unknown> }).values)).toEqual([{ runs: 2 }]);
    const denied = await viewer.rpc('delete_agent_metric', { p_agent_name: 'Blog Generator', p_metric: 'runs' });
    expect(denied.error).toMatchObject({ code: '42501', message: 'only operators can delete metrics' });
    const deleted = await operator.rpc('delete_agent_metric', { p_agent_name: 'Blog Generator', p_metric: 'runs' });
    expect(deleted).toMatchObject({ data: true, error: null });
    expect(await metrics('Blog Generator', operator)).not.toHaveProperty('runs');
    const unknown = await viewer.rpc('agent_metric_series', { p_agent_name: 'Nobody' });
    expect(unknown.error).toMatchObject({ code: 'PT404', message: 'unknown agent "Nobody"' });
  });
});
