// The agent SDK against the real stack: real PostgREST path, real SQL, real supabase-js, real processes.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createAgentClient,
  markAgentStarted,
  markAgentStopped,
  runAgent,
  type AgentRun,
  type RunAgentOptions,
} from '@agent-status/agent-sdk';
import { startTcpProxy } from '../support/tcp-proxy.ts';
import { eventually as pollUntil } from '../support/eventually.ts';
import { apiKeys, clients, createUser, publicKeyEnv, startTestStack, type RunningStack } from '../support/stack.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const POLL_MS = 500;
/** Two poll intervals, plus as much again for a loaded machine's scheduling (1.4 s seen at load 20). */
const WITHIN_TWO_POLLS_MS = 4 * POLL_MS;

let stack: RunningStack;
let service: SupabaseClient;
/** Commands go the way an operator's do: through the `agents` Edge Function. */
let operator: SupabaseClient;
const OPERATOR = { email: 'sdk-operator@example.com', password: 'sdk-operator-password', role: 'operator' as const };
const tokens = new Map<string, string>();
let runs: AgentRun[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  service = clients(stack).service;
  await createUser(stack, OPERATOR);
  operator = await clients(stack).signIn(OPERATOR.email, OPERATOR.password);
  for (const name of [
    'Content Collector',
    'Blog Generator',
    'Tweet Scheduler',
    'Engagement Analyzer',
    'Example Agent',
  ]) {
    const { data, error } = await service.rpc('issue_agent_token', { p_agent_name: name, p_label: 'sdk test' });
    if (error) throw new Error(`issue_agent_token failed: ${error.message}`);
    tokens.set(name, data[0].token);
  }
});
afterEach(async () => {
  await Promise.all(runs.map((run) => run.stop()));
  runs = [];
});
afterAll(async () => {
  await stack?.stop();
});

async function row(name: string) {
  const { data, error } = await service.from('agent_overview').select('*').eq('agent_name', name).single();
  if (error) throw new Error(error.message);
  return data as {
    status: string;
    desired_state: string;
    generation: number;
    observed_generation: number;
    last_heartbeat: string;
    pid: number;
    version: string;
    host: string;
  };
}

async function command(cmd: 'start' | 'stop' | 'restart', name: string) {
  const { data, error } = await operator.functions.invoke(`agents/${cmd}`, { body: { agent_name: name } });
  if (error) throw new Error(`agents/${cmd} ${name}: ${error.message}`);
  return data as { generation: number };
}

/** Runs a command and measures until the worker has carried it out, from just before the request. */
async function timed(
  cmd: 'start' | 'stop' | 'restart',
  name: string,
  done: (r: Awaited<ReturnType<typeof row>>, generation: number) => boolean,
) {
  const t0 = Date.now();
  const { generation } = await command(cmd, name);
  const r = await eventually(
    () => row(name),
    (x) => done(x, generation),
    `${cmd} carried out`,
  );
  return { r, generation, ms: Date.now() - t0 };
}

/** Checks every 25 ms: the timed tests measure to two poll intervals. */
const eventually = <T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 5_000) =>
  pollUntil(read, ok, what, timeoutMs, 25);

function counterWork() {
  const state = { starts: 0, aborts: 0, running: 0, ticks: 0 };
  const work = async (signal: AbortSignal) => {
    state.starts += 1;
    state.running += 1;
    while (!signal.aborted) {
      state.ticks += 1;
      await new Promise((r) => setTimeout(r, 10));
    }
    state.aborts += 1;
    state.running -= 1;
  };
  return { state, work };
}

function start(
  name: string,
  options: Partial<RunAgentOptions> & Pick<RunAgentOptions, 'work'>,
  url = stack.url,
): AgentRun {
  const run = runAgent({
    name,
    config: { url, token: tokens.get(name)!, anonKey: apiKeys(stack).publishable },
    pollIntervalMs: POLL_MS,
    heartbeatIntervalMs: 2_000,
    wakeup: false,
    handleSignals: false,
    catchEscapedErrors: false,
    exitProcess: false,
    maxBackoffMs: 200,
    log: () => undefined,
    info: { version: 'test-1' },
    ...options,
  });
  runs.push(run);
  return run;
}

describe('runAgent against the stack', () => {
  it('start, stop and restart through the agents function are carried out within two poll intervals', async () => {
    const name = 'Content Collector';
    const { state, work } = counterWork();
    start(name, { work });
    await eventually(
      () => row(name),
      (r) => r.pid === process.pid,
      'first report',
    );
    expect(state.starts).toBe(0); // seeded stopped: the worker waits for a start

    const started = await timed('start', name, (x, g) => x.status === 'running' && x.observed_generation === g);
    expect(started.ms).toBeLessThanOrEqual(WITHIN_TWO_POLLS_MS);
    expect(state).toMatchObject({ starts: 1, running: 1 });
    expect(started.r).toMatchObject({ version: 'test-1', desired_state: 'running' });

    const stopped = await timed('stop', name, (x, g) => x.status === 'stopped' && x.observed_generation === g);
    expect(stopped.ms).toBeLessThanOrEqual(WITHIN_TWO_POLLS_MS);
    expect(state).toMatchObject({ aborts: 1, running: 0 });

    await command('start', name);
    await eventually(
      async () => state.running,
      (n) => n === 1,
      'running again',
    );
    const restarted = await timed('restart', name, (x, g) => x.observed_generation === g && x.status === 'running');
    expect(restarted.ms).toBeLessThanOrEqual(WITHIN_TWO_POLLS_MS);
    await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS));
    expect(state).toMatchObject({ starts: 3, aborts: 2, running: 1 }); // the restart stopped and started exactly once
    expect((await row(name)).observed_generation).toBe(restarted.generation);
  });

  it("a one-shot script's stopped report beside a running worker heals within one heartbeat; a heartbeat that changes nothing records nothing", async () => {
    const name = 'Engagement Analyzer';
    const { data: agent } = await service.from('agent_status').select('id').eq('agent_name', name).single();
    const events = async () => {
      const { data, error } = await service
        .from('agent_events')
        .select('id, kind, from_status, to_status, created_at')
        .eq('agent_id', agent?.id ?? '')
        .order('id');
      if (error) throw new Error(error.message);
      return data;
    };
    const { state, work } = counterWork();
    start(name, { work });
    await command('start', name);
    await eventually(
      () => row(name),
      (r) => r.status === 'running',
      'running',
      10_000,
    );
    expect(state.running).toBe(1);
    const beforeScript = (await events()).length;

    // The seed's own pattern, e.g. from the atexit of an old script: a token, one report, no instance.
    const oneShot = createAgentClient({
      url: stack.url,
      token: tokens.get(name)!,
      anonKey: apiKeys(stack).publishable,
    });
    try {
      expect((await markAgentStopped(name, { client: oneShot })).ok).toBe(true);
    } finally {
      await oneShot.close();
    }
    // The worker polls every 0.5 s: the row may have healed already, so the history tells what happened.
    const transitions = await eventually(
      async () => (await events()).slice(beforeScript).filter((e) => e.kind === 'status'),
      (list) => list.length >= 2,
      'stopped, then healed by the worker',
      10_000,
    );
    expect(transitions.map((e) => [e.from_status, e.to_status])).toEqual([
      ['running', 'stopped'],
      ['stopped', 'running'],
    ]);
    // Within one heartbeat interval (2 s), with room for a loaded machine.
    expect(Date.parse(transitions[1].created_at) - Date.parse(transitions[0].created_at)).toBeLessThan(2_000 + 3_000);
    expect((await row(name)).status).toBe('running');
    expect(state).toMatchObject({ starts: 1, running: 1 }); // the work was never touched

    const settled = (await events()).length;
    const heartbeatAt = Date.parse((await row(name)).last_heartbeat);
    await eventually(
      () => row(name),
      (r) => Date.parse(r.last_heartbeat) > heartbeatAt,
      'another heartbeat',
      10_000,
    );
    expect((await events()).length).toBe(settled);
  });

  it('keeps working while the backend is unreachable and reports again when it returns', async () => {
    const name = 'Blog Generator';
    const proxy = await startTcpProxy(stack.url);
    try {
      const { state, work } = counterWork();
      await command('start', name);
      start(name, { work }, proxy.url);
      await eventually(
        () => row(name),
        (x) => x.status === 'running' && x.pid === process.pid,
        'running through the proxy',
      );

      await proxy.down();
      const ticks = state.ticks;
      const beat = (await row(name)).last_heartbeat;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(state.running).toBe(1);
      expect(state.ticks).toBeGreaterThan(ticks + 20); // the work never waited on monitoring

      await proxy.up();
      await eventually(
        () => row(name),
        (x) => x.last_heartbeat > beat,
        'heartbeat after the outage',
      );
      // and commands are obeyed again
      await command('stop', name);
      await eventually(
        () => row(name),
        (x) => x.status === 'stopped',
        'stopped after the outage',
      );
      expect(state.running).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('wakes up on a push instead of waiting for the next poll', async () => {
    const name = 'Engagement Analyzer';
    const { state, work } = counterWork();
    start(name, { work, wakeup: true, pollIntervalMs: 10_000, heartbeatIntervalMs: 10_000 });
    await eventually(
      () => row(name),
      (x) => x.pid === process.pid,
      'first report',
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the channel subscribe
    const t0 = Date.now();
    await command('start', name);
    // Needs the database → Broadcast path: supabase/schemas/32_wake_ups.sql calls realtime.send(), which the
    // stack turns into a NOTIFY that its Realtime module must deliver to `agent-wakeup:<agent_id>`.
    await eventually(
      async () => state.running,
      (n) => n === 1,
      'the start to arrive by push (realtime.send → Broadcast)',
      3_000,
    );
    expect(Date.now() - t0).toBeLessThan(1_500);
  });
});

describe('push wake-up, SDK side', () => {
  it('a message on agent-wakeup:<agent_id> makes the agent poll at once', async () => {
    const name = 'Tweet Scheduler';
    const { state, work } = counterWork();
    start(name, { work, wakeup: true, pollIntervalMs: 10_000, heartbeatIntervalMs: 10_000 });
    const { id } = await eventually(
      async () => (await service.from('agent_status').select('id, pid').eq('agent_name', name).single()).data!,
      (x) => x.pid === process.pid,
      'first report',
    );
    const sender = service.channel(`agent-wakeup:${id}`);
    await new Promise<void>((resolve) => sender.subscribe((status) => status === 'SUBSCRIBED' && resolve()));
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the agent's own channel subscribe
    const { generation } = await command('start', name);
    const t0 = Date.now();
    await sender.send({ type: 'broadcast', event: 'desired_state', payload: { generation } });
    await eventually(
      async () => state.running,
      (n) => n === 1,
      'started after the wake-up',
      3_000,
    );
    expect(Date.now() - t0).toBeLessThan(1_000);
    await service.removeChannel(sender);
  });
});

describe('agent tokens', () => {
  it('cannot report for another agent (PT403)', async () => {
    const collector = createAgentClient({
      url: stack.url,
      token: tokens.get('Content Collector')!,
      anonKey: apiKeys(stack).publishable,
    });
    const result = await markAgentStarted('Tweet Scheduler', { client: collector });
    expect(result).toMatchObject({ ok: false, error: { code: 'PT403', status: 403, retryable: false } });
    expect((await row('Tweet Scheduler')).status).toBe('stopped');
  });

  it('an unknown token is PT401', async () => {
    const stranger = createAgentClient({
      url: stack.url,
      token: 'ast_not_a_token',
      anonKey: apiKeys(stack).publishable,
    });
    expect(await stranger.report('heartbeat')).toMatchObject({ ok: false, error: { code: 'PT401', retryable: false } });
  });
});

describe('an agent process', () => {
  it('SIGTERM → work stopped, row stopped, exit code 0', async () => {
    const name = 'Example Agent';
    await command('start', name);
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'agents', 'src', 'example-agent.ts')], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        SUPABASE_URL: stack.url,
        ...publicKeyEnv(stack),
        AGENT_TOKEN: tokens.get(name)!,
        AGENT_SIM_SPEED: '20',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await eventually(
        () => row(name),
        (x) => x.pid === child.pid && x.status !== 'stopped',
        'child running',
        20_000,
      );
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect((await row(name)).status).toBe('stopped');
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\n--- child output ---\n${output}`);
    }
  });
});
