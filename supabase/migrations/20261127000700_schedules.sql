-- What runs on a schedule, and the functions it runs: the offline sweep every 10 seconds and event
-- retention hourly. pg_cron runs them on hosted Supabase; the embedded stack runs whatever cron.job
-- holds the same way, so each schedule is written once, here.

-- Offline detection on the server: one statement marks every silent agent; the events trigger
-- records one 'offline' event per transition.
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

-- Retention: keep 30 days and at most 1,000 events per agent.
create function public.prune_agent_events(p_keep_days integer default 30, p_keep_per_agent integer default 1000)
returns integer
language plpgsql security definer set search_path = '' as $$
declare
  removed integer;
begin
  with ranked as (
    select id, created_at, row_number() over (partition by agent_id order by created_at desc, id desc) as n
      from public.agent_events
  )
  delete from public.agent_events e using ranked r
   where e.id = r.id and (r.n > p_keep_per_agent or r.created_at < now() - make_interval(days => p_keep_days));
  get diagnostics removed = row_count;
  return removed;
end $$;

do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron;
  end if;
  if to_regprocedure('cron.schedule(text, text, text)') is not null then
    perform cron.schedule('agent-status-sweep-offline', '10 seconds', 'select public.sweep_offline_agents()');
    perform cron.schedule('agent-status-prune-events', '17 * * * *', 'select public.prune_agent_events()');
  end if;
end $$;
