import { useState } from 'preact/hooks';
import { recentDeliveries, type AlertDeliveryRow } from '../../lib/alerts.ts';
import type { DashboardClient } from '../../lib/supabase.ts';
import { formatTimestamp } from '../../lib/time.ts';

type Props = { client: DashboardClient; channelId: string };

/** A channel's recent deliveries (operators): event, agent, status, attempts, last error. */
export function ChannelDeliveries({ client, channelId }: Props) {
  const [rows, setRows] = useState<AlertDeliveryRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);

  const load = async () => {
    const result = await recentDeliveries(client, channelId);
    if (result.ok) setRows(result.value);
    else setError(result.error.message);
  };

  return (
    <details
      class="deliveries"
      open={open}
      onToggle={(e) => {
        const isOpen = (e.target as HTMLDetailsElement).open;
        setOpen(isOpen);
        if (isOpen) void load();
      }}
    >
      <summary>Recent deliveries</summary>
      {open && (
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      )}
      {error && <p class="command-error">{error}</p>}
      {rows?.length === 0 && <p class="muted">Nothing delivered yet.</p>}
      {rows && rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Event</th>
              <th>Agent</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} class={`delivery-${row.status}`}>
                <td>{formatTimestamp(row.created_at)}</td>
                <td>{row.repeat_number > 0 ? `${row.event} (reminder ${row.repeat_number})` : row.event}</td>
                <td>{row.agent_name}</td>
                <td>{deliveryStatus(row)}</td>
                <td>{row.attempts}</td>
                <td>{row.last_error ?? (row.last_status_code ? `HTTP ${row.last_status_code}` : '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}

/** "suppressed (repeat)", "pending (+198 suppressed)": why a delivery was held back, or what it stands for. */
export function deliveryStatus(row: Pick<AlertDeliveryRow, 'status' | 'suppressed_because' | 'stands_for'>): string {
  if (row.suppressed_because) return `${row.status} (${row.suppressed_because})`;
  return row.stands_for > 0 ? `${row.status} (+${row.stands_for} suppressed)` : row.status;
}
