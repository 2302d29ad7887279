import { pendingLabel } from '../state/agentView.ts';
import { RelativeTime } from './RelativeTime.tsx';
import type { Agent } from '../state/listRow.ts';

/**
 * A command the agent has not carried out yet: a spinner, "stopping…", how long it has waited, and,
 * when the agent's worker is gone, that it will run when the agent returns.
 */
export function PendingNote({
  agent,
  clockOffsetMs,
  compact = false,
}: {
  agent: Agent;
  clockOffsetMs: number;
  compact?: boolean;
}) {
  const label = pendingLabel(agent);
  if (!label) return null;
  const offlineNote = 'agent offline — will run when it returns';
  // The request's time once the server has it; while only this page knows of it, there is nothing to count.
  const since = agent.optimistic ? null : agent.requested_at;
  return (
    <span class="pending" data-pending title={compact && agent.offline ? `${label} ${offlineNote}` : undefined}>
      <span class="spinner" aria-hidden="true" />
      {label}
      {since && (
        <span class="pending-waited" data-waited>
          {' '}
          {compact ? '' : 'waiting '}
          <RelativeTime iso={since} clockOffsetMs={clockOffsetMs} mode="duration" />
        </span>
      )}
      {/* A table cell has room for a mark only; the sentence is its title and, for screen readers, its text. */}
      {agent.offline &&
        (compact ? (
          <span class="pending-offline">
            {' '}
            <span aria-hidden="true">⊘</span>
            <span class="visually-hidden"> · {offlineNote}</span>
          </span>
        ) : (
          <span class="pending-offline"> · {offlineNote}</span>
        ))}
    </span>
  );
}
