-- Types and helpers: the enumerations every other file uses, and the small SQL functions that hold
-- the domain's rules (who may read or command, how long a message may be, health bands, defaults).
-- TypeScript mirrors these facts in @agent-status/domain; tests/integration/domain-facts.test.ts
-- reads them from the live schema and fails on any difference. Design notes: docs/data-model.md.

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

-- How many characters (code points, as char_length counts) a message of each report kind keeps.
create function app.message_max_chars(kind public.agent_report_kind) returns integer
language sql immutable set search_path = '' as $$
  select case kind when 'activity' then 500 else 2000 end
$$;

-- Messages never make a report fail: long ones are cut and marked.
create function app.bounded_text(value text, max_chars integer default 2000) returns text
language sql immutable set search_path = '' as $$
  select case when value is null or char_length(value) <= max_chars then value
              else left(value, max_chars - char_length(' …[truncated]')) || ' …[truncated]' end
$$;

-- The health a report sets when the agent names none (null: the report keeps the current health).
create function app.default_health(kind public.agent_report_kind) returns integer
language sql immutable set search_path = '' as $$
  select case kind when 'started' then 100 when 'recovered' then 100 when 'warning' then 75
                   when 'error' then 30 when 'stopped' then 0 end
$$;

-- Health bands: a move between bands is a transition worth an event; jitter inside one is not.
create function app.health_band(health integer) returns text
language sql immutable set search_path = '' as $$
  select case when health >= 80 then 'healthy' when health >= 40 then 'degraded' else 'critical' end
$$;

-- An agent is offline after offline_after_seconds of silence, by default three missed heartbeats.
create function app.offline_after_seconds(offline_after_seconds integer, heartbeat_interval_seconds integer)
returns integer
language sql immutable set search_path = '' as $$
  select coalesce(offline_after_seconds, 3 * heartbeat_interval_seconds)
$$;

create function app.touch_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end $$;
