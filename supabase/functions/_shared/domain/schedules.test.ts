import assert from 'node:assert/strict';
import {
  describeSchedule,
  formatDays,
  formatWindow,
  isScheduleActor,
  nextScheduledChange,
  parseWindow,
  scheduleNote,
  type ScheduleOverviewRow,
  whenText,
} from './schedules.ts';

Deno.test('a window is read as people write it', () => {
  assert.deepEqual(parseWindow('Mon–Fri 08:00–20:00'), { days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00' });
  assert.deepEqual(parseWindow('mon-fri 8:00-20:00'), { days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00' });
  assert.deepEqual(parseWindow('Sat 22:00 - 06:00'), { days: [6], start: '22:00', end: '06:00' });
  assert.deepEqual(parseWindow('Mon,Wed, Friday 09:30-12:00'), { days: [1, 3, 5], start: '09:30', end: '12:00' });
  assert.deepEqual(parseWindow('Fri-Mon 00:00-24:00'), { days: [1, 5, 6, 7], start: '00:00', end: '24:00' });
  assert.deepEqual(parseWindow('daily 07:00—19:00'), { days: [1, 2, 3, 4, 5, 6, 7], start: '07:00', end: '19:00' });
  assert.deepEqual(parseWindow('weekdays 08:00-20:00'), { days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00' });
  assert.deepEqual(parseWindow('Weekends 10:00-16:00'), { days: [6, 7], start: '10:00', end: '16:00' });
});

Deno.test('a window that is no window says why', () => {
  assert.match((parseWindow('08:00-20:00') as { error: string }).error, /days and a time range/);
  assert.match((parseWindow('Mon-Fri 08:00') as { error: string }).error, /days and a time range/);
  assert.match((parseWindow('Mon-Fry 08:00-20:00') as { error: string }).error, /"Mon-Fry" is not a day/);
  assert.match((parseWindow('Mo 08:00-20:00') as { error: string }).error, /"Mo" is not a day/);
  assert.match(
    (parseWindow('Mon 24:00-20:00') as { error: string }).error,
    /"24:00" is not a time from 00:00 to 23:59/,
  );
  assert.match((parseWindow('Mon 08:00-24:30') as { error: string }).error, /"24:30" is not a time/);
  assert.match((parseWindow('Mon 08:60-20:00') as { error: string }).error, /"08:60" is not a time/);
  assert.match((parseWindow('Mon 08:00-08:00') as { error: string }).error, /another time/);
});

Deno.test('days and windows are written back in short form', () => {
  assert.equal(formatDays([1, 2, 3, 4, 5]), 'Mon–Fri');
  assert.equal(formatDays([6, 7]), 'Sat–Sun');
  assert.equal(formatDays([1, 3, 5]), 'Mon, Wed, Fri');
  assert.equal(formatDays([1, 2, 4, 5, 6]), 'Mon–Tue, Thu–Sat');
  assert.equal(formatDays([7, 1, 2, 3, 4, 5, 6]), 'daily');
  assert.equal(formatWindow({ days: [1, 2, 3, 4, 5], start: '08:00:00', end: '20:00:00' }), 'Mon–Fri 08:00–20:00');
  const window = {
    state: 'running' as const,
    days: [6],
    start_time: '22:00:00',
    end_time: '06:00:00',
    cron_open: null,
    cron_close: null,
  };
  assert.equal(describeSchedule({ ...window, time_zone: 'Europe/Berlin' }), 'running Sat 22:00–06:00 (Europe/Berlin)');
  assert.equal(
    describeSchedule({
      state: 'stopped',
      days: null,
      start_time: null,
      end_time: null,
      cron_open: '0 2 * * 0',
      cron_close: '0 4 * * 0',
      time_zone: 'UTC',
    }),
    'stopped from cron "0 2 * * 0" to "0 4 * * 0" (UTC)',
  );
});

Deno.test('a schedule is the actor schedule:<name>', () => {
  assert.equal(isScheduleActor('schedule:weekdays'), true);
  assert.equal(isScheduleActor('alice@example.com'), false);
  assert.equal(isScheduleActor(null), false);
});

const overview = (row: Partial<ScheduleOverviewRow>): ScheduleOverviewRow =>
  ({
    id: crypto.randomUUID(),
    name: 'office',
    agent_id: null,
    tag: null,
    enabled: true,
    state_now: 'running',
    next_change_at: '2027-06-07T18:00:00Z',
    next_state: 'stopped',
    second_change_at: '2027-06-08T06:00:00Z',
    second_state: 'running',
    ...row,
  }) as ScheduleOverviewRow;

Deno.test("an agent's next scheduled change: the first boundary that changes its desired state", () => {
  const agent = { id: 'a1', tags: ['prod'], desired_state: 'running' as const };
  const own = overview({ name: 'office', agent_id: 'a1' });
  assert.deepEqual(nextScheduledChange(agent, [own]), {
    at: '2027-06-07T18:00:00Z',
    state: 'stopped',
    schedule: 'office',
    scheduledNow: 'running',
  });
  // stopped by an operator inside the window: the close changes nothing, the next opening does
  assert.deepEqual(nextScheduledChange({ ...agent, desired_state: 'stopped' }, [own]), {
    at: '2027-06-08T06:00:00Z',
    state: 'running',
    schedule: 'office',
    scheduledNow: 'running',
  });
});

Deno.test('only enabled schedules that cover the agent count; the earliest wins, its own on a tie', () => {
  const agent = { id: 'a1', tags: ['prod'], desired_state: 'running' as const };
  const other = overview({ name: 'other', agent_id: 'a2', next_change_at: '2027-06-07T01:00:00Z' });
  const disabled = overview({ name: 'off', agent_id: 'a1', enabled: false, next_change_at: '2027-06-07T01:00:00Z' });
  const tag = overview({ name: 'a-tag', tag: 'prod', next_change_at: '2027-06-07T12:00:00Z' });
  const untagged = overview({ name: 'b-tag', tag: 'staging', next_change_at: '2027-06-07T02:00:00Z' });
  assert.equal(nextScheduledChange(agent, [other, disabled, untagged]), null);
  assert.equal(nextScheduledChange(agent, [other, tag, untagged])?.schedule, 'a-tag');
  const own = overview({ name: 'z-own', agent_id: 'a1', next_change_at: '2027-06-07T12:00:00Z' });
  assert.equal(nextScheduledChange(agent, [tag, own])?.schedule, 'z-own');
  const never = overview({
    name: 'never',
    agent_id: 'a1',
    next_change_at: null,
    next_state: null,
    second_change_at: null,
    second_state: null,
  });
  assert.equal(nextScheduledChange(agent, [never]), null);
});

Deno.test('when a change happens, in words', () => {
  const now = new Date(2027, 5, 7, 10, 0); // Monday 7 June 2027, 10:00 local
  assert.equal(whenText(new Date(2027, 5, 7, 20, 0), now), '20:00 today');
  assert.equal(whenText(new Date(2027, 5, 8, 8, 0), now), '08:00 tomorrow');
  assert.equal(whenText(new Date(2027, 5, 11, 8, 5), now), 'Fri 08:05');
  assert.equal(whenText(new Date(2027, 5, 14, 8, 0), now), '14 Jun 08:00');
  assert.equal(whenText(new Date(2028, 0, 3, 8, 0), now), '3 Jan 2028 08:00');
});

Deno.test("an agent's note: an operator's command holds until the change, else the change itself", () => {
  const now = new Date(2027, 5, 7, 10, 0);
  // outside the window: the schedule says stopped now, and starts the agent tomorrow
  const change = {
    at: new Date(2027, 5, 8, 8, 0).toISOString(),
    state: 'running' as const,
    schedule: 'office',
    scheduledNow: 'stopped' as const,
  };
  assert.deepEqual(scheduleNote({ desired_state: 'running', requested_by_email: 'alice@example.com' }, change, now), {
    text: 'started by alice until 08:00 tomorrow',
    override: true,
  });
  // alice's stop agrees with what the schedule says now: no override to show
  assert.deepEqual(scheduleNote({ desired_state: 'stopped', requested_by_email: 'alice@example.com' }, change, now), {
    text: 'starts 08:00 tomorrow',
    override: false,
  });
  assert.deepEqual(scheduleNote({ desired_state: 'stopped', requested_by_email: 'schedule:office' }, change, now), {
    text: 'starts 08:00 tomorrow',
    override: false,
  });
  assert.deepEqual(scheduleNote({ desired_state: 'stopped', requested_by_email: null }, change, now).override, false);
});
