-- Agent Status: data model, row-level security, agent RPCs, offline sweep.
-- Design notes live in docs/data-model.md; every rule there is enforced here.

-- ---------------------------------------------------------------- types
create type public.agent_run_status as enum ('running', 'warning', 'error', 'stopped');
create type public.desired_state as enum ('running', 'stopped');
create type public.agent_command as enum ('start', 'stop', 'restart');
create type public.agent_report_kind as enum ('started', 'heartbeat', 'recovered', 'warning', 'error', 'stopped', 'activity');
create type public.agent_event_kind as enum (
  'status', 'health', 'warning', 'error', 'acknowledged', 'command', 'offline', 'online'
);

-- Helpers live in a schema that the API does not expose.
create schema if not exists app;
grant usage on schema app to anon, authenticated, service_role;

-- Role of the signed-in user, from app_metadata only: users can edit user_metadata themselves.
create function app.user_role() returns text
language sql stable set search_path = '' as $$
  select case when auth.role() = 'authenticated'
              then coalesce(auth.jwt() -> 'app_metadata' ->> 'role', '') else '' end
$$;

create function app.can_read() returns boolean
language sql stable set search_path = '' as $$ select app.user_role() in ('viewer', 'operator') $$;

create function app.can_command() returns boolean
language sql stable set search_path = '' as $$ select app.user_role() = 'operator' $$;

create function app.is_service() returns boolean
language sql stable set search_path = '' as $$ select auth.role() = 'service_role' $$;

-- Messages never make a report fail: long ones are cut and marked.
create function app.bounded_text(value text, max_chars integer default 2000) returns text
language sql immutable set search_path = '' as $$
  select case when value is null or char_length(value) <= max_chars then value
              else left(value, max_chars - char_length(' …[truncated]')) || ' …[truncated]' end
$$;

-- Health bands: a move between bands is a transition worth an event; jitter inside one is not.
create function app.health_band(health integer) returns text
language sql immutable set search_path = '' as $$
  select case when health >= 80 then 'healthy' when health >= 40 then 'degraded' else 'critical' end
$$;

create function app.touch_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end $$;

-- ---------------------------------------------------------------- agent_status
create table public.agent_status (
  id uuid primary key default gen_random_uuid(),
  agent_name text not null unique
    constraint agent_name_not_blank check (agent_name = btrim(agent_name) and agent_name <> '')
    constraint agent_name_max_100_chars check (char_length(agent_name) <= 100),
  status public.agent_run_status not null default 'stopped',
  health integer not null default 0
    constraint health_between_0_and_100 check (health between 0 and 100),
  last_heartbeat timestamptz,
  last_error text,
  last_activity timestamptz,
  updated_at timestamptz not null default now(),
  -- added by this project
  activity text,
  last_error_at timestamptz,
  last_warning text,
  last_warning_at timestamptz,
  offline boolean not null default false,
  started_at timestamptz,
  observed_generation bigint not null default 0,
  heartbeat_interval_seconds integer not null default 10
    constraint heartbeat_interval_between_1_and_3600 check (heartbeat_interval_seconds between 1 and 3600),
  offline_after_seconds integer
    constraint offline_after_between_1_and_86400 check (offline_after_seconds between 1 and 86400),
  host text constraint host_max_255_chars check (char_length(host) <= 255),
  pid integer,
  version text constraint version_max_100_chars check (char_length(version) <= 100),
  created_at timestamptz not null default now()
);
comment on column public.agent_status.offline is
  'Set by sweep_offline_agents() when a non-stopped agent misses heartbeats for offline_after_seconds (default 3 × heartbeat_interval_seconds); cleared by its next report.';
comment on column public.agent_status.observed_generation is
  'The desired-state generation the agent has carried out; pending = generation > observed_generation.';

create trigger agent_status_touch_updated_at before update on public.agent_status
  for each row execute function app.touch_updated_at();

-- ---------------------------------------------------------------- desired state
create table public.agent_desired_state (
  agent_id uuid primary key references public.agent_status (id) on delete cascade,
  desired_state public.desired_state not null default 'stopped',
  generation bigint not null default 0 constraint generation_not_negative check (generation >= 0),
  last_command public.agent_command,
  requested_by uuid,
  requested_by_email text,
  requested_at timestamptz,
  updated_at timestamptz not null default now()
);

create trigger agent_desired_state_touch_updated_at before update on public.agent_desired_state
  for each row execute function app.touch_updated_at();

-- Generations only move forward.
create function app.guard_generation() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.generation < old.generation then
    raise exception 'generation may not decrease (% → %)', old.generation, new.generation
      using errcode = '22023';
  end if;
  return new;
end $$;

create trigger agent_desired_state_guard_generation before update on public.agent_desired_state
  for each row execute function app.guard_generation();

-- Operators may write this table directly (command_agents runs as the caller), so the row cannot
-- be trusted to say who asked: for API callers other than the service role, the requester comes
-- from the JWT and every write is a dated, recorded command. A change of desired state always
-- gets a new generation, so an agent can tell it from the request it already carried out.
create function app.stamp_command() returns trigger
language plpgsql set search_path = '' as $$
begin
  if auth.role() is not null and not app.is_service() then
    new.requested_by := auth.uid();
    new.requested_by_email := coalesce(auth.jwt() ->> 'email', auth.role());
    new.requested_at := clock_timestamp();
  end if;
  if new.desired_state <> old.desired_state and new.generation = old.generation then
    new.generation := old.generation + 1;
  end if;
  return new;
end $$;

create trigger agent_desired_state_stamp_command before update on public.agent_desired_state
  for each row execute function app.stamp_command();

create function app.create_desired_state() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.agent_desired_state (agent_id) values (new.id) on conflict do nothing;
  return new;
end $$;

create trigger agent_status_create_desired_state after insert on public.agent_status
  for each row execute function app.create_desired_state();

-- ---------------------------------------------------------------- events
create table public.agent_events (
  id bigint generated always as identity primary key,
  agent_id uuid not null references public.agent_status (id) on delete cascade,
  kind public.agent_event_kind not null,
  message text,
  from_status public.agent_run_status,
  to_status public.agent_run_status,
  health integer,
  generation bigint,
  command public.agent_command,
  actor_id uuid,
  actor_email text,
  -- the agent's row after the transition, so a subscriber can update its view from the event alone
  snapshot jsonb,
  created_at timestamptz not null default now()
);
create index agent_events_agent_created on public.agent_events (agent_id, created_at desc, id desc);
create index agent_events_created on public.agent_events (created_at);

-- One event per transition of agent_status; plain heartbeats are not transitions.
create function app.record_status_event() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  event_kind public.agent_event_kind;
  event_message text;
begin
  if old.offline and not new.offline then
    event_kind := 'online';
  elsif new.offline and not old.offline then
    event_kind := 'offline';
    event_message := 'no heartbeat since ' || coalesce(new.last_heartbeat::text, 'never');
  elsif new.last_error_at is distinct from old.last_error_at then
    event_kind := 'error';
    event_message := new.last_error;
  elsif new.last_warning_at is distinct from old.last_warning_at then
    event_kind := 'warning';
    event_message := new.last_warning;
  elsif new.status is distinct from old.status or new.started_at is distinct from old.started_at then
    event_kind := 'status';
  elsif new.observed_generation is distinct from old.observed_generation then
    event_kind := 'acknowledged';
  else
    event_kind := 'health';
  end if;

  insert into public.agent_events
    (agent_id, kind, message, from_status, to_status, health, generation, snapshot)
  values
    (new.id, event_kind, event_message, old.status, new.status, new.health,
     new.observed_generation, to_jsonb(new));
  return null;
end $$;

create trigger agent_status_record_event after update on public.agent_status
  for each row
  when (old.status is distinct from new.status
     or old.offline is distinct from new.offline
     or old.started_at is distinct from new.started_at
     or old.observed_generation is distinct from new.observed_generation
     or old.last_error_at is distinct from new.last_error_at
     or old.last_warning_at is distinct from new.last_warning_at
     or app.health_band(old.health) is distinct from app.health_band(new.health))
  execute function app.record_status_event();

-- Every accepted command is history, including one that changed nothing (start on a running agent).
-- Statement-level with transition tables: start-all over a thousand agents is one INSERT, not a thousand.
create function app.record_command_events() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.agent_events
    (agent_id, kind, message, generation, command, actor_id, actor_email)
  select n.agent_id, 'command',
         case when n.generation = o.generation then 'already ' || n.desired_state::text end,
         n.generation, n.last_command, n.requested_by, n.requested_by_email
    from new_rows n
    join old_rows o on o.agent_id = n.agent_id
   where n.requested_at is distinct from o.requested_at;
  return null;
end $$;

create trigger agent_desired_state_record_commands after update on public.agent_desired_state
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.record_command_events();

-- ---------------------------------------------------------------- agent tokens
create table public.agent_tokens (
  id uuid primary key default gen_random_uuid(),
  agent_id uuid not null references public.agent_status (id) on delete cascade,
  token_hash bytea not null unique,
  label text constraint label_max_100_chars check (char_length(label) <= 100),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index agent_tokens_agent on public.agent_tokens (agent_id);
comment on column public.agent_tokens.token_hash is 'sha256 of the token; the token itself is shown once and never stored.';

create function app.hash_token(token text) returns bytea
language sql immutable set search_path = '' as $$ select sha256(convert_to(token, 'UTF8')) $$;

-- ---------------------------------------------------------------- overview for the dashboard
create view public.agent_overview with (security_invoker = true) as
select s.*,
       d.desired_state,
       d.generation,
       d.last_command,
       d.requested_by_email,
       d.requested_at,
       d.generation > s.observed_generation as pending,
       coalesce(s.offline_after_seconds, 3 * s.heartbeat_interval_seconds) as effective_offline_after_seconds,
       now() as server_time
from public.agent_status s
join public.agent_desired_state d on d.agent_id = s.id;

-- ---------------------------------------------------------------- agent RPC
-- One call is both report and poll: it records what the agent says and answers what it should be doing.
create function public.agent_report(
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
      raise exception 'this token belongs to agent "%", not "%"', token_agent, p_agent_name
        using errcode = 'PT403';
    end if;
    -- last_used_at is advisory; refreshing it at most once a minute keeps heartbeats to one row write.
    update public.agent_tokens set last_used_at = now()
     where token_hash = app.hash_token(p_token)
       and (last_used_at is null or last_used_at < now() - interval '1 minute');
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

  return query
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
    health = case p_kind
      when 'started' then coalesce(p_health, 100)
      when 'recovered' then coalesce(p_health, 100)
      when 'warning' then coalesce(p_health, 75)
      when 'error' then coalesce(p_health, 30)
      when 'stopped' then coalesce(p_health, 0)
      else coalesce(p_health, s.health) end,
    started_at = case p_kind
      when 'started' then now()
      when 'recovered' then coalesce(s.started_at, now())
      when 'stopped' then null
      else s.started_at end,
    last_activity = case when p_kind = 'heartbeat' then s.last_activity else now() end,
    activity = case when p_kind = 'activity' then app.bounded_text(p_message, 500) else s.activity end,
    last_error = case when p_kind = 'error' then app.bounded_text(p_message) else s.last_error end,
    last_error_at = case when p_kind = 'error' then now() else s.last_error_at end,
    last_warning = case when p_kind = 'warning' then app.bounded_text(p_message) else s.last_warning end,
    last_warning_at = case when p_kind = 'warning' then now() else s.last_warning_at end,
    observed_generation = greatest(s.observed_generation, least(coalesce(p_observed_generation, 0), d.generation)),
    heartbeat_interval_seconds = coalesce(
      case when (p_info ->> 'heartbeat_interval_seconds') ~ '^[0-9]{1,4}$'
           then least(greatest((p_info ->> 'heartbeat_interval_seconds')::integer, 1), 3600) end,
      s.heartbeat_interval_seconds),
    host = coalesce(left(p_info ->> 'host', 255), s.host),
    pid = coalesce(case when (p_info ->> 'pid') ~ '^[0-9]{1,9}$' then (p_info ->> 'pid')::integer end, s.pid),
    version = coalesce(left(p_info ->> 'version', 100), s.version)
  from public.agent_desired_state d
  where s.id = target and d.agent_id = s.id
  returning s.id, s.agent_name, d.desired_state, d.generation, d.last_command, s.observed_generation;
end $$;

-- ---------------------------------------------------------------- commands
-- Set-based: one statement changes one agent or all of them. RLS on agent_desired_state decides
-- who may write; the explicit check only turns "0 rows" into a clear 403.
create function public.command_agents(p_command public.agent_command, p_agent_name text default null)
returns table (agent_name text, desired_state public.desired_state, generation bigint)
language plpgsql security invoker set search_path = '' as $$
declare
  target public.desired_state := case p_command when 'stop' then 'stopped' else 'running' end;
  changed integer;
begin
  if not (app.can_command() or app.is_service()) then
    raise exception 'only operators can command agents' using errcode = '42501';
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
  where s.id = d.agent_id and (p_agent_name is null or s.agent_name = p_agent_name)
  returning s.agent_name, d.desired_state, d.generation;

  get diagnostics changed = row_count;
  if changed = 0 and p_agent_name is not null then
    raise exception 'unknown agent "%"', p_agent_name using errcode = 'PT404';
  end if;
end $$;

-- ---------------------------------------------------------------- tokens
create function public.issue_agent_token(p_agent_name text, p_label text default null)
returns table (token_id uuid, agent_name text, token text)
language plpgsql security definer set search_path = '' as $$
declare
  target uuid;
  secret text := 'ast_' || replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
  new_id uuid;
begin
  if not (app.can_command() or app.is_service()) then
    raise exception 'only operators can issue agent tokens' using errcode = '42501';
  end if;
  select s.id into target from public.agent_status s where s.agent_name = p_agent_name;
  if target is null then
    raise exception 'unknown agent "%"', p_agent_name using errcode = 'PT404';
  end if;
  insert into public.agent_tokens (agent_id, token_hash, label)
  values (target, app.hash_token(secret), p_label)
  returning id into new_id;
  return query select new_id, p_agent_name, secret;
end $$;

create function public.revoke_agent_token(p_token_id uuid) returns boolean
language plpgsql security definer set search_path = '' as $$
begin
  if not (app.can_command() or app.is_service()) then
    raise exception 'only operators can revoke agent tokens' using errcode = '42501';
  end if;
  update public.agent_tokens set revoked_at = now() where id = p_token_id and revoked_at is null;
  return found;
end $$;

-- ---------------------------------------------------------------- offline sweep and retention
create function public.sweep_offline_agents() returns integer
language plpgsql security definer set search_path = '' as $$
declare
  marked integer;
begin
  update public.agent_status s set offline = true
   where not s.offline
     and s.status <> 'stopped'
     and coalesce(s.last_heartbeat, s.updated_at)
         < now() - make_interval(secs => coalesce(s.offline_after_seconds, 3 * s.heartbeat_interval_seconds));
  get diagnostics marked = row_count;
  return marked;
end $$;

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

-- ---------------------------------------------------------------- privileges and RLS
alter table public.agent_status enable row level security;
alter table public.agent_desired_state enable row level security;
alter table public.agent_events enable row level security;
alter table public.agent_tokens enable row level security;

-- Hosted Supabase grants everything to anon and authenticated by default; take it all back.
revoke all on public.agent_status, public.agent_desired_state, public.agent_events, public.agent_tokens,
  public.agent_overview from anon, authenticated;
revoke all on sequence public.agent_events_id_seq from anon, authenticated;
grant all on public.agent_status, public.agent_desired_state, public.agent_events, public.agent_tokens,
  public.agent_overview to service_role;
grant usage on sequence public.agent_events_id_seq to service_role;

grant select on public.agent_status, public.agent_desired_state, public.agent_events, public.agent_overview
  to authenticated;
grant update (desired_state, generation, last_command, requested_by, requested_by_email, requested_at)
  on public.agent_desired_state to authenticated;
grant select (id, agent_id, label, created_at, last_used_at, revoked_at) on public.agent_tokens to authenticated;

create policy "viewers and operators read agents" on public.agent_status
  for select to authenticated using ((select app.can_read()));
create policy "viewers and operators read desired state" on public.agent_desired_state
  for select to authenticated using ((select app.can_read()));
create policy "operators change desired state" on public.agent_desired_state
  for update to authenticated using ((select app.can_command())) with check ((select app.can_command()));
create policy "viewers and operators read events" on public.agent_events
  for select to authenticated using ((select app.can_read()));
create policy "operators read token metadata" on public.agent_tokens
  for select to authenticated using ((select app.can_command()));

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema app from public;
grant execute on all functions in schema app to anon, authenticated, service_role;
grant execute on function public.agent_report(public.agent_report_kind, text, text, text, integer, bigint, jsonb)
  to anon, authenticated, service_role;
grant execute on function public.command_agents(public.agent_command, text) to authenticated, service_role;
grant execute on function public.issue_agent_token(text, text) to authenticated, service_role;
grant execute on function public.revoke_agent_token(uuid) to authenticated, service_role;
grant execute on function public.sweep_offline_agents() to service_role;
grant execute on function public.prune_agent_events(integer, integer) to service_role;

-- ---------------------------------------------------------------- realtime
-- Transitions reach dashboards as agent_events inserts and desired-state updates.
-- agent_status itself is not published: every heartbeat writes it.
do $$
begin
  if not exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end $$;
alter publication supabase_realtime add table public.agent_events, public.agent_desired_state;

-- ---------------------------------------------------------------- schedule (hosted Supabase)
-- Locally, the stack's scheduler calls the same functions.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron;
    perform cron.schedule('agent-status-sweep-offline', '10 seconds', 'select public.sweep_offline_agents()');
    perform cron.schedule('agent-status-prune-events', '17 * * * *', 'select public.prune_agent_events()');
  end if;
end $$;
