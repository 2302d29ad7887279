-- Retention of the event history: keep 30 days and at most 1,000 events per agent; run hourly
-- (90_schedules.sql). Counters that must survive it live on agent_status (errors_total, …), and the
-- availability computation knows the limits (42_availability.sql).
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

revoke execute on function public.prune_agent_events(integer, integer) from public, anon, authenticated;
grant execute on function public.prune_agent_events(integer, integer) to service_role;
