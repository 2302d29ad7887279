import { useState } from 'preact/hooks';
import { ALERT_CHANNEL_NAME_MAX_LENGTH, DEFAULT_ALERT_EVENTS } from '@agent-status/domain';
import {
  ALERT_EVENTS,
  saveChannel,
  type AlertChannelKind,
  type AlertChannelRow,
  type AlertEvent,
  type ChannelInput,
} from '../../lib/alerts.ts';
import type { DashboardClient } from '../../lib/supabase.ts';

type Props = { client: DashboardClient; channel: AlertChannelRow | null; onDone: () => void };

const KINDS: AlertChannelKind[] = ['webhook', 'slack', 'discord'];

/** Add or edit a channel. The database validates (URL, addresses, events, lengths); its message is shown as is. */
export function ChannelForm({ client, channel, onDone }: Props) {
  const [name, setName] = useState(channel?.name ?? '');
  const [kind, setKind] = useState<AlertChannelKind>(channel?.kind ?? 'slack');
  const [url, setUrl] = useState(channel?.url ?? '');
  const [secret, setSecret] = useState(channel?.secret ?? '');
  const [events, setEvents] = useState<AlertEvent[]>(
    (channel?.events as AlertEvent[] | undefined) ?? [...DEFAULT_ALERT_EVENTS],
  );
  const [agents, setAgents] = useState(channel?.agent_names?.join(', ') ?? '');
  const [repeat, setRepeat] = useState(channel?.repeat_every_minutes?.toString() ?? '');
  const [enabled, setEnabledState] = useState(channel?.enabled ?? true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (event: AlertEvent) =>
    setEvents((current) => (current.includes(event) ? current.filter((e) => e !== event) : [...current, event]));

  const submit = async (e: Event) => {
    e.preventDefault();
    const agentNames = agents
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    const input: ChannelInput = {
      name: name.trim(),
      kind,
      url: url.trim(),
      secret: kind === 'webhook' ? secret : '',
      events,
      agent_names: agentNames.length ? agentNames : null,
      repeat_every_minutes: repeat.trim() ? Number(repeat) : null,
      enabled,
    };
    setBusy(true);
    const result = await saveChannel(client, input, channel?.id);
    setBusy(false);
    if (result.ok) onDone();
    else setError(result.error.message);
  };

  return (
    <form
      class="channel-form"
      onSubmit={(e) => void submit(e)}
      aria-label={channel ? `Edit ${channel.name}` : 'New alert channel'}
    >
      <label>
        Name{' '}
        <input
          value={name}
          maxLength={ALERT_CHANNEL_NAME_MAX_LENGTH}
          required
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        Kind{' '}
        <select value={kind} onInput={(e) => setKind((e.target as HTMLSelectElement).value as AlertChannelKind)}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <label>
        URL{' '}
        <input
          type="url"
          value={url}
          required
          placeholder="https://hooks.slack.com/services/…"
          onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
        />
      </label>
      {kind === 'webhook' && (
        <label>
          Signing secret (optional){' '}
          <input value={secret} onInput={(e) => setSecret((e.target as HTMLInputElement).value)} />
        </label>
      )}
      <fieldset>
        <legend>Events</legend>
        {ALERT_EVENTS.map((event) => (
          <label key={event} class="inline">
            <input type="checkbox" checked={events.includes(event)} onChange={() => toggle(event)} /> {event}
          </label>
        ))}
      </fieldset>
      <label>
        Agents (comma-separated; empty = all){' '}
        <input value={agents} onInput={(e) => setAgents((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        Repeat every (minutes, while offline or in error; empty = never){' '}
        <input
          type="number"
          min={1}
          max={10080}
          value={repeat}
          onInput={(e) => setRepeat((e.target as HTMLInputElement).value)}
        />
      </label>
      <label class="inline">
        <input type="checkbox" checked={enabled} onChange={() => setEnabledState(!enabled)} /> enabled
      </label>
      {error && (
        <p class="command-error" role="alert">
          {error}
        </p>
      )}
      <div class="channel-actions">
        <button type="submit" disabled={busy}>
          {channel ? 'Save' : 'Add'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
