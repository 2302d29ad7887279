-- What hosted Supabase provides before any project migration runs: the API roles, the auth
-- schema with auth.users and the claim helpers, the realtime publication, pg_cron's job table and
-- the CLI's migration history table. Used by the embedded stack and, through this package's
-- exports, by anything that needs a Supabase-shaped Postgres (the pgTAP runner on PostgreSQL 15).
-- Idempotent: safe to run on every start.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    create role authenticator noinherit login;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'supabase_admin') then
    create role supabase_admin;
  end if;
end $$;

grant anon, authenticated, service_role to authenticator;
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;

create schema if not exists extensions;
create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

create table if not exists auth.users (
  instance_id uuid,
  id uuid primary key default gen_random_uuid(),
  aud varchar(255) default 'authenticated',
  role varchar(255) default 'authenticated',
  email varchar(255) unique,
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb not null default '{}'::jsonb,
  raw_user_meta_data jsonb not null default '{}'::jsonb,
  banned_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create or replace function auth.jwt() returns jsonb
language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

create or replace function auth.uid() returns uuid
language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

grant execute on function auth.jwt(), auth.uid(), auth.role() to anon, authenticated, service_role;

do $$
begin
  if not exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end $$;

create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
  version text primary key,
  statements text[],
  name text
);

-- Broadcast from the database, as hosted Supabase's realtime.send(). The stack's Realtime
-- module LISTENs on this channel and delivers the message to the topic's subscribers. A NOTIFY payload
-- is at most 8,000 bytes, and hosted Realtime carries far larger messages: a larger one is kept in
-- realtime.messages (where hosted's realtime.send writes every message) and the notification names its
-- row, which the relay reads and deletes (stack/src/realtime/database-broadcast.ts). Like hosted's, it runs
-- with the caller's rights, so the caller must be allowed to write realtime.messages (the owner of a
-- security definer function is).
create schema if not exists realtime;
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void language plpgsql volatile as $$
declare
  message text := jsonb_build_object('topic', topic, 'event', event, 'payload', payload, 'private', private)::text;
  stored uuid;
begin
  if octet_length(message) <= 7900 then
    perform pg_notify('realtime_broadcast', message);
  else
    insert into realtime.messages (topic, extension, payload, event, private)
    values (topic, 'broadcast', payload, event, private) returning id into stored;
    perform pg_notify('realtime_broadcast', jsonb_build_object('stored', stored)::text);
  end if;
end $$;

-- Realtime Authorization, as hosted Supabase has it: RLS policies on realtime.messages decide who may join
-- a private channel (SELECT) and who may broadcast (INSERT); realtime.topic() is the topic being checked.
-- The stack's Realtime probes the policies and rolls back (stack/src/realtime/authorization.ts), so the
-- table keeps nothing here but a large broadcast until it is relayed; it has hosted's columns (hosted
-- partitions it by day, not needed here).
create table if not exists realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp not null default now(),
  inserted_at timestamp not null default now(),
  id uuid not null default gen_random_uuid(),
  primary key (id, inserted_at)
);
alter table realtime.messages enable row level security;
grant usage on schema realtime to anon, authenticated, service_role;
grant select, insert, update, delete on realtime.messages to anon, authenticated, service_role;
do $$
begin
  if to_regprocedure('realtime.topic()') is null then
    create function realtime.topic() returns text language sql stable as
      $fn$ select nullif(current_setting('realtime.topic', true), '')::text $fn$;
  end if;
end $$;

-- pg_cron's interface where the real extension is absent (PGlite, a plain PostgreSQL): cron.schedule()
-- and cron.unschedule() keep cron.job as pg_cron does, and the stack's scheduler runs what it holds.
-- Schedules: '1 seconds' … '59 seconds', or five cron fields (UTC), as pg_cron accepts them.
do $bootstrap$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    return;
  end if;
  create schema if not exists cron;
  create table if not exists cron.job (
    jobid bigserial primary key,
    schedule text not null,
    command text not null,
    nodename text not null default 'localhost',
    nodeport integer not null default 5432,
    database text not null default current_database(),
    username text not null default current_user,
    active boolean not null default true,
    jobname text
  );
  create unique index if not exists jobname_username_uniq on cron.job (jobname, username);
  -- The run history, as pg_cron keeps it: the stack's scheduler writes one row per run when it ends.
  create table if not exists cron.job_run_details (
    jobid bigint,
    runid bigserial primary key,
    job_pid integer,
    database text,
    username text,
    command text,
    status text,
    return_message text,
    start_time timestamptz,
    end_time timestamptz
  );

  create or replace function cron.schedule(job_name text, schedule text, command text) returns bigint
  language plpgsql as $fn$
  declare
    id bigint;
  begin
    if schedule !~ '^\s*([1-9]|[1-5][0-9])\s+seconds?\s*$'
       and coalesce(array_length(regexp_split_to_array(btrim(schedule), '\s+'), 1), 0) <> 5 then
      raise exception 'invalid schedule: %', schedule using errcode = '22023';
    end if;
    insert into cron.job (schedule, command, jobname) values (schedule, command, job_name)
    on conflict (jobname, username) do update set schedule = excluded.schedule, command = excluded.command, active = true
    returning jobid into id;
    return id;
  end $fn$;

  create or replace function cron.unschedule(job_name text) returns boolean
  language sql as $fn$
    with gone as (delete from cron.job where jobname = job_name and username = current_user returning 1)
    select exists (select 1 from gone)
  $fn$;

  create or replace function cron.unschedule(job_id bigint) returns boolean
  language sql as $fn$
    with gone as (delete from cron.job where jobid = job_id returning 1)
    select exists (select 1 from gone)
  $fn$;
end $bootstrap$;

-- Supabase Vault's interface where the supabase_vault extension is absent: vault.create_secret(),
-- vault.update_secret() and the vault.decrypted_secrets view, as scheduled jobs read them. Unlike
-- Vault, the secrets are stored unencrypted: this stands in on a local machine, where the database
-- files are the developer's own. Only the database owner (who runs the cron jobs) may read them.
do $bootstrap$
begin
  if exists (select 1 from pg_extension where extname = 'supabase_vault') then
    return;
  end if;
  create schema if not exists vault;
  revoke all on schema vault from public;
  create table if not exists vault.secrets (
    id uuid primary key default gen_random_uuid(),
    name text unique,
    description text not null default '',
    secret text not null,
    key_id uuid,
    nonce bytea,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  );
  revoke all on vault.secrets from public;

  create or replace view vault.decrypted_secrets as
    select id, name, description, secret, secret as decrypted_secret, key_id, nonce, created_at, updated_at
      from vault.secrets;
  revoke all on vault.decrypted_secrets from public;

  create or replace function vault.create_secret(new_secret text, new_name text default null,
    new_description text default '', new_key_id uuid default null) returns uuid
  language sql as $fn$
    insert into vault.secrets (secret, name, description, key_id)
    values (new_secret, new_name, coalesce(new_description, ''), new_key_id)
    returning id
  $fn$;

  create or replace function vault.update_secret(secret_id uuid, new_secret text default null,
    new_name text default null, new_description text default null, new_key_id uuid default null) returns void
  language sql as $fn$
    update vault.secrets set secret = coalesce(new_secret, secret), name = coalesce(new_name, name),
           description = coalesce(new_description, description), key_id = coalesce(new_key_id, key_id),
           updated_at = now()
     where id = secret_id
  $fn$;
  revoke all on function vault.create_secret(text, text, text, uuid), vault.update_secret(uuid, text, text, text, uuid) from public;
end $bootstrap$;

-- pg_net's interface where the extension is absent: net.http_post() queues the request in
-- net.http_request_queue and notifies the channel net_http_request (delivered on commit); the stack's
-- net worker sends queued requests after the calling transaction commits and keeps each answer in
-- net._http_response for 6 hours, as pg_net does. Where it differs from pg_net: stack/README.md.
do $bootstrap$
begin
  if exists (select 1 from pg_extension where extname = 'pg_net') then
    return;
  end if;
  create schema if not exists net;
  revoke all on schema net from public;
  create table if not exists net.http_request_queue (
    id bigserial primary key,
    method text not null,
    url text not null,
    headers jsonb not null,
    body bytea,
    timeout_milliseconds integer not null,
    created timestamptz not null default now()
  );
  create unlogged table if not exists net._http_response (
    id bigint,
    status_code integer,
    content_type text,
    headers jsonb,
    content text,
    timed_out boolean,
    error_msg text,
    created timestamptz not null default now()
  );
  create index if not exists _http_response_created_idx on net._http_response (created);

  create or replace function net._urlencode_string(value text) returns text
  language sql immutable strict as $fn$
    select coalesce(string_agg(
      case when chr(b) ~ '^[A-Za-z0-9._~-]$' then chr(b) else '%' || upper(lpad(to_hex(b), 2, '0')) end, '' order by i), '')
      from (select i, get_byte(convert_to(value, 'UTF8'), i) as b
              from generate_series(0, octet_length(convert_to(value, 'UTF8')) - 1) as i) bytes
  $fn$;

  create or replace function net.http_post(
    url text,
    body jsonb default '{}'::jsonb,
    params jsonb default '{}'::jsonb,
    headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
    timeout_milliseconds integer default 2000
  ) returns bigint
  language plpgsql volatile security definer set search_path = '' as $fn$
  declare
    request_id bigint;
    query text;
  begin
    if url is null then
      raise exception 'url must not be null' using errcode = '22004';
    end if;
    select string_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value), '&')
      into query from jsonb_each_text(coalesce(params, '{}'::jsonb));
    insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
    values ('POST',
            url || case when query is null then '' when strpos(url, '?') > 0 then '&' || query else '?' || query end,
            coalesce(headers, '{}'::jsonb),
            convert_to(coalesce(body, '{}'::jsonb)::text, 'UTF8'),
            coalesce(timeout_milliseconds, 2000))
    returning id into request_id;
    perform pg_notify('net_http_request', request_id::text);
    return request_id;
  end $fn$;
  revoke all on function net.http_post(text, jsonb, jsonb, jsonb, integer) from public;
end $bootstrap$;
