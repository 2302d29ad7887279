// Alerts in tests: a stack whose dispatch schedule and sweep run every second or so (the jobs and
// their SQL are the migrations' own; only the timing is overridden), set up as npm start sets it up
// (Vault secrets, private receiver URLs allowed), and helpers to read the outbox.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DISPATCH_ALERTS_JOB_NAME, SWEEP_JOB_NAME } from '@agent-status/domain';
import { setUpAlerts } from '@agent-status/start/alerts-setup';
import { startTestStack, type RunningStack } from './stack.ts';

export const DISPATCH_MS = 1_000;
export const SWEEP_MS = 500;

export async function startAlertsStack(
  opts: { databaseUrl?: string; dispatchMs?: number; sweepMs?: number } = {},
): Promise<RunningStack> {
  const stack = await startTestStack({
    databaseUrl: opts.databaseUrl,
    cronIntervalOverrides: {
      [DISPATCH_ALERTS_JOB_NAME]: opts.dispatchMs ?? DISPATCH_MS,
      [SWEEP_JOB_NAME]: opts.sweepMs ?? SWEEP_MS,
    },
  });
  await setUpAlerts(stack.db, {
    projectUrl: stack.url,
    secretKey: stack.secretKey ?? stack.serviceRoleKey,
    dashboardUrl: 'http://dashboard.test/',
    allowPrivateUrls: true,
  });
  return stack;
}

export interface DeliveryRow {
  id: string;
  event: string;
  agent_name: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  repeat_number: number;
}

export async function deliveries(stack: RunningStack, channelId: string): Promise<DeliveryRow[]> {
  const { rows } = await stack.db.query<DeliveryRow>(
    `select id::text, event, agent_name, status::text, attempts, last_status_code, last_error, repeat_number
       from public.alert_deliveries where channel_id = $1 order by created_at, id`,
    [channelId],
  );
  return rows;
}

/** A channel written directly (as the database owner), for tests about delivery rather than the API. */
export async function addChannel(
  stack: RunningStack,
  channel: {
    name: string;
    kind: 'webhook' | 'slack' | 'discord';
    url: string;
    secret?: string;
    events?: string[];
    agent_names?: string[];
  },
): Promise<string> {
  const { rows } = await stack.db.query<{ id: string }>(
    `insert into public.alert_channels (name, kind, url, secret, events, agent_names)
     values ($1, $2, $3, $4, coalesce($5::text[], app.alert_default_events()), $6::text[]) returning id::text`,
    [
      channel.name,
      channel.kind,
      channel.url,
      channel.secret ?? null,
      channel.events ?? null,
      channel.agent_names ?? null,
    ],
  );
  return rows[0].id;
}

/** How old a signed request a receiver accepts (docs/alerts.md): five minutes, either way. */
export const SIGNATURE_TOLERANCE_S = 300;

/**
 * Checks a request's X-Agent-Status-Signature the way a receiver should: HMAC-SHA256 of
 * "<X-Agent-Status-Timestamp>.<raw body>", compared in constant time, and a timestamp within the tolerance.
 */
export function signatureValid(
  secret: string,
  request: { body: string; headers: Record<string, string | string[] | undefined> },
  nowSeconds = Date.now() / 1000,
): boolean {
  const header = request.headers['x-agent-status-signature'];
  const timestamp = request.headers['x-agent-status-timestamp'];
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  if (typeof timestamp !== 'string' || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_S) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex'));
  const given = Buffer.from(header.slice('sha256='.length));
  return expected.length === given.length && timingSafeEqual(expected, given);
}
