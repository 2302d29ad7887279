-- run_agent_schedules(p_now): at each boundary a schedule writes its desired state as a normal command
-- (new generation, `command` event, wake-up) with the actor schedule:<name>, for the agents it covers at
-- that moment (its agent, or every agent with its tag); between boundaries an operator's command wins;
-- each boundary acts once; a new or changed schedule acts from its next boundary; an agent's own schedule
-- wins over a tag's. Times are passed as p_now (the controllable clock), after a last boundary set by hand.
begin;
select no_plan();

-- Record wake-ups instead of sending them (as wake_ups_are_sent_once_per_generation_change.sql).
create temporary table sent (payload jsonb, event text, topic text, private boolean);
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void language sql as $$ insert into pg_temp.sent values (payload, event, topic, private) $$;

create function pg_temp.desired(agent text) returns text language sql stable as $$
  select d.desired_state || ' g' || d.generation || ' by ' || coalesce(d.requested_by_email, '-')
    from public.agent_desired_state d where d.agent_id = tests.agent_id(agent) $$;
-- The command events of an agent since a given event id: "command generation actor [message]".
create function pg_temp.commands(agent text, after_id bigint default 0) returns text[] language sql stable as $$
  select coalesce(array_agg(concat_ws(' ', e.command, 'g' || e.generation, e.actor_email, e.message) order by e.id), '{}')
    from public.agent_events e where e.agent_id = tests.agent_id(agent) and e.kind = 'command' and e.id > after_id $$;
create function pg_temp.run(at timestamptz) returns integer language sql as $$ select public.run_agent_schedules(at) $$;
create function pg_temp.last_event() returns bigint language sql stable as $$ select coalesce(max(id), 0) from public.agent_events $$;

-- Tweet Scheduler runs 08:00–20:00 on weekdays in Berlin (Monday 7 June 2027 is a weekday, UTC+2).
insert into public.agent_schedules (name, agent_id, state, days, start_time, end_time, time_zone, last_boundary_at)
values ('tweets-office-hours', tests.agent_id('Tweet Scheduler'), 'running', '{1,2,3,4,5}', '08:00', '20:00', 'Europe/Berlin',
        '2027-06-04 18:00+00');

select is(pg_temp.run('2027-06-07 05:59+00'), 0, 'nothing before the window opens');
select is(pg_temp.desired('Tweet Scheduler'), 'stopped g0 by -', 'the agent is as it was');

select is(pg_temp.run('2027-06-07 06:00+00'), 1, 'at 08:00 Berlin the window opens: one agent commanded');
select is(pg_temp.desired('Tweet Scheduler'), 'running g1 by schedule:tweets-office-hours',
          'desired running, a new generation, the schedule as the actor');
select is(pg_temp.commands('Tweet Scheduler'), '{"start g1 schedule:tweets-office-hours"}', 'a start command in the history with its actor');
select results_eq($$select actor_id from public.agent_events where kind = 'command' and agent_id = tests.agent_id('Tweet Scheduler')$$,
                  $$values (null::uuid)$$, 'no user is recorded as the actor');
select results_eq($$select topic, payload ->> 'desired_state', (payload ->> 'generation')::int from sent$$,
                  format($$values ('agent-wakeup:' || %L, 'running', 1)$$, tests.agent_id('Tweet Scheduler')),
                  'the worker is woken on its private topic with the new generation');
select is((select last_boundary_at from public.agent_schedules where name = 'tweets-office-hours'), '2027-06-07 06:00+00'::timestamptz,
          'the schedule remembers the boundary it acted on');

select is(pg_temp.run('2027-06-07 06:00+00'), 0, 'running again at the same time acts on nothing');
select is(pg_temp.run('2027-06-07 06:05+00'), 0, 'nor a few minutes later');
select is(pg_temp.run('2027-06-04 06:00+00'), 0, 'nor with an earlier clock (an older boundary is never acted on again)');
select is(cardinality(pg_temp.commands('Tweet Scheduler')), 1, 'still one command');

-- An operator stops it inside the window: that wins until the schedule's next boundary.
select tests.as_user('operator');
select * from public.command_agents('stop', 'Tweet Scheduler');
select tests.as_superuser();
select is(pg_temp.run('2027-06-07 10:00+00'), 0, 'at 12:00 the schedule does not start it again');
select is(pg_temp.run('2027-06-07 17:59+00'), 0, 'nor at 19:59');
select is(pg_temp.desired('Tweet Scheduler'), 'stopped g2 by operator@example.test', 'the operator''s stop stands until the boundary');
select pg_temp.last_event() as before_close \gset
select is(pg_temp.run('2027-06-07 18:00+00'), 1, 'at 20:00 the window closes');
select is(pg_temp.commands('Tweet Scheduler', :before_close), '{"stop g2 schedule:tweets-office-hours already stopped"}',
          'the close is a stop by the schedule; already stopped, so no new generation');
select is(pg_temp.run('2027-06-08 06:00+00'), 1, 'the next morning it opens');
select is(pg_temp.desired('Tweet Scheduler'), 'running g3 by schedule:tweets-office-hours', 'and the schedule starts it again');

-- Outside the window an operator starts it: it runs through the night, until the schedule acts again.
select is(pg_temp.run('2027-06-08 18:00+00'), 1, 'closes on Tuesday evening');
select tests.as_user('operator');
select * from public.command_agents('start', 'Tweet Scheduler');
select tests.as_superuser();
select is(pg_temp.run('2027-06-08 22:00+00'), 0, 'at midnight the operator''s start stands');
select is(pg_temp.desired('Tweet Scheduler'), 'running g5 by operator@example.test', 'running, started by the operator');

-- Missed runs: after two days without a run only the latest boundary acts, once.
select pg_temp.last_event() as before_gap \gset
select is(pg_temp.run('2027-06-10 19:00+00'), 1, 'after missing four boundaries, one command');
select is(pg_temp.commands('Tweet Scheduler', :before_gap), '{"stop g6 schedule:tweets-office-hours"}',
          'the state of the latest boundary (Thursday''s close)');

-- A schedule for a tag covers the agents that have the tag when it acts (21:00–05:00 UTC every day).
select public.tag_agents(array['Blog Generator', 'Engagement Analyzer'], array['night-shift']);
insert into public.agent_schedules (name, tag, state, days, start_time, end_time, time_zone, last_boundary_at)
values ('night-shift', 'night-shift', 'running', '{1,2,3,4,5,6,7}', '21:00', '05:00', 'UTC', '2027-06-10 05:00+00');
delete from sent;
select is(pg_temp.run('2027-06-10 21:00+00'), 2, 'the tag''s window opens: both tagged agents');
select is(array[pg_temp.desired('Blog Generator'), pg_temp.desired('Engagement Analyzer'), pg_temp.desired('Content Collector')],
          array['running g1 by schedule:night-shift', 'running g1 by schedule:night-shift', 'stopped g0 by -'],
          'the tagged agents are started by the schedule, an untagged one is not');
select is((select count(*)::integer from sent), 2, 'one wake-up per commanded agent');
-- Blog Generator loses the tag, Content Collector gains it.
select public.tag_agents(array['Blog Generator'], p_remove => array['night-shift']);
select public.tag_agents(array['Content Collector'], array['night-shift']);
select is(pg_temp.run('2027-06-11 05:00+00'), 2, 'at the close: the agents that have the tag now');
select is(array[pg_temp.desired('Blog Generator'), pg_temp.desired('Engagement Analyzer'), pg_temp.desired('Content Collector')],
          array['running g1 by schedule:night-shift', 'stopped g2 by schedule:night-shift', 'stopped g0 by schedule:night-shift'],
          'the agent that lost the tag is left alone; the one that gained it is covered from this boundary on');

-- An agent's own schedule wins over a tag's at the same boundary: at 06:00 UTC on Friday 11 June its
-- office window opens (running) and a tag's stop window opens (stopped).
select public.tag_agents(array['Tweet Scheduler'], array['night-shift']);
insert into public.agent_schedules (name, tag, state, days, start_time, end_time, time_zone, last_boundary_at)
values ('night-shift-pause', 'night-shift', 'stopped', '{1,2,3,4,5,6,7}', '08:00', '09:00', 'Europe/Berlin', '2027-06-11 05:00+00');
select is(pg_temp.run('2027-06-11 06:00+00'), 3, 'both act at 06:00 UTC: three agents');
select is(pg_temp.desired('Tweet Scheduler'), 'running g7 by schedule:tweets-office-hours',
          'Tweet Scheduler, covered by both, follows its own schedule');
select is(array[pg_temp.desired('Engagement Analyzer'), pg_temp.desired('Content Collector')],
          array['stopped g2 by schedule:night-shift-pause', 'stopped g0 by schedule:night-shift-pause'],
          'the other tagged agents follow the tag''s schedule');
delete from public.agent_schedules where tag is not null;

-- A disabled schedule does not act; enabled again, it acts from its next boundary.
update public.agent_schedules set enabled = false where name = 'tweets-office-hours';
select is(pg_temp.run('2027-06-11 18:00+00'), 0, 'disabled: no command at its close');
select is(pg_temp.desired('Tweet Scheduler'), 'running g7 by schedule:tweets-office-hours', 'still running');
update public.agent_schedules set enabled = true, last_boundary_at = '2027-06-11 18:00+00' where name = 'tweets-office-hours';
select is(pg_temp.run('2027-06-14 06:00+00'), 1, 'enabled again: acts at its next boundary');

-- A schedule made or changed through the API acts from its next boundary, not at once.
select tests.as_user('operator');
insert into public.agent_schedules (name, agent_id, state, days, start_time, end_time, time_zone)
values ('example-always-soon', tests.agent_id('Example Agent'), 'running', '{1,2,3,4,5,6,7}', '00:00', '23:59', 'UTC');
select tests.as_superuser();
select is((select last_boundary_at from public.agent_schedules where name = 'example-always-soon'),
          (select st.since from public.agent_schedules s cross join lateral app.schedule_state_at(s, now()) st where s.name = 'example-always-soon'),
          'a new schedule starts out having acted on its latest boundary');
select is(pg_temp.run(now()), 0, 'so running now commands nobody');
select is(pg_temp.run((select next_change_at from public.agent_schedule_overview where name = 'example-always-soon')), 1,
          'its next boundary does');
select tests.as_user('operator');
update public.agent_schedules set end_time = '23:58' where name = 'example-always-soon';
select tests.as_superuser();
select is((select last_boundary_at from public.agent_schedules where name = 'example-always-soon'),
          (select st.since from public.agent_schedules s cross join lateral app.schedule_state_at(s, now()) st where s.name = 'example-always-soon'),
          'a changed schedule starts again from its latest boundary');

-- Deleting an agent deletes its schedules; a tag's schedule stays.
delete from public.agent_status where agent_name = 'Tweet Scheduler';
select is((select array_agg(name order by name) from public.agent_schedules),
          '{example-always-soon}', 'the deleted agent''s schedule went with it');

select * from finish();
rollback;
