-- Heartbeats at the speed of the database (issue 19): agent_report does a plain heartbeat in ONE
-- statement. Before (registry migration), it was three statements in PL/pgSQL: find the token (joined to
-- the agent), refresh the token's last_used_at, update the agent's row; plus the message helpers, which a
-- heartbeat (no message) does not need. Now the token lookup, the advisory last_used_at refresh (at most
-- once a minute, as before) and the agent_status UPDATE with its desired state are one UPDATE with CTEs.
-- Every rule stays: token binding (PT403), revocation (PT401), the service role by name (22023 / PT404),
-- bounded text, the health range (22023), generations only acknowledged up to the desired one, and the
-- same row write, so the event trigger's WHEN, the metrics counters trigger and the alerts outbox see
-- exactly what they saw. A report that writes no row is a refusal: app.report_refusal then finds out why,
-- with the same checks, order, codes and messages as before, and raises it.
-- Why PL/pgSQL and not a LANGUAGE sql function: a function with an UPDATE is never inlined, and before
-- PostgreSQL 18 a SQL function plans its statement again on every call; PL/pgSQL keeps the plan per session.
-- Measured in docs/performance.md ("Heartbeat ingest").

-- The helpers a heartbeat runs (and the offline sweep's), made inlinable. A LANGUAGE sql function with a SET clause (they had
-- `set search_path = ''`) is never inlined: each call ran as a statement of its own, planned anew on every
-- call (pg_stat_statements with nested tracking counted ten statements per heartbeat before this
-- migration: hash_token twice, health_band twice in the event trigger's WHEN, default_health,
-- message_max_chars, bounded_text, the token lookup, the last_used_at update and the row update). The
-- same facts, with every function and operator qualified by pg_catalog instead, so the bodies mean the same
-- under any search_path; without the SET clause Postgres inlines them into the statement that calls them.
-- hash_token and default_health are declared STABLE now: their bodies call stable functions (convert_to, the
-- enum's input), and Postgres inlines an IMMUTABLE function only when its body is immutable too. Both are
-- used in statements only (no index or generated column depends on their volatility).
create or replace function app.hash_token(token text) returns bytea
language sql stable as $$ select pg_catalog.sha256(pg_catalog.convert_to(token, 'UTF8')) $$;

create or replace function app.default_health(kind public.agent_report_kind) returns integer
language sql stable as $$
  select case when kind operator(pg_catalog.=) 'started'::public.agent_report_kind then 100
              when kind operator(pg_catalog.=) 'recovered'::public.agent_report_kind then 100
              when kind operator(pg_catalog.=) 'warning'::public.agent_report_kind then 75
              when kind operator(pg_catalog.=) 'error'::public.agent_report_kind then 30
              when kind operator(pg_catalog.=) 'stopped'::public.agent_report_kind then 0 end
$$;

create or replace function app.health_band(health integer) returns text
language sql immutable as $$
  select case when health operator(pg_catalog.>=) 80 then 'healthy'
              when health operator(pg_catalog.>=) 40 then 'degraded' else 'critical' end
$$;

-- Not a heartbeat's, but the offline sweep's (every 10 s, once per agent row: ~300 ms of a 1,000-agent
-- soak's PGlite every 10 s while it was planned per call) and agent_overview's per row.
create or replace function app.offline_after_seconds(offline_after_seconds integer, heartbeat_interval_seconds integer)
returns integer
language sql immutable as $$
  select coalesce(offline_after_seconds, 3 operator(pg_catalog.*) heartbeat_interval_seconds)
$$;

-- Why a report found no row to write, raised as the error an agent acts on: health out of range (22023), no
-- or a bad token (PT401), a token of another agent (PT403), the service role without a name (22023) or with
-- an unknown one (PT404). The same checks, order and messages as agent_report had before. Returns the agent
-- the reporter is entitled to when there is no refusal to raise (the caller decides what that means).
create function app.report_refusal(p_agent_name text, p_token text, p_health integer) returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  target uuid;
  token_agent text;
begin
  if p_health is not null and (p_health < 0 or p_health > 100) then
    raise exception 'health must be between 0 and 100, got %', p_health using errcode = '22023';
  end if;
  if p_token is not null then
    select t.agent_id, s.agent_name into target, token_agent
      from public.agent_tokens t join public.agent_status s on s.id = t.agent_id
     where t.token_hash = app.hash_token(p_token) and t.revoked_at is null;
    if target is null then
      raise exception 'invalid or revoked agent token' using errcode = 'PT401';
    end if;
    if p_agent_name is not null and p_agent_name <> token_agent then
      raise exception 'this token belongs to agent "%", not "%"', token_agent, p_agent_name using errcode = 'PT403';
    end if;
  elsif app.is_service() then
    if p_agent_name is null then
      raise exception 'agent_name is required when reporting with the service role' using errcode = '22023';
    end if;
    select s.id into target from public.agent_status s where s.agent_name = p_agent_name;
    if target is null then
      raise exception 'unknown agent "%"', p_agent_name using errcode = 'PT404';
    end if;
  else
    raise exception 'an agent token is required' using errcode = 'PT401';
  end if;
  return target;
end $$;
revoke execute on function app.report_refusal(text, text, integer) from public;
grant execute on function app.report_refusal(text, text, integer) to anon, authenticated, service_role;

-- Same signature, grants and answer as in the registry migration; the body is one statement.
create or replace function public.agent_report(
  p_kind public.agent_report_kind,
  p_agent_name text default null,
  p_token text default null,
  p_message text default null,
  p_health integer default null,
  p_observed_generation bigint default null,
  p_info jsonb default null
) returns table (
  agent_id uuid,
  agent_name text,
  desired_state public.desired_state,
  generation bigint,
  last_command public.agent_command,
  observed_generation bigint
)
language plpgsql security definer set search_path = '' as $$
declare
  -- A heartbeat carries no message: the helpers run only for reports that do.
  message text := case when p_message is not null then app.bounded_text(p_message, app.message_max_chars(p_kind)) end;
begin
  -- THE statement of a report: it writes nothing unless the reporter is entitled to the agent, and then
  -- writes the agent's row once and answers its desired state.
  return query
  with reporter as (
    -- the agent of an unrevoked token …
    select t.agent_id, t.id as token_id, t.last_used_at
      from public.agent_tokens t
     where t.token_hash = app.hash_token(p_token) and t.revoked_at is null
    union all
    -- … or, for the service role without a token, the agent it names
    select s.id, null, null
      from public.agent_status s
     where p_token is null and s.agent_name = p_agent_name and app.is_service()
  ), token_used as (
    -- last_used_at is advisory: refreshed at most once a minute, so a heartbeat writes one row.
    update public.agent_tokens t set last_used_at = now()
      from reporter r
     where t.id = r.token_id and (r.last_used_at is null or r.last_used_at < now() - interval '1 minute')
  )
  update public.agent_status s set
    last_heartbeat = now(),
    offline = false,
    status = case p_kind
      when 'started' then 'running'
      when 'recovered' then 'running'
      when 'warning' then 'warning'
      when 'error' then 'error'
      when 'stopped' then 'stopped'
      else s.status end,
    health = coalesce(p_health, app.default_health(p_kind), s.health),
    started_at = case p_kind
      when 'started' then now()
      when 'recovered' then coalesce(s.started_at, now())
      when 'stopped' then null
      else s.started_at end,
    last_activity = case when p_kind = 'activity' then message else s.last_activity end,
    last_activity_at = case when p_kind = 'activity' then now() else s.last_activity_at end,
    last_error = case when p_kind = 'error' then message else s.last_error end,
    last_error_at = case when p_kind = 'error' then now() else s.last_error_at end,
    last_warning = case when p_kind = 'warning' then message else s.last_warning end,
    last_warning_at = case when p_kind = 'warning' then now() else s.last_warning_at end,
    observed_generation = greatest(s.observed_generation, least(coalesce(p_observed_generation, 0), d.generation)),
    heartbeat_interval_seconds = coalesce(
      case when (p_info ->> 'heartbeat_interval_seconds') ~ '^[0-9]{1,4}$'
           then least(greatest((p_info ->> 'heartbeat_interval_seconds')::integer, 1), 3600) end,
      s.heartbeat_interval_seconds),
    host = coalesce(left(p_info ->> 'host', 255), s.host),
    pid = coalesce(case when (p_info ->> 'pid') ~ '^[0-9]{1,9}$' then (p_info ->> 'pid')::integer end, s.pid),
    version = coalesce(left(p_info ->> 'version', 100), s.version)
  from reporter r, public.agent_desired_state d
  where s.id = r.agent_id and d.agent_id = s.id
    and (p_agent_name is null or s.agent_name = p_agent_name)
    and (p_health is null or p_health between 0 and 100)
  returning s.id, s.agent_name, d.desired_state, d.generation, d.last_command, s.observed_generation;

  if not found then
    -- No row: a refusal, raised with the old checks. (Every entitled report finds its row, so this
    -- raises; the final raise is a guard should it ever not.)
    perform app.report_refusal(p_agent_name, p_token, p_health);
    raise exception 'the report changed nothing' using errcode = 'P0002';
  end if;
end $$;
