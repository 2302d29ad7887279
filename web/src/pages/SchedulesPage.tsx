import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  changeVerb,
  type ScheduleInsert,
  type ScheduleOverviewRow,
  type ScheduleTransition,
  scheduleTarget,
  whenText,
} from '@agent-status/domain';
import type { Result } from '@agent-status/client';
import { failureMessage } from '../lib/failure.ts';
import { hrefFor } from '../lib/route.ts';
import { addSchedule, readTransitions, removeSchedule, setScheduleEnabled } from '../lib/schedules.ts';
import type { DashboardClient } from '../lib/supabase.ts';
import { formatTimestamp } from '../lib/time.ts';
import { orderedAgents } from '@agent-status/client';
import { fleetTags } from '../state/agentView.ts';
import type { AgentStore, StoreState } from '../state/agents.ts';
import { useStore } from '../state/useStore.ts';
import { ScheduleForm } from '../components/schedules/ScheduleForm.tsx';
import { ScheduleList } from '../components/schedules/ScheduleList.tsx';
import '../components/schedules/schedules.css';

const selectAgents = (s: StoreState) => s.agents;
const selectSchedules = (s: StoreState) => s.schedules;

type Props = { client: DashboardClient; store: AgentStore; canManage: boolean };

/** How many days of coming changes the page lists. */
const UPCOMING_DAYS = 7;

/**
 * #/schedules: the fleet's schedules — the changes coming in the next days, every schedule with what it
 * says now, and for operators a form for an agent or a tag.
 */
export function SchedulesPage({ client, store, canManage }: Props) {
  const agentsState = useStore(store, selectAgents);
  const { rows: schedules, error: schedulesError } = useStore(store, selectSchedules);
  const agents = useMemo(() => orderedAgents(agentsState), [agentsState]);
  const tags = useMemo(() => fleetTags(agents), [agents]);
  const [transitions, setTransitions] = useState<ScheduleTransition[] | null>(null);
  const [transitionsError, setTransitionsError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  // The coming changes follow the schedules: read again whenever the store's schedules change.
  useEffect(() => {
    let current = true;
    void readTransitions(client, UPCOMING_DAYS).then((result) => {
      if (!current) return;
      setTransitions(result.ok ? result.value : []);
      setTransitionsError(result.ok ? null : failureMessage(result.error));
    });
    return () => {
      current = false;
    };
  }, [client, schedules]);

  const byId = useMemo(() => new Map((schedules ?? []).map((s) => [s.id, s])), [schedules]);
  const change = async (schedule: ScheduleOverviewRow, call: Promise<Result<null>>) => {
    setBusyId(schedule.id);
    const result = await call;
    setError(result.ok ? null : failureMessage(result.error));
    await store.refreshSchedules();
    setBusyId(null);
  };
  const onAdd = async (row: ScheduleInsert) => {
    const result = await addSchedule(client, row);
    if (!result.ok) return failureMessage(result.error);
    await store.refreshSchedules();
    return null;
  };

  return (
    <main class="content schedules-page">
      <h2>Schedules</h2>
      <p class="muted">
        A schedule says what an agent or every agent with a tag should be doing inside its window; at each opening and
        closing it gives the command, as schedule:&lt;name&gt;. An operator's command holds until the next one.
      </p>
      {(schedulesError || error || transitionsError) && (
        <p class="command-error" role="alert">
          {schedulesError ?? error ?? transitionsError}
        </p>
      )}
      <section aria-labelledby="upcoming-title">
        <h3 id="upcoming-title">Coming changes (next {UPCOMING_DAYS} days)</h3>
        {transitions === null ? (
          <p class="muted">Loading…</p>
        ) : transitions.length === 0 ? (
          <p class="muted">No schedule changes anything in the next {UPCOMING_DAYS} days.</p>
        ) : (
          <ol class="upcoming">
            {transitions.map((t) => {
              const schedule = byId.get(t.schedule_id);
              return (
                <li key={`${t.schedule_id}-${t.at}`} data-transition={t.schedule_name}>
                  <time dateTime={t.at} title={formatTimestamp(t.at)}>
                    {whenText(t.at)}
                  </time>{' '}
                  <span class={`schedule-state schedule-${t.desired_state}`}>{changeVerb(t.desired_state)}</span>{' '}
                  {schedule?.agent_name ? (
                    <a href={hrefFor({ page: 'agents', agent: schedule.agent_name, tab: 'schedules' })}>
                      {schedule.agent_name}
                    </a>
                  ) : (
                    <span>{schedule ? scheduleTarget(schedule) : ''}</span>
                  )}{' '}
                  <span class="muted">({t.schedule_name})</span>
                </li>
              );
            })}
          </ol>
        )}
      </section>
      <section aria-labelledby="all-schedules-title">
        <h3 id="all-schedules-title">All schedules</h3>
        {schedules === null ? (
          <p class="muted">Loading…</p>
        ) : schedules.length === 0 ? (
          <p class="muted">No schedules yet.</p>
        ) : (
          <ScheduleList
            wide
            schedules={schedules}
            caption="All schedules"
            canManage={canManage}
            busyId={busyId}
            onToggle={(s) => void change(s, setScheduleEnabled(client, s.id, !s.enabled))}
            onRemove={(s) => void change(s, removeSchedule(client, s.id))}
          />
        )}
      </section>
      {canManage && (
        <section aria-labelledby="add-schedule-title">
          <h3 id="add-schedule-title">Add a schedule</h3>
          <ScheduleForm agents={agents} tags={tags} onAdd={onAdd} />
        </section>
      )}
    </main>
  );
}
