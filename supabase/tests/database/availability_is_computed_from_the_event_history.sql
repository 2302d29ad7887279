-- fleet_availability / agent_availability_bar: the share of time an agent was available (running or
-- warning, not offline) among the time it was available or down (error, offline), from the event
-- history; stopped and unknown time are left out. Timelines below are made of events with chosen
-- times (now() is fixed inside this transaction).
begin;
select no_plan();

create function pg_temp.snap(status text, offline boolean default false, extra jsonb default '{}') returns jsonb
language sql immutable as $$ select jsonb_build_object('status', status, 'offline', offline) || extra $$;
create function pg_temp.add(agent text, created interval, status public.agent_run_status) returns void
language sql as $$ insert into public.agent_status (agent_name, status, created_at) values (agent, status, now() - created) $$;
create function pg_temp.event(agent text, ago interval, kind public.agent_event_kind, from_status public.agent_run_status, snapshot jsonb) returns void
language sql as $$
  insert into public.agent_events (agent_id, kind, from_status, snapshot, created_at)
  values (tests.agent_id(agent), kind, from_status, snapshot, now() - ago) $$;
-- [a24h, s24h, a7d, s7d, a30d, s30d] of one agent, as an operator sees it.
create function pg_temp.availability(agent text) returns jsonb language sql stable as $$
  select public.fleet_availability() -> tests.agent_id(agent)::text $$;
grant execute on function pg_temp.availability(text) to anon, authenticated, service_role;

-- A: running, then 6 h in error, running again.
select pg_temp.add('A', '40 days', 'running');
select pg_temp.event('A', '36 hours', 'status', 'stopped', pg_temp.snap('running'));
select pg_temp.event('A', '12 hours', 'error', 'running', pg_temp.snap('error'));
select pg_temp.event('A', '6 hours', 'status', 'error', pg_temp.snap('running'));
-- A command carries no state and changes nothing.
insert into public.agent_events (agent_id, kind, command, created_at) values (tests.agent_id('A'), 'command', 'start', now() - interval '9 hours');
-- B: offline from when it fell silent (last heartbeat + one interval), not from when the sweep noticed.
select pg_temp.add('B', '40 days', 'running');
select pg_temp.event('B', '10 hours', 'status', 'stopped', pg_temp.snap('running'));
select pg_temp.event('B', '4 hours', 'offline', 'running',
  pg_temp.snap('running', true, jsonb_build_object('last_heartbeat', now() - interval '5 hours', 'heartbeat_interval_seconds', 10)));
select pg_temp.event('B', '3 hours', 'online', 'running', pg_temp.snap('running'));
-- H: fell silent before its previous change was recorded: offline starts at that change, not earlier.
select pg_temp.add('H', '40 days', 'running');
select pg_temp.event('H', '10 hours', 'status', 'stopped', pg_temp.snap('running'));
select pg_temp.event('H', '270 minutes', 'health', 'running', pg_temp.snap('running'));
select pg_temp.event('H', '4 hours', 'offline', 'running',
  pg_temp.snap('running', true, jsonb_build_object('last_heartbeat', now() - interval '5 hours', 'heartbeat_interval_seconds', 10)));
select pg_temp.event('H', '3 hours', 'online', 'running', pg_temp.snap('running'));
-- C: stopped all along; D: added two hours ago, running since (no event).
select pg_temp.add('C', '40 days', 'stopped');
select pg_temp.add('D', '2 hours', 'running');
-- E: the state at a window's start is the state its first event left, even when older events are gone.
select pg_temp.add('E', '40 days', 'running');
select pg_temp.event('E', '35 days', 'error', 'running', pg_temp.snap('error'));
select pg_temp.event('E', '1 hour', 'status', 'error', pg_temp.snap('running'));
-- F and G: 1,000 and 999 events in the last 10 hours; with 1,000 (what retention keeps) older ones may
-- have been removed, so the time before the oldest is unknown; with 999 nothing was removed.
select pg_temp.add('F', '40 days', 'running');
select pg_temp.add('G', '40 days', 'running');
insert into public.agent_events (agent_id, kind, from_status, snapshot, created_at)
select tests.agent_id(agent), 'health', case when g = 0 then 'error' else 'running' end::public.agent_run_status,
       pg_temp.snap('running'), now() - interval '10 hours' + make_interval(secs => g * 30)
  from (values ('F', 1000), ('G', 999)) as a(agent, n), generate_series(0, n - 1) g;

select tests.as_user('operator');
select is(pg_temp.availability('A'), '[0.75, 86400, 0.83333, 129600, 0.83333, 129600]'::jsonb,
          'A: 18 h of 24 available; over 7 and 30 days 30 h of 36 (the stopped time before is left out)');
select is(pg_temp.availability('B'), '[0.80028, 36000, 0.80028, 36000, 0.80028, 36000]'::jsonb,
          'B: offline from the last heartbeat + 10 s (1 h 59 min 50 s) of 10 h running');
select is(pg_temp.availability('H'), '[0.85, 36000, 0.85, 36000, 0.85, 36000]'::jsonb,
          'H: offline from the change before it (4 h 30 min ago) when the agent fell silent even earlier');
select is(pg_temp.availability('C'), '[null, 0, null, 0, null, 0]'::jsonb, 'C: stopped all along has no availability');
select is(pg_temp.availability('D'), '[1, 7200, 1, 7200, 1, 7200]'::jsonb, 'D: only the two hours since it was added count');
select is(pg_temp.availability('E'), '[0.04167, 86400, 0.00595, 604800, 0.00139, 2592000]'::jsonb,
          'E: error until an hour ago, known from the event that ended it (the 35-day-old one is outside the window)');
select tests.as_service();
select public.prune_agent_events();
select tests.as_user('operator');
select is(pg_temp.availability('E')->0, '0.04167'::jsonb, 'E: the same after retention removed the old event');
select is(pg_temp.availability('F'), '[1, 36000, 1, 36000, 1, 36000]'::jsonb,
          'F: with 1,000 events kept, the time before the oldest is unknown');
select is(pg_temp.availability('G')->0, to_jsonb(round(36000 / 86400.0, 5)),
          'G: with 999, the state before the first (error) holds from the start of the window');
select is(pg_temp.availability('Content Collector'), '[null, 0, null, 0, null, 0]'::jsonb, 'a seeded agent (stopped, no events)');

-- The bar: buckets of the window with seconds per state and the worst state.
select is((select count(*)::integer from public.agent_availability_bar(tests.agent_id('A'), '24h')), 96, '24 h: 96 buckets of 15 min');
select is((select count(*)::integer from public.agent_availability_bar(tests.agent_id('A'), '7d')), 84, '7 d: 84 buckets of 2 h');
select is((select count(*)::integer from public.agent_availability_bar(tests.agent_id('A'), '30d')), 90, '30 d: 90 buckets of 8 h');
select results_eq($$select state, count(*)::integer from public.agent_availability_bar(tests.agent_id('A'), '24h') group by state order by state$$,
                  $$values ('error', 24), ('running', 72)$$, 'A: 24 error buckets (6 h), 72 running');
select is((select round(sum(running + warning + error + offline + stopped + unknown)::numeric) from public.agent_availability_bar(tests.agent_id('A'), '24h')),
          86400::numeric, 'the buckets add up to the window');
select results_eq($$select state, round(unknown::numeric) from public.agent_availability_bar(tests.agent_id('D'), '24h') order by bucket_start limit 1$$,
                  $$values ('unknown', 900::numeric)$$, 'D: before it existed is unknown');
select is((select count(*)::integer from public.agent_availability_bar(tests.agent_id('B'), '24h') where state = 'offline'), 8,
          'B: the offline stretch (just under 2 h) covers 8 buckets');
select throws_ok($$select * from public.agent_availability_bar(tests.agent_id('A'), '1y')$$, '22023',
                 'p_window must be 24h, 7d or 30d, got "1y"', 'an unknown window is refused');

-- Who may read it: viewers and the service role too; a user without a role sees nothing; anon may not call.
select tests.as_user('viewer');
select is(pg_temp.availability('A')->0, '0.75'::jsonb, 'viewer: reads the fleet''s availability');
select is((select count(*)::integer from public.agent_availability_bar(tests.agent_id('A'), '24h') where state = 'error'), 24, 'viewer: reads the bar');
select tests.as_service();
select is(pg_temp.availability('A')->0, '0.75'::jsonb, 'service: reads the fleet''s availability');
select tests.as_user(null);
select is(public.fleet_availability(), '{}'::jsonb, 'a user without a role: nothing');
select is((select count(*)::integer from public.agent_availability_bar(tests.agent_id('A'), '24h') where state <> 'unknown'), 0,
          'a user without a role: an all-unknown bar');
select tests.as_anon();
select throws_ok($$select public.fleet_availability()$$, '42501', 'permission denied for function fleet_availability', 'anon: denied');
select throws_ok($$select * from public.agent_availability_bar(gen_random_uuid())$$, '42501',
                 'permission denied for function agent_availability_bar', 'anon: the bar is denied');

-- The count the retention rule assumes is what prune_agent_events keeps by default.
select tests.as_superuser();
select matches(pg_get_function_arguments('public.prune_agent_events(integer, integer)'::regprocedure),
               'p_keep_per_agent integer DEFAULT ' || app.events_kept_per_agent(), 'events_kept_per_agent mirrors prune_agent_events');

select * from finish();
rollback;
