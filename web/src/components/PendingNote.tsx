import { pendingLabel, type AgentView } from '../state/agentModel.ts';
import { RelativeTime } from './RelativeTime.tsx';

/**
 * A command the agent has not carried out yet: a spinner, "stopping…", how long it has waited, and,
 * when the agent's worker is gone, that it will run when the agent returns.
 */
export function PendingNote({ agent, clockOffsetMs }: { agent: AgentView; clockOffsetMs: number }) {
  const label = pendingLabel(agent);
  if (!label) return null;
  // The request's time once the server has it; while only this page knows of it, there is nothing to count.
  const since = agent.optimistic ? null : agent.requested_at;
  return (
    <span class="pending" data-pending>
      <span class="spinner" aria-hidden="true" />
      {label}
      {since && (
        <span class="pending-waited" data-waited>
          {' '}
          waiting <RelativeTime iso={since} clockOffsetMs={clockOffsetMs} mode="duration" />
        </span>
      )}
      {agent.offline && <span class="pending-offline"> · agent offline — will run when it returns</span>}
    </span>
  );
}
