-- Realtime messages are metered: dashboards and agents get transitions (agent_events) and
-- commands (agent_desired_state), never the agent_status row that every heartbeat writes.
begin;
select no_plan();

select is(array(select tablename::text from pg_publication_tables
                 where pubname = 'supabase_realtime' and schemaname = 'public' order by tablename),
          array['agent_desired_state', 'agent_events'],
                  'supabase_realtime publishes agent_desired_state and agent_events only');
select is((select count(*)::integer from pg_publication_tables where pubname = 'supabase_realtime' and tablename = 'agent_status'),
          0, 'agent_status is not published');
select is((select count(*)::integer from pg_publication_tables where pubname = 'supabase_realtime' and tablename = 'agent_tokens'),
          0, 'agent_tokens is not published');
select ok((select pubinsert and pubupdate from pg_publication where pubname = 'supabase_realtime'),
          'the publication carries inserts and updates');

select * from finish();
rollback;
