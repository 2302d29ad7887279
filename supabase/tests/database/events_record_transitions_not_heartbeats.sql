-- agent_events is the history and the Realtime feed: one row per transition (status, health
-- band, warning, error, acknowledgement), each carrying the agent's row as snapshot; plain
-- heartbeats and health jitter inside a band write no event.
begin;
select no_plan();

select tests.give_token('Blog Generator', 'bg-secret');
create function pg_temp.events() returns integer language sql as $$ select tests.event_count('Blog Generator') $$;
create function pg_temp.last_event() returns public.agent_events language sql security definer as $$
  select * from public.agent_events where agent_id = tests.agent_id('Blog Generator') order by id desc limit 1
$$;
grant execute on function pg_temp.events(), pg_temp.last_event() to anon;

select tests.as_anon();
select * from public.agent_report('started', p_token => 'bg-secret');
select is(pg_temp.events(), 1, 'started: one event');
select results_eq($$select kind::text, from_status::text, to_status::text, health, snapshot ->> 'status' from pg_temp.last_event()$$,
                  $$values ('status', 'stopped', 'running', 100, 'running')$$, 'it is a status event stopped → running with a snapshot');

select * from public.agent_report('heartbeat', p_token => 'bg-secret');
select * from public.agent_report('heartbeat', p_token => 'bg-secret');
select * from public.agent_report('heartbeat', p_token => 'bg-secret', p_health => 85);
select * from public.agent_report('activity', p_token => 'bg-secret', p_message => 'writing post 3');
select is(pg_temp.events(), 1, 'heartbeats, jitter inside the healthy band and activity write no event');

select * from public.agent_report('heartbeat', p_token => 'bg-secret', p_health => 50);
select results_eq($$select kind::text, health from pg_temp.last_event()$$, $$values ('health', 50)$$,
                  'moving to another health band is a health event');
select is(pg_temp.events(), 2, 'exactly one event for it');

select * from public.agent_report('warning', p_token => 'bg-secret', p_message => 'rate limited');
select results_eq($$select kind::text, message, to_status::text, health from pg_temp.last_event()$$,
                  $$values ('warning', 'rate limited', 'warning', 75)$$, 'a warning is one warning event with its message');
select is(pg_temp.events(), 3, 'exactly one event for it');

select * from public.agent_report('error', p_token => 'bg-secret', p_message => 'API down', p_health => 10);
select results_eq($$select kind::text, message, to_status::text, health from pg_temp.last_event()$$,
                  $$values ('error', 'API down', 'error', 10)$$, 'an error is one error event with its message');
select is(pg_temp.events(), 4, 'exactly one event for it');

select * from public.agent_report('stopped', p_token => 'bg-secret');
select results_eq($$select kind::text, from_status::text, to_status::text, snapshot ->> 'started_at' from pg_temp.last_event()$$,
                  $$values ('status', 'error', 'stopped', null::text)$$, 'stopped is a status event');

select tests.as_superuser();
select results_eq($$select status::text, health, last_error, last_warning, last_activity from public.agent_status where agent_name = 'Blog Generator'$$,
                  $$values ('stopped', 0, 'API down', 'rate limited', 'writing post 3')$$,
                  'the row keeps the latest error, warning and activity');
select is((select snapshot from pg_temp.last_event()), (select to_jsonb(s) from public.agent_status s where agent_name = 'Blog Generator'),
          'the snapshot is the agent row after the transition');
select is((select count(*)::integer from public.agent_events where agent_id <> tests.agent_id('Blog Generator')), 0,
          'no other agent got events');

select * from finish();
rollback;
