-- sweep_offline_agents marks agents that missed heartbeats offline (default after 3 heartbeat
-- intervals, or offline_after_seconds): exactly one offline event per transition, idempotent
-- when run again, never for stopped agents; the agent's next report emits one online event.
begin;
select no_plan();

select tests.give_token('Tweet Scheduler', 'ts-secret');
select tests.as_service();
select * from public.agent_report('started', 'Tweet Scheduler');
select * from public.agent_report('started', 'Account Manager');
select * from public.agent_report('started', 'Example Agent');
select * from public.agent_report('warning', 'Engagement Analyzer', p_message => 'slow');

-- Time travel: heartbeats in the past (now() is fixed within this transaction).
select tests.as_superuser();
update public.agent_status set last_heartbeat = now() - interval '31 seconds' where agent_name = 'Tweet Scheduler';
update public.agent_status set last_heartbeat = now() - interval '29 seconds' where agent_name = 'Account Manager';
update public.agent_status set last_heartbeat = now() - interval '20 seconds', offline_after_seconds = 15
 where agent_name = 'Example Agent';
update public.agent_status set last_heartbeat = now() - interval '1 hour' where agent_name = 'Engagement Analyzer';
update public.agent_status set last_heartbeat = now() - interval '1 hour' where agent_name = 'Blog Generator'; -- stopped

select tests.as_service();
select is(public.sweep_offline_agents(), 3, 'the sweep marks three agents offline');
select tests.as_superuser();
select results_eq($$select agent_name from public.agent_status where offline order by agent_name$$,
                  $$values ('Engagement Analyzer'), ('Example Agent'), ('Tweet Scheduler')$$,
                  'late by 3 intervals or by offline_after_seconds; not the stopped agent, not the one 29 s late');
select results_eq($$select tests.event_count(a, 'offline') from unnest(array['Tweet Scheduler', 'Example Agent', 'Engagement Analyzer']) a$$,
                  $$values (1), (1), (1)$$, 'one offline event each');
select is((select message from public.agent_events where kind = 'offline' and agent_id = tests.agent_id('Engagement Analyzer')),
          'no heartbeat for 1 h', 'the offline event says how long the agent has been silent, not a timestamp');
select unalike((select string_agg(message, ' ') from public.agent_events where kind = 'offline'),
               '%20__-__-__%', 'no offline message carries a timestamp (the event''s time is created_at)');
select is((select snapshot -> 'offline' from public.agent_events where kind = 'offline' and agent_id = tests.agent_id('Tweet Scheduler')),
          'true'::jsonb, 'its snapshot shows the agent offline');

select tests.as_service();
select is(public.sweep_offline_agents(), 0, 'a second sweep changes nothing');
select tests.as_superuser();
select is((select count(*)::integer from public.agent_events where kind = 'offline'), 3, 'and writes no event');

-- The agent comes back.
select tests.as_anon();
select * from public.agent_report('heartbeat', p_token => 'ts-secret');
select tests.as_superuser();
select is((select offline from public.agent_status where agent_name = 'Tweet Scheduler'), false, 'a report clears offline');
select is(tests.event_count('Tweet Scheduler', 'online'), 1, 'with one online event');
select tests.as_anon();
select * from public.agent_report('heartbeat', p_token => 'ts-secret');
select tests.as_service();
select is(public.sweep_offline_agents(), 0, 'a fresh heartbeat keeps it online');
select tests.as_superuser();
select is(tests.event_count('Tweet Scheduler', 'online'), 1, 'further heartbeats write no more online events');
select is(tests.event_count('Tweet Scheduler'), 3, 'history: started, offline, online');

select * from finish();
rollback;
