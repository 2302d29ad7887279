-- Availability counts scheduled-off time as not due: from a schedule's stop command (actor
-- schedule:<name>) until the next command, whatever state the agent is in (here: offline overnight), the
-- time counts neither as available nor as down. An operator's stop does not do this (a stopped agent is
-- left out anyway, but one that is offline while stopped by hand still counts as down). The bar shows the
-- time as scheduled_off. Timelines are made of events with chosen times (now() is fixed in the transaction).
begin;
select no_plan();

create function pg_temp.snap(status text, offline boolean default false) returns jsonb
language sql immutable as $$ select jsonb_build_object('status', status, 'offline', offline) $$;
create function pg_temp.add(agent text) returns void
language sql as $$ insert into public.agent_status (agent_name, status, created_at) values (agent, 'running', now() - interval '40 days') $$;
create function pg_temp.event(agent text, ago interval, kind public.agent_event_kind, from_status public.agent_run_status, snapshot jsonb) returns void
language sql as $$
  insert into public.agent_events (agent_id, kind, from_status, snapshot, created_at)
  values (tests.agent_id(agent), kind, from_status, snapshot, now() - ago) $$;
create function pg_temp.command(agent text, ago interval, command public.agent_command, actor text) returns void
language sql as $$
  insert into public.agent_events (agent_id, kind, command, actor_email, created_at)
  values (tests.agent_id(agent), 'command', command, actor, now() - ago) $$;
create function pg_temp.availability(agent text) returns jsonb language sql stable as $$
  select public.fleet_availability() -> tests.agent_id(agent)::text $$;
grant execute on function pg_temp.availability(text) to authenticated;

-- S: running; its schedule stops it 12 h ago; its machine goes away 11 h ago (offline); the schedule
-- starts it 2 h ago and it runs again from 1 h ago (offline for an hour while due).
select pg_temp.add('S');
select pg_temp.event('S', '30 hours', 'status', 'stopped', pg_temp.snap('running'));
select pg_temp.command('S', '12 hours', 'stop', 'schedule:nights');
select pg_temp.event('S', '11 hours', 'offline', 'running', pg_temp.snap('running', true));
select pg_temp.command('S', '2 hours', 'start', 'schedule:nights');
select pg_temp.event('S', '1 hour', 'online', 'running', pg_temp.snap('running'));
-- M: the same, but an operator stopped it.
select pg_temp.add('M');
select pg_temp.event('M', '30 hours', 'status', 'stopped', pg_temp.snap('running'));
select pg_temp.command('M', '12 hours', 'stop', 'alice@example.test');
select pg_temp.event('M', '11 hours', 'offline', 'running', pg_temp.snap('running', true));
select pg_temp.command('M', '2 hours', 'start', 'alice@example.test');
select pg_temp.event('M', '1 hour', 'online', 'running', pg_temp.snap('running'));
-- W: offline an hour before its schedule stopped it two days ago, no command since: the whole last day
-- (before the 24 h window, the last command said scheduled off) is off.
select pg_temp.add('W');
select pg_temp.event('W', '3 days', 'status', 'stopped', pg_temp.snap('running'));
select pg_temp.event('W', '49 hours', 'offline', 'running', pg_temp.snap('running', true));
select pg_temp.command('W', '48 hours', 'stop', 'schedule:weekend');
-- N: an operator's stop after the schedule's: it is the operator's stop from then on (due again).
select pg_temp.add('N');
select pg_temp.event('N', '30 hours', 'status', 'stopped', pg_temp.snap('running'));
select pg_temp.command('N', '12 hours', 'stop', 'schedule:nights');
select pg_temp.event('N', '11 hours', 'offline', 'running', pg_temp.snap('running', true));
select pg_temp.command('N', '6 hours', 'stop', 'alice@example.test');

select tests.as_user('viewer');
select is(pg_temp.availability('S')->0, to_jsonb(round(13 / 14.0, 5)),
          'S: 12 h running before the stop, 1 h offline while due again, 1 h running; the 10 h scheduled off count for nothing');
select is(pg_temp.availability('S')->1, '50400'::jsonb, 'S: 14 h counted of the 24');
select is(pg_temp.availability('M')->0, to_jsonb(round(14 / 24.0, 5)), 'M: an operator''s stop does not excuse the 10 h offline');
select is(pg_temp.availability('W')->0, 'null'::jsonb, 'W: off by its schedule all day: no availability for the day');
select is(pg_temp.availability('W')->1, '0'::jsonb, 'W: no time counted in the day');
select is(pg_temp.availability('W')->2, to_jsonb(round(23 / 24.0, 5)),
          'W: over 7 days, 23 h running and the hour offline before the schedule''s stop, which is down');
select is(pg_temp.availability('N')->0, to_jsonb(round(12 / 18.0, 5)),
          'N: scheduled off from 12 h ago until the operator''s stop 6 h ago, then offline counts as down');

select results_eq($$select state, count(*)::integer from public.agent_availability_bar(tests.agent_id('S'), '24h') group by state order by state$$,
                  $$values ('offline', 4), ('running', 52), ('scheduled_off', 40)$$,
                  'S''s bar: 40 buckets (10 h) scheduled off, 4 offline, the rest running');
select is((select round(sum(scheduled_off)::numeric) from public.agent_availability_bar(tests.agent_id('S'), '24h')), 36000::numeric,
          'S''s bar: 10 h of seconds scheduled off');
select is((select round(sum(running + warning + error + offline + stopped + unknown + scheduled_off)::numeric)
             from public.agent_availability_bar(tests.agent_id('S'), '24h')),
          86400::numeric, 'the buckets add up to the window');
select is((select count(*)::integer from public.agent_availability_bar(tests.agent_id('M'), '24h') where state = 'scheduled_off'), 0,
          'M''s bar: nothing scheduled off');

select * from finish();
rollback;
