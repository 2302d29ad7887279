-- The agent registry: operators add, change and delete agents (the `agents` Edge Function's /create,
-- /update, /delete) through set-based RPCs that check the current role themselves; each change is an
-- event in the agent's history with who made it. Token RPCs: 13_agent_tokens.sql; tags:
-- 34_agent_tags.sql. Design notes: docs/data-model.md ("The agent registry"), docs/security.md.

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

revoke execute on function app.checked_agent_name(text, text), app.check_agent_settings(text, integer, integer),
  app.record_registry_event(uuid, public.agent_event_kind, text) from public;
grant execute on function app.checked_agent_name(text, text), app.check_agent_settings(text, integer, integer),
  app.record_registry_event(uuid, public.agent_event_kind, text) to anon, authenticated, service_role;

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

revoke execute on function public.create_agent(text, text, integer, integer), public.update_agent(text, jsonb),
  public.delete_agent(text) from public, anon, authenticated;
grant execute on function public.create_agent(text, text, integer, integer), public.update_agent(text, jsonb),
  public.delete_agent(text) to authenticated, service_role;
