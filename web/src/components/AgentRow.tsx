import { useRef } from 'preact/hooks';
import { memo } from '../lib/memo.ts';
import { useOnScreen } from '../lib/onScreen.ts';
import type { CommandRoute } from '../state/agents.ts';
import { displayState } from '@agent-status/client';
import { commandBlockedReason } from '../state/agentView.ts';
import { PendingNote } from './PendingNote.tsx';
import { HealthBar } from './HealthBar.tsx';
import { RelativeTime } from './RelativeTime.tsx';
import { SecondWorkerNotice } from './SecondWorkerNotice.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import type { ScheduleOverviewRow } from '@agent-status/domain';
import { agentSchedule, ScheduleNote } from './schedules/ScheduleNote.tsx';
import type { Agent } from '../state/listRow.ts';

export const VIEWER_REASON_ID = 'viewer-reason';

type Props = {
  agent: Agent;
  clockOffsetMs: number;
  schedules?: readonly ScheduleOverviewRow[] | null;
  canCommand: boolean;
  selected: boolean;
  onCommand: (route: CommandRoute, agent: Agent) => void;
  onSelect: (agentId: string) => void;
  /** Draw the card only while it is on screen (a large fleet): off screen it is an empty box, with no ticking labels. */
  windowed?: boolean;
};

const ROW_COMMANDS = [
  ['start', 'Start'],
  ['stop', 'Stop'],
  ['restart', 'Restart'],
] as const;

/** One agent. Memoized: a change to another agent (or the filter) does not re-render it. */
export const AgentRow = memo(function AgentRow({
  agent,
  clockOffsetMs,
  schedules = null,
  canCommand,
  selected,
  onCommand,
  onSelect,
  windowed = false,
}: Props) {
  const ref = useRef<HTMLLIElement>(null);
  const { onScreen, height } = useOnScreen(ref, windowed);
  const state = displayState(agent);
  const errorId = `command-error-${agent.id}`;
  const className = `agent agent-${state}${selected ? ' agent-selected' : ''}`;
  if (!onScreen)
    return (
      <li
        ref={ref}
        class={`${className} agent-offscreen`}
        style={height ? { height: `${height}px` } : undefined}
        data-agent={agent.agent_name}
        data-agent-id={agent.id}
        data-state={state}
      >
        <div class="agent-head">
          <span class="agent-name">{agent.agent_name}</span>
        </div>
      </li>
    );
  return (
    <li ref={ref} class={className} data-agent={agent.agent_name} data-agent-id={agent.id} data-state={state}>
      <div class="agent-head">
        <button type="button" class="agent-name link" aria-pressed={selected} onClick={() => onSelect(agent.id)}>
          {agent.agent_name}
        </button>
        <StatusBadge state={state} />
        <PendingNote agent={agent} clockOffsetMs={clockOffsetMs} />
        {agent.duplicate_instance_seen_at && (
          <SecondWorkerNotice seenAt={agent.duplicate_instance_seen_at} clockOffsetMs={clockOffsetMs} />
        )}
      </div>
      <dl class="agent-facts">
        <div>
          <dt>Health</dt>
          <dd>
            <HealthBar health={agent.health} offline={agent.offline} />
          </dd>
        </div>
        <div>
          <dt>Heartbeat</dt>
          <dd data-heartbeat>
            {agent.offline ? <strong class="offline-text">offline</strong> : null}
            {agent.offline ? ' · ' : null}
            <RelativeTime iso={agent.last_heartbeat} clockOffsetMs={clockOffsetMs} />
          </dd>
        </div>
        <div>
          <dt>Uptime</dt>
          <dd>
            {/* An offline agent's uptime is unknown: it may have died at its last heartbeat. */}
            {agent.started_at && agent.status !== 'stopped' && !agent.offline ? (
              <RelativeTime iso={agent.started_at} clockOffsetMs={clockOffsetMs} mode="duration" />
            ) : (
              '—'
            )}
          </dd>
        </div>
        <div class="wide">
          <dt>Activity</dt>
          <dd>
            {agent.last_activity && <span class="activity-text">{agent.last_activity} </span>}
            {agent.last_activity_at ? (
              <span class="muted">
                <RelativeTime iso={agent.last_activity_at} clockOffsetMs={clockOffsetMs} />
              </span>
            ) : (
              !agent.last_activity && '—'
            )}
          </dd>
        </div>
        {schedules && <CardSchedule agent={agent} schedules={schedules} />}
        {agent.last_error && (
          <div class="wide">
            <dt>Last error</dt>
            <dd class="error-text" title={agent.last_error}>
              {agent.last_error}
            </dd>
          </div>
        )}
      </dl>
      <div class="agent-controls" role="group" aria-label={`Commands for ${agent.agent_name}`}>
        {ROW_COMMANDS.map(([route, label]) => {
          // A command that would change nothing stays focusable (aria-disabled) so its reason can be read.
          const reason = canCommand ? commandBlockedReason(agent, route) : null;
          const reasonId = `reason-${route}-${agent.id}`;
          return (
            <span key={route} class="control">
              <button
                type="button"
                disabled={!canCommand || agent.optimistic !== null}
                aria-disabled={reason ? 'true' : undefined}
                title={reason ?? undefined}
                aria-describedby={
                  !canCommand ? VIEWER_REASON_ID : reason ? reasonId : agent.commandError ? errorId : undefined
                }
                aria-label={`${label} ${agent.agent_name}`}
                onClick={() => !reason && onCommand(route, agent)}
              >
                {label}
              </button>
              {reason && (
                <span id={reasonId} class="control-reason" role="tooltip">
                  {reason}
                </span>
              )}
            </span>
          );
        })}
        {agent.commandError && (
          <p class="command-error" id={errorId} role="alert">
            {agent.commandError}
          </p>
        )}
      </div>
    </li>
  );
});

/** The card's line for its schedules; nothing when no enabled schedule changes the agent. */
function CardSchedule({ agent, schedules }: { agent: Agent; schedules: readonly ScheduleOverviewRow[] }) {
  if (!agentSchedule(agent, schedules)) return null;
  return (
    <div class="wide">
      <dt>Schedule</dt>
      <dd>
        <ScheduleNote agent={agent} schedules={schedules} variant="card" />
      </dd>
    </div>
  );
}
