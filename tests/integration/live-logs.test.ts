// Live logs against the real stack, with the real supabase-js and the real SDK: a worker's lines reach a
// signed-in viewer while it watches and stop when nobody does; only viewers and operators read an
// agent's log topic, and only that agent writes it; an error report keeps the last lines before it.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createAgentClient,
  runAgent,
  type AgentLog,
  type AgentRun,
  type RunAgentOptions,
} from '@agent-status/agent-sdk';
import { collectLogBacklog, type ProjectClient, watchAgentLogs } from '@agent-status/client';
import { eventually, sleep } from '../support/eventually.ts';
import { watchLogs, type LogViewer } from '../support/log-viewer.ts';
import { apiKeys, clients, createUser, databases, startTestStack, type RunningStack } from '../support/stack.ts';

const VIEWER = { email: 'logs-viewer@example.com', password: 'logs-viewer-password', role: 'viewer' as const };
const OPERATOR = { email: 'logs-operator@example.com', password: 'logs-operator-password', role: 'operator' as const };

describe.each(databases)('live logs on $name', ({ databaseUrl }) => {
  let stack: RunningStack;
  let service: SupabaseClient;
  let viewer: SupabaseClient;
  let operator: SupabaseClient;
  const tokens = new Map<string, string>();
  const ids = new Map<string, string>();
  let runs: AgentRun[] = [];
  let viewers: LogViewer[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    service = clients(stack).service;
    await createUser(stack, VIEWER);
    await createUser(stack, OPERATOR);
    viewer = await clients(stack).signIn(VIEWER.email, VIEWER.password);
    operator = await clients(stack).signIn(OPERATOR.email, OPERATOR.password);
    for (const name of ['Content Collector', 'Blog Generator', 'Tweet Scheduler', 'Engagement Analyzer']) {
      const { data, error } = await service.rpc('issue_agent_token', { p_agent_name: name, p_label: 'logs test' });
      if (error) throw new Error(error.message);
      tokens.set(name, data[0].token);
      const row = await service.from('agent_status').select('id').eq('agent_name', name).single();
      ids.set(name, row.data!.id);
    }
  });
  afterEach(async () => {
    await Promise.all(viewers.map((v) => v.stop()));
    viewers = [];
    await Promise.all(runs.map((run) => run.stop()));
    runs = [];
    await service.from('agent_log_watches').delete().not('agent_id', 'is', null);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A worker that logs what the test tells it to; its publish_agent_logs requests are counted. */
  function worker(name: string, options: Partial<RunAgentOptions> = {}) {
    const counts = { publish: 0, report: 0, other: 0 };
    let log: AgentLog | undefined;
    const client = createAgentClient({
      url: stack.url,
      anonKey: apiKeys(stack).publishable,
      token: tokens.get(name)!,
      fetch: (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (url.includes('/rpc/publish_agent_logs')) counts.publish += 1;
        if (url.includes('/rpc/agent_report')) counts.report += 1;
        else if (!url.includes('/rpc/publish_agent_logs')) counts.other += 1;
        return fetch(input, init);
      },
    });
    const run = runAgent({
      name,
      client,
      heartbeatIntervalMs: 2_000,
      handleSignals: false,
      catchEscapedErrors: false,
      exitProcess: false,
      log: () => undefined,
      logs: { echo: false },
      work: async (signal, agent) => {
        log = agent.log;
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      },
      ...options,
    });
    runs.push(run);
    return {
      counts,
      run,
      log: async (text: string, fields?: Record<string, unknown>) => {
        await eventually(async () => log, Boolean, `${name}'s work to run`);
        log!.info(text, fields);
      },
    };
  }

  async function started(name: string) {
    const { error } = await service.rpc('command_agents', { p_command: 'start', p_agent_name: name });
    if (error) throw new Error(error.message);
  }

  async function viewerOf(client: SupabaseClient, name: string, options: Parameters<typeof watchLogs>[2] = {}) {
    const v = await watchLogs(client, ids.get(name)!, options);
    viewers.push(v);
    return v;
  }

  it("a worker's lines reach a watching viewer: the backlog first, then each new line at once", async () => {
    await started('Content Collector');
    const cc = worker('Content Collector');
    await cc.log('logged before anyone watched', { feed: 'a' });
    await cc.log('connecting with password=hunter2');
    expect(cc.counts.publish).toBe(0);

    const v = await viewerOf(viewer, 'Content Collector');
    await eventually(async () => v.batches.some((b) => b.backlog_end), Boolean, 'the backlog');
    expect(v.texts()).toEqual(['logged before anyone watched', 'connecting with password=[redacted]']);
    expect(v.lines()[0]).toMatchObject({ seq: 1, level: 'info', fields: { feed: 'a' } });

    for (let i = 1; i <= 3; i++) {
      const sent = Date.now();
      await cc.log(`live ${i}`);
      const batch = await eventually(
        async () => v.batches.find((b) => b.lines.some((l) => l.text === `live ${i}`)),
        Boolean,
        `live ${i}`,
      );
      expect(batch!.receivedAt - sent).toBeLessThan(5_000); // the 1 s goal is measured in the browser (e2e)
      await sleep(600);
    }
    expect(JSON.stringify(v.batches)).not.toContain('hunter2');
  });

  it('nobody watching: not one request, row or message more than a plain heartbeat, however much the worker logs', async () => {
    await started('Blog Generator');
    const bg = worker('Blog Generator');
    const listener = await viewerOf(operator, 'Blog Generator', { watch: false });
    await bg.log('first'); // the work runs
    const agentId = ids.get('Blog Generator')!;
    // The work starts while the worker's 'started' report is still on its way (the SDK queues it): the
    // counts below begin once it is recorded, or its status event would count as one the lines caused.
    await eventually(
      async () =>
        (await stack.db.query<{ status: string }>('select status from public.agent_status where id = $1', [agentId]))
          .rows[0]?.status,
      (status) => status === 'running',
      "the worker's started report",
    );
    const rows = async () =>
      (
        await stack.db.query<{ events: string; watches: string; messages: string }>(
          `select (select count(*) from public.agent_events where agent_id = $1)::text as events,
                  (select count(*) from public.agent_log_watches)::text as watches,
                  (select count(*) from realtime.messages where topic = 'agent-logs:' || $1)::text as messages`,
          [agentId],
        )
      ).rows[0];
    const before = { rows: await rows(), reports: bg.counts.report, other: bg.counts.other };
    const startedAt = Date.now();
    for (let i = 0; i < 200; i++) await bg.log(`line ${i}`, { i });
    await sleep(3_000);
    const seconds = (Date.now() - startedAt) / 1000;

    expect(bg.counts.publish).toBe(0);
    expect(bg.counts.other).toBe(before.other);
    // Only the heartbeats of its interval (2 s), never one because of a line.
    expect(bg.counts.report - before.reports).toBeLessThanOrEqual(Math.ceil(seconds / 2) + 1);
    expect(await rows()).toEqual(before.rows);
    expect(before.rows.watches).toBe('0');
    expect(listener.batches).toEqual([]);
  });

  it('the tail stops within the expiry after the last watcher leaves', async () => {
    await started('Tweet Scheduler');
    const ts = worker('Tweet Scheduler');
    let logging = true;
    const logger = (async () => {
      for (let i = 0; logging; i++) {
        await ts.log(`tick ${i}`);
        await sleep(200);
      }
    })();
    try {
      const v = await viewerOf(operator, 'Tweet Scheduler', { seconds: 5, renewMs: 60_000 }); // never renewed
      const watchedAt = Date.now();
      await eventually(async () => v.texts().length > 5, Boolean, 'lines while watched');
      await v.stop();
      await sleep(Math.max(0, watchedAt + 5_000 + 1_500 - Date.now())); // the expiry, and one batch in flight
      const after = ts.counts.publish;
      await sleep(5_000);
      expect(ts.counts.publish).toBe(after);
    } finally {
      logging = false;
      await logger;
    }
  });

  it('a worker without push learns of a watch from its heartbeat answer', async () => {
    await started('Engagement Analyzer');
    const ea = worker('Engagement Analyzer', { wakeup: false, heartbeatIntervalMs: 1_000, pollIntervalMs: 1_000 });
    await ea.log('before');
    const v = await viewerOf(viewer, 'Engagement Analyzer');
    await eventually(
      async () => v.texts(),
      (texts) => texts.includes('before'),
      'the backlog through the heartbeat answer',
      10_000,
    );
  });

  it('a second watcher gets the backlog too; the first sees each line once', async () => {
    await started('Content Collector');
    const cc = worker('Content Collector');
    await cc.log('one');
    const first = await viewerOf(viewer, 'Content Collector');
    await eventually(
      async () => first.texts(),
      (t) => t.includes('one'),
      'the first backlog',
    );
    await cc.log('two');
    await eventually(
      async () => first.texts(),
      (t) => t.includes('two'),
      'a live line',
    );
    const second = await viewerOf(operator, 'Content Collector');
    await eventually(
      async () => second.texts(),
      (t) => t.includes('one') && t.includes('two'),
      'the second backlog',
    );
    await sleep(500);
    expect(first.texts()).toEqual(['one', 'two']);
    expect(first.batches.filter((b) => b.backlog_end)).toHaveLength(2);
  });

  it("anon (a worker's own connection too) and users without a role cannot join a log topic, watch or send; another agent's token cannot write it", async () => {
    const anon = clients(stack).anon;
    // A worker's Realtime and REST calls are anon's with its token as an argument: what anon may not do, an
    // agent token (this agent's or another's) may not either, but for publish_agent_logs below.
    await expect(watchLogs(anon, ids.get('Content Collector')!, { watch: false })).rejects.toThrow(
      /CHANNEL_ERROR|TIMED_OUT/,
    );
    expect((await anon.rpc('watch_agent_logs', { p_agent_id: ids.get('Content Collector')! })).error?.code).toBe(
      '42501',
    );
    const unsigned = await anon.rpc('publish_agent_logs', {
      p_batch: { instance: 'anon', lines: [] },
      p_agent_name: 'Content Collector',
    });
    expect(unsigned.error?.code).toBe('PT401');
    const nobody = { email: 'logs-nobody@example.com', password: 'logs-nobody-password' };
    await createUser(stack, nobody);
    const noRole = await clients(stack).signIn(nobody.email, nobody.password);
    await expect(watchLogs(noRole, ids.get('Content Collector')!, { watch: false })).rejects.toThrow(
      /CHANNEL_ERROR|TIMED_OUT/,
    );
    const denied = await noRole.rpc('watch_agent_logs', { p_agent_id: ids.get('Content Collector')! });
    expect(denied.error?.code).toBe('42501');

    const v = await viewerOf(viewer, 'Content Collector');
    await eventually(
      async () => v.batches.length,
      (n) => n >= 0,
      'subscribed',
    );
    const bgClient = createAgentClient({
      url: stack.url,
      anonKey: apiKeys(stack).publishable,
      token: tokens.get('Blog Generator')!,
    });
    const forged = {
      instance: 'forged',
      lines: [{ seq: 1, at: new Date().toISOString(), level: 'info' as const, text: 'forged' }],
    };
    expect(await bgClient.publishLogs(forged, { agentName: 'Content Collector' })).toMatchObject({
      ok: true,
      watchSeconds: null, // its own agent, which nobody watches: the agent name is not used with a token
    });
    const named = await clients(stack).anon.rpc('publish_agent_logs', {
      p_batch: forged,
      p_token: tokens.get('Blog Generator')!,
      p_agent_name: 'Content Collector',
    });
    expect(named.error?.code).toBe('PT403');
    // An operator may read the topic but not broadcast on it (no INSERT policy): the viewer gets nothing.
    const sender = await viewerOf(operator, 'Content Collector', { watch: false });
    await sender.send('lines', forged);
    await sleep(1_000);
    expect(v.texts()).not.toContain('forged');
    await bgClient.close();
  });

  it('@agent-status/client: watchAgentLogs goes connecting → waiting → live; collectLogBacklog takes the backlog and stops', async () => {
    await started('Tweet Scheduler');
    const ts = worker('Tweet Scheduler');
    await ts.log('one');
    await ts.log('two', { n: 2 });
    const states: string[] = [];
    const received: string[] = [];
    const watching = watchAgentLogs(viewer as ProjectClient, ids.get('Tweet Scheduler')!, {
      onState: (state) => states.push(state),
      onBatch: (batch) => received.push(...batch.lines.map((line) => line.text)),
    });
    try {
      await eventually(
        async () => received,
        (r) => r.includes('two'),
        'the backlog through the client',
      );
      expect(states).toEqual(['connecting', 'waiting', 'live']);
    } finally {
      await watching.stop();
    }

    const snapshot = await collectLogBacklog(operator as ProjectClient, ids.get('Tweet Scheduler')!, {
      timeoutMs: 10_000,
    });
    expect(snapshot.ok && snapshot.value.complete).toBe(true);
    expect(snapshot.ok && snapshot.value.lines.map((line) => [line.text, line.fields])).toEqual([
      ['one', undefined],
      ['two', { n: 2 }],
    ]);

    // Nobody runs Engagement Analyzer's worker: the snapshot says it is incomplete, after the wait.
    const silent = await collectLogBacklog(viewer as ProjectClient, ids.get('Engagement Analyzer')!, {
      timeoutMs: 2_000,
    });
    expect(silent).toEqual({ ok: true, value: { lines: [], complete: false } });

    // anon may not join a log topic: the snapshot is a Failure, not an empty log.
    const anon = await collectLogBacklog(clients(stack).anon as ProjectClient, ids.get('Tweet Scheduler')!, {
      timeoutMs: 10_000,
    });
    expect(anon.ok).toBe(false);
  });

  it('an error keeps the last lines logged before it, redacted, with the error event', async () => {
    await started('Blog Generator');
    worker('Blog Generator', {
      onError: 'exit',
      work: async (_signal, agent) => {
        agent.log.info('fetching https://feeds.example/blog');
        agent.log.warn('token=abc123 rejected, retrying');
        throw new Error('feed unreachable');
      },
    });
    const event = await eventually(
      async () =>
        (
          await service
            .from('agent_events')
            .select('message, log_lines')
            .eq('agent_id', ids.get('Blog Generator')!)
            .eq('kind', 'error')
            .order('id', { ascending: false })
            .limit(1)
        ).data?.[0],
      (row) => Boolean(row?.log_lines),
      'the error event',
    );
    const lines = event!.log_lines as Array<{ level: string; text: string }>;
    expect(event!.message).toBe('Error: feed unreachable');
    expect(lines.map((l) => [l.level, l.text.split('\n')[0]])).toEqual([
      ['info', 'fetching https://feeds.example/blog'],
      ['warn', 'token=[redacted] rejected, retrying'],
      ['error', 'work crashed: Error: feed unreachable'],
    ]);
    const read = await viewer
      .from('agent_events')
      .select('log_lines')
      .eq('agent_id', ids.get('Blog Generator')!)
      .eq('kind', 'error');
    expect(read.data?.some((row) => Array.isArray(row.log_lines))).toBe(true);
  });
});
