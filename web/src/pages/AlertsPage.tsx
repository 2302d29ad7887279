import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Result } from '@agent-status/client';
import {
  deleteChannel,
  listChannels,
  sendTestMessage,
  setEnabled,
  type AlertChannelRow,
  type AlertChannelSummary,
} from '../lib/alerts.ts';
import type { DashboardClient } from '../lib/supabase.ts';
import { ChannelForm } from '../components/alerts/ChannelForm.tsx';
import { ChannelDeliveries } from '../components/alerts/ChannelDeliveries.tsx';

type Props = { client: DashboardClient; canManage: boolean };
type Channel = AlertChannelRow | AlertChannelSummary;

const hasUrl = (channel: Channel): channel is AlertChannelRow => 'url' in channel;

/** #/alerts: operators add, edit, enable, delete and test channels and see their deliveries; viewers see the channels read-only, without URLs. */
export function AlertsPage({ client, canManage }: Props) {
  const [channels, setChannels] = useState<Channel[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<AlertChannelRow | 'new' | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});

  const reload = useCallback(async () => {
    const result = await listChannels(client, canManage);
    if (result.ok) {
      setChannels(result.value);
      setError(null);
    } else setError(result.error.message);
  }, [client, canManage]);
  useEffect(() => void reload(), [reload]);

  const note = (id: string, text: string) => setNotes((current) => ({ ...current, [id]: text }));
  const act = async (id: string, action: () => Promise<Result<unknown>>) => {
    const result = await action();
    if (!result.ok) note(id, result.error.message);
    await reload();
  };
  const test = async (id: string) => {
    note(id, 'Sending a test message…');
    const result = await sendTestMessage(client, id);
    if (!result.ok) return note(id, result.error.message);
    const { ok, status_code, error: reason } = result.value;
    note(
      id,
      ok ? `Test delivered (receiver answered ${status_code}).` : `Test failed: ${reason ?? `status ${status_code}`}`,
    );
  };

  return (
    <main class="content alerts-page">
      <div class="alerts-head">
        <h2>Alert channels</h2>
        {canManage && editing === null && (
          <button type="button" onClick={() => setEditing('new')}>
            Add channel
          </button>
        )}
      </div>
      {!canManage && <p class="muted">Only operators can change channels; their URLs are not shown to viewers.</p>}
      {error && (
        <p class="command-error" role="alert">
          {error}
        </p>
      )}
      {editing !== null && (
        <ChannelForm
          client={client}
          channel={editing === 'new' ? null : editing}
          onDone={() => {
            setEditing(null);
            void reload();
          }}
        />
      )}
      {channels === null && !error && <p class="muted">Loading channels…</p>}
      {channels?.length === 0 && (
        <p class="muted">No alert channels yet.{canManage ? ' Add one to be told when an agent goes down.' : ''}</p>
      )}
      <ul class="channels">
        {channels?.map((channel) => (
          <li key={channel.id} class="channel" data-channel={channel.name}>
            <div class="channel-head">
              <strong>{channel.name}</strong> <span class="channel-kind">{channel.kind}</span>
              <span class={channel.enabled ? 'channel-on' : 'channel-off'}>
                {channel.enabled ? 'enabled' : 'disabled'}
              </span>
            </div>
            <div class="channel-facts">
              events: {channel.events.join(', ')} · agents: {channel.agent_names?.join(', ') ?? 'all'}
              {channel.repeat_every_minutes ? ` · repeats every ${channel.repeat_every_minutes} min` : ''}
              {hasUrl(channel) && <div class="channel-url">{channel.url}</div>}
            </div>
            {canManage && hasUrl(channel) && (
              <div class="channel-actions">
                <button type="button" onClick={() => void test(channel.id)}>
                  Send test
                </button>
                <button type="button" onClick={() => setEditing(channel)}>
                  Edit
                </button>
                <button
                  type="button"
                  onClick={() => void act(channel.id, () => setEnabled(client, channel.id, !channel.enabled))}
                >
                  {channel.enabled ? 'Disable' : 'Enable'}
                </button>
                <button
                  type="button"
                  onClick={() =>
                    confirm(`Delete the channel "${channel.name}" and its delivery history?`) &&
                    void act(channel.id, () => deleteChannel(client, channel.id))
                  }
                >
                  Delete
                </button>
              </div>
            )}
            {notes[channel.id] && (
              <p class="channel-note" role="status">
                {notes[channel.id]}
              </p>
            )}
            {canManage && <ChannelDeliveries client={client} channelId={channel.id} />}
          </li>
        ))}
      </ul>
    </main>
  );
}
