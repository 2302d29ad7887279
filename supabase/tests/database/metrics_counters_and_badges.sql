-- What a scrape and a badge see: counters kept on the agent's row stay monotonic when the
-- history is pruned; a restart is every start after the first; one scrape sees every agent, more than
-- PostgREST's max_rows too; badges show one agent's state or how many of all are up; a revoked
-- credential stops working at once. (now() is fixed within this transaction: between two error reports
-- the test clears the previous error's time, which is not an error itself, so the second one is new.)
begin;
select no_plan();

insert into public.metrics_tokens (token_hash, label) values (app.hash_token('metrics-secret'), 'scraper');
insert into public.badge_keys (key, agent_id) values ('badge-cc', tests.agent_id('Content Collector')), ('badge-all', null);
create function pg_temp.agent(name text) returns jsonb language sql as $$
  select a from jsonb_array_elements(public.metrics_snapshot('metrics-secret') -> 'agents') a where a ->> 'agent_name' = name
$$;
create function pg_temp.counters(name text) returns table (errors integer, restarts integer, offlines integer) language sql as $$
  select (a ->> 'errors_total')::integer, (a ->> 'restarts_total')::integer, (a ->> 'offline_total')::integer from pg_temp.agent(name) a
$$;
grant execute on function pg_temp.agent(text), pg_temp.counters(text) to service_role;

select results_eq($$select * from pg_temp.counters('Content Collector')$$, $$values (0, 0, 0)$$, 'a new agent starts at zero');
select results_eq(
  $$select a ->> 'state', (a ->> 'up')::boolean, a ->> 'last_heartbeat_seconds', (a ->> 'desired_running')::boolean, (a ->> 'pending')::boolean
      from pg_temp.agent('Content Collector') a$$,
  $$values ('stopped', false, null::text, false, false)$$, 'a stopped agent that never reported: down, no heartbeat');

-- starts: the first is not a restart; a stop and a start is
select tests.as_service();
select * from public.agent_report('started', 'Content Collector');
select * from public.agent_report('heartbeat', 'Content Collector');
select results_eq($$select * from pg_temp.counters('Content Collector')$$, $$values (0, 0, 0)$$, 'the first start is not a restart');
select results_eq($$select a ->> 'state', (a ->> 'up')::boolean, (a ->> 'last_heartbeat_seconds')::numeric = extract(epoch from now())
                      from pg_temp.agent('Content Collector') a$$,
                  $$values ('running', true, true)$$, 'running: up, heartbeat as seconds since the epoch');
select * from public.agent_report('stopped', 'Content Collector');
select * from public.agent_report('started', 'Content Collector');
select results_eq($$select restarts from pg_temp.counters('Content Collector')$$, $$values (1)$$, 'stopped then started: one restart');

-- errors: every error report
select * from public.agent_report('error', 'Content Collector', p_message => 'disk full');
select tests.as_superuser();
update public.agent_status set last_error_at = null where agent_name = 'Content Collector';
select tests.as_service();
select * from public.agent_report('error', 'Content Collector', p_message => 'disk still full');
select * from public.agent_report('recovered', 'Content Collector');
select results_eq($$select errors, restarts from pg_temp.counters('Content Collector')$$, $$values (2, 1)$$,
                  'two error reports count two; recovering is not a restart');
select results_eq($$select (a ->> 'up')::boolean from pg_temp.agent('Content Collector') a$$, $$values (true)$$, 'an agent in error is up (it reports)');

-- offline: every transition into offline
select tests.as_superuser();
update public.agent_status set last_heartbeat = now() - interval '1 hour' where agent_name = 'Content Collector';
select tests.as_service();
select is(public.sweep_offline_agents(), 1, 'the sweep marks the silent agent offline');
select is(public.sweep_offline_agents(), 0, 'and only once');
select results_eq($$select a ->> 'state', (a ->> 'up')::boolean from pg_temp.agent('Content Collector') a$$,
                  $$values ('offline', false)$$, 'offline: state offline, down');
select * from public.agent_report('heartbeat', 'Content Collector');
select tests.as_superuser();
update public.agent_status set last_heartbeat = now() - interval '1 hour' where agent_name = 'Content Collector';
select tests.as_service();
select public.sweep_offline_agents();
select results_eq($$select * from pg_temp.counters('Content Collector')$$, $$values (2, 1, 2)$$, 'two offline transitions count two');

-- pruning the whole history leaves the counters as they were
select cmp_ok(public.prune_agent_events(0, 0), '>', 0, 'history pruned');
select is(tests.event_count('Content Collector'), 0, 'no event left');
select results_eq($$select * from pg_temp.counters('Content Collector')$$, $$values (2, 1, 2)$$, 'counters survive pruning');

-- desired state and pending
select * from public.command_agents('start', 'Blog Generator');
select results_eq($$select (a ->> 'desired_running')::boolean, (a ->> 'pending')::boolean from pg_temp.agent('Blog Generator') a$$,
                  $$values (true, true)$$, 'a command not yet acknowledged: desired running, pending');

-- badges
select results_eq($$select public.badge_state('badge-cc')$$,
                  $$values ('{"agent_name": "Content Collector", "state": "offline", "up": 0, "total": 1}'::jsonb)$$,
                  'a badge for one agent: its name and state, nothing else');
select * from public.agent_report('started', 'Tweet Scheduler');
select results_eq($$select public.badge_state('badge-all')$$,
                  $$values ('{"agent_name": null, "state": null, "up": 1, "total": 6}'::jsonb)$$, 'a badge for all: how many are up');

-- last_used_at: set by the first scrape, then at most once a minute
select tests.as_superuser();
select isnt((select last_used_at from public.metrics_tokens where label = 'scraper'), null, 'a scrape marks the token used');
update public.metrics_tokens set last_used_at = now() - interval '30 seconds' where label = 'scraper';
select public.metrics_snapshot('metrics-secret');
select is((select last_used_at from public.metrics_tokens where label = 'scraper'), now() - interval '30 seconds',
          'a scrape within the minute writes nothing');

-- more agents than max_rows: one scrape still sees them all (one JSON value, not a capped set)
insert into public.agent_status (agent_name) select 'Bulk ' || n from generate_series(1, 1005) n;
select is(jsonb_array_length(public.metrics_snapshot('metrics-secret') -> 'agents'), 1011, 'a scrape sees all 1,011 agents');

-- revocation and deletion take effect at once
update public.metrics_tokens set revoked_at = now();
update public.badge_keys set revoked_at = now() where key = 'badge-all';
select throws_ok($$select public.metrics_snapshot('metrics-secret')$$, 'PT401', 'invalid or revoked metrics token',
                 'a revoked metrics token is refused on the next scrape');
select is(public.badge_state('badge-all'), null, 'a revoked badge key shows nothing');
delete from public.agent_status where agent_name = 'Content Collector';
select is((select count(*)::integer from public.badge_keys where key = 'badge-cc'), 0, 'deleting an agent deletes its badge keys');

select * from finish();
rollback;
