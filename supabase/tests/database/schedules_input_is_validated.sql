-- Schedules are checked when written, with messages a person can act on (PostgREST answers 400, 404 or
-- 409), and a refused write changes nothing: names, what they cover, time zones, windows, cron
-- expressions, the number of schedules.
begin;
select no_plan();

select tests.as_user('operator');
create function pg_temp.window(name text, days integer[], start_time time, end_time time, time_zone text default 'Europe/Berlin',
                               tag text default 'prod') returns void
language sql as $$
  insert into public.agent_schedules (name, tag, days, start_time, end_time, time_zone) values (name, tag, days, start_time, end_time, time_zone)
$$;
grant execute on function pg_temp.window(text, integer[], time, time, text, text) to authenticated;

select lives_ok($$select pg_temp.window('office', '{5,1,3,3,2,4}', '08:00', '20:00')$$, 'a window of weekdays');
select is((select days from public.agent_schedules where name = 'office'), '{1,2,3,4,5}', 'days are sorted and deduplicated');
select lives_ok($$select pg_temp.window('late', '{6}', '22:00', '06:00')$$, 'a window over midnight');
select lives_ok($$select pg_temp.window('whole-days', '{1,2}', '00:00', '24:00')$$, 'a window up to 24:00');
select lives_ok($$insert into public.agent_schedules (name, tag, cron_open, cron_close, time_zone) values ('cron', ' Prod ', '0  8 * *   1-5', '0 20 * * 1-5', 'America/New_York')$$,
                'a cron window');
select results_eq($$select tag, cron_open from public.agent_schedules where name = 'cron'$$, $$values ('prod', '0 8 * * 1-5')$$,
                  'the tag is trimmed and lower-cased, the expression''s spaces normalised');
select lives_ok($$insert into public.agent_schedules (name, agent_id, days, start_time, end_time) values ('for-one-agent', tests.agent_id('Blog Generator'), '{7}', '10:00', '11:00')$$,
                'a window for one agent, in UTC by default');
select is((select state::text || ' ' || time_zone from public.agent_schedules where name = 'for-one-agent'), 'running UTC',
          'running inside the window, UTC, unless said otherwise');

-- Names
select throws_ok($$select pg_temp.window('Office Hours', '{1}', '08:00', '09:00')$$, '22023',
  'name must be 1 to 60 lower-case letters, digits, "-" or "_", starting with a letter or digit (got "Office Hours")', 'a name with capitals and a space');
select throws_ok($$select pg_temp.window('-x', '{1}', '08:00', '09:00')$$, '22023', null, 'a name that starts with "-"');
select throws_ok($$select pg_temp.window(repeat('a', 61), '{1}', '08:00', '09:00')$$, '22023', null, 'a name of 61 characters');
select throws_ok($$select pg_temp.window('', '{1}', '08:00', '09:00')$$, '22023', null, 'an empty name');
select throws_ok($$select pg_temp.window('office', '{1}', '08:00', '09:00')$$, '23505', 'a schedule named "office" already exists', 'a taken name');
select throws_ok($$update public.agent_schedules set name = 'office' where name = 'late'$$, '23505', 'a schedule named "office" already exists',
                 'renaming onto a taken name');

-- What it covers
select throws_ok($$insert into public.agent_schedules (name, days, start_time, end_time) values ('nothing', '{1}', '08:00', '09:00')$$, '22023',
  'a schedule is for one agent (agent_id) or one tag (tag), not both or neither', 'neither an agent nor a tag');
select throws_ok($$insert into public.agent_schedules (name, agent_id, tag, days, start_time, end_time) values ('both', tests.agent_id('Blog Generator'), 'prod', '{1}', '08:00', '09:00')$$,
  '22023', 'a schedule is for one agent (agent_id) or one tag (tag), not both or neither', 'both');
select throws_ok($$insert into public.agent_schedules (name, agent_id, days, start_time, end_time) values ('ghost', '00000000-0000-4000-8000-00000000dead', '{1}', '08:00', '09:00')$$,
  'PT404', 'unknown agent id "00000000-0000-4000-8000-00000000dead"', 'an unknown agent');
select throws_ok($$select pg_temp.window('bad-tag', '{1}', '08:00', '09:00', 'UTC', 'two words')$$, '22023',
  'tag "two words" must not contain spaces or commas', 'a tag that is no tag');

-- Time zones
select throws_ok($$select pg_temp.window('tz', '{1}', '08:00', '09:00', 'Mars/Olympus_Mons')$$, '22023',
  'time_zone "Mars/Olympus_Mons" is not a named time zone (an IANA name such as Europe/Berlin, America/New_York or UTC)', 'an unknown zone');
select throws_ok($$select pg_temp.window('tz', '{1}', '08:00', '09:00', 'UTC+3')$$, '22023', null, 'a POSIX offset is not a named zone');
select throws_ok($$select pg_temp.window('tz', '{1}', '08:00', '09:00', null)$$, '22023', null, 'no zone');

-- Windows
select throws_ok($$select pg_temp.window('w', '{}', '08:00', '09:00')$$, '22023', 'days must name at least one ISO weekday, 1 (Monday) to 7 (Sunday)', 'no days');
select throws_ok($$select pg_temp.window('w', '{0}', '08:00', '09:00')$$, '22023', 'days must name at least one ISO weekday, 1 (Monday) to 7 (Sunday)', 'day 0');
select throws_ok($$select pg_temp.window('w', '{8}', '08:00', '09:00')$$, '22023', null, 'day 8');
select throws_ok($$select pg_temp.window('w', '{1,null}', '08:00', '09:00')$$, '22023', null, 'a null day');
select throws_ok($$select pg_temp.window('w', '{1}', '08:00:30', '09:00')$$, '22023', 'start_time and end_time are whole minutes (HH:MM)', 'seconds');
select throws_ok($$select pg_temp.window('w', '{1}', '24:00', '09:00')$$, '22023', 'start_time must be before 24:00', 'a start at 24:00');
select throws_ok($$select pg_temp.window('w', '{1}', '08:00', '08:00')$$, '22023',
  'start_time and end_time must differ (a window over midnight ends on the next day, e.g. 22:00–06:00)', 'an empty window');
select throws_ok($$select pg_temp.window('w', '{1,2,3,4,5,6,7}', '00:00', '24:00')$$, '22023',
  'a window of every day, all day never closes: it has no boundary to act on', 'a window that never closes');
select throws_ok($$insert into public.agent_schedules (name, tag, days, start_time) values ('w', 'prod', '{1}', '08:00')$$, '22023',
  'a time window needs days, start_time and end_time (or give cron_open and cron_close)', 'a window without an end');

-- Cron windows
select throws_ok($$insert into public.agent_schedules (name, tag, cron_open) values ('c', 'prod', '0 8 * * *')$$, '22023',
  'a cron schedule needs both cron_open and cron_close', 'only cron_open');
select throws_ok($$insert into public.agent_schedules (name, tag, cron_open, cron_close, days) values ('c', 'prod', '0 8 * * *', '0 9 * * *', '{1}')$$, '22023',
  'give a time window (days, start_time, end_time) or cron expressions (cron_open, cron_close), not both', 'cron and a window');
select throws_ok($$insert into public.agent_schedules (name, tag, cron_open, cron_close) values ('c', 'prod', '0 25 * * *', '0 9 * * *')$$, '22023',
  'cron expression "0 25 * * *": hour "25" is out of range 0–23', 'a bad cron_open names its field');
select throws_ok($$insert into public.agent_schedules (name, tag, cron_open, cron_close) values ('c', 'prod', '0 8 * * *', '0 9 * *')$$, '22023', null,
  'a bad cron_close');
select throws_ok($$insert into public.agent_schedules (name, tag, cron_open, cron_close) values ('c', 'prod', '0 8 * * 1-5', '0 8 * * mon-fri')$$, '22023',
  'cron_open and cron_close must differ', 'the same expression twice');
select throws_ok($$insert into public.agent_schedules (name, tag, cron_open, cron_close) values ('c', 'prod', '0 8 30 2 *', '0 9 * * *')$$, '22023',
  'cron_open "0 8 30 2 *" matches no time in the next four years', 'an opening that never comes');

-- The desired state
select throws_ok($$insert into public.agent_schedules (name, tag, state, days, start_time, end_time) values ('s', 'prod', 'paused', '{1}', '08:00', '09:00')$$,
  '22P02', null, 'a state that is not running or stopped');

-- Changes are checked as well, and a refused change leaves the row as it was.
select throws_ok($$update public.agent_schedules set end_time = start_time where name = 'office'$$, '22023', null, 'an update is checked');
select results_eq($$select start_time, end_time from public.agent_schedules where name = 'office'$$, $$values ('08:00'::time, '20:00'::time)$$,
                  'and the refused update changed nothing');
select is((select count(*)::integer from public.agent_schedules), 5, 'only the valid schedules were added');

-- At most 500 schedules.
select tests.as_superuser();
insert into public.agent_schedules (name, tag, days, start_time, end_time)
select 'bulk-' || g, 'prod', '{1}', '08:00', '09:00' from generate_series(1, 495) g;
select tests.as_user('operator');
select throws_ok($$select pg_temp.window('one-too-many', '{1}', '08:00', '09:00')$$, '22023', 'at most 500 schedules', 'the 501st is refused');

select * from finish();
rollback;
