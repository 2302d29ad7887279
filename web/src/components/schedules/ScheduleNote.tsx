import {
  changeVerb,
  nextScheduledChange,
  type ScheduleOverviewRow,
  type ScheduledChange,
  scheduleNote,
} from '@agent-status/domain';
import { formatTimestamp } from '../../lib/time.ts';
import './schedules.css';

export type ScheduledAgent = {
  id: string;
  tags: readonly string[] | null;
  desired_state: 'running' | 'stopped' | null;
  requested_by_email: string | null;
};

/** The agent's next scheduled change and how to say it; null when no enabled schedule changes it. */
export function agentSchedule(
  agent: ScheduledAgent,
  schedules: readonly ScheduleOverviewRow[],
): { change: ScheduledChange; text: string; override: boolean } | null {
  const change = nextScheduledChange({ ...agent, tags: agent.tags ?? [] }, schedules);
  return change && { change, ...scheduleNote(agent, change) };
}

type Props = {
  agent: ScheduledAgent;
  schedules: readonly ScheduleOverviewRow[];
  /** 'card': "Next: stops 20:00 today"; 'row': "stops 20:00 today"; 'panel': a sentence naming the schedule. */
  variant: 'card' | 'row' | 'panel';
};

/**
 * An agent's next scheduled change, or the operator's command that holds until it ("stopped by alice
 * until 08:00 tomorrow"); nothing (the panel: a sentence) when no enabled schedule changes the agent.
 */
export function ScheduleNote({ agent, schedules, variant }: Props) {
  const outlook = agentSchedule(agent, schedules);
  if (!outlook) return variant === 'panel' ? <p class="muted">No enabled schedule changes this agent.</p> : null;
  const { change, text, override } = outlook;
  const className = `schedule-note${override ? ' schedule-override' : ''}`;
  if (variant !== 'panel')
    return (
      <span class={className} title={`${formatTimestamp(change.at)}, schedule ${change.schedule}`} data-schedule-note>
        {variant === 'card' && !override ? `Next: ${text}` : text}
      </span>
    );
  return (
    <p class={className} data-schedule-note>
      {override ? (
        <>
          <strong>{text[0].toUpperCase() + text.slice(1)}</strong>, when schedule {change.schedule}{' '}
          {changeVerb(change.state)} it.
        </>
      ) : (
        <>
          Next: <strong>{text}</strong> (schedule {change.schedule}).
        </>
      )}{' '}
      <span class="muted">{formatTimestamp(change.at)}</span>
    </p>
  );
}
