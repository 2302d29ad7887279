-- Realtime. Dashboards receive transitions only: agent_events inserts and desired-state updates are
-- published; agent_status is NOT, because every heartbeat writes it (spec §4) and a fleet's heartbeats
-- would flood every dashboard. The agents' push wake-up (Broadcast from the database) is part of a
-- command: 32_wake_ups.sql.
--
-- Hosted Supabase (and the bootstrap) already has the publication; a plain Postgres gets it here.
do $$
begin
  if not exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end $$;
alter publication supabase_realtime add table public.agent_events, public.agent_desired_state;
