-- Schedule windows are read on the wall clock of their named time zone: the same "08:00" is a different
-- instant in Berlin and New York, and a different one in summer and winter; windows over midnight end
-- on the next day (an hour longer or shorter on the nights the clocks change); a time the clocks skip
-- moves on by the skip, a time they pass twice is the second pass; touching occurrences are one window.
-- Cron windows follow the same clock. Evaluated through schedule_transitions(), the overview's
-- functions and app.schedule_state_at() with explicit times (the controllable clock).
begin;
select no_plan();

-- Schedules made as the superuser; what they cover does not matter here.
create function pg_temp.add(name text, days integer[], start_time time, end_time time, time_zone text) returns void
language sql as $$
  insert into public.agent_schedules (name, tag, days, start_time, end_time, time_zone) values (name, 'dst', days, start_time, end_time, time_zone)
$$;
create function pg_temp.add_cron(name text, cron_open text, cron_close text, time_zone text) returns void
language sql as $$
  insert into public.agent_schedules (name, tag, cron_open, cron_close, time_zone) values (name, 'dst', cron_open, cron_close, time_zone)
$$;
-- "<UTC time> <state>" for each boundary of one schedule between two times.
create function pg_temp.changes(schedule text, from_at timestamptz, until_at timestamptz) returns text[]
language sql stable as $$
  select coalesce(array_agg(to_char(t.at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') || ' ' || t.desired_state order by t.at), '{}')
    from public.schedule_transitions(from_at, until_at, 1000) t
   where t.schedule_name = schedule
$$;
create function pg_temp.state_at(schedule text, at timestamptz) returns text
language sql stable as $$
  select case when st.inside then 'inside' else 'outside' end || ' since ' || coalesce(to_char(st.since at time zone 'UTC', 'YYYY-MM-DD HH24:MI'), 'never')
    from public.agent_schedules s cross join lateral app.schedule_state_at(s, at) st where s.name = schedule
$$;

select pg_temp.add('berlin-office', '{1,2,3,4,5}', '08:00', '20:00', 'Europe/Berlin');
select pg_temp.add('new-york-office', '{1,2,3,4,5}', '09:00', '17:00', 'America/New_York');

-- Spring: Europe moves its clocks on 28 March 2027 (UTC+1 → UTC+2), the US on 14 March (UTC−5 → UTC−4).
select is(pg_temp.changes('berlin-office', '2027-03-26', '2027-03-30'),
  '{"2027-03-26 07:00 running","2027-03-26 19:00 stopped","2027-03-29 06:00 running","2027-03-29 18:00 stopped"}',
  'Berlin, spring: 08:00–20:00 is 07:00–19:00 UTC on the Friday before and 06:00–18:00 UTC on the Monday after');
select is(pg_temp.changes('new-york-office', '2027-03-12', '2027-03-16'),
  '{"2027-03-12 14:00 running","2027-03-12 22:00 stopped","2027-03-15 13:00 running","2027-03-15 21:00 stopped"}',
  'New York, spring: 09:00–17:00 is 14:00–22:00 UTC before and 13:00–21:00 UTC after');
-- Autumn: Europe on 31 October 2027, the US on 7 November.
select is(pg_temp.changes('berlin-office', '2027-10-29', '2027-11-02'),
  '{"2027-10-29 06:00 running","2027-10-29 18:00 stopped","2027-11-01 07:00 running","2027-11-01 19:00 stopped"}',
  'Berlin, autumn: back to 07:00–19:00 UTC');
select is(pg_temp.changes('new-york-office', '2027-11-05', '2027-11-09'),
  '{"2027-11-05 13:00 running","2027-11-05 21:00 stopped","2027-11-08 14:00 running","2027-11-08 22:00 stopped"}',
  'New York, autumn: back to 14:00–22:00 UTC');
-- Between the two changes the offices are five hours apart, not six.
select is(pg_temp.changes('new-york-office', '2027-03-22', '2027-03-23'),
  '{"2027-03-22 13:00 running","2027-03-22 21:00 stopped"}', 'New York on 22 March 2027: already on summer time');
select is(pg_temp.changes('berlin-office', '2027-03-22', '2027-03-23'),
  '{"2027-03-22 07:00 running","2027-03-22 19:00 stopped"}', 'Berlin on 22 March 2027: still on winter time');

-- One instant, two zones: 07:30 UTC on Monday 7 June 2027 is 09:30 in Berlin and 03:30 in New York.
select is(pg_temp.state_at('berlin-office', '2027-06-07 07:30+00'), 'inside since 2027-06-07 06:00', 'Berlin is open at 09:30 local');
select is(pg_temp.state_at('new-york-office', '2027-06-07 07:30+00'), 'outside since 2027-06-04 21:00',
          'New York is closed at 03:30 local, since Friday''s 17:00');
select is(pg_temp.state_at('berlin-office', '2027-06-07 06:00+00'), 'inside since 2027-06-07 06:00', 'a window is open at its opening instant');
select is(pg_temp.state_at('berlin-office', '2027-06-07 18:00+00'), 'outside since 2027-06-07 18:00', 'and closed at its closing instant');
select is(pg_temp.state_at('berlin-office', '2027-06-12 12:00+00'), 'outside since 2027-06-11 18:00', 'closed on Saturday');

-- Over midnight: Friday and Saturday nights, 22:00–06:00. The night the clocks go forward is seven
-- hours long, the night they go back nine.
select pg_temp.add('berlin-nights', '{5,6}', '22:00', '06:00', 'Europe/Berlin');
select is(pg_temp.changes('berlin-nights', '2027-03-26', '2027-03-29'),
  '{"2027-03-26 21:00 running","2027-03-27 05:00 stopped","2027-03-27 21:00 running","2027-03-28 04:00 stopped"}',
  'over midnight in spring: Friday night 8 h, Saturday night (clocks forward) 7 h');
select is(pg_temp.changes('berlin-nights', '2027-10-29', '2027-11-01'),
  '{"2027-10-29 20:00 running","2027-10-30 04:00 stopped","2027-10-30 20:00 running","2027-10-31 05:00 stopped"}',
  'over midnight in autumn: Saturday night (clocks back) 9 h');
select is(pg_temp.state_at('berlin-nights', '2027-06-12 03:00+00'), 'inside since 2027-06-11 20:00',
          'at 05:00 on Saturday the window that opened on Friday is still open (Saturday opens its own at 22:00)');
select is(pg_temp.state_at('berlin-nights', '2027-06-13 03:00+00'), 'inside since 2027-06-12 20:00',
          'and on Sunday morning the one Saturday opened, though Sunday is not one of its days');
select is(pg_temp.state_at('berlin-nights', '2027-06-14 03:00+00'), 'outside since 2027-06-13 04:00', 'no window on Monday morning');

-- Times the clocks skip or pass twice.
select pg_temp.add('berlin-small-hours', '{7}', '02:30', '04:00', 'Europe/Berlin');
select is(pg_temp.changes('berlin-small-hours', '2027-03-27', '2027-03-29'),
  '{"2027-03-28 01:30 running","2027-03-28 02:00 stopped"}',
  'spring: 02:30 does not exist, the window opens at 03:30 summer time (01:30 UTC) and closes at 04:00 (02:00 UTC)');
select is(pg_temp.changes('berlin-small-hours', '2027-10-30', '2027-11-01'),
  '{"2027-10-31 01:30 running","2027-10-31 03:00 stopped"}',
  'autumn: 02:30 happens twice, the window opens at the second (winter time, 01:30 UTC), and lasts until 04:00 winter time');
select is(pg_temp.state_at('berlin-small-hours', '2027-10-31 00:45+00'), 'outside since 2027-10-24 02:00',
          'autumn: at the first 02:45 (summer time) the window is not open yet');
select pg_temp.add('berlin-skipped', '{7}', '02:15', '03:15', 'Europe/Berlin');
select is(pg_temp.changes('berlin-skipped', '2027-03-20', '2027-04-05'),
  '{"2027-03-21 01:15 running","2027-03-21 02:15 stopped","2027-04-04 00:15 running","2027-04-04 01:15 stopped"}',
  'spring: a window the skip leaves no time (02:15–03:15 becomes 03:15–03:15) does not open that day, and the next week''s does');
select is(pg_temp.state_at('berlin-skipped', '2027-04-03 12:00+00'), 'outside since 2027-03-21 02:15',
          'so the last boundary before it is two weeks back');
select pg_temp.add('new-york-small-hours', '{7}', '01:30', '02:30', 'America/New_York');
select is(pg_temp.changes('new-york-small-hours', '2027-11-06', '2027-11-08'),
  '{"2027-11-07 06:30 running","2027-11-07 07:30 stopped"}',
  'New York, autumn: 01:30 happens twice, the window opens at the second (EST, 06:30 UTC)');
select is(pg_temp.changes('new-york-small-hours', '2027-03-13', '2027-03-15'),
  '{"2027-03-14 06:30 running","2027-03-14 07:30 stopped"}',
  'New York, spring: 02:30 does not exist, the window closes at 03:30 EDT (07:30 UTC)');

-- Touching occurrences are one window: Monday to Friday, all day, is open from Monday 00:00 to Saturday 00:00.
select pg_temp.add('new-york-weekdays', '{1,2,3,4,5}', '00:00', '24:00', 'America/New_York');
select is(pg_temp.changes('new-york-weekdays', '2027-11-02', '2027-11-16'),
  '{"2027-11-06 04:00 stopped","2027-11-08 05:00 running","2027-11-13 05:00 stopped","2027-11-15 05:00 running"}',
  'Mon–Fri 00:00–24:00 has two boundaries a week, following New York''s clock change');
select is(pg_temp.state_at('new-york-weekdays', '2027-11-10 12:00+00'), 'inside since 2027-11-08 05:00',
          'on Wednesday it has been open since Monday 00:00, not since Wednesday''s 00:00');

-- Cron windows on the same clocks.
select pg_temp.add_cron('new-york-cron', '0 9 * * mon-fri', '0 17 * * 1-5', 'America/New_York');
select is(pg_temp.changes('new-york-cron', '2027-03-12', '2027-03-16'),
  '{"2027-03-12 14:00 running","2027-03-12 22:00 stopped","2027-03-15 13:00 running","2027-03-15 21:00 stopped"}',
  'a cron window in New York follows its spring change like the time window');
select pg_temp.add_cron('berlin-cron-half-past-two', '30 2 * * *', '0 4 * * *', 'Europe/Berlin');
select is(pg_temp.changes('berlin-cron-half-past-two', '2027-10-30 12:00', '2027-11-01'),
  '{"2027-10-31 01:30 running","2027-10-31 03:00 stopped"}',
  'cron "30 2 * * *" matches once on the night 02:30 happens twice (the second pass)');
select is(pg_temp.changes('berlin-cron-half-past-two', '2027-03-27 12:00', '2027-03-29'),
  '{"2027-03-28 01:30 running","2027-03-28 02:00 stopped"}',
  'and on the night it does not exist, at 03:30 summer time');
select pg_temp.add_cron('weekend-cron', '0 18 * * fri', '0 6 * * mon', 'Europe/Berlin');
select is(pg_temp.changes('weekend-cron', '2027-03-25', '2027-04-06'),
  '{"2027-03-26 17:00 running","2027-03-29 04:00 stopped","2027-04-02 16:00 running","2027-04-05 04:00 stopped"}',
  'a cron window over a weekend closes at the next match of cron_close, across the clock change');
select is(pg_temp.state_at('weekend-cron', '2027-03-28 12:00+00'), 'inside since 2027-03-26 17:00', 'open on Sunday');
select pg_temp.add_cron('cron-touching', '0 0 * * 1-5', '0 0 * * 2-6', 'UTC');
select is(pg_temp.changes('cron-touching', '2027-06-01', '2027-06-15'),
  '{"2027-06-05 00:00 stopped","2027-06-07 00:00 running","2027-06-12 00:00 stopped","2027-06-14 00:00 running"}',
  'a close at the instant of an opening is no boundary: the window continues');
select is(pg_temp.state_at('cron-touching', '2027-06-09 12:00+00'), 'inside since 2027-06-07 00:00', 'open since Monday');

-- The overview (the dashboard's and CLI's read) says the same, on the database's clock.
select is((select (next_change_at, next_state)::text from public.agent_schedule_overview where name = 'berlin-office'),
          (select (c.at, app.scheduled_state('running', c.inside))::text
             from public.agent_schedules s cross join lateral app.schedule_next_change(s, now()) c where s.name = 'berlin-office'),
          'agent_schedule_overview shows the next boundary after now()');

select * from finish();
rollback;
