import { changeVerb, describeSchedule, type ScheduleOverviewRow, scheduleTarget, whenText } from '@agent-status/domain';
import { hrefFor } from '../../lib/route.ts';
import { formatTimestamp } from '../../lib/time.ts';

type Props = {
  /** 'wide': cards side by side where there is room (the fleet's page). */
  wide?: boolean;
  schedules: readonly ScheduleOverviewRow[];
  caption: string;
  canManage: boolean;
  /** The id of a schedule whose change is on its way. */
  busyId?: string | null;
  onToggle: (schedule: ScheduleOverviewRow) => void;
  onRemove: (schedule: ScheduleOverviewRow) => void;
};

/** "starts 08:00 tomorrow"; "—" when it never changes; "disabled". */
export function nextChangeText(s: ScheduleOverviewRow, now = new Date()): string {
  if (!s.enabled) return 'disabled';
  return s.next_change_at && s.next_state ? `${changeVerb(s.next_state)} ${whenText(s.next_change_at, now)}` : '—';
}

function Covers({ s }: { s: ScheduleOverviewRow }) {
  if (s.agent_name)
    return <a href={hrefFor({ page: 'agents', agent: s.agent_name, tab: 'schedules' })}>{s.agent_name}</a>;
  return (
    <span>
      {scheduleTarget(s)}{' '}
      <span class="muted">
        ({s.agent_count ?? 0} agent{s.agent_count === 1 ? '' : 's'})
      </span>
    </span>
  );
}

/** What the schedule says now: "running" in its colour, inside or outside its window. */
function Now({ s }: { s: ScheduleOverviewRow }) {
  if (!s.enabled || !s.state_now) return <span class="muted">—</span>;
  return (
    <span>
      <span class={`schedule-state schedule-${s.state_now}`}>{s.state_now}</span>{' '}
      <span class="muted">{s.inside ? 'inside the window' : 'outside the window'}</span>
    </span>
  );
}

function Actions({
  s,
  busyId,
  onToggle,
  onRemove,
}: Pick<Props, 'busyId' | 'onToggle' | 'onRemove'> & { s: ScheduleOverviewRow }) {
  const toggle = s.enabled ? 'Disable' : 'Enable';
  return (
    <span class="schedule-actions">
      <button type="button" disabled={busyId === s.id} aria-label={`${toggle} ${s.name}`} onClick={() => onToggle(s)}>
        {toggle}
      </button>
      <button type="button" disabled={busyId === s.id} aria-label={`Remove ${s.name}`} onClick={() => onRemove(s)}>
        Remove
      </button>
    </span>
  );
}

/**
 * Schedules as a list of small cards (an agent's panel, the fleet's page, a phone): what each says, what
 * it covers, whether its window is open now, its next change; for operators Disable / Remove.
 */
export function ScheduleList({ schedules, caption, canManage, wide = false, ...actions }: Props) {
  return (
    <ul class={`schedule-list${wide ? ' schedule-list-wide' : ''}`} aria-label={caption}>
      {schedules.map((s) => (
        <li key={s.id} data-schedule={s.name} class={s.enabled ? undefined : 'schedule-disabled'}>
          <div class="schedule-list-head">
            <strong>{s.name}</strong>
            {canManage && <Actions s={s} {...actions} />}
          </div>
          <dl class="schedule-facts">
            <dt>Window</dt>
            <dd data-window>{describeSchedule(s)}</dd>
            <dt>Covers</dt>
            <dd data-covers>
              <Covers s={s} />
            </dd>
            <dt>Now</dt>
            <dd data-now>
              <Now s={s} />
            </dd>
            <dt>Next change</dt>
            <dd data-next title={s.next_change_at ? formatTimestamp(s.next_change_at) : undefined}>
              {nextChangeText(s)}
            </dd>
          </dl>
        </li>
      ))}
    </ul>
  );
}
