// Sends alerts to one channel: a webhook gets the contract's JSON for one alert, with
// X-Agent-Status-Delivery (the same on every attempt: receivers deduplicate on it),
// X-Agent-Status-Timestamp (this attempt's time) and, when the channel has a secret,
// X-Agent-Status-Signature over both (sign.ts); Slack and Discord get one message for all the alerts given.
import type { AlertChannelKind } from '@agent-status/domain';
import { post, type SendOptions, type SendResult } from './deliver.ts';
import { type Alert, chatBody, webhookBody } from './messages.ts';
import { signature, unixSeconds } from './sign.ts';

export interface ChannelTarget {
  kind: AlertChannelKind;
  url: string;
  secret: string | null;
}

export async function sendToChannel(
  channel: ChannelTarget,
  alerts: Alert[],
  options: SendOptions,
): Promise<SendResult> {
  if (channel.kind !== 'webhook') return post(channel.url, chatBody(channel.kind, alerts), {}, options);
  if (alerts.length !== 1) throw new Error('a webhook request carries exactly one alert');
  const body = webhookBody(alerts[0]);
  const timestamp = unixSeconds();
  const headers: Record<string, string> = {
    'X-Agent-Status-Delivery': alerts[0].delivery_id,
    'X-Agent-Status-Timestamp': timestamp,
  };
  if (channel.secret) headers['X-Agent-Status-Signature'] = await signature(channel.secret, timestamp, body);
  return post(channel.url, body, headers, options);
}
