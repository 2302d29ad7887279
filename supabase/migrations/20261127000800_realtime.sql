-- Realtime. Dashboards receive transitions only: agent_events inserts and desired-state updates are
-- published; agent_status is not, because every heartbeat writes it (spec §4). The agents' push
-- wake-up (Broadcast from the database) is part of a command: see the commands migration.
do $$
begin
  if not exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end $$;
alter publication supabase_realtime add table public.agent_events, public.agent_desired_state;
