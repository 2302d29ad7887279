-- A long-running worker's heartbeat restates what it is doing (p_info.state): a row that a one-shot
-- report changed behind its back (the seed's mark_agent_stopped from an old script) heals within one
-- heartbeat, recorded as a transition; a heartbeat that restates the row as it is records nothing (no
-- event, so no Realtime message); status reports and heartbeats without a state keep their meaning.
begin;
select no_plan();

select tests.give_token('Tweet Scheduler', 'ts-secret');
create function pg_temp.agent() returns public.agent_status language sql security definer as $$
  select * from public.agent_status where agent_name = 'Tweet Scheduler'
$$;
create function pg_temp.events() returns integer language sql security definer as $$
  select tests.event_count('Tweet Scheduler')
$$;
create function pg_temp.last_event() returns public.agent_events language sql security definer as $$
  select * from public.agent_events where agent_id = tests.agent_id('Tweet Scheduler') order by id desc limit 1
$$;
-- The worker: its instance and what it says it is doing.
create function pg_temp.worker(kind public.agent_report_kind, state text default null, health integer default null)
returns text language sql as $$
  select instance_id from public.agent_report(kind, p_token => 'ts-secret', p_health => health,
    p_info => jsonb_strip_nulls(jsonb_build_object('instance_id', 'aaaaaaaa-1', 'host', 'host-a', 'state', state)))
$$;
-- A one-shot script beside it (the seed's functions: a token, no instance id).
create function pg_temp.one_shot(kind public.agent_report_kind) returns void language sql as $$
  select from public.agent_report(kind, p_token => 'ts-secret')
$$;
grant execute on function pg_temp.agent(), pg_temp.events(), pg_temp.last_event(),
  pg_temp.worker(public.agent_report_kind, text, integer), pg_temp.one_shot(public.agent_report_kind) to anon;

select tests.as_anon();
select pg_temp.worker('started');
select is((pg_temp.agent()).status, 'running', 'the worker runs');

-- An old script's atexit marks the agent stopped while the worker keeps working.
select pg_temp.one_shot('stopped');
select is((pg_temp.agent()).status, 'stopped', 'a one-shot stopped report still means stopped');
select pg_temp.worker('activity', 'running');
select is((pg_temp.agent()).status, 'running', 'the worker''s next activity report restates running: the row heals');
select pg_temp.one_shot('stopped');
select is(pg_temp.worker('heartbeat', 'running'), 'aaaaaaaa-1', 'a heartbeat restating running is answered as usual');
select is((pg_temp.agent()).status, 'running', '... and heals the row too');
select is((pg_temp.agent()).health, 100, '... with the health of running');
select isnt((pg_temp.agent()).started_at, null, '... and a start time again');
select is((pg_temp.last_event()).kind, 'status', 'the heal is recorded as a transition');
select is((pg_temp.last_event()).from_status, 'stopped', '... from stopped');
select is((pg_temp.last_event()).to_status, 'running', '... to running');
select is(((pg_temp.last_event()).snapshot ->> 'status'), 'running', '... with the healed row for the dashboards');

-- A heartbeat that restates the row as it is changes nothing but the heartbeat.
select pg_temp.events() as before \gset
select pg_temp.worker('heartbeat', 'running') from generate_series(1, 5);
select is(pg_temp.events(), :before, 'heartbeats restating the same state record no event (no Realtime message)');

-- Its last warning or error band is restated as well.
select pg_temp.worker('warning', null, 60);
select pg_temp.one_shot('started');
select is((pg_temp.agent()).status, 'running', 'a one-shot started report means running');
select pg_temp.worker('heartbeat', 'warning');
select is((pg_temp.agent()).status, 'warning', 'the worker restates its warning');
select is((pg_temp.agent()).health, 75, '... with the health of the warning band');
select pg_temp.worker('error', null);
select pg_temp.one_shot('recovered');
select pg_temp.worker('heartbeat', 'error');
select is((pg_temp.agent()).status, 'error', 'and its error');
select is((pg_temp.agent()).health, 30, '... with the health of the error band');
select pg_temp.worker('heartbeat', 'error', 20);
select is((pg_temp.agent()).health, 20, 'a health the heartbeat carries wins over the default');

-- A worker that stopped its work says so; a restated stop heals a row a script marked running.
select pg_temp.worker('stopped');
select pg_temp.one_shot('started');
select pg_temp.worker('heartbeat', 'stopped');
select is((pg_temp.agent()).status, 'stopped', 'a stopped worker restates stopped');
select is((pg_temp.agent()).started_at, null, '... without a start time');

-- Status reports mean what they say; heartbeats without a state (curl, one-shot scripts) restate nothing.
select pg_temp.worker('started', 'stopped');
select is((pg_temp.agent()).status, 'running', 'a started report is running, whatever its info.state says');
select pg_temp.one_shot('stopped');
select pg_temp.one_shot('heartbeat');
select is((pg_temp.agent()).status, 'stopped', 'a heartbeat without a state changes no status');
select lives_ok($$ select pg_temp.worker('heartbeat', 'exploded') $$, 'a state that is no status is ignored, not an error');
select is((pg_temp.agent()).status, 'stopped', '... and changes nothing');

-- Only the instance holding the agent speaks for it: a displaced worker's restatement is not applied.
select instance_id from public.agent_report('heartbeat', p_token => 'ts-secret',
  p_info => '{"instance_id":"bbbbbbbb-2","instance_new":true,"state":"stopped"}');
select is(pg_temp.worker('heartbeat', 'running'), 'bbbbbbbb-2', 'the displaced worker is told who holds the agent');
select is((pg_temp.agent()).status, 'stopped', '... and its restated state changes nothing');

select tests.as_superuser();
select * from finish();
rollback;
