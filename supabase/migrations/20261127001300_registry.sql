-- The agent registry (issue 12) and the operator's current role (issue 14, item 6).
--   1. agent_status keeps the seed's meaning: last_activity is the TEXT of what the agent last did and
--      its time moves to last_activity_at (renames, so every existing value is kept; event snapshots
--      follow); agent_report, agent_overview and the docs follow.
--   2. An operator check asks auth.users too: a demoted, banned or deleted operator is refused on the
--      next request, not when the session JWT expires (up to an hour later).
--   3. Operators add, change and delete agents and issue and revoke their tokens through set-based
--      RPCs (the `agents` Edge Function's /create, /update, /delete, /tokens/issue, /tokens/revoke);
--      each change is an event in the agent's history with who made it; tokens record who issued them.
-- Design notes: docs/data-model.md ("The agent registry"), docs/security.md.

-- 1. The seed's columns ---------------------------------------------------------------------------
alter table public.agent_status rename column last_activity to last_activity_at;
alter table public.agent_status rename column activity to last_activity;
comment on column public.agent_status.last_activity is 'What the agent last did (its latest `activity` report), as the seed defines it.';
comment on column public.agent_status.last_activity_at is 'When last_activity was reported.';

-- History keeps what it said: the snapshots of earlier events use the new names too, so a reader of
-- any event (the dashboard applies a snapshot onto its row) sees one shape.
update public.agent_events set snapshot = (snapshot - 'activity' - 'last_activity')
    || jsonb_build_object('last_activity', snapshot -> 'activity', 'last_activity_at', snapshot -> 'last_activity')
 where snapshot ? 'activity';

alter table public.agent_status add column description text
  constraint description_max_1000_chars check (char_length(description) <= 1000);
comment on column public.agent_status.description is 'What the agent is for, written by operators (at most 1,000 characters).';

-- Registry changes are history too. Added values may not be used in this transaction: only function
-- bodies below name them, and those run later.
alter type public.agent_event_kind add value if not exists 'created';
alter type public.agent_event_kind add value if not exists 'updated';
alter type public.agent_event_kind add value if not exists 'token_issued';
alter type public.agent_event_kind add value if not exists 'token_revoked';

alter table public.agent_tokens
  add column created_by uuid,
  add column created_by_email text;
comment on column public.agent_tokens.created_by_email is 'Who issued the token (the operator''s email, or service_role).';

-- agent_overview names its columns when it is created (s.* is expanded then): made again for the new
-- names and the description. Same definition as in the agents migration otherwise.
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

-- Redefined from the agent RPCs migration for the renamed columns: an `activity` report sets
-- last_activity (the text) and last_activity_at (its time); every other line is unchanged.
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
  target uuid;
  token_agent text;
  message text := app.bounded_text(p_message, app.message_max_chars(p_kind));
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
  from public.agent_desired_state d
  where s.id = target and d.agent_id = s.id
  returning s.id, s.agent_name, d.desired_state, d.generation, d.last_command, s.observed_generation;
end $$;

-- 2. The operator's current role ------------------------------------------------------------------
-- The role in a session JWT is a copy of app_metadata made when the session was issued or refreshed,
-- and stays valid until the JWT expires ([auth] jwt_expiry, an hour). The account's row is the truth:
-- its role now, and whether it is banned (banned_until in the future) or deleted (hosted Supabase
-- soft-deletes with deleted_at; read through to_jsonb so that an auth schema without the column works).
-- Security definer: API roles cannot read auth.users. Takes no argument, so it reveals only the
-- caller's own role.
create function app.account_role() returns text
language sql stable security definer set search_path = '' as $$
  select coalesce((
    select u.raw_app_meta_data ->> 'role'
      from auth.users u
     where u.id = auth.uid()
       and (u.banned_until is null or u.banned_until <= now())
       and (to_jsonb(u) ->> 'deleted_at') is null), '')
$$;

-- Redefined from the types-and-helpers migration (issue 14, item 6): an operator is one whose JWT AND
-- whose account say so. Every operator check calls this — command_agents and the RLS policy on
-- agent_desired_state, the registry and token RPCs below, metrics tokens, badge keys, mutes, alert
-- channels — so a demotion, a ban or a deletion is refused on the very next request. (A promotion
-- still waits for a fresh session: the JWT must say operator too, and the dashboard reads it.)
create or replace function app.can_command() returns boolean
language sql stable security definer set search_path = '' as $$
  select app.user_role() = 'operator' and app.account_role() = 'operator'
$$;

-- 3. The registry ---------------------------------------------------------------------------------
-- Who is acting, for the history: the signed-in user's email, or the API role (service_role).
create function app.actor_email() returns text
language sql stable set search_path = '' as $$ select coalesce(auth.jwt() ->> 'email', auth.role()) $$;

create function app.require_operator(action text) returns void
language plpgsql stable set search_path = '' as $$
begin
  if not (app.can_command() or app.is_service()) then
    raise exception 'only operators can %', action using errcode = '42501';
  end if;
end $$;

-- An agent's name as the registry takes it: trimmed; 1 to 100 characters (the table's constraints).
create function app.checked_agent_name(name text, field text default 'agent_name') returns text
language plpgsql immutable set search_path = '' as $$
declare
  trimmed text := btrim(name);
begin
  if trimmed is null or trimmed = '' then
    raise exception '% must be a non-empty name', field using errcode = '22023';
  end if;
  if char_length(trimmed) > 100 then
    raise exception '% must be at most 100 characters (got %)', field, char_length(trimmed) using errcode = '22023';
  end if;
  return trimmed;
end $$;

-- The settings' ranges, with messages a person can act on (the check constraints stay the last line).
create function app.check_agent_settings(description text, heartbeat_interval_seconds integer, offline_after_seconds integer)
returns void
language plpgsql immutable set search_path = '' as $$
begin
  if char_length(description) > 1000 then
    raise exception 'description must be at most 1000 characters (got %)', char_length(description) using errcode = '22023';
  end if;
  if heartbeat_interval_seconds is not null and heartbeat_interval_seconds not between 1 and 3600 then
    raise exception 'heartbeat_interval_seconds must be between 1 and 3600, got %', heartbeat_interval_seconds using errcode = '22023';
  end if;
  if offline_after_seconds is not null and offline_after_seconds not between 1 and 86400 then
    raise exception 'offline_after_seconds must be between 1 and 86400 (or null for 3 heartbeat intervals), got %',
      offline_after_seconds using errcode = '22023';
  end if;
end $$;

-- One registry event: who did what to which agent, with the agent's row as its snapshot (as every
-- event has), so a dashboard can apply it from the event alone.
create function app.record_registry_event(p_agent_id uuid, p_kind public.agent_event_kind, p_message text)
returns void
language sql security definer set search_path = '' as $$
  insert into public.agent_events (agent_id, kind, message, actor_id, actor_email, snapshot)
  select s.id, p_kind, p_message, auth.uid(), app.actor_email(), to_jsonb(s)
    from public.agent_status s
   where s.id = p_agent_id
$$;

-- A new agent: stopped, health 0, desired state stopped (generation 0, made by the insert trigger).
create function public.create_agent(
  p_agent_name text,
  p_description text default null,
  p_heartbeat_interval_seconds integer default null,
  p_offline_after_seconds integer default null
) returns table (agent_name text, id uuid, desired_state public.desired_state, generation bigint)
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
declare
  name text;
  new_id uuid;
begin
  perform app.require_operator('add agents');
  name := app.checked_agent_name(p_agent_name);
  perform app.check_agent_settings(nullif(p_description, ''), p_heartbeat_interval_seconds, p_offline_after_seconds);
  insert into public.agent_status (agent_name, status, health, description, heartbeat_interval_seconds, offline_after_seconds)
  values (name, 'stopped', 0, nullif(p_description, ''), coalesce(p_heartbeat_interval_seconds, 10), p_offline_after_seconds)
  on conflict on constraint agent_status_agent_name_key do nothing
  returning agent_status.id into new_id;
  if new_id is null then
    raise exception 'an agent named "%" already exists', name using errcode = '23505';
  end if;
  perform app.record_registry_event(new_id, 'created', 'agent added');
  return query
  select s.agent_name, s.id, d.desired_state, d.generation
    from public.agent_status s join public.agent_desired_state d on d.agent_id = s.id
   where s.id = new_id;
end $$;

-- Changes an agent: any of new_name, description (null clears it), heartbeat_interval_seconds,
-- offline_after_seconds (null = three heartbeat intervals) — the keys present in p_changes, nothing
-- else. One UPDATE; history, tokens, badges and desired state are keyed by the agent's id, so they
-- follow a rename, and alert channels that name the agent are renamed with it.
create function public.update_agent(p_agent_name text, p_changes jsonb)
returns table (
  id uuid, agent_name text, description text, heartbeat_interval_seconds integer,
  offline_after_seconds integer, effective_offline_after_seconds integer
)
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
declare
  allowed constant text[] := array['new_name', 'description', 'heartbeat_interval_seconds', 'offline_after_seconds'];
  unknown text;
  setting text;
  new_name text;
  new_description text;
  new_interval integer;
  new_offline_after integer;
  before public.agent_status;
  after public.agent_status;
  changes text[] := '{}';
begin
  perform app.require_operator('change agents');
  if jsonb_typeof(p_changes) is distinct from 'object' then
    raise exception 'the changes must be a JSON object' using errcode = '22023';
  end if;
  select k into unknown from jsonb_object_keys(p_changes) as k where not (k = any (allowed)) limit 1;
  if unknown is not null then
    raise exception 'unknown setting "%"; use %', unknown, array_to_string(allowed, ', ') using errcode = '22023';
  end if;
  if p_changes ? 'new_name' then
    if jsonb_typeof(p_changes -> 'new_name') is distinct from 'string' then
      raise exception 'new_name must be a string' using errcode = '22023';
    end if;
    new_name := app.checked_agent_name(p_changes ->> 'new_name', 'new_name');
  end if;
  if p_changes ? 'description' and jsonb_typeof(p_changes -> 'description') not in ('string', 'null') then
    raise exception 'description must be a string or null' using errcode = '22023';
  end if;
  new_description := nullif(p_changes ->> 'description', '');
  -- Whole numbers (a sign is let through so that the range check below says what is wrong with -5).
  foreach setting in array array['heartbeat_interval_seconds', 'offline_after_seconds'] loop
    if p_changes ? setting and not (jsonb_typeof(p_changes -> setting) = 'number' and (p_changes ->> setting) ~ '^-?[0-9]{1,9}$'
                                    or (setting = 'offline_after_seconds' and jsonb_typeof(p_changes -> setting) = 'null')) then
      raise exception '% must be a whole number of seconds%', setting,
        case when setting = 'offline_after_seconds' then ' or null' else '' end using errcode = '22023';
    end if;
  end loop;
  new_interval := (p_changes ->> 'heartbeat_interval_seconds')::integer;
  new_offline_after := (p_changes ->> 'offline_after_seconds')::integer;
  perform app.check_agent_settings(new_description, new_interval, new_offline_after);

  select * into before from public.agent_status s where s.agent_name = p_agent_name for update;
  if before.id is null then
    raise exception 'unknown agent "%"', p_agent_name using errcode = 'PT404';
  end if;
  if new_name is not null and new_name <> before.agent_name
     and exists (select 1 from public.agent_status s where s.agent_name = new_name) then
    raise exception 'an agent named "%" already exists', new_name using errcode = '23505';
  end if;

  update public.agent_status s set
    agent_name = coalesce(new_name, s.agent_name),
    description = case when p_changes ? 'description' then new_description else s.description end,
    heartbeat_interval_seconds = coalesce(new_interval, s.heartbeat_interval_seconds),
    offline_after_seconds = case when p_changes ? 'offline_after_seconds' then new_offline_after else s.offline_after_seconds end
  where s.id = before.id
  returning s.* into after;

  if after.agent_name <> before.agent_name then
    changes := changes || format('renamed from "%s" to "%s"', before.agent_name, after.agent_name);
    update public.alert_channels c set agent_names = array_replace(c.agent_names, before.agent_name, after.agent_name)
     where before.agent_name = any (c.agent_names);
  end if;
  if after.description is distinct from before.description then
    changes := changes || case when after.description is null then 'description removed' else 'description changed' end;
  end if;
  if after.heartbeat_interval_seconds <> before.heartbeat_interval_seconds then
    changes := changes || format('heartbeat interval %s s → %s s', before.heartbeat_interval_seconds, after.heartbeat_interval_seconds);
  end if;
  if after.offline_after_seconds is distinct from before.offline_after_seconds then
    changes := changes || format('offline after %s → %s',
      coalesce(before.offline_after_seconds || ' s', 'the default'), coalesce(after.offline_after_seconds || ' s', 'the default'));
  end if;
  if cardinality(changes) > 0 then
    perform app.record_registry_event(after.id, 'updated', array_to_string(changes, '; '));
  end if;

  return query select after.id, after.agent_name, after.description, after.heartbeat_interval_seconds, after.offline_after_seconds,
    app.offline_after_seconds(after.offline_after_seconds, after.heartbeat_interval_seconds);
end $$;

-- Removes an agent with its desired state, tokens, history and badges (foreign keys cascade). Its
-- worker's next report is refused (the token no longer exists: PT401).
create function public.delete_agent(p_agent_name text) returns boolean
language plpgsql security definer set search_path = '' as $$
begin
  perform app.require_operator('delete agents');
  delete from public.agent_status s where s.agent_name = p_agent_name;
  if not found then
    raise exception 'unknown agent "%"', p_agent_name using errcode = 'PT404';
  end if;
  return true;
end $$;

-- Redefined from the tokens migration: the issuer is recorded (created_by, created_by_email) and the
-- issue is an event in the agent's history; the operator check is the current one (app.can_command).
create or replace function public.issue_agent_token(p_agent_name text, p_label text default null)
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
  insert into public.agent_tokens (agent_id, token_hash, label, created_by, created_by_email)
  values (target, app.hash_token(secret), p_label, auth.uid(), app.actor_email())
  returning id into new_id;
  perform app.record_registry_event(target, 'token_issued',
    format('token %s issued', coalesce('"' || p_label || '"', new_id::text)));
  return query select new_id, p_agent_name, secret;
end $$;

-- Redefined from the tokens migration: the revocation is an event in the agent's history, and the
-- operator check is the current one. As before: true when this call revoked the token, false when
-- nothing was revoked (revoked already, or no such token; the function tells them apart).
create or replace function public.revoke_agent_token(p_token_id uuid) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  revoked public.agent_tokens;
begin
  if not (app.can_command() or app.is_service()) then
    raise exception 'only operators can revoke agent tokens' using errcode = '42501';
  end if;
  update public.agent_tokens set revoked_at = now() where id = p_token_id and revoked_at is null
  returning * into revoked;
  if revoked.id is null then
    return false;
  end if;
  perform app.record_registry_event(revoked.agent_id, 'token_revoked',
    format('token %s revoked', coalesce('"' || revoked.label || '"', revoked.id::text)));
  return true;
end $$;

-- Who may do what: operators and the service role call the registry RPCs (each checks the current
-- role itself); operators read who issued a token; nothing changes for anon and viewers.
grant select (created_by, created_by_email) on public.agent_tokens to authenticated;

revoke execute on function app.account_role(), app.actor_email(), app.require_operator(text), app.checked_agent_name(text, text),
  app.check_agent_settings(text, integer, integer), app.record_registry_event(uuid, public.agent_event_kind, text) from public;
grant execute on function app.account_role(), app.actor_email(), app.require_operator(text), app.checked_agent_name(text, text),
  app.check_agent_settings(text, integer, integer), app.record_registry_event(uuid, public.agent_event_kind, text)
  to anon, authenticated, service_role;

revoke execute on function public.create_agent(text, text, integer, integer), public.update_agent(text, jsonb),
  public.delete_agent(text) from public, anon, authenticated;
grant execute on function public.create_agent(text, text, integer, integer), public.update_agent(text, jsonb),
  public.delete_agent(text) to authenticated, service_role;
