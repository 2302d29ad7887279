// two workers for one agent. Two real SDK workers (runAgent) against the real stack:
// the newer instance takes the agent over, the older one stands down (its work stops, it reports no more,
// its run ends), and the history and the row say a second worker was running.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent, type AgentRun } from '@agent-status/agent-sdk';
import { eventually } from '../support/eventually.ts';
import { apiKeys, clients, createUser, startTestStack, type RunningStack } from '../support/stack.ts';

const NAME = 'Engagement Analyzer';
const OPERATOR = {
  email: 'two-workers-operator@example.com',
  password: 'two-workers-operator-password',
  role: 'operator' as const,
};
let stack: RunningStack;
let service: SupabaseClient;
let token: string;
const runs: AgentRun[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  service = clients(stack).service;
  await createUser(stack, OPERATOR);
  const operator = await clients(stack).signIn(OPERATOR.email, OPERATOR.password);
  const issued = await service.rpc('issue_agent_token', { p_agent_name: NAME, p_label: 'two workers' });
  if (issued.error) throw new Error(issued.error.message);
  token = issued.data[0].token;
  const started = await operator.functions.invoke('agents/start', { body: { agent_name: NAME } });
  if (started.error) throw new Error(started.error.message);
});
afterAll(async () => {
  await Promise.all(runs.map((run) => run.stop()));
  await stack?.stop();
});

type Row = {
  id: string;
  status: string;
  instance_id: string | null;
  duplicate_instance_seen_at: string | null;
  host: string;
  pid: number;
};
async function agentRow(): Promise<Row> {
  const { data, error } = await service.from('agent_overview').select('*').eq('agent_name', NAME).single();
  if (error) throw new Error(error.message);
  return data as Row;
}
async function duplicateEvents(): Promise<string[]> {
  const { id } = await agentRow();
  const { data, error } = await service
    .from('agent_events')
    .select('message')
    .eq('kind', 'duplicate_instance')
    .eq('agent_id', id)
    .order('id');
  if (error) throw new Error(error.message);
  return (data as { message: string }[]).map((e) => e.message);
}

function worker(lines: string[]) {
  const state = { running: false, starts: 0 };
  const run = runAgent({
    name: NAME,
    config: { url: stack.url, token, anonKey: apiKeys(stack).publishable },
    work: async (signal) => {
      state.starts += 1;
      state.running = true;
      while (!signal.aborted) await new Promise((r) => setTimeout(r, 20));
      state.running = false;
    },
    pollIntervalMs: 300,
    heartbeatIntervalMs: 1_000,
    wakeup: false,
    handleSignals: false,
    catchEscapedErrors: false,
    exitProcess: false,
    log: (line) => lines.push(line),
  });
  runs.push(run);
  return { run, state };
}

describe('two workers for one agent', () => {
  it('the newer instance wins; the older stands down, and the dashboard and history say so', async () => {
    const firstLog: string[] = [];
    const first = worker(firstLog);
    await eventually(
      agentRow,
      (r) => r.instance_id === first.run.instanceId && r.status === 'running',
      'the first worker holds the agent',
      10_000,
    );
    await eventually(async () => first.state.running, Boolean, 'the first worker runs its work', 10_000);
    expect(await duplicateEvents()).toEqual([]);

    const secondLog: string[] = [];
    const second = worker(secondLog);
    await eventually(
      agentRow,
      (r) => r.instance_id === second.run.instanceId,
      'the second (newer) worker takes the agent over',
      10_000,
    );
    // The first worker's next report is answered with the other holder: it stops its work and its run ends.
    await expect(first.run).resolves.toBe(0);
    expect(first.state.running).toBe(false);
    expect(firstLog.some((line) => line.includes('stands down'))).toBe(true);
    await eventually(async () => second.state.running, Boolean, 'the second worker runs its work', 10_000);

    const row = await eventually(
      agentRow,
      (r) => r.duplicate_instance_seen_at !== null,
      'the row says a second worker was seen',
      10_000,
    );
    expect(row.instance_id).toBe(second.run.instanceId);
    expect(row.status).toBe('running'); // the standing-down worker sent no `stopped`
    const events = await duplicateEvents();
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.join('\n')).toContain(`instance ${second.run.instanceId.slice(0, 8)}`);
    expect(events.join('\n')).toContain(`instance ${first.run.instanceId.slice(0, 8)}`);

    // The first worker stays quiet: the holder keeps the agent.
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await agentRow()).instance_id).toBe(second.run.instanceId);
    expect(secondLog.some((line) => line.includes('stands down'))).toBe(false);

    // A clean exit lets go of the agent.
    await second.run.stop();
    const released = await eventually(agentRow, (r) => r.status === 'stopped', 'the clean exit is recorded', 10_000);
    expect(released.instance_id).toBeNull();
  });
});
