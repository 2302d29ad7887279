// Agent schedules (supabase/schemas/36_agent_schedules.sql, docs/schedules.md): the facts the schema
// defines, how a time window is written ("Mon–Fri 08:00–20:00") and read, and which change of its
// schedules comes next for an agent. The dashboard and the CLI share these; the database decides when
// windows open and close (agent_schedule_overview), these only read its answer.
import type { Database } from './database.ts';

type PublicSchema = Database['public'];
export type ScheduleRow = PublicSchema['Tables']['agent_schedules']['Row'];
export type ScheduleInsert = PublicSchema['Tables']['agent_schedules']['Insert'];
export type ScheduleOverviewRow = PublicSchema['Views']['agent_schedule_overview']['Row'];
export type ScheduleTransition = PublicSchema['Functions']['schedule_transitions']['Returns'][number];
type DesiredState = PublicSchema['Enums']['desired_state'];

/** The cron job that acts on boundaries (supabase/schemas/90_schedules.sql), every minute. */
export const SCHEDULES_JOB_NAME = 'agent-status-run-schedules';
/** A schedule's commands are recorded with the actor `schedule:<name>`. */
export const SCHEDULE_ACTOR_PREFIX = 'schedule:';
/** Constraint agent_schedule_name_pattern: 1–60 lower-case letters, digits, "-" or "_". */
export const SCHEDULE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,59}$/;
/** app.schedules_max(). */
export const SCHEDULES_MAX = 500;

/** ISO weekdays: 1 = Monday … 7 = Sunday (agent_schedules.days). */
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

export interface TimeWindow {
  /** ISO weekdays on which the window opens, sorted. */
  days: number[];
  /** "HH:MM" */
  start: string;
  /** "HH:MM"; at or before start: on the next day; "24:00": the end of the day. */
  end: string;
}

/** Whether an actor (requested_by_email, actor_email) is a schedule. */
export function isScheduleActor(actor: string | null | undefined): boolean {
  return typeof actor === 'string' && actor.startsWith(SCHEDULE_ACTOR_PREFIX);
}

const DASH = '[-–—]';
const DAY_WORDS: Record<string, number[]> = {
  daily: [1, 2, 3, 4, 5, 6, 7],
  'every day': [1, 2, 3, 4, 5, 6, 7],
  weekdays: [1, 2, 3, 4, 5],
  weekends: [6, 7],
};

function weekday(word: string): number | undefined {
  const prefix = word.trim().toLowerCase().slice(0, 3);
  const index = WEEKDAYS.findIndex((d) => d.toLowerCase() === prefix);
  const full = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'][index];
  return index >= 0 && full.startsWith(word.trim().toLowerCase()) ? index + 1 : undefined;
}

function clock(text: string, allow24: boolean): string | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  if (minutes > 59 || hours > 24 || (hours === 24 && (minutes > 0 || !allow24))) return undefined;
  return `${String(hours).padStart(2, '0')}:${match[2]}`;
}

/**
 * Reads a time window as people write it: days ("Mon–Fri", "Mon,Wed,Fri", "Fri-Mon", "daily",
 * "weekdays", "weekends") then a time range ("08:00–20:00", "22:00-06:00", "00:00-24:00").
 */
export function parseWindow(text: string): TimeWindow | { error: string } {
  const match = new RegExp(`^(.+?)\\s+(\\d{1,2}:\\d{2})\\s*${DASH}\\s*(\\d{1,2}:\\d{2})$`).exec(text.trim());
  if (!match) return { error: `a window is days and a time range, e.g. "Mon-Fri 08:00-20:00" (got "${text}")` };
  const [, dayText, startText, endText] = match;
  const start = clock(startText, false);
  const end = clock(endText, true);
  if (!start) return { error: `"${startText}" is not a time from 00:00 to 23:59` };
  if (!end) return { error: `"${endText}" is not a time from 00:00 to 24:00` };
  if (start === end)
    return { error: 'the window must end at another time than it starts (22:00-06:00 ends the next day)' };
  const days = new Set<number>();
  const word = DAY_WORDS[dayText.trim().toLowerCase().replace(/\s+/g, ' ')];
  if (word) for (const d of word) days.add(d);
  else
    for (const part of dayText.split(',')) {
      const range = part.split(new RegExp(DASH));
      const [first, last] = [weekday(range[0]), weekday(range[range.length - 1])];
      if (range.length > 2 || first === undefined || last === undefined)
        return { error: `"${part.trim()}" is not a day (Mon … Sun) or a range of days (Mon-Fri)` };
      for (let d = first; ; d = (d % 7) + 1) {
        days.add(d);
        if (d === last) break;
      }
    }
  return { days: [...days].sort((a, b) => a - b), start, end };
}

/** "Mon–Fri", "Mon, Wed, Fri", "daily": runs of consecutive days joined by an en dash. */
export function formatDays(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return 'daily';
  const runs: number[][] = [];
  for (const d of sorted) {
    const run = runs[runs.length - 1];
    if (run && d === run[run.length - 1] + 1) run.push(d);
    else runs.push([d]);
  }
  return runs
    .map((run) =>
      run.length === 1 ? WEEKDAYS[run[0] - 1] : `${WEEKDAYS[run[0] - 1]}–${WEEKDAYS[run[run.length - 1] - 1]}`,
    )
    .join(', ');
}

/** "Mon–Fri 08:00–20:00" */
export function formatWindow(window: TimeWindow): string {
  return `${formatDays(window.days)} ${window.start.slice(0, 5)}–${window.end.slice(0, 5)}`;
}

/** What a schedule says, in a line: "running Mon–Fri 08:00–20:00 (Europe/Berlin)". */
export function describeSchedule(
  s: Pick<ScheduleRow, 'state' | 'days' | 'start_time' | 'end_time' | 'cron_open' | 'cron_close' | 'time_zone'>,
): string {
  const when =
    s.cron_open !== null && s.cron_close !== null
      ? `from cron "${s.cron_open}" to "${s.cron_close}"`
      : formatWindow({ days: s.days ?? [], start: s.start_time ?? '', end: s.end_time ?? '' });
  return `${s.state} ${when} (${s.time_zone})`;
}

/** What a schedule covers: "Tweet Scheduler" or "#prod". */
export function scheduleTarget(s: Pick<ScheduleOverviewRow, 'agent_name' | 'tag'>): string {
  return s.tag !== null ? `#${s.tag}` : (s.agent_name ?? '(an agent you cannot see)');
}

/** Whether a schedule covers an agent: its own, or one of its tags'. */
export function scheduleCovers(
  s: Pick<ScheduleOverviewRow, 'agent_id' | 'tag'>,
  agent: { id: string; tags: readonly string[] },
): boolean {
  return s.agent_id === agent.id || (s.tag !== null && agent.tags.includes(s.tag));
}

/** The next change its schedules make to an agent's desired state. */
export interface ScheduledChange {
  at: string;
  state: DesiredState;
  schedule: string;
  /** What that schedule says now (the other state, unless its window is closed and open again before). */
  scheduledNow: DesiredState | null;
}

/**
 * The first change of the agent's desired state that its enabled schedules will make: for each
 * schedule, the first of its next two boundaries that says another state than the agent has now (after
 * an operator's stop inside a window, the close leaves it stopped; the opening after it starts it), then
 * the earliest. At the same instant the agent's own schedule wins over a tag's, as in run_agent_schedules().
 */
export function nextScheduledChange(
  agent: { id: string; tags: readonly string[]; desired_state: DesiredState | null },
  schedules: readonly ScheduleOverviewRow[],
): ScheduledChange | null {
  let best: (ScheduledChange & { own: boolean }) | null = null;
  for (const s of schedules) {
    if (!s.enabled || !scheduleCovers(s, agent)) continue;
    const change = [
      { at: s.next_change_at, state: s.next_state },
      { at: s.second_change_at, state: s.second_state },
    ].find((c) => c.at !== null && c.state !== null && c.state !== agent.desired_state);
    if (!change?.at || !change.state) continue;
    const candidate = {
      at: change.at,
      state: change.state,
      schedule: s.name,
      scheduledNow: s.state_now,
      own: s.agent_id === agent.id,
    };
    const [a, b] = [Date.parse(candidate.at), best ? Date.parse(best.at) : Number.POSITIVE_INFINITY];
    if (
      a < b ||
      (best &&
        a === b &&
        (candidate.own > best.own || (candidate.own === best.own && candidate.schedule < best.schedule)))
    )
      best = candidate;
  }
  return best && { at: best.at, state: best.state, schedule: best.schedule, scheduledNow: best.scheduledNow };
}

/**
 * When a change happens, as people say it, in the reader's own time zone: "20:00 today", "08:00
 * tomorrow", "Mon 08:00" within a week, "12 Jan 08:00" after.
 */
export function whenText(at: string | Date, now: Date = new Date()): string {
  const date = new Date(at);
  const time = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(date) - day(now)) / 86_400_000);
  if (days === 0) return `${time} today`;
  if (days === 1) return `${time} tomorrow`;
  if (days > 1 && days < 7) return `${WEEKDAYS[(date.getDay() + 6) % 7]} ${time}`;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][date.getMonth()];
  return `${date.getDate()} ${month}${date.getFullYear() === now.getFullYear() ? '' : ` ${date.getFullYear()}`} ${time}`;
}

/** What the change does, as a verb: "starts" or "stops". */
export function changeVerb(state: DesiredState): string {
  return state === 'running' ? 'starts' : 'stops';
}

/** What an operator's command did, as a participle: "started" or "stopped". */
function commandedVerb(state: DesiredState): string {
  return state === 'running' ? 'started' : 'stopped';
}

/**
 * What an agent's card says about its schedules: "stopped by alice until 08:00 tomorrow" (or "started
 * by bob until 20:00 today") while an operator's command holds against what the schedule says now, until
 * its next change; else "starts 08:00 tomorrow".
 */
export function scheduleNote(
  agent: { desired_state: DesiredState | null; requested_by_email: string | null },
  change: ScheduledChange,
  now: Date = new Date(),
): { text: string; override: boolean } {
  const when = whenText(change.at, now);
  const actor = agent.requested_by_email;
  if (actor && !isScheduleActor(actor) && agent.desired_state && agent.desired_state !== change.scheduledNow)
    return { text: `${commandedVerb(agent.desired_state)} by ${actor.split('@')[0]} until ${when}`, override: true };
  return { text: `${changeVerb(change.state)} ${when}`, override: false };
}
