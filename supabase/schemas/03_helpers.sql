-- The small functions that hold the domain's rules: how long a message may be, default health and
-- health bands, when an agent counts as offline, how a token is stored, what a dashboard shows.
-- TypeScript mirrors these facts in @agent-status/domain; tests/integration/domain-facts.test.ts reads
-- them from the live schema and fails on any difference. Design notes: docs/data-model.md.
--
-- Inlining. A heartbeat must stay one statement (supabase/tests/database/a_heartbeat_is_one_statement.sql),
-- so the helpers it runs — hash_token, default_health, and health_band in the event trigger's condition —
-- and offline_after_seconds (run per row by the offline sweep and agent_overview) must be inlined into the
-- statement that calls them. Postgres never inlines a LANGUAGE sql function that has a SET clause, so these
-- have no `set search_path = ''`: every function and operator in their bodies is qualified by pg_catalog
-- instead, so they mean the same under any search_path. Postgres inlines an IMMUTABLE function only when its
-- body is immutable too, so hash_token and default_health are STABLE (their bodies call stable functions:
-- convert_to, the enum's input); they are used in statements only, never by an index or generated column.

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
language sql stable as $$
  select case when kind operator(pg_catalog.=) 'started'::public.agent_report_kind then 100
              when kind operator(pg_catalog.=) 'recovered'::public.agent_report_kind then 100
              when kind operator(pg_catalog.=) 'warning'::public.agent_report_kind then 75
              when kind operator(pg_catalog.=) 'error'::public.agent_report_kind then 30
              when kind operator(pg_catalog.=) 'stopped'::public.agent_report_kind then 0 end
$$;

-- Health bands: a move between bands is a transition worth an event; jitter inside one is not.
create function app.health_band(health integer) returns text
language sql immutable as $$
  select case when health operator(pg_catalog.>=) 80 then 'healthy'
              when health operator(pg_catalog.>=) 40 then 'degraded' else 'critical' end
$$;

-- An agent is offline after offline_after_seconds of silence, by default three missed heartbeats.
create function app.offline_after_seconds(offline_after_seconds integer, heartbeat_interval_seconds integer)
returns integer
language sql immutable as $$
  select coalesce(offline_after_seconds, 3 operator(pg_catalog.*) heartbeat_interval_seconds)
$$;

-- A span of time in words for event messages ("42 s", "3 min 5 s", "2 h 4 min", "3 d 2 h"): a message says
-- how long, never at what time — the event's created_at is the time, shown once, in the reader's own
-- format (a timestamp in the text would be Postgres' rendering in the server's time zone beside it).
create function app.describe_duration(span interval) returns text
language sql immutable set search_path = '' as $$
  with s as (select greatest(pg_catalog.floor(extract(epoch from span)), 0)::bigint as secs)
  select case
    when secs < 60 then secs || ' s'
    when secs < 3600 then (secs / 60) || ' min' || case when secs % 60 > 0 then ' ' || (secs % 60) || ' s' else '' end
    when secs < 86400 then (secs / 3600) || ' h' || case when secs % 3600 >= 60 then ' ' || (secs % 3600 / 60) || ' min' else '' end
    else (secs / 86400) || ' d' || case when secs % 86400 >= 3600 then ' ' || (secs % 86400 / 3600) || ' h' else '' end
  end from s
$$;

-- Tokens (agent and metrics tokens) are stored as a sha256 only; the token is shown once, when issued.
create function app.hash_token(token text) returns bytea
language sql stable as $$ select pg_catalog.sha256(pg_catalog.convert_to(token, 'UTF8')) $$;

-- What an agent shows (a status, or offline when the sweep has not heard from it) and whether it is up
-- (alive and reporting: running, warning or error, and not offline), for the metrics and the badges;
-- @agent-status/domain's DISPLAY_STATES mirrors the states.
create function app.display_state(status public.agent_run_status, offline boolean) returns text
language sql immutable set search_path = '' as $$
  select case when offline then 'offline' else status::text end
$$;

create function app.is_up(status public.agent_run_status, offline boolean) returns boolean
language sql immutable set search_path = '' as $$
  select not offline and status <> 'stopped'
$$;

create function app.touch_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end $$;

revoke execute on function app.message_max_chars(public.agent_report_kind), app.bounded_text(text, integer),
  app.default_health(public.agent_report_kind), app.health_band(integer), app.offline_after_seconds(integer, integer),
  app.hash_token(text), app.display_state(public.agent_run_status, boolean), app.is_up(public.agent_run_status, boolean),
  app.touch_updated_at(), app.describe_duration(interval) from public;
grant execute on function app.message_max_chars(public.agent_report_kind), app.bounded_text(text, integer),
  app.default_health(public.agent_report_kind), app.health_band(integer), app.offline_after_seconds(integer, integer),
  app.hash_token(text), app.display_state(public.agent_run_status, boolean), app.is_up(public.agent_run_status, boolean),
  app.touch_updated_at(), app.describe_duration(interval) to anon, authenticated, service_role;
