import { useEffect, useState } from 'preact/hooks';
import { formatTimestamp } from '../../lib/time.ts';
import type { Availability, AvailabilityBucket, AvailabilityWindow } from '@agent-status/domain';
import type { AgentStore, StoreState } from '../../state/agents.ts';
import { useStore } from '../../state/useStore.ts';
import { formatShare } from './availabilityText.ts';
import './fleet.css';

export const WINDOWS: { value: AvailabilityWindow; label: string; index: 0 | 2 | 4 }[] = [
  { value: '24h', label: '24 h', index: 0 },
  { value: '7d', label: '7 d', index: 2 },
  { value: '30d', label: '30 d', index: 4 },
];

const STATE_WORDS: Record<string, string> = {
  running: 'running',
  warning: 'warning',
  error: 'error',
  offline: 'offline',
  stopped: 'stopped',
  scheduled_off: 'scheduled off',
  unknown: 'no data',
};

function describeBucket(bucket: AvailabilityBucket): string {
  const parts = (['running', 'warning', 'error', 'offline', 'stopped', 'scheduled_off', 'unknown'] as const)
    .filter((state) => bucket[state] >= 1)
    .map((state) => `${STATE_WORDS[state]} ${Math.round(bucket[state] / 60)} min`);
  return `${formatTimestamp(bucket.bucket_start)} – ${formatTimestamp(bucket.bucket_end)}: ${parts.join(', ') || 'no data'}`;
}

type Props = { store: AgentStore; agentId: string; availability: Availability | undefined };

const selectBar = (s: StoreState) => s.availabilityBar;

/**
 * One agent's availability as status pages show it: a bar of time buckets, each coloured by the worst
 * state in it (agent_availability_bar), and the share of available time over the window (fleet_availability).
 */
export function AvailabilityBar({ store, agentId, availability }: Props) {
  const [window, setWindow] = useState<AvailabilityWindow>('24h');
  const bar = useStore(store, selectBar);
  const shown = bar?.agentId === agentId && bar.window === window ? bar : null;
  const buckets = shown?.buckets ?? null;
  const error = shown?.error ?? null;

  useEffect(() => {
    void store.openAvailabilityBar(agentId, window).catch(() => undefined);
  }, [store, agentId, window]);

  const { label, index } = WINDOWS.find((w) => w.value === window) ?? WINDOWS[0];
  const share = formatShare(availability?.[index] ?? null);
  const summary = `Available ${share} over the last ${label}`;
  return (
    <section class="availability" aria-label="Availability" data-availability-window={window}>
      <div class="availability-head">
        <h3>Availability</h3>
        <span class="view-toggle" role="group" aria-label="Availability window">
          {WINDOWS.map((w) => (
            <button key={w.value} type="button" aria-pressed={w.value === window} onClick={() => setWindow(w.value)}>
              {w.label}
            </button>
          ))}
        </span>
      </div>
      <p class="availability-share">
        <strong data-share>{share}</strong> available over the last {label}
      </p>
      {error && <p class="command-error">{error}</p>}
      <div class="availability-bar" role="img" aria-label={summary} data-buckets={buckets?.length ?? 0}>
        {(buckets ?? []).map((bucket) => (
          <span
            key={bucket.bucket_start}
            class={`segment segment-${bucket.state}`}
            data-state={bucket.state}
            title={describeBucket(bucket)}
          />
        ))}
      </div>
      <p class="availability-axis muted" aria-hidden="true">
        <span>{label} ago</span>
        <span>now</span>
      </p>
      <ul class="availability-legend" aria-label="Colours">
        {['running', 'warning', 'error', 'offline', 'stopped', 'scheduled_off', 'unknown'].map((state) => (
          <li key={state}>
            <span class={`swatch segment-${state}`} aria-hidden="true" /> {STATE_WORDS[state]}
          </li>
        ))}
      </ul>
    </section>
  );
}
