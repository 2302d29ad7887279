-- Helpers for the pgTAP files in supabase/tests/database, installed by run.sh before pg_prove.
-- They act like PostgREST: switch to the API role of a request and set its JWT claims
-- (`set local`, so everything is undone by each file's rollback).
create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;

-- Fixed user ids, so tests can assert who is recorded as the actor.
create or replace function tests.user_id(app_role text) returns uuid
language sql immutable as $$
  select case app_role
    when 'operator' then '00000000-0000-4000-8000-00000000000a'
    when 'viewer' then '00000000-0000-4000-8000-00000000000b'
    else '00000000-0000-4000-8000-00000000000c' end::uuid
$$;

-- Their accounts, as Auth keeps them: an operator check asks auth.users for the account's current role
-- and ban state (app.can_command), not only the JWT. "nobody" has an account without a role.
insert into auth.users (id, email, raw_app_meta_data)
select tests.user_id(app_role), coalesce(app_role, 'nobody') || '@example.test',
       case when app_role is null then '{}'::jsonb else jsonb_build_object('role', app_role) end
  from unnest(array['operator', 'viewer', null]) as app_role
on conflict (id) do nothing;

-- What an administrator does to an account (Auth's admin API writes the same columns): a new role in
-- app_metadata (null removes it), or a ban until a time. Run as the superuser; undone by rollback.
create or replace function tests.set_account_role(app_role text, new_role text) returns void
language sql security definer as $$
  update auth.users set raw_app_meta_data = case when new_role is null then raw_app_meta_data - 'role'
                                                 else raw_app_meta_data || jsonb_build_object('role', new_role) end
   where id = tests.user_id(app_role)
$$;

create or replace function tests.ban_account(app_role text, until timestamptz default now() + interval '1 day') returns void
language sql security definer as $$ update auth.users set banned_until = until where id = tests.user_id(app_role) $$;

-- Back to the test's own (superuser) session: no role switch, no claims.
create or replace function tests.as_superuser() returns void
language plpgsql as $$
begin
  reset role;
  perform set_config('request.jwt.claims', '', true);
end $$;

-- A request with the publishable key alone (this is also how agents call agent_report with a token).
create or replace function tests.as_anon() returns void
language plpgsql as $$
begin
  perform tests.as_superuser();
  perform set_config('request.jwt.claims', '{"role":"anon"}', true);
  set local role anon;
end $$;

-- A signed-in user. app_role goes into app_metadata (what only the service role can set);
-- user_metadata is what users can set on themselves and must never grant anything.
create or replace function tests.as_user(app_role text default null, user_metadata jsonb default '{}')
returns void
language plpgsql as $$
declare
  name text := coalesce(app_role, 'nobody');
begin
  perform tests.as_superuser();
  perform set_config('request.jwt.claims', jsonb_build_object(
    'role', 'authenticated',
    'sub', tests.user_id(app_role),
    'email', name || '@example.test',
    'app_metadata', case when app_role is null then '{}'::jsonb else jsonb_build_object('role', app_role) end,
    'user_metadata', user_metadata)::text, true);
  set local role authenticated;
end $$;

create or replace function tests.as_service() returns void
language plpgsql as $$
begin
  perform tests.as_superuser();
  perform set_config('request.jwt.claims', '{"role":"service_role"}', true);
  set local role service_role;
end $$;

-- How many rows a statement affected, run with the caller's role (RLS filters silently).
create or replace function tests.affected(statement text) returns integer
language plpgsql as $$
declare
  n integer;
begin
  execute statement;
  get diagnostics n = row_count;
  return n;
end $$;

-- Gives an agent a known token (as the superuser), so tests can present it.
create or replace function tests.give_token(agent text, token text) returns uuid
language sql security definer as $$
  insert into public.agent_tokens (agent_id, token_hash, label)
  select id, app.hash_token(token), 'test' from public.agent_status where agent_name = agent
  returning id
$$;

create or replace function tests.agent_id(agent text) returns uuid
language sql stable security definer as $$ select id from public.agent_status where agent_name = agent $$;

-- Events of one agent, seen by the superuser whatever the current role.
create or replace function tests.event_count(agent text, event_kind text default null) returns integer
language sql stable security definer as $$
  select count(*)::integer from public.agent_events e
   where e.agent_id = tests.agent_id(agent) and (event_kind is null or e.kind::text = event_kind)
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

-- One canonical statement per (table, operation) of the privilege matrix, so every role file
-- exercises exactly the same statements. Writes target the seeded agent "Content Collector".
create or replace function tests.statement(target text, operation text) returns text
language sql immutable as $$
  select case operation
    when 'select' then format('select count(*) from public.%I', target)
    when 'delete' then format('delete from public.%I', target)
    when 'update' then format('update public.%I set %I = %I', target,
      case target when 'agent_status' then 'health' when 'agent_overview' then 'health'
                  when 'agent_desired_state' then 'desired_state'
                  when 'agent_events' then 'message' when 'agent_tokens' then 'label' end,
      case target when 'agent_status' then 'health' when 'agent_overview' then 'health'
                  when 'agent_desired_state' then 'desired_state'
                  when 'agent_events' then 'message' when 'agent_tokens' then 'label' end)
    when 'insert' then case target
      when 'agent_status' then $s$insert into public.agent_status (agent_name) values ('Matrix Agent')$s$
      when 'agent_overview' then $s$insert into public.agent_overview (agent_name) values ('Matrix Agent')$s$
      when 'agent_desired_state' then
        $s$insert into public.agent_desired_state (agent_id) values (tests.agent_id('Content Collector'))$s$
      when 'agent_events' then
        $s$insert into public.agent_events (agent_id, kind) values (tests.agent_id('Content Collector'), 'status')$s$
      when 'agent_tokens' then
        $s$insert into public.agent_tokens (agent_id, token_hash) values (tests.agent_id('Content Collector'), '\x00')$s$
      end
    end
$$;

-- Rows the current role can see in a table or view (RLS filters silently).
create or replace function tests.visible(target text) returns integer
language plpgsql as $$
declare
  n integer;
begin
  execute format('select count(*) from public.%I', target) into n;
  return n;
end $$;

grant execute on all functions in schema tests to anon, authenticated, service_role;
