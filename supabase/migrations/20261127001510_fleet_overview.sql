-- The whole fleet's overview as one JSON value, for the dashboard's read (issue 17).
-- A read of agent_overview is cut at max_rows (1,000), so a fleet of 10,000 agents is 11 ranged
-- requests, each sorting the view to skip its OFFSET (on single-session PGlite they queue: ~700 ms).
-- A scalar answer is never cut (as command_agents_json and fleet_availability) and is built by one
-- statement (~190 ms for 10,006 agents). Security invoker: row-level security decides what the caller
-- sees, exactly as for the view. Ordered as the dashboard lists agents (name, then id).
create function public.fleet_overview() returns json
language sql stable security invoker set search_path = '' as $$
  select coalesce(json_agg(o order by o.agent_name, o.id), '[]'::json) from public.agent_overview o
$$;

revoke execute on function public.fleet_overview() from public, anon, authenticated;
grant execute on function public.fleet_overview() to authenticated, service_role;
