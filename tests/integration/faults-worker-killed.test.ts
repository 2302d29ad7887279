// A worker killed with SIGKILL (no goodbye) is shown offline after its timeout, with exactly one
// offline event — also pushed to a signed-in dashboard over Realtime — and online again, with one
// online event, when a worker for that agent comes back.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SWEEP_JOB_NAME } from '@agent-status/domain';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, clients, createUser, publicKeyEnv, startTestStack, type RunningStack } from '../support/stack.ts';
import { command } from '../support/faults/commands.ts';
import { eventually, sleep } from '../support/eventually.ts';
import { eventsSince, lastEventId } from '../support/faults/history.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const AGENT = 'Example Agent';
const HEARTBEAT_MS = 1_000;
const SWEEP_MS = 500;
const OFFLINE_AFTER_MS = 3 * HEARTBEAT_MS; // OFFLINE_AFTER_MISSED_HEARTBEATS × interval
const VIEWER = { email: 'viewer@example.com', password: 'viewer-password-1', role: 'viewer' };

let stack: RunningStack;
let viewer: SupabaseClient;
let token: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  stack = await startTestStack({ cronIntervalOverrides: { [SWEEP_JOB_NAME]: SWEEP_MS } });
  await createUser(stack, VIEWER);
  viewer = await clients(stack).signIn(VIEWER.email, VIEWER.password);
  const { data, error } = await clients(stack).service.rpc('issue_agent_token', {
    p_agent_name: AGENT,
    p_label: 'faults',
  });
  if (error) throw new Error(error.message);
  token = data[0].token;
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await viewer?.removeAllChannels();
  await stack?.stop();
});

function startWorker(): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'tests', 'support', 'faults', 'worker-process.ts')],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        SUPABASE_URL: stack.url,
        ...publicKeyEnv(stack),
        AGENT_TOKEN: token,
        AGENT_NAME: AGENT,
        HEARTBEAT_MS: String(HEARTBEAT_MS),
      },
      stdio: 'ignore',
    },
  );
  children.push(child);
  return child;
}

async function agentRow() {
  const { rows } = await stack.db.query<{
    status: string;
    offline: boolean;
    pid: number;
    heartbeat_interval_seconds: number;
  }>(
    `select status::text as status, offline, pid, heartbeat_interval_seconds from public.agent_status where agent_name = $1`,
    [AGENT],
  );
  return rows[0];
}

describe('a worker killed with SIGKILL', () => {
  it('is shown offline after its timeout with one event, and online again with one event when it returns', async () => {
    // What a dashboard receives: agent_events inserts over Realtime, as a viewer.
    const pushed: string[] = [];
    const channel = viewer
      .channel('faults-events')
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'agent_events' }, (change) =>
        pushed.push(String(change.new.kind)),
      );
    await new Promise<void>((resolve) => channel.subscribe((status) => status === 'SUBSCRIBED' && resolve()));

    await command(stack.url, apiKeys(stack).secret, 'start', AGENT);
    const first = startWorker();
    await eventually(
      agentRow,
      (r) => r.pid === first.pid && r.status === 'running' && r.heartbeat_interval_seconds === 1,
      'the worker running',
      20_000,
    );

    const baseline = await lastEventId(stack.db);
    pushed.length = 0;
    first.kill('SIGKILL');
    const killedAt = Date.now();
    await eventually(agentRow, (r) => r.offline, 'offline', 15_000, 50);
    const offlineAfterMs = Date.now() - killedAt;
    // The last heartbeat came at most one interval before the kill; the sweep runs every SWEEP_MS.
    expect(offlineAfterMs).toBeGreaterThanOrEqual(OFFLINE_AFTER_MS - HEARTBEAT_MS - 100);
    expect(offlineAfterMs).toBeLessThanOrEqual(OFFLINE_AFTER_MS + SWEEP_MS + 1_500);

    await sleep(3 * SWEEP_MS); // further sweeps must not add events
    let events = (await eventsSince(stack.db, baseline, [AGENT])).get(AGENT)!;
    expect(events.map((e) => e.kind)).toEqual(['offline']);
    expect((await agentRow()).status).toBe('running'); // last known status is kept; offline is its own flag

    const second = startWorker();
    await eventually(agentRow, (r) => !r.offline && r.pid === second.pid, 'online again', 20_000);
    await sleep(2 * HEARTBEAT_MS);
    events = (await eventsSince(stack.db, baseline, [AGENT])).get(AGENT)!;
    const kinds = events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'offline')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'online')).toHaveLength(1);
    expect(kinds.indexOf('online')).toBeGreaterThan(kinds.indexOf('offline'));
    await eventually(
      async () => pushed,
      (p) => p.includes('online'),
      'the online event over Realtime',
      5_000,
    );
    expect(pushed.filter((k) => k === 'offline')).toHaveLength(1);
    expect(pushed.filter((k) => k === 'online')).toHaveLength(1);
    second.kill('SIGTERM');
  }, 90_000);
});
