// Schedules against the real stack with a real worker: an operator attaches a schedule through REST (RLS
// decides), the schedule's window opens and closes on the controllable clock (run_agent_schedules(p_now),
// service role only), and the SDK's runAgent starts and stops its work, with the schedule as the actor in
// the history and in the alerts, and no "stopped unexpectedly" alert. The stack's own scheduler runs the
// same job on the database's clock.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent, type AgentRun } from '@agent-status/agent-sdk';
import { DISPATCH_ALERTS_JOB_NAME, SCHEDULES_JOB_NAME } from '@agent-status/domain';
import { setUpAlerts } from '@agent-status/start/alerts-setup';
import { addChannel, deliveries } from '../support/alerts.ts';
import { eventually } from '../support/eventually.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { apiKeys, clients, createUser, databases, startTestStack, type RunningStack } from '../support/stack.ts';

const OPERATOR = { email: 'schedules-operator@example.com', password: 'schedules-operator-password', role: 'operator' };

describe.each(databases)('schedules start and stop a real worker ($name)', ({ databaseUrl }) => {
  let stack: RunningStack;
  let service: SupabaseClient;
  let operator: SupabaseClient;
  let receiver: Receiver;
  let channelId: string;
  const runs: AgentRun[] = [];

  beforeAll(async () => {
    // The jobs are the migrations' own; only their timing is shortened.
    stack = await startTestStack({
      databaseUrl,
      cronIntervalOverrides: { [DISPATCH_ALERTS_JOB_NAME]: 1_000, [SCHEDULES_JOB_NAME]: 1_000 },
    });
    await setUpAlerts(stack.db, {
      projectUrl: stack.url,
      secretKey: stack.secretKey ?? stack.serviceRoleKey,
      dashboardUrl: 'http://dashboard.test/',
      allowPrivateUrls: true,
    });
    receiver = await startReceiver();
    channelId = await addChannel(stack, {
      name: 'schedules hook',
      kind: 'webhook',
      url: `${receiver.url}/hook`,
      events: ['command', 'stopped_unexpectedly', 'offline', 'error'],
      agent_names: ['Content Collector'],
    });
    service = clients(stack).service;
    await createUser(stack, OPERATOR);
    operator = await clients(stack).signIn(OPERATOR.email, OPERATOR.password);
  });
  afterAll(async () => {
    await Promise.all(runs.map((run) => run.stop()));
    await stack?.stop();
    await receiver?.close();
  });

  async function token(name: string) {
    const { data, error } = await service.rpc('issue_agent_token', { p_agent_name: name, p_label: 'schedules test' });
    if (error) throw new Error(error.message);
    return data[0].token as string;
  }

  async function agent(name: string) {
    const { data, error } = await service.from('agent_overview').select('*').eq('agent_name', name).single();
    if (error) throw new Error(error.message);
    return data as {
      id: string;
      status: string;
      desired_state: string;
      generation: number;
      observed_generation: number;
      requested_by_email: string | null;
      pid: number | null;
    };
  }

  async function runSchedules(at: string) {
    const { data, error } = await service.rpc('run_agent_schedules', { p_now: at });
    if (error) throw new Error(error.message);
    return data as number;
  }

  it('a window opening and closing starts and stops the worker, as schedule:<name>, with no unexpected-stop alert', async () => {
    const name = 'Content Collector';
    const collector = await agent(name);
    const added = await operator.from('agent_schedules').insert({
      name: 'collector-hours',
      agent_id: collector.id,
      state: 'running',
      days: [1, 2, 3, 4, 5],
      start_time: '08:00',
      end_time: '20:00',
      time_zone: 'Europe/Berlin',
    });
    expect(added.error).toBeNull();

    const work = { starts: 0, aborts: 0, running: 0 };
    runs.push(
      runAgent({
        name,
        config: { url: stack.url, token: await token(name), anonKey: apiKeys(stack).publishable },
        pollIntervalMs: 500,
        heartbeatIntervalMs: 2_000,
        handleSignals: false,
        exitProcess: false,
        catchEscapedErrors: false,
        log: () => undefined,
        work: async (signal) => {
          work.starts += 1;
          work.running += 1;
          while (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, 10));
          work.aborts += 1;
          work.running -= 1;
        },
      }),
    );
    await eventually(
      () => agent(name),
      (a) => a.pid === process.pid,
      'the worker reports',
    );
    expect(work.starts).toBe(0); // seeded stopped

    // The clock: the schedule's own boundaries a month from now (Berlin office hours, as the database computes them).
    const from = new Date(Date.now() + 30 * 86_400_000);
    const { data: transitions, error } = await operator.rpc('schedule_transitions', {
      p_from: from.toISOString(),
      p_until: new Date(from.getTime() + 7 * 86_400_000).toISOString(),
    });
    expect(error).toBeNull();
    const mine = (transitions ?? []).filter((t: { schedule_name: string }) => t.schedule_name === 'collector-hours');
    const opens = mine.find((t: { desired_state: string }) => t.desired_state === 'running');
    const closes = mine.find(
      (t: { at: string; desired_state: string }) => t.desired_state === 'stopped' && t.at > opens.at,
    );
    expect(new Date(closes.at).getTime() - new Date(opens.at).getTime()).toBe(12 * 3_600_000);

    expect(await runSchedules(opens.at)).toBe(1);
    const started = await eventually(
      () => agent(name),
      (a) => a.status === 'running' && a.observed_generation === a.generation && a.generation > 0,
      'the worker runs the generation the schedule gave',
    );
    expect(started).toMatchObject({ desired_state: 'running', requested_by_email: 'schedule:collector-hours' });
    expect(work).toMatchObject({ starts: 1, running: 1 });

    expect(await runSchedules(closes.at)).toBe(1);
    const stopped = await eventually(
      () => agent(name),
      (a) => a.status === 'stopped' && a.observed_generation === a.generation && a.generation > started.generation,
      'the worker stops at the close',
    );
    expect(stopped).toMatchObject({ desired_state: 'stopped', requested_by_email: 'schedule:collector-hours' });
    expect(work).toMatchObject({ starts: 1, aborts: 1, running: 0 });

    // The history, as the activity feed reads it (an operator's read, under RLS).
    const { data: events } = await operator
      .from('agent_events')
      .select('kind, command, generation, actor_email, actor_id')
      .eq('agent_id', collector.id)
      .eq('kind', 'command')
      .order('id');
    expect(events).toEqual([
      {
        kind: 'command',
        command: 'start',
        generation: started.generation,
        actor_email: 'schedule:collector-hours',
        actor_id: null,
      },
      {
        kind: 'command',
        command: 'stop',
        generation: stopped.generation,
        actor_email: 'schedule:collector-hours',
        actor_id: null,
      },
    ]);

    // Alerts: both commands reach the webhook, named for the schedule; the stop is no unexpected stop.
    await eventually(
      async () => receiver.requests.filter((r) => r.path === '/hook').map((r) => JSON.parse(r.body)),
      (bodies) => bodies.length >= 2,
      'the two command alerts',
      30_000,
    );
    // Deliveries are sent concurrently: their order of arrival varies.
    const bodies = receiver.requests.map((r) => JSON.parse(r.body) as { event: string; message: string });
    expect(bodies.map((b) => [b.event, b.message]).sort()).toEqual([
      ['command', 'schedule:collector-hours asked to start'],
      ['command', 'schedule:collector-hours asked to stop'],
    ]);
    expect((await deliveries(stack, channelId)).map((d) => d.event)).toEqual(['command', 'command']);
    // The stack's scheduler has run the job on the real clock all along, every second: the boundaries
    // of today are older than the ones acted on, so it commanded nothing more.
    expect((await agent(name)).generation).toBe(stopped.generation);
  });

  it("the stack's scheduler runs the schedules on the database's clock", async () => {
    const name = 'Blog Generator';
    const blog = await agent(name);
    // Made by the service role as never having acted, so its latest boundary (whatever the clock says now) is due.
    const { error } = await service.from('agent_schedules').insert({
      name: 'blog-daytime',
      agent_id: blog.id,
      days: [1, 2, 3, 4, 5, 6, 7],
      start_time: '06:00',
      end_time: '18:00',
      time_zone: 'UTC',
      last_boundary_at: '-infinity',
    });
    expect(error).toBeNull();
    const acted = await eventually(
      () => agent(name),
      (a) => a.requested_by_email === 'schedule:blog-daytime',
      'the job acted on the latest boundary',
      30_000,
    );
    const { data: overview } = await service
      .from('agent_schedule_overview')
      .select('state_now, state_since, last_boundary_at')
      .eq('name', 'blog-daytime')
      .single();
    expect(acted.desired_state).toBe(overview?.state_now);
    expect(overview?.last_boundary_at).toBe(overview?.state_since);
  });
});
