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
import { invoke, restResult, type Result } from '@agent-status/client';
import { worded } from './failure.ts';
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

export async function listChannels(
  client: DashboardClient,
  canManage: boolean,
): Promise<Result<Array<AlertChannelRow | AlertChannelSummary>>> {
  if (canManage) return restResult(await client.from('alert_channels').select('*').order('created_at'));
  return restResult(await client.rpc('alert_channel_summaries'));
}

export async function saveChannel(client: DashboardClient, input: ChannelInput, id?: string): Promise<Result<null>> {
  const { secret, ...rest } = input;
  const row = secret === undefined ? rest : { ...rest, secret: secret === '' ? null : secret };
  return restResult(
    id ? await client.from('alert_channels').update(row).eq('id', id) : await client.from('alert_channels').insert(row),
  );
}

export async function setEnabled(client: DashboardClient, id: string, enabled: boolean): Promise<Result<null>> {
  return restResult(await client.from('alert_channels').update({ enabled }).eq('id', id));
}

export async function deleteChannel(client: DashboardClient, id: string): Promise<Result<null>> {
  return restResult(await client.from('alert_channels').delete().eq('id', id));
}

export async function recentDeliveries(
  client: DashboardClient,
  channelId: string,
  limit = 20,
): Promise<Result<AlertDeliveryRow[]>> {
  return restResult(
    await client
      .from('alert_deliveries')
      .select('*')
      .eq('channel_id', channelId)
      .order('created_at', { ascending: false })
      .limit(limit),
  );
}

export interface TestOutcome {
  ok: boolean;
  status_code: number | null;
  error: string | null;
}

export function sendTestMessage(client: DashboardClient, channelId: string): Promise<Result<TestOutcome>> {
  return worded(invoke<TestOutcome>(client, 'alerts/test', { channel_id: channelId }));
}

/** Mute an agent's alerts until a time; null unmutes (mute_agent RPC, operators). */
export async function muteAgent(
  client: DashboardClient,
  agentName: string,
  until: Date | null,
): Promise<Result<string | null>> {
  return restResult(await client.rpc('mute_agent', { p_agent_name: agentName, p_until: until?.toISOString() ?? null }));
}
