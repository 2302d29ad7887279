-- Offline detection on the server, so nobody has to have a page open: every 10 seconds
-- (90_schedules.sql) one statement marks every non-stopped agent that has been silent for longer than
-- its grace (app.offline_after_seconds) as offline; the events trigger (12_agent_events.sql) records one
-- 'offline' event per transition, and the agent's next report clears the flag (an 'online' event).
create function public.sweep_offline_agents() returns integer
language plpgsql security definer set search_path = '' as $$
declare
  marked integer;
begin
  update public.agent_status s set offline = true
   where not s.offline
     and s.status <> 'stopped'
     and coalesce(s.last_heartbeat, s.updated_at)
         < now() - make_interval(secs => app.offline_after_seconds(s.offline_after_seconds, s.heartbeat_interval_seconds));
  get diagnostics marked = row_count;
  return marked;
end $$;

revoke execute on function public.sweep_offline_agents() from public, anon, authenticated;
grant execute on function public.sweep_offline_agents() to service_role;
