-- a plain heartbeat is ONE statement inside the database. Counted with pg_stat_statements
-- (preloaded by scripts/pg15.sh as on hosted Supabase), tracking nested statements for this session:
-- every statement agent_report and the triggers it fires run, over N heartbeats. Before the heartbeat-speed
-- migration a heartbeat ran ten: the token lookup, the last_used_at update, the row update, and seven
-- calls of SQL helpers that Postgres could not inline (hash_token twice, health_band twice in the event
-- trigger's WHEN, default_health, message_max_chars, bounded_text).
begin;
select plan(9);

create extension if not exists pg_stat_statements;
set local pg_stat_statements.track = 'all';
select tests.give_token('Content Collector', 'cc-secret');
-- The first report refreshes last_used_at (a write it does at most once a minute), and plans are made.
select * from public.agent_report('heartbeat', p_token => 'cc-secret');

select pg_stat_statements_reset();
select count(*) from generate_series(1, 50) g cross join lateral public.agent_report('heartbeat', p_token => 'cc-secret' || left(g::text, 0));
-- Statements run inside that top-level one (the functions' and triggers' own), per heartbeat.
select is((select coalesce(sum(calls), 0)::numeric / 50 from pg_stat_statements where not toplevel), 1.0,
          'a heartbeat runs one statement inside the database');
select is((select last_heartbeat from public.agent_status where agent_name = 'Content Collector'), now(), '... and it is recorded');

-- The same holds through the API role and for a report with info and a generation.
select tests.as_anon();
select * from public.agent_report('heartbeat', p_token => 'cc-secret', p_observed_generation => 1,
                                  p_info => '{"host":"h","pid":42,"version":"1","heartbeat_interval_seconds":10}');
select tests.as_superuser();
select pg_stat_statements_reset();
select count(*) from generate_series(1, 20) g cross join lateral public.agent_report('heartbeat', p_token => 'cc-secret' || left(g::text, 0),
  p_observed_generation => 1, p_info => '{"host":"h","pid":42,"version":"1","heartbeat_interval_seconds":10}');
select is((select coalesce(sum(calls), 0)::numeric / 20 from pg_stat_statements where not toplevel), 1.0,
          'a heartbeat with info and an acknowledged generation is one statement too');
select is((select host from public.agent_status where agent_name = 'Content Collector'), 'h', '... and writes what it carries');

-- A worker run's instance id (the holder's, as every SDK heartbeat sends it) keeps it one statement.
select * from public.agent_report('heartbeat', p_token => 'cc-secret', p_info => '{"instance_id":"aaaaaaaa-1","instance_new":true}');
select pg_stat_statements_reset();
select count(*) from generate_series(1, 20) g cross join lateral public.agent_report('heartbeat', p_token => 'cc-secret' || left(g::text, 0),
  p_info => '{"instance_id":"aaaaaaaa-1","host":"h","pid":42,"heartbeat_interval_seconds":10}');
select is((select coalesce(sum(calls), 0)::numeric / 20 from pg_stat_statements where not toplevel), 1.0,
          'the holder''s heartbeat with its instance id is one statement');

-- Custom metrics cost only the reports that carry them: once the agent has metrics, a heartbeat without
-- any is still one statement.
select * from public.agent_report('heartbeat', p_token => 'cc-secret',
  p_info => '{"instance_id":"aaaaaaaa-1","metrics":{"gauges":{"queue_length":3},"counters":{"articles":7}}}');
select is((select count(*)::integer from public.agent_metrics where agent_id = tests.agent_id('Content Collector')), 2,
          'a heartbeat with metrics records them in the same request');
select pg_stat_statements_reset();
select count(*) from generate_series(1, 20) g cross join lateral public.agent_report('heartbeat', p_token => 'cc-secret' || left(g::text, 0),
  p_info => '{"instance_id":"aaaaaaaa-1","host":"h","pid":42,"heartbeat_interval_seconds":10}');
select is((select coalesce(sum(calls), 0)::numeric / 20 from pg_stat_statements where not toplevel), 1.0,
          'an agent with metrics: a heartbeat without metrics is still one statement');

-- A worker's heartbeat restates its state (running here, as the row already says): still one statement.
select * from public.agent_report('heartbeat', p_token => 'cc-secret', p_info => '{"instance_id":"aaaaaaaa-1","state":"running"}');
select pg_stat_statements_reset();
select count(*) from generate_series(1, 20) g cross join lateral public.agent_report('heartbeat', p_token => 'cc-secret' || left(g::text, 0),
  p_info => '{"instance_id":"aaaaaaaa-1","host":"h","pid":42,"heartbeat_interval_seconds":10,"state":"running"}');
select is((select coalesce(sum(calls), 0)::numeric / 20 from pg_stat_statements where not toplevel), 1.0,
          'a heartbeat that restates the state the row has is one statement');
select is((select status::text from public.agent_status where agent_name = 'Content Collector'), 'running', '... and keeps it');

select * from finish();
rollback;
