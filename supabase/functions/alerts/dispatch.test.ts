import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { ClaimedDelivery } from '@agent-status/domain';
import { type Network, SEND_TIMEOUT_MS } from './deliver.ts';
import { BATCH_SIZE, CONCURRENCY, DISPATCH_BUDGET_MS, dispatch, LEASE_SECONDS, type Outbox } from './dispatch.ts';
import { MAX_EVENTS_PER_CHAT_MESSAGE } from './messages.ts';

const delivery = (i: number, kind: 'webhook' | 'slack' | 'discord', channel = kind): ClaimedDelivery => ({
  delivery_id: `d${i}`,
  claim_id: 'claim-1',
  attempts: 1,
  repeat_number: 0,
  channel_id: channel,
  channel_name: channel,
  channel_kind: kind,
  url: `https://${channel}.example.com/hook`,
  secret: kind === 'webhook' ? 'k' : null,
  event: 'offline',
  agent_id: `a${i}`,
  agent_name: `Agent ${i}`,
  message: null,
  status: 'running',
  health: 100,
  at: '2026-11-27T12:00:00Z',
  dashboard_url: null,
  allow_private_urls: false,
  log_lines: null,
});

function fakeOutbox(batches: ClaimedDelivery[][]) {
  const recorded: Array<{ claimId: string; results: Array<{ id: string; ok: boolean; status_code: number | null }> }> =
    [];
  const outbox: Outbox = {
    claim: () => Promise.resolve(batches.shift() ?? []),
    record: (claimId, results) => {
      recorded.push({ claimId, results });
      return Promise.resolve();
    },
  };
  return { outbox, recorded };
}

/** Receivers on a network where every name resolves to a public address; nothing is sent. */
function fakeReceivers(status: (url: string) => number) {
  const requests: Array<{ url: string; body: string; headers: Headers }> = [];
  const network: Network = {
    resolve: () => Promise.resolve(['93.184.216.34']),
    post: (request) => {
      requests.push({ url: request.url.href, body: request.body, headers: new Headers(request.headers) });
      return Promise.resolve({ status: status(request.url.href), excerpt: '' });
    },
  };
  return { requests, network };
}

Deno.test('webhooks get one signed request per delivery; chat channels one message per channel', async () => {
  const batch = [
    delivery(1, 'webhook'),
    delivery(2, 'webhook'),
    delivery(3, 'slack'),
    delivery(4, 'slack'),
    delivery(5, 'discord'),
  ];
  const { outbox, recorded } = fakeOutbox([batch]);
  const { requests, network } = fakeReceivers(() => 200);
  const summary = await dispatch({ outbox, network });
  assert.deepEqual(summary, { claimed: 5, sent: 5, failed: 0, requests: 4 });
  assert.equal(requests.filter((r) => r.url.includes('webhook')).length, 2);
  assert.equal(requests.filter((r) => r.url.includes('slack')).length, 1);
  // Requests are signed and sent concurrently: find d1's by its delivery header, not by arrival order.
  const hook = requests.find((r) => r.headers.get('x-agent-status-delivery') === 'd1')!;
  assert.ok(hook?.url.includes('webhook'));
  // Signed over "<timestamp>.<body>", the timestamp (unix seconds, now) in its own header.
  const timestamp = hook.headers.get('x-agent-status-timestamp') ?? '';
  assert.match(timestamp, /^\d+$/);
  assert.ok(Math.abs(Number(timestamp) - Date.now() / 1000) < 60, timestamp);
  const mac = createHmac('sha256', 'k').update(`${timestamp}.${hook.body}`).digest('hex');
  assert.equal(hook.headers.get('x-agent-status-signature'), `sha256=${mac}`);
  assert.equal(hook.headers.get('content-type'), 'application/json');
  assert.deepEqual(recorded[0].results.map((r) => r.id).sort(), ['d1', 'd2', 'd3', 'd4', 'd5']);
  assert.equal(recorded[0].claimId, 'claim-1');
});

Deno.test('failures are recorded with the status and an excerpt; a chat group shares its result', async () => {
  const { outbox, recorded } = fakeOutbox([[delivery(1, 'webhook'), delivery(2, 'slack'), delivery(3, 'slack')]]);
  const { network } = fakeReceivers((url) => (url.includes('slack') ? 500 : 200));
  const summary = await dispatch({ outbox, network });
  assert.deepEqual(summary, { claimed: 3, sent: 1, failed: 2, requests: 2 });
  const failed = recorded[0].results.filter((r) => !r.ok);
  assert.deepEqual(failed.map((r) => [r.id, r.status_code]).sort(), [
    ['d2', 500],
    ['d3', 500],
  ]);
});

Deno.test('a network error is a failure, never a crash of the dispatcher', async () => {
  const { outbox, recorded } = fakeOutbox([[delivery(1, 'webhook')]]);
  const network: Network = {
    resolve: () => Promise.resolve(['93.184.216.34']),
    post: () => Promise.reject(new TypeError('connection refused')),
  };
  const summary = await dispatch({ outbox, network });
  assert.equal(summary.failed, 1);
  assert.deepEqual(recorded[0].results[0], { id: 'd1', ok: false, status_code: null, error: 'connection refused' });
});

Deno.test('large chat groups are split; full batches are followed by another claim', async () => {
  const full = Array.from({ length: BATCH_SIZE }, (_, i) => delivery(i, 'slack'));
  const { outbox, recorded } = fakeOutbox([full, [delivery(999, 'webhook')]]);
  const { requests, network } = fakeReceivers(() => 200);
  const summary = await dispatch({ outbox, network });
  assert.equal(summary.claimed, BATCH_SIZE + 1);
  assert.equal(requests.length, Math.ceil(BATCH_SIZE / MAX_EVENTS_PER_CHAT_MESSAGE) + 1);
  assert.equal(recorded.length, 2);
});

Deno.test("the schedule's pg_net timeout outlasts the dispatcher's worst case, within an Edge Function's wall clock", async () => {
  const schedules = await Deno.readTextFile(new URL('../../schemas/90_schedules.sql', import.meta.url));
  const timeouts = [...schedules.matchAll(/timeout_milliseconds := (\d+)/g)].map((m) => Number(m[1]));
  assert.equal(timeouts.length, 1, 'one pg_net call in the schedules');
  // A run claims batches until its budget is spent; the last one may start just before and take its slowest.
  const slowestBatchMs = Math.ceil(BATCH_SIZE / CONCURRENCY) * SEND_TIMEOUT_MS;
  const worstRunMs = DISPATCH_BUDGET_MS + slowestBatchMs;
  assert.ok(timeouts[0] > worstRunMs, `pg_net waits ${timeouts[0]} ms, a run may take ${worstRunMs} ms`);
  assert.ok(timeouts[0] < 150_000, "shorter than a hosted Edge Function's 150 s wall clock");
  assert.ok(LEASE_SECONDS * 1000 > slowestBatchMs, 'a claim outlives the slowest batch');
});
