// POST /alerts/dispatch: claims due deliveries (claim_alert_deliveries: `for update skip locked`, a
// lease, one attempt counted), sends them — webhooks one request per delivery, signed; Slack and
// Discord one message per channel for what is due together — and records every result in one call
// (record_alert_results: retries with backoff, failed after the last attempt). Repeats while a full
// batch came back and time is left.
import type { ClaimedDelivery } from '@agent-status/domain';
import { type Network, realNetwork, type SendResult } from './deliver.ts';
import { type Alert, MAX_EVENTS_PER_CHAT_MESSAGE } from './messages.ts';
import { sendToChannel } from './send.ts';

/** What the dispatcher needs from the database (the service role's RPCs). */
export interface Outbox {
  claim(limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]>;
  record(claimId: string, results: Array<SendResult & { id: string }>): Promise<void>;
}

export interface DispatchOptions {
  outbox: Outbox;
  /** How receivers are reached (tests replace it). */
  network?: Network;
  log?: (line: string) => void;
  /** Stop claiming new batches after this long (a run must end well within the pg_net call's timeout). */
  budgetMs?: number;
  now?: () => number;
}

export interface DispatchSummary {
  claimed: number;
  sent: number;
  failed: number;
  /** HTTP requests made (a grouped chat message is one). */
  requests: number;
}

export const BATCH_SIZE = 100;
/** Outlives the slowest batch: BATCH_SIZE / CONCURRENCY × SEND_TIMEOUT_MS (deliver.ts) = 50 s < 120 s. */
export const LEASE_SECONDS = 120;
export const CONCURRENCY = 20;
/** No new batch is claimed after this; the pg_net call that starts a run waits longer (90_schedules.sql). */
export const DISPATCH_BUDGET_MS = 20_000;

export async function dispatch({
  outbox,
  network = realNetwork,
  log = () => {},
  budgetMs = DISPATCH_BUDGET_MS,
  now = Date.now,
}: DispatchOptions): Promise<DispatchSummary> {
  const summary: DispatchSummary = { claimed: 0, sent: 0, failed: 0, requests: 0 };
  const deadline = now() + budgetMs;
  while (now() < deadline) {
    const batch = await outbox.claim(BATCH_SIZE, LEASE_SECONDS);
    if (batch.length === 0) break;
    summary.claimed += batch.length;
    const sends = plan(batch);
    summary.requests += sends.length;
    const results = (
      await runLimited(
        sends.map((send) => () => send.run({ network, log })),
        CONCURRENCY,
      )
    ).flatMap((result, i) => sends[i].ids.map((id) => ({ id, ...result })));
    for (const result of results) result.ok ? summary.sent++ : summary.failed++;
    await outbox.record(batch[0].claim_id, results);
    if (batch.length < BATCH_SIZE) break;
  }
  return summary;
}

interface PlannedSend {
  ids: string[];
  run(how: { network: Network; log: (line: string) => void }): Promise<SendResult>;
}

/** Webhooks: one request per delivery. Chat channels: the deliveries of one channel, in groups. */
export function plan(batch: ClaimedDelivery[]): PlannedSend[] {
  const sends: PlannedSend[] = [];
  const chats = new Map<string, ClaimedDelivery[]>();
  for (const delivery of batch) {
    if (delivery.channel_kind === 'webhook') {
      sends.push({
        ids: [delivery.delivery_id],
        run: (how) =>
          sendToChannel(channelOf(delivery), [toAlert(delivery)], {
            ...how,
            allowPrivate: delivery.allow_private_urls,
          }),
      });
    } else {
      chats.set(delivery.channel_id, [...(chats.get(delivery.channel_id) ?? []), delivery]);
    }
  }
  for (const group of chats.values()) {
    for (let i = 0; i < group.length; i += MAX_EVENTS_PER_CHAT_MESSAGE) {
      const part = group.slice(i, i + MAX_EVENTS_PER_CHAT_MESSAGE);
      sends.push({
        ids: part.map((d) => d.delivery_id),
        run: (how) =>
          sendToChannel(channelOf(part[0]), part.map(toAlert), { ...how, allowPrivate: part[0].allow_private_urls }),
      });
    }
  }
  return sends;
}

export function toAlert(delivery: ClaimedDelivery): Alert {
  return {
    delivery_id: delivery.delivery_id,
    event: delivery.event,
    agent_name: delivery.agent_name,
    agent_id: delivery.agent_id,
    message: delivery.message,
    status: delivery.status,
    health: delivery.health,
    at: delivery.at,
    dashboard_url: delivery.dashboard_url,
    repeat_number: delivery.repeat_number,
    log_lines: delivery.log_lines ?? null,
  };
}

const channelOf = (delivery: ClaimedDelivery) => ({
  kind: delivery.channel_kind,
  url: delivery.url,
  secret: delivery.secret,
});

/** Runs tasks with at most `limit` at once; results in the tasks' order. */
async function runLimited<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
