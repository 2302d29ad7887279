import { useState } from 'preact/hooks';
import { formatTimestamp } from '../lib/time.ts';

type Props = {
  /** The agent's muted_until, as the store holds it. */
  until: string | null;
  canMute: boolean;
  /** Mutes until a time (null unmutes) through the store; answers the failure's words, or null. */
  onMute: (until: Date | null) => Promise<string | null>;
};

const HOURS = [1, 8, 24];

/** "Mute for 1 h / 8 h / 24 h / until …" in an agent's detail: alerts for it are suppressed meanwhile. */
export function MuteControl({ until, canMute, onMute }: Props) {
  const [custom, setCustom] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const mute = async (to: Date | null) => {
    setBusy(true);
    setError(null);
    const failure = await onMute(to);
    setBusy(false);
    setError(failure);
  };
  const muted = until !== null && Date.parse(until) > Date.now();

  return (
    <section class="mute" aria-label="Alert mute">
      <p>
        Alerts: {muted ? <strong>muted until {formatTimestamp(until)}</strong> : 'on'}
        {muted && canMute && (
          <button type="button" disabled={busy} onClick={() => void mute(null)}>
            Unmute
          </button>
        )}
      </p>
      {canMute && (
        <div class="mute-actions">
          {HOURS.map((hours) => (
            <button
              key={hours}
              type="button"
              disabled={busy}
              onClick={() => void mute(new Date(Date.now() + hours * 3_600_000))}
            >
              Mute for {hours} h
            </button>
          ))}
          <label>
            until{' '}
            <input
              type="datetime-local"
              value={custom}
              onInput={(e) => setCustom((e.target as HTMLInputElement).value)}
            />
          </label>
          <button type="button" disabled={busy || !custom} onClick={() => void mute(new Date(custom))}>
            Mute
          </button>
        </div>
      )}
      {error && (
        <p class="command-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
