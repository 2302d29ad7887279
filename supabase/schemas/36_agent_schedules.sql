-- Agent schedules: operators attach a schedule to one agent or to a tag, saying the desired state inside
-- its window ("running Mon–Fri 08:00–20:00 Europe/Berlin"); outside the window the desired state is the
-- other one. A window is a time window (days, start and end, in a named time zone) or two cron
-- expressions (35_cron_expressions.sql): the window opens at a match of cron_open and closes at the next
-- match of cron_close.
--
-- A schedule acts only at its boundaries — when its window opens or closes: run_agent_schedules(), every
-- minute (90_schedules.sql), writes the desired state as a normal command (new generation, wake-up,
-- `command` event) with the actor `schedule:<name>`. Between two boundaries an operator's command wins;
-- the next boundary writes the schedule's state again. A new or changed schedule acts from its next
-- boundary, on the agents it covers at that moment (an agent that gains the tag is covered from then on).
-- Design notes: docs/schedules.md.

create table public.agent_schedules (
  id uuid primary key default gen_random_uuid(),
  -- the actor of its commands is schedule:<name>
  name text not null constraint agent_schedule_name_unique unique
    constraint agent_schedule_name_pattern check (name ~ '^[a-z0-9][a-z0-9_-]{0,59}$'),
  -- what it covers: one agent, or every agent that has the tag
  agent_id uuid references public.agent_status (id) on delete cascade,
  tag text,
  -- the desired state inside the window
  state public.desired_state not null default 'running',
  -- a time window: ISO weekdays (1 = Monday … 7 = Sunday) on which it opens, and its local start and end;
  -- an end at or before the start is on the next day (22:00–06:00), 24:00 is the end of the day
  days integer[],
  start_time time,
  end_time time,
  -- or cron expressions: the window opens at a match of cron_open and closes at the next match of cron_close
  cron_open text,
  cron_close text,
  time_zone text not null default 'UTC',
  enabled boolean not null default true,
  -- the boundary this schedule last acted on (when made or changed: its latest boundary, so it acts from its next)
  last_boundary_at timestamptz,
  created_by uuid,
  created_by_email text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint agent_schedule_covers_an_agent_or_a_tag check (num_nonnulls(agent_id, tag) = 1),
  constraint agent_schedule_is_a_window_or_cron check (
    (days is not null and start_time is not null and end_time is not null and cron_open is null and cron_close is null)
    or (days is null and start_time is null and end_time is null and cron_open is not null and cron_close is not null))
);
create index agent_schedules_agent on public.agent_schedules (agent_id) where agent_id is not null;
create index agent_schedules_tag on public.agent_schedules (tag) where tag is not null;

comment on table public.agent_schedules is
  'When agents should run: a time window or two cron expressions in a named time zone, the desired state inside it; acted on at its boundaries by run_agent_schedules().';

-- At most this many schedules: every one is evaluated each minute.
create function app.schedules_max() returns integer
language sql immutable set search_path = '' as $$ select 500 $$;

-- The other desired state: what a schedule wants outside its window.
create function app.scheduled_state(state public.desired_state, inside boolean) returns public.desired_state
language sql immutable set search_path = '' as $$
  select case when inside then state when not inside then
                case when state = 'running' then 'stopped'::public.desired_state else 'running'::public.desired_state end end
$$;

-- A time window's occurrence on one local date: when it opens and closes, or nulls when it does not open
-- that day. Daylight saving (35_cron_expressions.sql): a time the clocks skip moves on by the skip, so on
-- that night 02:30–04:00 in Berlin is 03:30–04:00; a window the move leaves no time (02:30–03:15) does
-- not open that day. An occurrence over a night that gains an hour lasts an hour longer, as the clock says.
create function app.window_on(s public.agent_schedules, day date, out opens timestamptz, out closes timestamptz)
language plpgsql stable set search_path = '' as $$
begin
  if not extract(isodow from day)::integer = any (s.days) then
    return;
  end if;
  opens := (day + s.start_time) at time zone s.time_zone;
  -- an end at or before the start is on the next day; 24:00 is the next day's 00:00 already
  closes := ((day + case when s.end_time <= s.start_time then 1 else 0 end) + s.end_time) at time zone s.time_zone;
  if closes <= opens then
    opens := null;
    closes := null;
  end if;
end $$;

-- A time window at p_at: whether one of its occurrences holds p_at, and since when it has been open or
-- closed. Occurrences that touch (Mon–Fri 00:00–24:00) are one window.
create function app.window_state_at(s public.agent_schedules, p_at timestamptz, out inside boolean, out since timestamptz)
language plpgsql stable set search_path = '' as $$
declare
  today date := (p_at at time zone s.time_zone)::date;
  day date;
  w record;
begin
  -- an occurrence is at most a day and an hour long: it opened today or on one of the two days before
  select min(o.opens) into since
    from generate_series(-2, 0) k
   cross join lateral app.window_on(s, today + k) o
   where o.opens <= p_at and o.closes > p_at;
  inside := since is not null;
  if inside then
    -- back through the occurrences that reach its opening
    day := (since at time zone s.time_zone)::date - 1;
    for i in 1..8 loop
      w := app.window_on(s, day);
      if w.opens is not null then
        exit when w.closes < since;
        since := least(since, w.opens);
      end if;
      day := day - 1;
    end loop;
    return;
  end if;
  -- a week back, or two when daylight saving left last week's occurrence no time
  select max(o.closes) into since
    from generate_series(-15, 0) k
   cross join lateral app.window_on(s, today + k) o
   where o.closes <= p_at;
end $$;

-- A time window's next boundary after p_after: when it next opens, or when the occurrence that holds
-- p_after (with those that touch it) closes.
create function app.window_next_change(s public.agent_schedules, p_after timestamptz, out at timestamptz, out inside boolean)
language plpgsql stable set search_path = '' as $$
declare
  today date := (p_after at time zone s.time_zone)::date;
  day date;
  w record;
begin
  select max(o.closes) into at
    from generate_series(-2, 0) k
   cross join lateral app.window_on(s, today + k) o
   where o.opens <= p_after and o.closes > p_after;
  inside := at is null;
  if inside then
    select min(o.opens) into at
      from generate_series(-1, 15) k
     cross join lateral app.window_on(s, today + k) o
     where o.opens > p_after;
    return;
  end if;
  day := (at at time zone s.time_zone)::date - 1;
  for i in 1..10 loop
    w := app.window_on(s, day);
    if w.opens is not null and w.opens > at then
      exit;
    end if;
    if w.opens is not null and w.closes > at then
      at := w.closes;
    end if;
    day := day + 1;
  end loop;
end $$;

-- Cron windows: open at a match of cron_open until the next match of cron_close after it. At an instant
-- that matches both, the window that opens there continues: such a close is no boundary.
create function app.cron_window_state_at(s public.agent_schedules, p_at timestamptz, out inside boolean, out since timestamptz)
language plpgsql stable set search_path = '' as $$
declare
  opens app.cron_spec := app.cron_parse(s.cron_open);
  closes app.cron_spec := app.cron_parse(s.cron_close);
  last_open timestamptz := app.cron_prev(opens, s.time_zone, p_at);
  last_close timestamptz := app.cron_prev(closes, s.time_zone, p_at);
  steps integer := 0;
begin
  inside := last_open is not null and (last_close is null or last_open >= last_close);
  if not inside then
    since := case when last_open is null then last_close else app.cron_next(closes, s.time_zone, last_open) end;
    return;
  end if;
  -- the last close that really closed it, then the first opening after that
  while last_close is not null and app.cron_matches(opens, s.time_zone, last_close) loop
    steps := steps + 1;
    if steps > 400 then
      last_close := null; -- open all the time: no boundary
      exit;
    end if;
    last_close := app.cron_prev(closes, s.time_zone, last_close - interval '1 second');
  end loop;
  since := case when last_close is not null then app.cron_next(opens, s.time_zone, last_close) end;
end $$;

create function app.cron_window_next_change(s public.agent_schedules, p_after timestamptz, out at timestamptz, out inside boolean)
language plpgsql stable set search_path = '' as $$
declare
  opens app.cron_spec := app.cron_parse(s.cron_open);
  closes app.cron_spec := app.cron_parse(s.cron_close);
  steps integer := 0;
begin
  inside := not (app.cron_window_state_at(s, p_after)).inside;
  if inside then
    at := app.cron_next(opens, s.time_zone, p_after);
    return;
  end if;
  at := app.cron_next(closes, s.time_zone, p_after);
  while at is not null and app.cron_matches(opens, s.time_zone, at) loop
    steps := steps + 1;
    if steps > 400 then
      at := null;
      exit;
    end if;
    at := app.cron_next(closes, s.time_zone, at);
  end loop;
end $$;

-- Whether a schedule's window is open at p_at, and since when it has been open or closed (its latest
-- boundary at or before p_at; null when none is known).
create function app.schedule_state_at(s public.agent_schedules, p_at timestamptz, out inside boolean, out since timestamptz)
language sql stable set search_path = '' as $$
  select * from app.window_state_at(s, p_at) where s.cron_open is null
  union all
  select * from app.cron_window_state_at(s, p_at) where s.cron_open is not null
$$;

-- A schedule's next boundary after p_after: when its window next opens (inside = true) or closes
-- (inside = false); at is null when it never does within the horizon.
create function app.schedule_next_change(s public.agent_schedules, p_after timestamptz, out at timestamptz, out inside boolean)
language sql stable set search_path = '' as $$
  select * from app.window_next_change(s, p_after) where s.cron_open is null
  union all
  select * from app.cron_window_next_change(s, p_after) where s.cron_open is not null
$$;

-- A time zone by its IANA name (Area/Location, or UTC), which knows its daylight-saving rules; not an
-- abbreviation (CET) or a fixed offset (UTC+3). Postgres knows the names it has the rules of; reading
-- pg_timezone_names instead would scan the whole zone database on every write.
create function app.is_named_time_zone(time_zone text) returns boolean
language plpgsql stable set search_path = '' as $$
begin
  if time_zone is null or not (time_zone = 'UTC' or time_zone ~ '^[A-Za-z][A-Za-z_-]*(/[A-Za-z0-9_+-]+)+$') then
    return false;
  end if;
  perform now() at time zone time_zone;
  return true;
exception when invalid_parameter_value then
  return false;
end $$;

-- Checks a schedule with messages a person can act on (PostgREST answers 400; the constraints stay the
-- last line), normalises it, stamps who made it, and sets the boundary it acts after.
create function app.validate_agent_schedule() returns trigger
language plpgsql set search_path = '' as $$
declare
  problem text;
  opens app.cron_spec;
  closes app.cron_spec;
begin
  if new.name is null or new.name !~ '^[a-z0-9][a-z0-9_-]{0,59}$' then
    raise exception 'name must be 1 to 60 lower-case letters, digits, "-" or "_", starting with a letter or digit (got "%")',
      left(coalesce(new.name, ''), 80) using errcode = '22023';
  end if;
  if exists (select 1 from public.agent_schedules o where o.name = new.name and o.id <> new.id) then
    raise exception 'a schedule named "%" already exists', new.name using errcode = '23505';
  end if;
  if tg_op = 'INSERT' and (select count(*) from public.agent_schedules) >= app.schedules_max() then
    raise exception 'at most % schedules', app.schedules_max() using errcode = '22023';
  end if;

  if num_nonnulls(new.agent_id, new.tag) <> 1 then
    raise exception 'a schedule is for one agent (agent_id) or one tag (tag), not both or neither' using errcode = '22023';
  end if;
  if new.tag is not null then
    new.tag := lower(btrim(new.tag));
    problem := app.tag_problem(new.tag);
    if problem is not null then
      raise exception '%', problem using errcode = '22023';
    end if;
  end if;
  if new.agent_id is not null and not exists (select 1 from public.agent_status a where a.id = new.agent_id) then
    raise exception 'unknown agent id "%"', new.agent_id using errcode = 'PT404';
  end if;
  if new.state is null then
    raise exception 'state (the desired state inside the window) must be running or stopped' using errcode = '22023';
  end if;
  if not app.is_named_time_zone(new.time_zone) then
    raise exception 'time_zone "%" is not a named time zone (an IANA name such as Europe/Berlin, America/New_York or UTC)',
      left(coalesce(new.time_zone, ''), 80) using errcode = '22023';
  end if;

  if new.cron_open is null and new.cron_close is null then
    if new.days is null or new.start_time is null or new.end_time is null then
      raise exception 'a time window needs days, start_time and end_time (or give cron_open and cron_close)' using errcode = '22023';
    end if;
    if cardinality(new.days) = 0 or array_position(new.days, null) is not null
       or exists (select 1 from unnest(new.days) d where d not between 1 and 7) then
      raise exception 'days must name at least one ISO weekday, 1 (Monday) to 7 (Sunday)' using errcode = '22023';
    end if;
    new.days := array(select distinct d from unnest(new.days) d order by 1);
    if extract(second from new.start_time) <> 0 or extract(second from new.end_time) <> 0 then
      raise exception 'start_time and end_time are whole minutes (HH:MM)' using errcode = '22023';
    end if;
    if new.start_time = '24:00' then
      raise exception 'start_time must be before 24:00' using errcode = '22023';
    end if;
    if new.start_time = new.end_time then
      raise exception 'start_time and end_time must differ (a window over midnight ends on the next day, e.g. 22:00–06:00)'
        using errcode = '22023';
    end if;
    if cardinality(new.days) = 7 and new.start_time = '00:00' and new.end_time = '24:00' then
      raise exception 'a window of every day, all day never closes: it has no boundary to act on' using errcode = '22023';
    end if;
  elsif new.cron_open is null or new.cron_close is null then
    raise exception 'a cron schedule needs both cron_open and cron_close' using errcode = '22023';
  else
    if new.days is not null or new.start_time is not null or new.end_time is not null then
      raise exception 'give a time window (days, start_time, end_time) or cron expressions (cron_open, cron_close), not both'
        using errcode = '22023';
    end if;
    new.cron_open := regexp_replace(btrim(new.cron_open), '\s+', ' ', 'g');
    new.cron_close := regexp_replace(btrim(new.cron_close), '\s+', ' ', 'g');
    opens := app.cron_parse(new.cron_open);
    closes := app.cron_parse(new.cron_close);
    if opens = closes then
      raise exception 'cron_open and cron_close must differ' using errcode = '22023';
    end if;
    if app.cron_next(opens, new.time_zone, now()) is null then
      raise exception 'cron_open "%" matches no time in the next four years', new.cron_open using errcode = '22023';
    end if;
    if app.cron_next(closes, new.time_zone, now()) is null then
      raise exception 'cron_close "%" matches no time in the next four years', new.cron_close using errcode = '22023';
    end if;
  end if;

  if tg_op = 'INSERT' then
    if auth.role() is not null and not app.is_service() then
      new.created_by := auth.uid();
      new.created_by_email := app.actor_email();
      new.last_boundary_at := null;
    else
      new.created_by_email := coalesce(new.created_by_email, app.actor_email());
    end if;
  end if;
  -- A new or changed schedule acts from its next boundary (a test's service role may say otherwise).
  if (tg_op = 'INSERT' and new.last_boundary_at is null)
     or (tg_op = 'UPDATE' and new.last_boundary_at is not distinct from old.last_boundary_at
         and (new.agent_id, new.tag, new.state, new.days, new.start_time, new.end_time, new.cron_open, new.cron_close,
              new.time_zone, new.enabled)
             is distinct from (old.agent_id, old.tag, old.state, old.days, old.start_time, old.end_time, old.cron_open,
                               old.cron_close, old.time_zone, old.enabled)) then
    new.last_boundary_at := (app.schedule_state_at(new, now())).since;
  end if;
  return new;
end $$;

create trigger agent_schedules_validate
  before insert or update of name, agent_id, tag, state, days, start_time, end_time, cron_open, cron_close, time_zone, enabled
  on public.agent_schedules
  for each row execute function app.validate_agent_schedule();

-- updated_at says when an operator last changed it, not when it last acted.
create trigger agent_schedules_touch_updated_at
  before update of name, agent_id, tag, state, days, start_time, end_time, cron_open, cron_close, time_zone, enabled
  on public.agent_schedules
  for each row execute function app.touch_updated_at();

revoke execute on function app.schedules_max(), app.scheduled_state(public.desired_state, boolean), app.is_named_time_zone(text),
  app.window_on(public.agent_schedules, date), app.window_state_at(public.agent_schedules, timestamptz),
  app.window_next_change(public.agent_schedules, timestamptz), app.cron_window_state_at(public.agent_schedules, timestamptz),
  app.cron_window_next_change(public.agent_schedules, timestamptz), app.schedule_state_at(public.agent_schedules, timestamptz), app.schedule_next_change(public.agent_schedules, timestamptz),
  app.validate_agent_schedule() from public;
grant execute on function app.schedules_max(), app.scheduled_state(public.desired_state, boolean), app.is_named_time_zone(text),
  app.window_on(public.agent_schedules, date), app.window_state_at(public.agent_schedules, timestamptz),
  app.window_next_change(public.agent_schedules, timestamptz), app.cron_window_state_at(public.agent_schedules, timestamptz),
  app.cron_window_next_change(public.agent_schedules, timestamptz), app.schedule_state_at(public.agent_schedules, timestamptz), app.schedule_next_change(public.agent_schedules, timestamptz),
  app.validate_agent_schedule() to anon, authenticated, service_role;

-- Who may do what: viewers and operators read; operators write the schedule's own columns (RLS decides);
-- who made it and the boundary it acted on are the server's; the service role does everything.
alter table public.agent_schedules enable row level security;
revoke all on public.agent_schedules from anon, authenticated;
grant all on public.agent_schedules to service_role;
grant select, delete on public.agent_schedules to authenticated;
grant insert (name, agent_id, tag, state, days, start_time, end_time, cron_open, cron_close, time_zone, enabled),
  update (name, agent_id, tag, state, days, start_time, end_time, cron_open, cron_close, time_zone, enabled)
  on public.agent_schedules to authenticated;

create policy "viewers and operators read schedules" on public.agent_schedules
  for select to authenticated using ((select app.can_read()));
create policy "operators add schedules" on public.agent_schedules
  for insert to authenticated with check ((select app.can_command()));
create policy "operators change schedules" on public.agent_schedules
  for update to authenticated using ((select app.can_command())) with check ((select app.can_command()));
create policy "operators delete schedules" on public.agent_schedules
  for delete to authenticated using ((select app.can_command()));

-- What the dashboard and the CLI read: each schedule with the agent it covers (or how many agents have
-- its tag), whether its window is open now, the desired state it says now, and its next two boundaries
-- (states alternate, so one of them changes any desired state: after an operator's stop inside the
-- window, the close leaves the agent stopped and the opening after it is the change to show).
-- security_invoker: RLS on the tables decides what the caller sees.
create view public.agent_schedule_overview with (security_invoker = true) as
select s.id,
       s.name,
       s.agent_id,
       a.agent_name,
       s.tag,
       case when s.agent_id is not null then 1
            else (select count(*) from public.agent_status t where t.tags @> array[s.tag]) end::integer as agent_count,
       s.state,
       s.days,
       s.start_time,
       s.end_time,
       s.cron_open,
       s.cron_close,
       s.time_zone,
       s.enabled,
       now_state.inside,
       app.scheduled_state(s.state, now_state.inside) as state_now,
       now_state.since as state_since,
       next_change.at as next_change_at,
       app.scheduled_state(s.state, next_change.inside) as next_state,
       second_change.at as second_change_at,
       app.scheduled_state(s.state, second_change.inside) as second_state,
       s.last_boundary_at,
       s.created_by_email,
       s.created_at,
       s.updated_at,
       now() as server_time
  from public.agent_schedules s
  left join public.agent_status a on a.id = s.agent_id
 cross join lateral app.schedule_state_at(s, now()) now_state
 cross join lateral app.schedule_next_change(s, now()) next_change
 cross join lateral app.schedule_next_change(s, next_change.at) second_change;

revoke all on public.agent_schedule_overview from anon, authenticated;
grant all on public.agent_schedule_overview to service_role;
grant select on public.agent_schedule_overview to authenticated;

-- The boundaries of every enabled schedule the caller may read between p_from and p_until (at most 366
-- days apart), in time order, at most p_limit (1 to 1000): when each window opens or closes and the
-- desired state from then on. For the fleet's list of coming changes, and for tests (p_from is any time).
create function public.schedule_transitions(
  p_from timestamptz default now(),
  p_until timestamptz default now() + interval '7 days',
  p_limit integer default 100
)
returns table (schedule_id uuid, schedule_name text, at timestamptz, desired_state public.desired_state)
language plpgsql stable security invoker set search_path = '' as $$
begin
  if p_from is null or p_until is null or p_until < p_from or p_until > p_from + interval '366 days' then
    raise exception 'p_until must be after p_from and at most 366 days later' using errcode = '22023';
  end if;
  if p_limit is null or p_limit not between 1 and 1000 then
    raise exception 'p_limit must be between 1 and 1000, got %', p_limit using errcode = '22023';
  end if;
  return query
  with recursive walk as (
    select s as schedule, c.at, c.inside, 1 as n
      from public.agent_schedules s
     cross join lateral app.schedule_next_change(s, p_from) c
     where s.enabled and c.at <= p_until
    union all
    select w.schedule, c.at, c.inside, w.n + 1
      from walk w
     cross join lateral app.schedule_next_change(w.schedule, w.at) c
     where c.at <= p_until and w.n < p_limit
  )
  select (w.schedule).id, (w.schedule).name, w.at, app.scheduled_state((w.schedule).state, w.inside)
    from walk w
   order by w.at, (w.schedule).name
   limit p_limit;
end $$;

revoke execute on function public.schedule_transitions(timestamptz, timestamptz, integer) from public, anon, authenticated;
grant execute on function public.schedule_transitions(timestamptz, timestamptz, integer) to authenticated, service_role;

-- Acts on every boundary passed since each schedule last acted: writes the desired state its window says
-- now for every agent it covers now, as one command (one UPDATE of agent_desired_state, as
-- command_agents() does: 31_command_agents.sql's triggers give it a new generation and a `command` event,
-- 32_wake_ups.sql's wakes the workers), with the actor schedule:<name>. Idempotent: a boundary is acted
-- on once, however often this runs; after missed runs only the latest boundary acts. Where several
-- schedules cover an agent, the agent's own schedule wins over a tag's, then the later boundary, then the
-- name. Answers how many agents it commanded.
--
-- p_now is the clock: the cron job passes nothing (the database's now()). Tests pass a time to drive
-- schedules through days, time zones and daylight-saving changes; only the service role may call this,
-- and a boundary once acted on is never acted on again, so a run with an earlier clock changes nothing.
create function public.run_agent_schedules(p_now timestamptz default now())
returns integer
language plpgsql security definer set search_path = '' as $$
declare
  commanded integer;
begin
  if p_now is null then
    raise exception 'p_now must be a time' using errcode = '22023';
  end if;
  -- One run at a time; a second one waits, then finds the boundaries acted on.
  perform pg_advisory_xact_lock(hashtext('public.run_agent_schedules'));

  with due as materialized (
    select s.id, s.name, s.agent_id, s.tag, st.since, app.scheduled_state(s.state, st.inside) as target
      from public.agent_schedules s
     cross join lateral app.schedule_state_at(s, p_now) st
     where s.enabled and st.since is not null and st.since > coalesce(s.last_boundary_at, '-infinity')
  ),
  acted as (
    update public.agent_schedules s set last_boundary_at = d.since from due d where s.id = d.id
  ),
  chosen as (
    select distinct on (a.id) a.id as agent_id, d.name, d.target
      from due d
      join public.agent_status a on a.id = d.agent_id or a.tags @> array[d.tag]
     order by a.id, d.agent_id is null, d.since desc, d.name
  )
  update public.agent_desired_state ds
     set desired_state = c.target,
         last_command = case c.target when 'running' then 'start' else 'stop' end::public.agent_command,
         requested_by = null,
         requested_by_email = 'schedule:' || c.name,
         requested_at = clock_timestamp()
    from chosen c
   where ds.agent_id = c.agent_id;
  get diagnostics commanded = row_count;
  return commanded;
end $$;

revoke execute on function public.run_agent_schedules(timestamptz) from public, anon, authenticated;
grant execute on function public.run_agent_schedules(timestamptz) to service_role;
