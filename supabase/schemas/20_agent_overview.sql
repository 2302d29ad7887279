-- What the dashboard and the CLI read: each agent with its desired state, whether a command is pending,
-- its effective offline grace, and the server's clock (ages are measured on it, never on the browser's).
-- security_invoker: row-level security on the tables decides what the caller sees.
--
-- Postgres expands `s.*` into a fixed column list when the view is created: a column added to
-- agent_status appears here only when the view is made again. The generated migration does that (it
-- drops the view and creates it again with its grants), since `create or replace view` cannot put a
-- column before the desired-state ones.
create view public.agent_overview with (security_invoker = true) as
select s.*,
       d.desired_state,
       d.generation,
       d.last_command,
       d.requested_by_email,
       d.requested_at,
       d.generation > s.observed_generation as pending,
       app.offline_after_seconds(s.offline_after_seconds, s.heartbeat_interval_seconds) as effective_offline_after_seconds,
       now() as server_time
from public.agent_status s
join public.agent_desired_state d on d.agent_id = s.id;

revoke all on public.agent_overview from anon, authenticated;
grant all on public.agent_overview to service_role;
grant select on public.agent_overview to authenticated;

-- The whole fleet's overview as one JSON value. A read of agent_overview is cut at PostgREST's max_rows
-- (1,000), so a fleet of 10,000 agents would be 11 ranged requests, each sorting the view to skip its
-- OFFSET; a scalar answer is never cut and is built by one statement. Security invoker: row-level
-- security decides what the caller sees, exactly as for the view. Ordered as the dashboard lists agents
-- (name, then id).
create function public.fleet_overview() returns json
language sql stable security invoker set search_path = '' as $$
  select coalesce(json_agg(o order by o.agent_name, o.id), '[]'::json) from public.agent_overview o
$$;

revoke execute on function public.fleet_overview() from public, anon, authenticated;
grant execute on function public.fleet_overview() to authenticated, service_role;
