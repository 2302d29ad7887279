import type { ComponentChildren } from 'preact';
import type { AgentEventRow, CrashLogLine } from '@agent-status/domain';
import { useServerNow } from '../lib/ticker.ts';
import { formatTimestamp } from '../lib/time.ts';
import type { AgentView } from '@agent-status/client';
import type { History } from '../state/agents.ts';
import { HealthChart } from './HealthChart.tsx';
import { AgentPanel } from './agent/AgentPanel.tsx';
import { SecondWorkerNotice } from './SecondWorkerNotice.tsx';

type Props = {
  agent: AgentView;
  history: History | null;
  clockOffsetMs: number;
  onClose: () => void;
  /** Links to the agent's other views (settings, tokens), under its name. */
  nav?: ComponentChildren;
  children?: ComponentChildren;
};

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
    case 'duplicate_instance':
      return `second worker — ${event.message ?? ''}`;
    case 'created':
    case 'updated':
    case 'token_issued':
    case 'token_revoked':
      return `${event.message ?? event.kind}${event.actor_email ? ` — by ${event.actor_email}` : ''}`;
    default:
      return `${event.kind}: ${event.message ?? ''}`;
  }
}

/** The last lines the worker logged before an error (kept with the error's event), folded. */
export function CrashLines({ lines }: { lines: readonly CrashLogLine[] }) {
  return (
    <details class="event-log">
      <summary>
        Last {lines.length} log line{lines.length === 1 ? '' : 's'} before the error
      </summary>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable */}
      <pre tabIndex={0}>
        {lines.map((line) => `${line.at.replace(/^.*T|Z$/g, '')} ${line.level.padEnd(5)} ${line.text}`).join('\n')}
      </pre>
    </details>
  );
}

/** History timeline, health chart and host facts of one agent. Escape closes it. */
export function AgentDetail({ agent, history, clockOffsetMs, onClose, nav, children }: Props) {
  const nowMs = useServerNow(clockOffsetMs);
  const events = history?.agentId === agent.id ? history.events : [];
  return (
    <AgentPanel title={agent.agent_name} onClose={onClose} nav={nav} focusKey={agent.id}>
      {agent.description && <p class="agent-description">{agent.description}</p>}
      {agent.duplicate_instance_seen_at && (
        <SecondWorkerNotice seenAt={agent.duplicate_instance_seen_at} clockOffsetMs={clockOffsetMs} detail />
      )}
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
            {event.log_lines && event.log_lines.length > 0 && <CrashLines lines={event.log_lines} />}
          </li>
        ))}
      </ol>
    </AgentPanel>
  );
}
