// What an idle fleet costs: SDK workers with default settings (10 s heartbeats, push wake-up) whose
// desired state does not change, watched by one dashboard-like subscriber (the same Realtime
// subscriptions as web/src/state/agents.ts). Counted over a window and extrapolated per agent per hour:
// API requests and Edge Function invocations (every request of the agents' clients), rows written
// (pg_stat_user_tables), Realtime messages delivered to the dashboard and to the agents.
import WebSocket from 'ws';
import { createClient } from '@supabase/supabase-js';
import { createAgentClient, runAgent, type AgentClient } from '@agent-status/agent-sdk';
import {
  OPERATOR,
  commandAsOperator,
  ensureFleet,
  signedInOperator,
  sleep,
  type BenchAgent,
  type RunningStack,
} from './fleet.ts';
import { round } from './stats.ts';
import { atMost, figure, type Figure } from './table.ts';

export interface IdleCostOptions {
  agents: number;
  /** Quiet time before each window (on PostgreSQL at least 12 s, so statistics of earlier phases are flushed). */
  settleMs: number;
  windowMs: number;
  log: (line: string) => void;
}

interface Counters {
  rpc: number;
  /** Requests to /rest/v1/rpc/ per agent name. */
  rpcByAgent: Map<string, number>;
  functions: number;
  otherRequests: number;
  wakeups: number;
  dashboardMessages: number;
}

/** The agent's own client, with every HTTP request and every wake-up counted. */
function countedClient(stack: RunningStack, agent: BenchAgent, counters: Counters): AgentClient {
  const countingFetch: typeof fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes('/rest/v1/rpc/')) {
      counters.rpc += 1;
      counters.rpcByAgent.set(agent.name, (counters.rpcByAgent.get(agent.name) ?? 0) + 1);
    } else if (url.includes('/functions/v1/')) counters.functions += 1;
    else counters.otherRequests += 1;
    return fetch(input, init);
  };
  const inner = createAgentClient({
    url: stack.url,
    anonKey: stack.publishableKey ?? stack.anonKey,
    token: agent.token,
    fetch: countingFetch,
  });
  return {
    report: inner.report,
    subscribeWakeup: (agentId, onWake, onStatus, onLogWatch) =>
      inner.subscribeWakeup(
        agentId,
        (message) => {
          counters.wakeups += 1;
          onWake(message);
        },
        onStatus,
        (message) => {
          counters.wakeups += 1;
          onLogWatch?.(message);
        },
      ),
    publishLogs: inner.publishLogs,
    close: inner.close,
  };
}

async function rowsWritten(stack: RunningStack): Promise<number> {
  // Statistics reach the shared counters when a session goes idle; idle is what this window is.
  await stack.db.query('select pg_stat_force_next_flush()').catch(() => undefined);
  const { rows } = await stack.db.query<{ n: string }>(
    `select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::text as n from pg_stat_user_tables where schemaname = 'public'`,
  );
  return Number(rows[0].n);
}

async function waitUntilAcknowledged(stack: RunningStack, agents: BenchAgent[], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await stack.db.query<{ n: number }>(
      `select count(*)::int as n from public.agent_status s join public.agent_desired_state d on d.agent_id = s.id
        where s.id = any($1::uuid[]) and s.observed_generation < d.generation`,
      [agents.map((a) => a.id)],
    );
    if (rows[0].n === 0) return;
    if (Date.now() > deadline) throw new Error(`${rows[0].n} idle agents never acknowledged their desired state`);
    await sleep(200);
  }
}

type Snapshot = Omit<Counters, 'rpcByAgent'> & { rpcByAgent: Map<string, number>; rows: number; at: number };

async function snapshot(stack: RunningStack, counters: Counters): Promise<Snapshot> {
  return {
    ...counters,
    rpcByAgent: new Map(counters.rpcByAgent),
    rows: await rowsWritten(stack),
    at: performance.now(),
  };
}

/** Per agent per hour between two snapshots. */
function rates(before: Snapshot, after: Snapshot, agents: number) {
  const hours = (after.at - before.at) / 3_600_000;
  const rate = (key: Exclude<keyof Snapshot, 'rpcByAgent' | 'at'>) =>
    round((after[key] - before[key]) / agents / hours, 1);
  const perAgent = [...after.rpcByAgent].map(([name, n]) => round((n - (before.rpcByAgent.get(name) ?? 0)) / hours, 1));
  return {
    requestsPerAgent: perAgent,
    requests: rate('rpc'),
    functions: rate('functions'),
    rows: rate('rows'),
    dashboardMessages: rate('dashboardMessages'),
    wakeups: rate('wakeups'),
    seconds: round(hours * 3600, 1),
  };
}

export async function measureIdleCost(
  stack: RunningStack,
  o: IdleCostOptions,
): Promise<{ figures: Figure[]; details: unknown }> {
  const fleet = await ensureFleet(stack, o.agents);
  const counters: Counters = {
    rpc: 0,
    rpcByAgent: new Map(),
    functions: 0,
    otherRequests: 0,
    wakeups: 0,
    dashboardMessages: 0,
  };
  // Told to run before the workers exist: they find it on their first poll, and no wake-up ever reaches them.
  for (const agent of fleet) await commandAsOperator(stack, 'start', agent.name);
  const clients = fleet.map((agent) => countedClient(stack, agent, counters));
  const workers = fleet.map((agent, i) =>
    runAgent({
      name: agent.name,
      work: (signal) =>
        new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
      client: clients[i],
      handleSignals: false,
      exitProcess: false,
      catchEscapedErrors: false,
      log: () => {},
    }),
  );
  await signedInOperator(stack);
  const dashboard = createClient(stack.url, stack.publishableKey ?? stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never },
  });
  await dashboard.auth.signInWithPassword({ email: OPERATOR.email, password: OPERATOR.password });
  await new Promise<void>((resolve, reject) => {
    dashboard
      .channel('bench-dashboard')
      .on(
        'postgres_changes',
        { event: 'INSERT', schema: 'public', table: 'agent_events' },
        () => (counters.dashboardMessages += 1),
      )
      .on(
        'postgres_changes',
        { event: 'UPDATE', schema: 'public', table: 'agent_desired_state' },
        () => (counters.dashboardMessages += 1),
      )
      .subscribe((status) =>
        status === 'SUBSCRIBED'
          ? resolve()
          : status === 'CHANNEL_ERROR'
            ? reject(new Error('dashboard subscription failed'))
            : undefined,
      );
  });
  try {
    // Window 1: running, never woken by a push (with a subscribed wake-up channel the SDK polls at its heartbeat pace).
    await waitUntilAcknowledged(stack, fleet);
    await sleep(o.settleMs);
    const neverWoken = rates(
      await snapshot(stack, counters),
      await sleep(o.windowMs).then(() => snapshot(stack, counters)),
      o.agents,
    );
    o.log(
      `  idle, never woken (${o.agents} agents, ${neverWoken.seconds} s), per agent per hour: ${JSON.stringify(neverWoken)}`,
    );

    // One restart each, delivered by push; then nothing changes. Window 2 is the steady state.
    const wakeupsBefore = counters.wakeups;
    for (const agent of fleet) await commandAsOperator(stack, 'restart', agent.name);
    await waitUntilAcknowledged(stack, fleet);
    const woken = counters.wakeups - wakeupsBefore;
    await sleep(o.settleMs);
    const steady = rates(
      await snapshot(stack, counters),
      await sleep(o.windowMs).then(() => snapshot(stack, counters)),
      o.agents,
    );
    o.log(`  idle, after one push wake-up (${woken}/${o.agents} woken), per agent per hour: ${JSON.stringify(steady)}`);

    const note = `${o.agents} idle SDK workers with defaults (10 s heartbeat, 2 s poll only while push is unavailable), ${steady.seconds} s window after each had one restart pushed, extrapolated; median and spread over the agents`;
    const bothWindows = `the larger of two ${steady.seconds} s windows (before and after a wake-up)`;
    const count = { kind: 'count' as const };
    return {
      figures: [
        figure('idle, per agent per hour: API requests (agent_report RPC)', steady.requestsPerAgent, '', {
          ...count,
          note,
        }),
        figure('idle, per agent per hour: API requests, agent never woken by a push', neverWoken.requestsPerAgent, '', {
          ...count,
          note: `same fleet before any command reached it by push (${neverWoken.seconds} s window): push subscribed, no wake-up received yet`,
        }),
        figure('idle, per agent per hour: database rows written', [steady.rows], '', {
          ...count,
          note: `pg_stat_user_tables n_tup_ins + n_tup_upd + n_tup_del, public schema, whole fleet / agents (never woken: ${neverWoken.rows})`,
        }),
        figure(
          'idle, per agent per hour: Realtime messages to a dashboard',
          [neverWoken.dashboardMessages, steady.dashboardMessages],
          '',
          { ...count, goal: atMost(0, ''), summary: 'max', note: bothWindows },
        ),
        figure(
          'idle, per agent per hour: Realtime messages to the agent (wake-ups)',
          [neverWoken.wakeups, steady.wakeups],
          '',
          { ...count, goal: atMost(0, ''), summary: 'max', note: bothWindows },
        ),
        figure('idle, per agent per hour: Edge Function invocations', [neverWoken.functions, steady.functions], '', {
          ...count,
          goal: atMost(0, ''),
          summary: 'max',
          note: bothWindows,
        }),
      ],
      details: { agents: o.agents, neverWoken, steady, pushedWakeups: woken },
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await dashboard.removeAllChannels();
    dashboard.realtime.disconnect();
  }
}
