import { healthBand } from '@agent-status/domain';

export function HealthBar({ health }: { health: number }) {
  const value = Math.max(0, Math.min(100, health));
  const band = healthBand(value);
  return (
    <span class="health" title={`Health ${value} of 100 (${band})`}>
      <span class="health-track" aria-hidden="true">
        <span class={`health-fill health-${band}`} style={{ width: `${value}%` }} />
      </span>
      <span class="health-value">
        <span class="visually-hidden">Health </span>
        {value}
      </span>
    </span>
  );
}
