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

-- The same fleet, compact: {"server_time", "columns", "rows"}, each agent one array of the view's values
-- in `columns`' order. At 10,000 agents fleet_overview() is 8.6 MB, most of it the view's 38 column
-- names repeated in every row, and the page spends its sign-in moving, decoding and parsing them; this
-- answer is 3 MB and its SQL a third of the time (docs/performance.md, "The fleet read, compact").
-- server_time (the statement's now(), the same in every row) comes once. The columns are the view's, read
-- from the catalog at each call, so a column added to the view needs nothing here (json_build_array takes
-- at most 100 arguments; the view has 38). Security invoker: row-level security decides, as for the view.
--
-- p_columns: only these of the view's columns (still in the view's order; null: all of them). The
-- dashboard's list asks for the columns it shows, 1.8 of the 3 MB at 10,000 agents, and reads an agent's
-- whole row when its page opens. A name the view does not have is refused (22023), never skipped.
create function public.fleet_overview_compact(p_columns text[] default null) returns json
language plpgsql stable security invoker set search_path = '' as $$
declare
  columns text[];
  unknown text;
  answer json;
begin
  select array_agg(a.attname::text order by a.attnum) into columns
    from pg_catalog.pg_attribute a
   where a.attrelid = 'public.agent_overview'::pg_catalog.regclass and a.attnum > 0 and not a.attisdropped
     and a.attname <> 'server_time' and (p_columns is null or a.attname = any (p_columns));
  select string_agg(coalesce(pg_catalog.quote_ident(c), 'NULL'), ', ') into unknown
    from unnest(p_columns) c where c is null or not c = any (coalesce(columns, '{}'));
  if unknown is not null or cardinality(p_columns) = 0 then
    raise exception 'fleet_overview_compact: agent_overview has no column %', coalesce(unknown, '(none asked for)')
      using errcode = '22023', hint = 'p_columns names columns of the view agent_overview; null reads them all';
  end if;
  execute format(
    $sql$select json_build_object('server_time', now(), 'columns', $1,
                                   'rows', coalesce(json_agg(json_build_array(%s) order by o.agent_name, o.id), '[]'::json))
           from public.agent_overview o$sql$,
    (select string_agg(format('o.%I', c), ', ') from unnest(columns) c))
    into answer using columns;
  return answer;
end $$;

revoke execute on function public.fleet_overview_compact(text[]) from public, anon, authenticated;
grant execute on function public.fleet_overview_compact(text[]) to authenticated, service_role;
