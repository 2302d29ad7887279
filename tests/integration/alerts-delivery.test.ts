// Alerts end to end on the stack: agent events → outbox rows (same transaction) → the migration's
// dispatch schedule (pg_cron's job run by the stack) → net.http_post → the real `alerts` Edge Function
// under Deno → local receivers. Timing is shortened with cronIntervalOverrides only.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAgent } from '@agent-status/agent-sdk';
import { apiKeys, clients, type RunningStack } from '../support/stack.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { eventually, sleep } from '../support/eventually.ts';
import {
  addChannel,
  deliveries,
  DISPATCH_MS,
  SIGNATURE_TOLERANCE_S,
  signatureValid,
  startAlertsStack,
  SWEEP_MS,
} from '../support/alerts.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const HEARTBEAT_MS = 1_000;

let stack: RunningStack;
let receiver: Receiver;
const children: ChildProcess[] = [];

beforeAll(async () => {
  stack = await startAlertsStack();
  receiver = await startReceiver();
}, 180_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await receiver?.close();
  await stack?.stop();
});

afterEach(() => {
  receiver.requests.length = 0;
});

const service = () => clients(stack).service;

async function report(agent: string, kind: string, message?: string) {
  const { error } = await service().rpc('agent_report', {
    p_kind: kind,
    p_agent_name: agent,
    p_message: message ?? null,
  });
  if (error) throw new Error(error.message);
}

async function addAgent(name: string) {
  await stack.db.query(`insert into public.agent_status (agent_name) values ($1)`, [name]);
}

const requestsFor = (path: string) => receiver.requests.filter((r) => r.path === path);

describe('alert delivery', () => {
  it('kill a worker: exactly one offline alert within sweep + dispatch + margin; back: one online', async () => {
    const agent = 'Alert Worker';
    await addAgent(agent);
    const channel = await addChannel(stack, {
      name: 'worker hook',
      kind: 'webhook',
      url: `${receiver.url}/worker`,
      agent_names: [agent],
    });
    const { data, error } = await service().rpc('issue_agent_token', { p_agent_name: agent, p_label: 'alerts' });
    if (error) throw new Error(error.message);
    await service().rpc('command_agents', { p_command: 'start', p_agent_name: agent });
    const startWorker = () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(REPO_ROOT, 'tests', 'support', 'faults', 'worker-process.ts')],
        {
          cwd: REPO_ROOT,
          env: {
            PATH: process.env.PATH,
            SUPABASE_URL: stack.url,
            SUPABASE_ANON_KEY: stack.anonKey,
            AGENT_TOKEN: data[0].token,
            AGENT_NAME: agent,
            HEARTBEAT_MS: String(HEARTBEAT_MS),
          },
          stdio: 'ignore',
        },
      );
      children.push(child);
      return child;
    };
    const running = async () =>
      (
        await stack.db.query<{ status: string; interval: number }>(
          `select status::text, heartbeat_interval_seconds as interval from agent_status where agent_name = $1`,
          [agent],
        )
      ).rows[0];
    const first = startWorker();
    await eventually(running, (row) => row.status === 'running' && row.interval === 1, 'the worker running', 30_000);

    first.kill('SIGKILL');
    const killedAt = Date.now();
    const [offline] = await eventually(
      () => Promise.resolve(requestsFor('/worker')),
      (r) => r.length >= 1,
      'the offline alert',
      30_000,
      50,
    );
    const body = JSON.parse(offline.body);
    expect(body).toMatchObject({
      event: 'offline',
      agent_name: agent,
      status: 'running',
      dashboard_url: `http://dashboard.test/#/agents/${encodeURIComponent(agent)}`,
    });
    // offline after 3 heartbeats of silence, seen by a sweep, sent by the next dispatch; generous margin
    expect(offline.at - killedAt).toBeLessThanOrEqual(3 * HEARTBEAT_MS + SWEEP_MS + DISPATCH_MS + 2_000 + 10_000);

    startWorker();
    await eventually(
      () => Promise.resolve(requestsFor('/worker')),
      (r) => r.length >= 2,
      'the online alert',
      30_000,
      50,
    );
    await sleep(3 * DISPATCH_MS);
    const events = requestsFor('/worker').map((r) => JSON.parse(r.body).event);
    expect(events).toEqual(['offline', 'online']);
    const rows = await deliveries(stack, channel);
    expect(rows.map((r) => [r.event, r.status, r.attempts])).toEqual([
      ['offline', 'sent', 1],
      ['online', 'sent', 1],
    ]);
    for (const child of children) child.kill('SIGKILL');
  });

  it('a receiver answering 500 then 200: delivered once, attempts 2, and the body signed with the secret', async () => {
    const agent = 'Alert Retry';
    await addAgent(agent);
    const channel = await addChannel(stack, {
      name: 'retry hook',
      kind: 'webhook',
      url: `${receiver.url}/retry`,
      secret: 'right-secret',
      agent_names: [agent],
    });
    receiver.respondWith(500);
    await report(agent, 'error', 'disk full');
    await eventually(
      () => deliveries(stack, channel),
      (rows) => rows[0]?.status === 'sent',
      'the retried delivery',
      60_000,
      200,
    );
    const [row] = await deliveries(stack, channel);
    expect(row).toMatchObject({ event: 'error', status: 'sent', attempts: 2, last_status_code: 200, last_error: null });
    const received = requestsFor('/retry');
    expect(received.map((r) => r.headers['x-agent-status-delivery'])).toEqual([row.id, row.id]);
    const body = JSON.parse(received[1].body);
    expect(body).toMatchObject({
      delivery_id: row.id,
      event: 'error',
      agent_name: agent,
      message: 'disk full',
      status: 'error',
      health: 30,
    });
    expect(body.log_lines).toBeNull(); // reported without an SDK's log: no lines, the key still there
    expect(Object.keys(body).sort()).toEqual([
      'agent_id',
      'agent_name',
      'at',
      'dashboard_url',
      'delivery_id',
      'event',
      'health',
      'log_lines',
      'message',
      'status',
    ]);
    // Each attempt is signed anew over "<timestamp>.<body>"; a receiver refuses a stale one (a replay).
    expect(signatureValid('right-secret', received[1])).toBe(true);
    expect(signatureValid('right-secret', received[0])).toBe(true);
    expect(signatureValid('another-secret', received[1])).toBe(false);
    const sentAt = Number(received[1].headers['x-agent-status-timestamp']);
    expect(signatureValid('right-secret', received[1], sentAt + SIGNATURE_TOLERANCE_S + 1)).toBe(false);
    const forged = {
      ...received[1],
      headers: { ...received[1].headers, 'x-agent-status-timestamp': String(sentAt + 1) },
    };
    expect(signatureValid('right-secret', forged, sentAt)).toBe(false);
  });

  it('a muted agent: its alerts are suppressed and nothing is received', async () => {
    const agent = 'Alert Muted';
    await addAgent(agent);
    const channel = await addChannel(stack, {
      name: 'muted hook',
      kind: 'webhook',
      url: `${receiver.url}/muted`,
      agent_names: [agent],
    });
    const { error } = await service().rpc('mute_agent', {
      p_agent_name: agent,
      p_until: new Date(Date.now() + 3_600_000).toISOString(),
    });
    if (error) throw new Error(error.message);
    await report(agent, 'error', 'nobody should hear this');
    await sleep(3 * DISPATCH_MS + 3_000);
    expect(requestsFor('/muted')).toHaveLength(0);
    expect((await deliveries(stack, channel)).map((r) => r.status)).toEqual(['suppressed']);
  });

  it("a worker's crash: the webhook carries its last log lines, redacted; Slack shows the last five in a code block", async () => {
    const agent = 'Alert Crasher';
    await addAgent(agent);
    await addChannel(stack, {
      name: 'crash hook',
      kind: 'webhook',
      url: `${receiver.url}/crash`,
      agent_names: [agent],
    });
    await addChannel(stack, {
      name: 'crash slack',
      kind: 'slack',
      url: `${receiver.url}/crash-slack`,
      agent_names: [agent],
    });
    const { data, error } = await service().rpc('issue_agent_token', { p_agent_name: agent, p_label: 'alerts' });
    if (error) throw new Error(error.message);
    await service().rpc('command_agents', { p_command: 'start', p_agent_name: agent });
    const keys = apiKeys(stack);
    const run = runAgent({
      name: agent,
      config: { url: stack.url, anonKey: keys.publishable, token: data[0].token },
      onError: 'exit',
      exitProcess: false,
      handleSignals: false,
      catchEscapedErrors: false,
      log: () => undefined,
      logs: { echo: false },
      work: async (_signal, handle) => {
        for (let i = 1; i <= 8; i++) handle.log.info(`step ${i}`);
        handle.log.warn('retrying with api_key=abc123');
        throw new Error('feed unreachable');
      },
    });
    await run;
    const hook = await eventually(
      async () => requestsFor('/crash'),
      (r) => r.length > 0,
      'the webhook',
      30_000,
    );
    const body = JSON.parse(hook[0].body);
    expect(body.event).toBe('error');
    expect(body.log_lines.map((l: { text: string }) => l.text.split('\n')[0])).toEqual([
      ...Array.from({ length: 8 }, (_, i) => `step ${i + 1}`),
      'retrying with api_key=[redacted]',
      'work crashed: Error: feed unreachable',
    ]);
    const slack = await eventually(
      async () => requestsFor('/crash-slack'),
      (r) => r.length > 0,
      'the Slack message',
      30_000,
    );
    const section: string = JSON.parse(slack[0].body).blocks[0].text.text;
    const block = section.split('```')[1].split('\n');
    expect(block).toHaveLength(5);
    expect(block.at(-2)).toMatch(/warn {2}retrying with api_key=\[redacted\]$/);
    expect(block.at(-1)).toMatch(/error work crashed: Error: feed unreachable/);
    expect(slack[0].body).not.toContain('abc123');
  });

  it('two dispatchers at once never send a delivery twice', async () => {
    const agents = Array.from({ length: 30 }, (_, i) => `Alert Race ${i}`);
    for (const agent of agents) await addAgent(agent);
    const channel = await addChannel(stack, {
      name: 'race hook',
      kind: 'webhook',
      url: `${receiver.url}/race`,
      events: ['warning'],
      agent_names: agents,
    });
    receiver.delayMs = 50; // keeps each dispatcher busy long enough to overlap
    // All events in one transaction, so the scheduled dispatcher and the two below race for the same rows.
    await stack.db.query(
      `update agent_status set last_warning = 'race', last_warning_at = now() where agent_name = any($1::text[])`,
      [agents],
    );
    const dispatchNow = () =>
      fetch(`${stack.url}/functions/v1/alerts/dispatch`, {
        method: 'POST',
        headers: { apikey: stack.serviceRoleKey, 'content-type': 'application/json' },
        body: '{}',
      }).then((r) => r.json());
    const answers = await Promise.all([dispatchNow(), dispatchNow()]);
    await eventually(
      () => deliveries(stack, channel),
      (rows) => rows.length === 30 && rows.every((r) => r.status === 'sent'),
      'all sent',
      30_000,
      200,
    );
    receiver.delayMs = 0;
    const ids = requestsFor('/race').map((r) => r.headers['x-agent-status-delivery']);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect((await deliveries(stack, channel)).every((r) => r.attempts === 1)).toBe(true);
    expect(answers.every((a) => typeof a.claimed === 'number')).toBe(true);
  });

  it('200 agents offline at once: the webhook receives 200 requests, the Slack-shaped receiver a handful of grouped messages', async () => {
    const agents = Array.from({ length: 200 }, (_, i) => `Alert Fleet ${String(i).padStart(3, '0')}`);
    await stack.db.query(
      `insert into agent_status (agent_name, status, health, last_heartbeat) select unnest($1::text[]), 'running', 100, now()`,
      [agents],
    );
    const hook = await addChannel(stack, {
      name: 'fleet hook',
      kind: 'webhook',
      url: `${receiver.url}/fleet-hook`,
      agent_names: agents,
    });
    const slack = await addChannel(stack, {
      name: 'fleet slack',
      kind: 'slack',
      url: `${receiver.url}/fleet-slack`,
      agent_names: agents,
    });
    await stack.db.query(
      `update agent_status set last_heartbeat = now() - interval '1 hour' where agent_name = any($1::text[])`,
      [agents],
    );
    await eventually(
      () => Promise.resolve(requestsFor('/fleet-hook')),
      (r) => r.length >= 200,
      '200 webhook requests',
      60_000,
      200,
    );
    await eventually(
      () => deliveries(stack, slack),
      (rows) => rows.length === 200 && rows.every((r) => r.status === 'sent'),
      'slack deliveries sent',
      30_000,
      200,
    );
    await sleep(2 * DISPATCH_MS);
    const hookBodies = requestsFor('/fleet-hook').map((r) => JSON.parse(r.body));
    expect(hookBodies).toHaveLength(200);
    expect(new Set(hookBodies.map((b) => b.agent_name)).size).toBe(200);
    expect(hookBodies.every((b) => b.event === 'offline')).toBe(true);
    const slackMessages = requestsFor('/fleet-slack').map((r) => JSON.parse(r.body));
    expect(slackMessages.length).toBeGreaterThanOrEqual(1);
    expect(slackMessages.length).toBeLessThanOrEqual(10);
    const mentioned = slackMessages
      .flatMap((m) => m.blocks.map((b: { text: { text: string } }) => b.text.text))
      .join('\n');
    for (const agent of agents) expect(mentioned).toContain(agent);
    expect(slackMessages[0].text).toMatch(/^\d+ agents went offline: /);
    expect((await deliveries(stack, hook)).every((r) => r.status === 'sent')).toBe(true);
  });

  it("one agent's 200 error reports (the review's flood): one webhook request and one chat message per channel, then one more saying how many were suppressed", async () => {
    const agent = 'Alert Flood';
    await addAgent(agent);
    const { data, error } = await service().rpc('issue_agent_token', { p_agent_name: agent, p_label: 'flood' });
    if (error) throw new Error(error.message);
    const token = (data as Array<{ token: string }>)[0].token;
    const channels = {
      hook: await addChannel(stack, {
        name: 'flood hook',
        kind: 'webhook',
        url: `${receiver.url}/flood-hook`,
        agent_names: [agent],
      }),
      slack: await addChannel(stack, {
        name: 'flood slack',
        kind: 'slack',
        url: `${receiver.url}/flood-slack`,
        agent_names: [agent],
      }),
      discord: await addChannel(stack, {
        name: 'flood discord',
        kind: 'discord',
        url: `${receiver.url}/flood-discord`,
        agent_names: [agent],
      }),
    };
    // As the agent, with its own token, through the API.
    const anon = clients(stack).anon;
    for (let i = 1; i <= 200; i++) {
      const { error: reportError } = await anon.rpc('agent_report', {
        p_kind: 'error',
        p_agent_name: agent,
        p_token: token,
        p_message: `disk full ${i}`,
      });
      if (reportError) throw new Error(reportError.message);
    }
    const settled = async () => (await Promise.all(Object.values(channels).map((id) => deliveries(stack, id)))).flat();
    await eventually(
      settled,
      (rows) => rows.filter((r) => r.status === 'pending').length === 0,
      'the flood dispatched',
      30_000,
    );
    await sleep(2 * DISPATCH_MS);
    expect(requestsFor('/flood-hook')).toHaveLength(1);
    expect(requestsFor('/flood-slack')).toHaveLength(1);
    expect(requestsFor('/flood-discord')).toHaveLength(1);
    const { rows: suppressed } = await stack.db.query<{ n: number }>(
      `select count(*)::integer as n from alert_deliveries where agent_name = $1 and suppressed_because = 'repeat'`,
      [agent],
    );
    expect(suppressed[0].n).toBe(3 * 199);

    // The window passes without a delivery: the next run of the reminders' job releases the newest.
    await stack.db.query(
      `update alert_deliveries set created_at = created_at - interval '2 minutes' where agent_name = $1`,
      [agent],
    );
    await stack.db.query('select public.release_suppressed_alerts()');
    await eventually(
      () => Promise.resolve(requestsFor('/flood-hook')),
      (requests) => requests.length === 2,
      'the summary',
      30_000,
    );
    expect(JSON.parse(requestsFor('/flood-hook')[1].body)).toMatchObject({
      event: 'error',
      message: 'disk full 200 (198 more suppressed)',
    });
    await eventually(
      () => Promise.resolve([...requestsFor('/flood-slack'), ...requestsFor('/flood-discord')]),
      (requests) => requests.length === 4,
      'the chat summaries',
      30_000,
    );
    expect(requestsFor('/flood-slack')[1].body).toContain('disk full 200 (198 more suppressed)');
  }, 180_000);
});
