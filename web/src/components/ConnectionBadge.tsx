import type { Connection } from '../state/agents.ts';

const LABELS: Record<Connection, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  polling: 'Reconnecting — refreshing every few seconds',
  unreachable: 'Backend unreachable — retrying',
};

export function ConnectionBadge({ connection }: { connection: Connection }) {
  return (
    <span class={`connection connection-${connection}`} role="status" data-connection={connection}>
      <span class="connection-dot" aria-hidden="true" />
      {LABELS[connection]}
    </span>
  );
}
