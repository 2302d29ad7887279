-- The dashboard for real fleets (issue 17).
--   1. Tags: agents carry a set of short lower-case labels; operators add and remove them for many
--      agents in one statement (tag_agents), each change an `updated` event with its actor.
--   2. agent_overview shows the tags (made again: a view's `s.*` is expanded when it is created).
--   3. Commands for a chosen set of agents: command_agents takes an array of names, one set-based
--      UPDATE as before; command_agents_json answers the same rows as one JSON value, which PostgREST's
--      max_rows does not cut (a start-all over 10,000 agents answers 10,000 rows).
--   4. Availability: from the event history, per agent, the share of time it was available over the
--      last 24 h, 7 d and 30 d for the whole fleet in one query (fleet_availability), and one agent's
--      history as a bar of time buckets (agent_availability_bar). Design notes: docs/dashboard.md
--      ("Availability"), docs/data-model.md.

-- 1. Tags ------------------------------------------------------------------------------------------
-- A tag: 1 to 40 characters, lower case, no whitespace or commas (so "a, b" lists and URLs stay
-- simple); an agent has at most 20, without duplicates. The RPC lower-cases and trims what it is given.
create function app.tag_problem(tag text) returns text
language sql immutable set search_path = '' as $$
  select case
    when tag is null or tag = '' then 'a tag must not be empty'
    when char_length(tag) > 40 then format('tag "%s…" is longer than 40 characters', left(tag, 40))
    when tag ~ '[[:space:],]' then format('tag "%s" must not contain spaces or commas', tag)
    when tag <> lower(tag) then format('tag "%s" must be lower case', tag)
  end
$$;

create function app.tags_are_valid(tags text[]) returns boolean
language sql immutable set search_path = '' as $$
  select cardinality(tags) <= 20
     and not exists (select 1 from unnest(tags) t where app.tag_problem(t) is not null)
     and cardinality(tags) = (select count(distinct t) from unnest(tags) t)
$$;

alter table public.agent_status add column tags text[] not null default '{}'
  constraint tags_valid check (app.tags_are_valid(tags));
comment on column public.agent_status.tags is
  'Labels for filtering and bulk actions: at most 20, each 1–40 lower-case characters without whitespace or commas (tag_agents).';

-- What a tag change says in the agent's history: "tags +prod −old".
create function app.describe_tag_change(before text[], after text[]) returns text
language sql immutable set search_path = '' as $$
  select 'tags ' || concat_ws(' ',
    (select string_agg('+' || t, ' ' order by t) from unnest(after) t where not t = any (before)),
    (select string_agg('−' || t, ' ' order by t) from unnest(before) t where not t = any (after)))
$$;

-- The names a set-based RPC was given, checked: at least one, none null, all existing (as the caller
-- sees them). All or nothing: one unknown name refuses the whole request (PT404 names them).
create function app.check_agent_names(p_agent_names text[]) returns void
language plpgsql stable set search_path = '' as $$
declare
  missing text[];
begin
  if p_agent_names is null or cardinality(p_agent_names) = 0 then
    raise exception 'agent_names must name at least one agent' using errcode = '22023';
  end if;
  if array_position(p_agent_names, null) is not null then
    raise exception 'agent_names must not hold null' using errcode = '22023';
  end if;
  select array_agg(n order by n) into missing
    from (select distinct unnest(p_agent_names) as n) given
   where not exists (select 1 from public.agent_status s where s.agent_name = given.n);
  if missing is not null then
    raise exception 'unknown agent%: %', case when cardinality(missing) > 1 then 's' else '' end,
      (select string_agg(format('"%s"', m), ', ') from unnest(missing[1:5]) m)
        || case when cardinality(missing) > 5 then format(' and %s more', cardinality(missing) - 5) else '' end
      using errcode = 'PT404';
  end if;
end $$;

-- Adds and removes tags on every named agent in one UPDATE; each agent whose tags changed gets one
-- `updated` event (who, "tags +a −b", its row as the snapshot). Answers every named agent's tags.
create function public.tag_agents(p_agent_names text[], p_add text[] default '{}', p_remove text[] default '{}')
returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  adding text[] := (select coalesce(array_agg(distinct lower(btrim(t))), '{}') from unnest(coalesce(p_add, '{}')) t);
  removing text[] := (select coalesce(array_agg(distinct lower(btrim(t))), '{}') from unnest(coalesce(p_remove, '{}')) t);
  problem text;
  crowded text;
  answer jsonb;
begin
  perform app.require_operator('tag agents');
  perform app.check_agent_names(p_agent_names);
  if cardinality(adding) + cardinality(removing) = 0 then
    raise exception 'name at least one tag to add or remove' using errcode = '22023';
  end if;
  select app.tag_problem(t) into problem from unnest(adding || removing) t where app.tag_problem(t) is not null limit 1;
  if problem is not null then
    raise exception '%', problem using errcode = '22023';
  end if;
  select s.agent_name into crowded
    from public.agent_status s
   where s.agent_name = any (p_agent_names)
     and (select count(distinct t) from unnest(s.tags || adding) t where not t = any (removing)) > 20
   limit 1;
  if crowded is not null then
    raise exception 'agent "%" would have more than 20 tags', crowded using errcode = '22023';
  end if;

  with target as (
    select s.id, s.tags as before,
           array(select distinct t from unnest(s.tags || adding) t where not t = any (removing) order by t) as after
      from public.agent_status s
     where s.agent_name = any (p_agent_names)
  ), changed as (
    update public.agent_status s set tags = t.after
      from target t
     where s.id = t.id and t.after is distinct from t.before
    returning s.id, s.agent_name, s.tags, t.before, to_jsonb(s) as snapshot
  ), recorded as (
    insert into public.agent_events (agent_id, kind, message, actor_id, actor_email, snapshot)
    select c.id, 'updated', app.describe_tag_change(c.before, c.tags), auth.uid(), app.actor_email(), c.snapshot
      from changed c
  )
  select coalesce(jsonb_agg(jsonb_build_object('agent_name', s.agent_name, 'tags', coalesce(c.tags, s.tags)) order by s.agent_name), '[]')
    into answer
    from public.agent_status s
    left join changed c on c.id = s.id
   where s.agent_name = any (p_agent_names);
  return answer;
end $$;

-- 2. agent_overview with the tags ------------------------------------------------------------------
-- Same definition as in the registry migration; made again so that `s.*` includes tags.
drop view public.agent_overview;
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

-- 3. Commands for a set of agents ------------------------------------------------------------------
-- Redefined from the commands migration (a new argument changes the signature, so the old one is
-- dropped rather than overloaded: PostgREST could not choose between two matching overloads).
-- p_agent_names: several agents by name, all or nothing (an unknown name refuses the command). Every
-- caller of the two-argument form works unchanged: one agent by p_agent_name, or all when neither is given.
drop function public.command_agents(public.agent_command, text);
create function public.command_agents(
  p_command public.agent_command,
  p_agent_name text default null,
  p_agent_names text[] default null
)
returns table (agent_name text, desired_state public.desired_state, generation bigint)
language plpgsql security invoker set search_path = '' as $$
declare
  target public.desired_state := case p_command when 'stop' then 'stopped' else 'running' end;
  changed integer;
begin
  -- Only turns "0 rows" into a clear 403; RLS is what enforces it.
  if not (app.can_command() or app.is_service()) then
    raise exception 'only operators can command agents' using errcode = '42501';
  end if;
  if p_agent_name is not null and p_agent_names is not null then
    raise exception 'name one agent (p_agent_name) or several (p_agent_names), not both' using errcode = '22023';
  end if;
  if p_agent_names is not null then
    perform app.check_agent_names(p_agent_names);
  end if;

  return query
  update public.agent_desired_state d set
    desired_state = target,
    generation = d.generation + case when p_command = 'restart' or d.desired_state <> target then 1 else 0 end,
    last_command = p_command,
    requested_by = auth.uid(),
    requested_by_email = coalesce(auth.jwt() ->> 'email', auth.role()),
    requested_at = clock_timestamp()
  from public.agent_status s
  where s.id = d.agent_id
    and (p_agent_name is null or s.agent_name = p_agent_name)
    and (p_agent_names is null or s.agent_name = any (p_agent_names))
  returning s.agent_name, d.desired_state, d.generation;

  get diagnostics changed = row_count;
  if changed = 0 and p_agent_name is not null then
    raise exception 'unknown agent "%"', p_agent_name using errcode = 'PT404';
  end if;
end $$;

-- The same command, answered as one JSON array ordered by name. PostgREST caps a set-returning
-- function's answer at max_rows (1,000) and a command cannot be paged (asking again would command
-- again), so the `agents` Edge Function calls this one: a scalar answer is never cut.
create function public.command_agents_json(
  p_command public.agent_command,
  p_agent_name text default null,
  p_agent_names text[] default null
)
returns jsonb
language sql volatile security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('agent_name', c.agent_name, 'desired_state', c.desired_state, 'generation', c.generation)
                            order by c.agent_name), '[]'::jsonb)
    from public.command_agents(p_command, p_agent_name, p_agent_names) c
$$;

-- 4. Availability ----------------------------------------------------------------------------------
-- States over time come from the event history: every event that carries the agent's row (snapshot)
-- starts a stretch in the state the row shows; commands carry none and change nothing. A state is
-- available (running, warning), down (error, offline), stopped, or unknown.
--
-- Availability = available / (available + down). Stopped time is left out (nobody wants the agent to
-- run; as a paused check on a status page); unknown time is left out too: before the agent existed,
-- and before the oldest kept event when retention (prune_agent_events: 30 days and 1,000 events per
-- agent) may have removed events inside the window. Windows of at most 30 days lose nothing to the
-- age limit: the state at the window's start is the state just before its first event (every event
-- records the status it left, from_status, and offline changes are their own kinds). Only the
-- per-agent count limit can cut into a window, and only for an agent that keeps 1,000 events in it,
-- so for such an agent the time before its oldest kept event is unknown. Offline starts when the
-- agent fell silent (its last heartbeat plus one interval), not when the sweep noticed.
create function app.availability_state(status public.agent_run_status, offline boolean) returns text
language sql immutable set search_path = '' as $$
  select case when offline then 'offline' else coalesce(status::text, 'unknown') end
$$;

-- Mirrors prune_agent_events' default p_keep_per_agent (docs/dashboard.md "Availability").
create function app.events_kept_per_agent() returns integer
language sql immutable set search_path = '' as $$ select 1000 $$;

-- The known stretches of each agent's state since p_since (one agent, or every agent the caller may
-- read: security invoker, so RLS applies). Set-based: one pass over the window's events.
create function app.availability_segments(p_since timestamptz, p_agent_id uuid default null)
returns table (agent_id uuid, state text, started_at timestamptz, ended_at timestamptz)
language sql stable set search_path = '' as $$
  with agents as (
    select s.id, s.created_at, app.availability_state(s.status, s.offline) as current_state
      from public.agent_status s
     where p_agent_id is null or s.id = p_agent_id
  ),
  window_events as (
    select e.* from public.agent_events e
     where e.created_at >= p_since and (p_agent_id is null or e.agent_id = p_agent_id)
  ),
  -- How many events each agent keeps in the window (commands too) and the oldest: with as many as
  -- retention keeps, older ones in the window may have been removed.
  kept as (
    select w.agent_id, count(*) as n, min(w.created_at) as oldest from window_events w group by w.agent_id
  ),
  changes as (
    select w.agent_id, w.id, w.created_at,
           app.availability_state((w.snapshot ->> 'status')::public.agent_run_status, (w.snapshot ->> 'offline')::boolean) as after,
           app.availability_state(coalesce(w.from_status, (w.snapshot ->> 'status')::public.agent_run_status),
                                  case w.kind when 'online' then true when 'offline' then false
                                       else (w.snapshot ->> 'offline')::boolean end) as before,
           case when w.kind = 'offline' then
             least(w.created_at, (w.snapshot ->> 'last_heartbeat')::timestamptz
                                   + make_interval(secs => coalesce((w.snapshot ->> 'heartbeat_interval_seconds')::integer, 0)))
           end as silent_since
      from window_events w
     where w.snapshot is not null
  ),
  timed as (
    select c.agent_id, c.id, c.created_at, c.after, c.before,
           greatest(coalesce(c.silent_since, c.created_at),
                    lag(c.created_at) over (partition by c.agent_id order by c.created_at, c.id)) as at,
           row_number() over (partition by c.agent_id order by c.created_at, c.id) as n
      from changes c
  ),
  segments as (
    -- Before the first change in the window (or all of it without one): the state it left (or the
    -- agent's state now), from when that is known.
    select a.id as agent_id, coalesce(f.before, a.current_state) as state,
           greatest(p_since, a.created_at, case when k.n >= app.events_kept_per_agent() then k.oldest end) as started_at,
           coalesce(f.at, now()) as ended_at
      from agents a
      left join kept k on k.agent_id = a.id
      left join timed f on f.agent_id = a.id and f.n = 1
    union all
    select t.agent_id, t.after, t.at,
           coalesce(lead(t.at) over (partition by t.agent_id order by t.created_at, t.id), now())
      from timed t
  )
  select s.agent_id, s.state, greatest(s.started_at, p_since), least(s.ended_at, now())
    from segments s
   where least(s.ended_at, now()) > greatest(s.started_at, p_since)
$$;

-- The whole fleet's availability over 24 h, 7 d and 30 d, in one query and one JSON value (a
-- set-returning answer would be cut at max_rows): { "<agent id>": [a24h, s24h, a7d, s7d, a30d, s30d] }
-- where a is available / (available + down) rounded to 5 decimals (null when no such time), and s
-- those counted seconds. Agents the caller may not read are absent.
create function public.fleet_availability() returns jsonb
language sql stable set search_path = '' as $$
  with seg as (
    select s.agent_id, s.state,
           extract(epoch from s.ended_at - greatest(s.started_at, now() - interval '24 hours')) as d1,
           extract(epoch from s.ended_at - greatest(s.started_at, now() - interval '7 days')) as d7,
           extract(epoch from s.ended_at - s.started_at) as d30
      from app.availability_segments(now() - interval '30 days') s
  ),
  sums as (
    select agent_id,
           coalesce(sum(greatest(d1, 0)) filter (where state in ('running', 'warning')), 0) as up1,
           coalesce(sum(greatest(d1, 0)) filter (where state in ('error', 'offline')), 0) as down1,
           coalesce(sum(greatest(d7, 0)) filter (where state in ('running', 'warning')), 0) as up7,
           coalesce(sum(greatest(d7, 0)) filter (where state in ('error', 'offline')), 0) as down7,
           coalesce(sum(d30) filter (where state in ('running', 'warning')), 0) as up30,
           coalesce(sum(d30) filter (where state in ('error', 'offline')), 0) as down30
      from seg
     group by agent_id
  )
  select coalesce(jsonb_object_agg(agent_id, jsonb_build_array(
           round(up1 / nullif(up1 + down1, 0), 5), round(up1 + down1),
           round(up7 / nullif(up7 + down7, 0), 5), round(up7 + down7),
           round(up30 / nullif(up30 + down30, 0), 5), round(up30 + down30))), '{}'::jsonb)
    from sums
$$;

-- One agent over a window ('24h': 96 buckets of 15 min, '7d': 84 of 2 h, '30d': 90 of 8 h), for the
-- detail view's bar: per bucket the seconds in each state (unknown = the rest) and its worst state
-- (offline, error, warning, running, stopped, unknown: the first present), as status pages colour a day.
create function public.agent_availability_bar(p_agent_id uuid, p_window text default '24h')
returns table (
  bucket_start timestamptz, bucket_end timestamptz, state text,
  running real, warning real, error real, offline real, stopped real, unknown real
)
language plpgsql stable set search_path = '' as $$
declare
  span interval := case p_window when '24h' then interval '24 hours' when '7d' then interval '7 days' when '30d' then interval '30 days' end;
  buckets integer := case p_window when '24h' then 96 when '7d' then 84 when '30d' then 90 end;
begin
  if span is null then
    raise exception 'p_window must be 24h, 7d or 30d, got "%"', p_window using errcode = '22023';
  end if;
  return query
  with bounds as (
    select now() - span + (span / buckets) * k as b_start, now() - span + (span / buckets) * (k + 1) as b_end
      from generate_series(0, buckets - 1) k
  ),
  seg as (select * from app.availability_segments(now() - span, p_agent_id)),
  per as (
    select b.b_start, b.b_end, s.state,
           sum(extract(epoch from least(s.ended_at, b.b_end) - greatest(s.started_at, b.b_start)))::real as seconds
      from bounds b
      join seg s on s.started_at < b.b_end and s.ended_at > b.b_start
     group by b.b_start, b.b_end, s.state
  )
  select b.b_start, b.b_end,
         case when coalesce(sum(p.seconds) filter (where p.state = 'offline'), 0) > 0 then 'offline'
              when coalesce(sum(p.seconds) filter (where p.state = 'error'), 0) > 0 then 'error'
              when coalesce(sum(p.seconds) filter (where p.state = 'warning'), 0) > 0 then 'warning'
              when coalesce(sum(p.seconds) filter (where p.state = 'running'), 0) > 0 then 'running'
              when coalesce(sum(p.seconds) filter (where p.state = 'stopped'), 0) > 0 then 'stopped'
              else 'unknown' end,
         coalesce(sum(p.seconds) filter (where p.state = 'running'), 0)::real,
         coalesce(sum(p.seconds) filter (where p.state = 'warning'), 0)::real,
         coalesce(sum(p.seconds) filter (where p.state = 'error'), 0)::real,
         coalesce(sum(p.seconds) filter (where p.state = 'offline'), 0)::real,
         coalesce(sum(p.seconds) filter (where p.state = 'stopped'), 0)::real,
         greatest(extract(epoch from b.b_end - b.b_start) - coalesce(sum(p.seconds), 0), 0)::real
    from bounds b
    left join per p on p.b_start = b.b_start
   group by b.b_start, b.b_end
   order by b.b_start;
end $$;

-- Who may do what --------------------------------------------------------------------------------
-- Tags and commands: operators and the service role (each RPC checks the current role itself).
-- Availability: whoever may read agents (security invoker: RLS decides; anon may not call them).
revoke execute on function app.tag_problem(text), app.tags_are_valid(text[]), app.describe_tag_change(text[], text[]),
  app.check_agent_names(text[]), app.availability_state(public.agent_run_status, boolean), app.events_kept_per_agent(),
  app.availability_segments(timestamptz, uuid) from public;
grant execute on function app.tag_problem(text), app.tags_are_valid(text[]), app.describe_tag_change(text[], text[]),
  app.check_agent_names(text[]), app.availability_state(public.agent_run_status, boolean), app.events_kept_per_agent(),
  app.availability_segments(timestamptz, uuid) to anon, authenticated, service_role;

revoke execute on function public.command_agents(public.agent_command, text, text[]),
  public.command_agents_json(public.agent_command, text, text[]), public.tag_agents(text[], text[], text[]),
  public.fleet_availability(), public.agent_availability_bar(uuid, text) from public, anon, authenticated;
grant execute on function public.command_agents(public.agent_command, text, text[]),
  public.command_agents_json(public.agent_command, text, text[]), public.tag_agents(text[], text[], text[]),
  public.fleet_availability(), public.agent_availability_bar(uuid, text) to authenticated, service_role;
