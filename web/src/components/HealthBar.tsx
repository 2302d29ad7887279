import { healthBand } from '@agent-status/domain';

/**
 * `offline`: the agent has gone silent, so its health is only what it last said; the bar is greyed
 * out instead of showing a green "90" for an agent nobody hears from.
 */
export function HealthBar({ health, offline = false }: { health: number; offline?: boolean }) {
  const value = Math.max(0, Math.min(100, health));
  const band = healthBand(value);
  return (
    <span
      class={`health${offline ? ' health-offline' : ''}`}
      title={offline ? `Health ${value} of 100 when last heard from (offline)` : `Health ${value} of 100 (${band})`}
      data-health-band={offline ? 'offline' : band}
    >
      <span class="health-track" aria-hidden="true">
        <span class={`health-fill health-${offline ? 'offline' : band}`} style={{ width: `${value}%` }} />
      </span>
      <span class="health-value">
        <span class="visually-hidden">{offline ? 'Last reported health ' : 'Health '}</span>
        {value}
      </span>
    </span>
  );
}
