import { useState } from 'preact/hooks';
import { scheduleCovers, type ScheduleInsert, type ScheduleOverviewRow } from '@agent-status/domain';
import type { Result } from '@agent-status/client';
import { failureMessage } from '../../lib/failure.ts';
import { addSchedule, removeSchedule, setScheduleEnabled } from '../../lib/schedules.ts';
import type { DashboardClient } from '../../lib/supabase.ts';
import { hrefFor } from '../../lib/route.ts';
import { ScheduleForm } from '../schedules/ScheduleForm.tsx';
import { ScheduleNote } from '../schedules/ScheduleNote.tsx';
import { ScheduleList } from '../schedules/ScheduleList.tsx';
import '../schedules/schedules.css';

type Props = {
  client: DashboardClient;
  agent: {
    id: string;
    agent_name: string;
    tags: readonly string[] | null;
    desired_state: 'running' | 'stopped' | null;
    requested_by_email: string | null;
  };
  /** Every schedule the caller may read (the store's); this view shows the ones that cover the agent. */
  schedules: readonly ScheduleOverviewRow[] | null;
  schedulesError: string | null;
  canManage: boolean;
  /** Reads the schedules again after a change. */
  onChanged: () => Promise<void>;
};

/**
 * #/agents/<name>/schedules: when the agent should run — its next scheduled change (or the operator's
 * command that holds until then), the schedules that cover it (its own and its tags'), and for operators
 * a form for a schedule of its own.
 */
export function AgentSchedules({ client, agent, schedules, schedulesError, canManage, onChanged }: Props) {
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const covering = (schedules ?? []).filter((s) => scheduleCovers(s, { id: agent.id, tags: agent.tags ?? [] }));

  const change = async (schedule: ScheduleOverviewRow, call: Promise<Result<null>>) => {
    setBusyId(schedule.id);
    const result = await call;
    setError(result.ok ? null : failureMessage(result.error));
    await onChanged();
    setBusyId(null);
  };
  const onAdd = async (row: ScheduleInsert) => {
    const result = await addSchedule(client, row);
    if (!result.ok) return failureMessage(result.error);
    await onChanged();
    return null;
  };

  return (
    <section class="agent-schedules" aria-label="Schedules">
      {schedules === null && !schedulesError ? (
        <p class="muted">Loading schedules…</p>
      ) : (
        <ScheduleNote agent={agent} schedules={schedules ?? []} variant="panel" />
      )}
      {(schedulesError || error) && (
        <p class="command-error" role="alert">
          {schedulesError ?? error}
        </p>
      )}
      <h3>Schedules that cover {agent.agent_name}</h3>
      {covering.length === 0 ? (
        <p class="muted">
          None. {canManage ? 'Add one below, or' : 'Operators add them here or'} for a tag on the{' '}
          <a href={hrefFor({ page: 'schedules' })}>Schedules</a> page.
        </p>
      ) : (
        <ScheduleList
          schedules={covering}
          caption={`Schedules that cover ${agent.agent_name}`}
          canManage={canManage}
          busyId={busyId}
          onToggle={(s) => void change(s, setScheduleEnabled(client, s.id, !s.enabled))}
          onRemove={(s) => void change(s, removeSchedule(client, s.id))}
        />
      )}
      {canManage && (
        <>
          <h3>Add a schedule for {agent.agent_name}</h3>
          <ScheduleForm agent={{ id: agent.id, name: agent.agent_name }} onAdd={onAdd} />
        </>
      )}
    </section>
  );
}
