-- An agent that raised a warning or an error and is fine again says so with 'recovered':
-- status back to running, health back to 100 (or what it says), uptime kept, one status event.
begin;
select plan(7);

select tests.give_token('Tweet Scheduler', 'ts-secret');
create function pg_temp.row() returns public.agent_status language sql security definer as $$
  select * from public.agent_status where agent_name = 'Tweet Scheduler'
$$;
grant execute on function pg_temp.row() to anon;

select tests.as_anon();
select * from public.agent_report('started', p_token => 'ts-secret');
select * from public.agent_report('warning', p_token => 'ts-secret', p_message => 'queue backing up');
create temp table started on commit drop as select started_at from pg_temp.row();
grant select on started to anon;
select is((select status::text from pg_temp.row()), 'warning', 'a warning sets warning');

select lives_ok($$select * from public.agent_report('recovered', p_token => 'ts-secret')$$, 'recovered is accepted');
select results_eq($$select status::text, health from pg_temp.row()$$, $$values ('running', 100)$$,
                  'recovered sets running with health 100');
select is((select started_at from pg_temp.row()), (select started_at from started), 'recovered keeps the uptime');
select tests.as_superuser();
select results_eq($$select kind::text, from_status::text, to_status::text from public.agent_events
                    where agent_id = tests.agent_id('Tweet Scheduler') order by id desc limit 1$$,
                  $$values ('status', 'warning', 'running')$$, 'one status event warning → running');
select tests.as_anon();

select * from public.agent_report('error', p_token => 'ts-secret', p_message => 'API down');
select * from public.agent_report('recovered', p_token => 'ts-secret', p_health => 90);
select results_eq($$select status::text, health from pg_temp.row()$$, $$values ('running', 90)$$,
                  'recovered after an error takes the health it is given');
select is(tests.event_count('Tweet Scheduler', 'error'), 1, 'the error itself stays in history');

select * from finish();
rollback;
