// POST /alerts/test { channel_id } (operators): sends a test message to the channel now and answers
// with the receiver's status (never its words: deliver.ts). The channel is read with the caller's own rights (RLS: operators
// see whole channels), so the database decides who may test; nothing is written.
import type { AlertChannelRow } from '@agent-status/domain';
import { ApiError } from '../_shared/errors.ts';
import { apiErrorFromDatabase, describeDatabaseError } from '../_shared/postgrest.ts';
import type { UserClient } from '../_shared/caller.ts';
import type { AlertSettings } from './service.ts';
import type { Network, SendResult } from './deliver.ts';
import type { Alert } from './messages.ts';
import { sendToChannel } from './send.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function channelIdFrom(body: Record<string, unknown>): string {
  const id = body.channel_id;
  if (typeof id !== 'string' || !UUID.test(id)) {
    throw new ApiError(
      'invalid_channel_id',
      'channel_id is required: the id (a UUID) of an alert channel, e.g. {"channel_id": "…"}.',
    );
  }
  return id;
}

type Channel = Pick<AlertChannelRow, 'id' | 'name' | 'kind' | 'url' | 'secret'>;

export async function readChannelAsCaller(user: UserClient, id: string, log: (line: string) => void): Promise<Channel> {
  const { data, error, status } = await user
    .from('alert_channels')
    .select('id, name, kind, url, secret')
    .eq('id', id)
    .maybeSingle();
  if (error) {
    log(`alerts: reading channel ${id}: ${describeDatabaseError(error, status)}`);
    throw apiErrorFromDatabase(error, status);
  }
  if (data) return data as Channel;
  // Not visible: a viewer (who sees summaries only), or no such channel.
  const { data: summaries } = await user.rpc('alert_channel_summaries');
  if ((summaries ?? []).some((channel: { id: string }) => channel.id === id)) {
    throw new ApiError('forbidden', 'Only operators can send test messages. Ask an operator to change your role.');
  }
  throw new ApiError('channel_not_found', `No alert channel with id ${id}.`);
}

export function testAlert(channel: Channel, dashboardUrl: string | null): Alert {
  return {
    delivery_id: crypto.randomUUID(),
    event: 'test',
    agent_name: null,
    agent_id: null,
    message: `Agent Status test message for channel "${channel.name}": alerts will arrive here.`,
    status: null,
    health: null,
    at: new Date().toISOString(),
    dashboard_url: dashboardUrl,
    repeat_number: 0,
    log_lines: null,
  };
}

export async function sendTest(
  channel: Channel,
  settings: AlertSettings,
  network: Network,
  log: (line: string) => void,
): Promise<SendResult & { channel_id: string }> {
  const result = await sendToChannel(channel, [testAlert(channel, settings.dashboardUrl)], {
    allowPrivate: settings.allowPrivateUrls,
    network,
    log,
  });
  return { channel_id: channel.id, ...result };
}
