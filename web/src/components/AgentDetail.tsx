import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { AgentEventRow } from '@agent-status/domain';
import { useServerNow } from '../lib/ticker.ts';
import { formatTimestamp } from '../lib/time.ts';
import type { AgentView } from '../state/agentModel.ts';
import type { History } from '../state/agents.ts';
import { HealthChart } from './HealthChart.tsx';

type Props = { agent: AgentView; history: History | null; clockOffsetMs: number; onClose: () => void; children?: ComponentChildren };

export function describeEvent(event: AgentEventRow): string {
  switch (event.kind) {
    case 'command':
      return `${event.command ?? 'command'} requested by ${event.actor_email ?? 'unknown'}${event.message ? ` (${event.message})` : ''}`;
    case 'acknowledged':
      return `acknowledged request #${event.generation ?? '?'}`;
    case 'status':
      return `${event.from_status ?? '?'} → ${event.to_status ?? '?'}`;
    case 'health':
      return `health ${event.health ?? '?'}`;
    case 'offline':
      return `went offline${event.message ? ` — ${event.message}` : ''}`;
    case 'online':
      return 'back online';
    default:
      return `${event.kind}: ${event.message ?? ''}`;
  }
}

/** History timeline, health chart and host facts of one agent. Escape closes it. */
export function AgentDetail({ agent, history, clockOffsetMs, onClose, children }: Props) {
  const nowMs = useServerNow(clockOffsetMs);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [agent.id]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  const events = history?.agentId === agent.id ? history.events : [];
  return (
    <aside class="detail" aria-labelledby="detail-title">
      <div class="detail-head">
        <h2 id="detail-title" tabIndex={-1} ref={heading}>
          {agent.agent_name}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close details">
          Close
        </button>
      </div>
      <dl class="detail-facts">
        <dt>Host</dt>
        <dd>{agent.host ?? '—'}</dd>
        <dt>PID</dt>
        <dd>{agent.pid ?? '—'}</dd>
        <dt>Version</dt>
        <dd>{agent.version ?? '—'}</dd>
        <dt>Desired</dt>
        <dd>
          {agent.desired_state} (request #{agent.generation}, done #{agent.observed_generation})
        </dd>
        {agent.requested_by_email && (
          <>
            <dt>Last command</dt>
            <dd>
              {agent.last_command} by {agent.requested_by_email} at {formatTimestamp(agent.requested_at)}
            </dd>
          </>
        )}
        {agent.last_warning && (
          <>
            <dt>Last warning</dt>
            <dd>{agent.last_warning}</dd>
          </>
        )}
      </dl>
      {children}
      <h3>Health over time</h3>
      <HealthChart events={events} nowMs={nowMs} />
      <h3>History</h3>
      {history?.loading && <p class="muted">Loading history…</p>}
      {history?.error && <p class="command-error">{history.error}</p>}
      <ol class="timeline">
        {events.map((event) => (
          <li key={event.id} class={`event event-${event.kind}`}>
            <time dateTime={event.created_at}>{formatTimestamp(event.created_at)}</time>
            <span class="event-kind">{event.kind}</span>
            <span class="event-text">{describeEvent(event)}</span>
          </li>
        ))}
      </ol>
    </aside>
  );
}
