// Alert channels and deliveries for the Alerts page, through REST with the caller's rights:
// operators read and write alert_channels and read alert_deliveries; everyone who may read sees
// alert_channel_summaries (never url or secret). Test messages go through the `alerts` function.
import {
  ALERT_EVENTS,
  type AlertChannelKind,
  type AlertChannelRow,
  type AlertChannelSummary,
  type AlertDeliveryRow,
  type AlertEvent,
} from '@agent-status/domain';
import type { DashboardClient } from './supabase.ts';

export { ALERT_EVENTS };
export type { AlertChannelKind, AlertChannelRow, AlertChannelSummary, AlertDeliveryRow, AlertEvent };

/** What the form edits. agent_names: null = every agent. */
export interface ChannelInput {
  name: string;
  kind: AlertChannelKind;
  url: string;
  /** undefined = leave as it is (editing), '' = none */
  secret?: string;
  events: AlertEvent[];
  agent_names: string[] | null;
  repeat_every_minutes: number | null;
  enabled: boolean;
}

export type Result<T> = { ok: true; value: T } | { ok: false; message: string };

const fail = (error: { message: string }): { ok: false; message: string } => ({ ok: false, message: error.message });

export async function listChannels(
  client: DashboardClient,
  canManage: boolean,
): Promise<Result<Array<AlertChannelRow | AlertChannelSummary>>> {
  if (canManage) {
    const { data, error } = await client.from('alert_channels').select('*').order('created_at');
    return error ? fail(error) : { ok: true, value: data ?? [] };
  }
  const { data, error } = await client.rpc('alert_channel_summaries');
  return error ? fail(error) : { ok: true, value: data ?? [] };
}

export async function saveChannel(client: DashboardClient, input: ChannelInput, id?: string): Promise<Result<null>> {
  const { secret, ...rest } = input;
  const row = secret === undefined ? rest : { ...rest, secret: secret === '' ? null : secret };
  const { error } = id
    ? await client.from('alert_channels').update(row).eq('id', id)
    : await client.from('alert_channels').insert(row);
  return error ? fail(error) : { ok: true, value: null };
}

export async function setEnabled(client: DashboardClient, id: string, enabled: boolean): Promise<Result<null>> {
  const { error } = await client.from('alert_channels').update({ enabled }).eq('id', id);
  return error ? fail(error) : { ok: true, value: null };
}

export async function deleteChannel(client: DashboardClient, id: string): Promise<Result<null>> {
  const { error } = await client.from('alert_channels').delete().eq('id', id);
  return error ? fail(error) : { ok: true, value: null };
}

export async function recentDeliveries(
  client: DashboardClient,
  channelId: string,
  limit = 20,
): Promise<Result<AlertDeliveryRow[]>> {
  const { data, error } = await client
    .from('alert_deliveries')
    .select('*')
    .eq('channel_id', channelId)
    .order('created_at', { ascending: false })
    .limit(limit);
  return error ? fail(error) : { ok: true, value: data ?? [] };
}

export interface TestOutcome {
  ok: boolean;
  status_code: number | null;
  error: string | null;
}

export async function sendTestMessage(client: DashboardClient, channelId: string): Promise<Result<TestOutcome>> {
  const { data, error } = await client.functions.invoke('alerts/test', {
    method: 'POST',
    body: { channel_id: channelId },
  });
  if (!error) return { ok: true, value: data as TestOutcome };
  const response = (error as { context?: unknown }).context;
  if (response instanceof Response) {
    const body = await response
      .clone()
      .json()
      .catch(() => null);
    if (body?.error?.message) return { ok: false, message: body.error.message };
  }
  return { ok: false, message: error.message };
}

/** Mute an agent's alerts until a time; null unmutes (mute_agent RPC, operators). */
export async function muteAgent(
  client: DashboardClient,
  agentName: string,
  until: Date | null,
): Promise<Result<string | null>> {
  const { data, error } = await client.rpc('mute_agent', {
    p_agent_name: agentName,
    p_until: until ? until.toISOString() : (null as unknown as string),
  });
  return error ? fail(error) : { ok: true, value: (data as string | null) ?? null };
}

export async function mutedUntil(client: DashboardClient, agentName: string): Promise<Result<string | null>> {
  const { data, error } = await client
    .from('agent_status')
    .select('muted_until')
    .eq('agent_name', agentName)
    .maybeSingle();
  return error ? fail(error) : { ok: true, value: data?.muted_until ?? null };
}
