-- Availability: from the event history, per agent, the share of time it was available over the last
-- 24 h, 7 d and 30 d for the whole fleet in one query (fleet_availability), and one agent's history as a
-- bar of time buckets (agent_availability_bar). Design notes: docs/dashboard.md ("Availability"),
-- docs/data-model.md.
--
-- States over time come from the event history: every event that carries the agent's row (snapshot)
-- starts a stretch in the state the row shows; commands carry none and change nothing. A state is
-- available (running, warning), down (error, offline), stopped, or unknown.
--
-- Availability = available / (available + down). Stopped time is left out (nobody wants the agent to
-- run; as a paused check on a status page), and so is scheduled-off time: from a schedule's stop command
-- (actor schedule:<name>, 36_agent_schedules.sql) until the next command, the agent is not due, whatever
-- its state (an agent that is offline at night while its schedule has it stopped is not down). Unknown
-- time is left out too: before the agent existed,
-- and before the oldest kept event when retention (prune_agent_events: 30 days and 1,000 events per
-- agent) may have removed events inside the window. Windows of at most 30 days lose nothing to the
-- age limit: the state at the window's start is the state just before its first event (every event
-- records the status it left, from_status, and offline changes are their own kinds). Only the
-- per-agent count limit can cut into a window, and only for an agent that keeps 1,000 events in it,
-- so for such an agent the time before its oldest kept event is unknown. Offline starts when the
-- agent fell silent (its last heartbeat plus one interval), not when the sweep noticed.
--
-- The two helpers below run once per event: like the heartbeat's helpers (03_helpers.sql) they have no
-- SET clause, so Postgres inlines them, and every name in them is pg_catalog-qualified instead.
-- availability_state is stable, not immutable, because an enum's text is (enum_out): an immutable
-- function whose body is not is never inlined.
create function app.availability_state(status public.agent_run_status, offline boolean) returns text
language sql stable as $$
  select case when offline then 'offline' else coalesce(status::pg_catalog.text, 'unknown') end
$$;

-- A schedule's stop: the agent is not due until the next command.
create function app.is_scheduled_stop(command public.agent_command, actor_email text) returns boolean
language sql immutable as $$
  select coalesce(command operator(pg_catalog.=) 'stop' and pg_catalog.starts_with(actor_email, 'schedule:'), false)
$$;

-- Mirrors prune_agent_events' default p_keep_per_agent (docs/dashboard.md "Availability").
create function app.events_kept_per_agent() returns integer
language sql immutable set search_path = '' as $$ select 1000 $$;

-- The known stretches of each agent's state since p_since (one agent, or every agent the caller may
-- read: security invoker, so RLS applies). Set-based: one pass over the window's events, which keeps
-- only the columns it uses (the snapshot's fields read once), so that it stays small enough for memory.
create function app.availability_segments(p_since timestamptz, p_agent_id uuid default null)
returns table (agent_id uuid, state text, started_at timestamptz, ended_at timestamptz)
language sql stable set search_path = '' as $$
  with agents as (
    select s.id, s.created_at, app.availability_state(s.status, s.offline) as current_state
      from public.agent_status s
     where p_agent_id is null or s.id = p_agent_id
  ),
  window_events as (
    select e.agent_id, e.id, e.created_at, e.kind, e.from_status, e.command, e.actor_email,
           e.snapshot is not null as has_snapshot,
           (e.snapshot ->> 'status')::public.agent_run_status as status,
           (e.snapshot ->> 'offline')::boolean as offline,
           (e.snapshot ->> 'last_heartbeat')::timestamptz as last_heartbeat,
           (e.snapshot ->> 'heartbeat_interval_seconds')::integer as heartbeat_interval_seconds
      from public.agent_events e
     where e.created_at >= p_since and (p_agent_id is null or e.agent_id = p_agent_id)
  ),
  -- How many events each agent keeps in the window (commands too) and the oldest: with as many as
  -- retention keeps, older ones in the window may have been removed.
  kept as (
    select w.agent_id, count(*) as n, min(w.created_at) as oldest from window_events w group by w.agent_id
  ),
  changes as (
    select w.agent_id, w.id, w.created_at,
           app.availability_state(w.status, w.offline) as after,
           app.availability_state(coalesce(w.from_status, w.status),
                                  case w.kind when 'online' then true when 'offline' then false
                                       else w.offline end) as before,
           case when w.kind = 'offline' then
             least(w.created_at, w.last_heartbeat
                                   + make_interval(secs => coalesce(w.heartbeat_interval_seconds, 0)))
           end as silent_since
      from window_events w
     where w.has_snapshot
  ),
  -- Each change starts a stretch at `at` that ends where the next one starts (the next change's `at`,
  -- spelled out so that one sort serves both) or now.
  timed as (
    select c.agent_id, c.after, c.before,
           greatest(coalesce(c.silent_since, c.created_at), lag(c.created_at) over w) as at,
           case when lead(c.id) over w is null then now()
                else greatest(lead(coalesce(c.silent_since, c.created_at)) over w, c.created_at) end as ended_at,
           row_number() over w as n
      from changes c
    window w as (partition by c.agent_id order by c.created_at, c.id)
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
    select t.agent_id, t.after, t.at, t.ended_at from timed t
  ),
  -- Whether the agent was due, in stretches that cover the window: each command starts one, scheduled off
  -- after a schedule's stop; before the window's first command, what the last command before it said.
  commands as (
    select w.agent_id, w.id, w.created_at, app.is_scheduled_stop(w.command, w.actor_email) as off
      from window_events w
     where w.kind = 'command'
  ),
  first_command as (
    select c.agent_id, min(c.created_at) as at from commands c group by c.agent_id
  ),
  duty as (
    select a.id as agent_id, coalesce(before_window.off, false) as off, p_since as started_at,
           coalesce(f.at, now()) as ended_at
      from agents a
      left join first_command f on f.agent_id = a.id
      left join lateral (
        select app.is_scheduled_stop(e.command, e.actor_email) as off
          from public.agent_events e
         where e.agent_id = a.id and e.kind = 'command' and e.created_at < p_since
         order by e.created_at desc, e.id desc
         limit 1
      ) before_window on true
    union all
    select c.agent_id, c.off, c.created_at,
           coalesce(lead(c.created_at) over (partition by c.agent_id order by c.created_at, c.id), now())
      from commands c
  ),
  clipped as (
    select s.agent_id, s.state, greatest(s.started_at, p_since) as started_at, least(s.ended_at, now()) as ended_at
      from segments s
     where least(s.ended_at, now()) > greatest(s.started_at, p_since)
  )
  select s.agent_id, case when d.off then 'scheduled_off' else s.state end,
         greatest(s.started_at, d.started_at), least(s.ended_at, d.ended_at)
    from clipped s
    join duty d on d.agent_id = s.agent_id and d.started_at < s.ended_at and d.ended_at > s.started_at
$$;

revoke execute on function app.availability_state(public.agent_run_status, boolean), app.is_scheduled_stop(public.agent_command, text),
  app.events_kept_per_agent(), app.availability_segments(timestamptz, uuid) from public;
grant execute on function app.availability_state(public.agent_run_status, boolean), app.is_scheduled_stop(public.agent_command, text),
  app.events_kept_per_agent(), app.availability_segments(timestamptz, uuid) to anon, authenticated, service_role;

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
-- (offline, error, warning, running, stopped, scheduled_off, unknown: the first present), as status pages
-- colour a day.
create function public.agent_availability_bar(p_agent_id uuid, p_window text default '24h')
returns table (
  bucket_start timestamptz, bucket_end timestamptz, state text,
  running real, warning real, error real, offline real, stopped real, unknown real, scheduled_off real
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
              when coalesce(sum(p.seconds) filter (where p.state = 'scheduled_off'), 0) > 0 then 'scheduled_off'
              else 'unknown' end,
         coalesce(sum(p.seconds) filter (where p.state = 'running'), 0)::real,
         coalesce(sum(p.seconds) filter (where p.state = 'warning'), 0)::real,
         coalesce(sum(p.seconds) filter (where p.state = 'error'), 0)::real,
         coalesce(sum(p.seconds) filter (where p.state = 'offline'), 0)::real,
         coalesce(sum(p.seconds) filter (where p.state = 'stopped'), 0)::real,
         greatest(extract(epoch from b.b_end - b.b_start) - coalesce(sum(p.seconds), 0), 0)::real,
         coalesce(sum(p.seconds) filter (where p.state = 'scheduled_off'), 0)::real
    from bounds b
    left join per p on p.b_start = b.b_start
   group by b.b_start, b.b_end
   order by b.b_start;
end $$;

-- Whoever may read agents (security invoker: RLS decides; anon may not call them).
revoke execute on function public.fleet_availability(), public.agent_availability_bar(uuid, text) from public, anon, authenticated;
grant execute on function public.fleet_availability(), public.agent_availability_bar(uuid, text) to authenticated, service_role;
