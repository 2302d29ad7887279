-- Metrics and badges (issue 16): the fleet as Prometheus sees it and as a status badge shows it.
--   * counters on agent_status (errors, starts, offline transitions), kept by a trigger on the row
--     itself, so they stay monotonic although event history is pruned;
--   * metrics tokens (hashed, like agent tokens) that can read the fleet's numbers and nothing else;
--   * badge keys (revocable, read-only, for one agent or all of them) that reveal only up / down;
--   * the two read RPCs the `metrics` Edge Function calls with those credentials.
-- Design notes and the Prometheus families: docs/metrics.md.

-- What an agent shows (a status, or offline when the sweep has not heard from it) and whether it is up
-- (alive and reporting: running, warning or error, and not offline). Defined once, here, for the
-- metrics and the badges; @agent-status/domain's DISPLAY_STATES mirrors the states.
create function app.display_state(status public.agent_run_status, offline boolean) returns text
language sql immutable set search_path = '' as $$
  select case when offline then 'offline' else status::text end
$$;

create function app.is_up(status public.agent_run_status, offline boolean) returns boolean
language sql immutable set search_path = '' as $$
  select not offline and status <> 'stopped'
$$;

-- Counters. A restart is a start after the agent's first one (a restart command, a supervisor
-- relaunching a crashed worker, or a stop followed by a start): starts_total counts every start and
-- the metrics report restarts_total = starts_total - 1. An error is every `error` report; an offline
-- is every transition into offline made by the sweep.
alter table public.agent_status
  add column errors_total bigint not null default 0,
  add column starts_total bigint not null default 0,
  add column offline_total bigint not null default 0;
comment on column public.agent_status.errors_total is 'Error reports ever received (monotonic; history pruning does not touch it).';
comment on column public.agent_status.starts_total is 'Starts ever recorded (a new started_at); restarts = starts_total - 1.';
comment on column public.agent_status.offline_total is 'Transitions into offline ever made by the sweep.';

-- BEFORE UPDATE on the row itself: the counter rides along in the update that carries the
-- transition, so counting costs no extra write, and a plain heartbeat does not even call it.
create function app.count_transitions() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.last_error_at is distinct from old.last_error_at and new.last_error_at is not null then
    new.errors_total := old.errors_total + 1;
  end if;
  if new.started_at is distinct from old.started_at and new.started_at is not null then
    new.starts_total := old.starts_total + 1;
  end if;
  if new.offline and not old.offline then
    new.offline_total := old.offline_total + 1;
  end if;
  return new;
end $$;

create trigger agent_status_count_transitions before update on public.agent_status
  for each row
  when (old.last_error_at is distinct from new.last_error_at
     or old.started_at is distinct from new.started_at
     or old.offline is distinct from new.offline)
  execute function app.count_transitions();

-- Metrics tokens: what a Prometheus server presents (Authorization: Bearer …). Only a sha256 is
-- stored; the token is shown once, when it is issued.
create table public.metrics_tokens (
  id uuid primary key default gen_random_uuid(),
  token_hash bytea not null unique,
  label text constraint label_max_100_chars check (char_length(label) <= 100),
  created_by_email text,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
comment on column public.metrics_tokens.token_hash is 'sha256 of the token; the token itself is shown once and never stored.';

-- Badge keys: the last part of a public badge URL (asb_ + 122 random bits), meant for READMEs and wikis. It reveals
-- only up / down, so it is kept as is (operators can copy a badge's URL again at any time), and it can
-- be revoked. agent_id null = a badge for every agent.
create table public.badge_keys (
  id uuid primary key default gen_random_uuid(),
  key text not null unique,
  agent_id uuid references public.agent_status (id) on delete cascade,
  label text constraint label_max_100_chars check (char_length(label) <= 100),
  created_by_email text,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index badge_keys_agent on public.badge_keys (agent_id);

create function public.issue_metrics_token(p_label text default null)
returns table (token_id uuid, label text, token text)
language plpgsql security definer set search_path = '' as $$
declare
  secret text := 'asm_' || replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
  new_id uuid;
begin
  if not (app.can_command() or app.is_service()) then
    raise exception 'only operators can issue metrics tokens' using errcode = '42501';
  end if;
  insert into public.metrics_tokens (token_hash, label, created_by_email)
  values (app.hash_token(secret), p_label, auth.jwt() ->> 'email')
  returning id into new_id;
  return query select new_id, p_label, secret;
end $$;

create function public.revoke_metrics_token(p_token_id uuid) returns boolean
language plpgsql security definer set search_path = '' as $$
begin
  if not (app.can_command() or app.is_service()) then
    raise exception 'only operators can revoke metrics tokens' using errcode = '42501';
  end if;
  update public.metrics_tokens set revoked_at = now() where id = p_token_id and revoked_at is null;
  return found;
end $$;

create function public.issue_badge_key(p_agent_name text default null, p_label text default null)
returns table (key_id uuid, agent_name text, label text, key text)
language plpgsql security definer set search_path = '' as $$
declare
  target uuid;
  secret text := 'asb_' || replace(gen_random_uuid()::text, '-', '');
  new_id uuid;
begin
  if not (app.can_command() or app.is_service()) then
    raise exception 'only operators can issue badge keys' using errcode = '42501';
  end if;
  if p_agent_name is not null then
    select s.id into target from public.agent_status s where s.agent_name = p_agent_name;
    if target is null then
      raise exception 'unknown agent "%"', p_agent_name using errcode = 'PT404';
    end if;
  end if;
  insert into public.badge_keys (key, agent_id, label, created_by_email)
  values (secret, target, p_label, auth.jwt() ->> 'email')
  returning id into new_id;
  return query select new_id, p_agent_name, p_label, secret;
end $$;

create function public.revoke_badge_key(p_key_id uuid) returns boolean
language plpgsql security definer set search_path = '' as $$
begin
  if not (app.can_command() or app.is_service()) then
    raise exception 'only operators can revoke badge keys' using errcode = '42501';
  end if;
  update public.badge_keys set revoked_at = now() where id = p_key_id and revoked_at is null;
  return found;
end $$;

-- One scrape: the token is checked (PT401 when unknown or revoked), then the whole fleet is read in
-- one set-based query. The answer is one JSON value, not a set of rows, because PostgREST caps sets
-- at max_rows (1000) and a scrape must see every agent. last_used_at is advisory and refreshed at
-- most once a minute, so a scrape every few seconds writes almost nothing.
create function public.metrics_snapshot(p_token text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  presented bytea := app.hash_token(coalesce(p_token, ''));
  result jsonb;
begin
  if not exists (select 1 from public.metrics_tokens t where t.token_hash = presented and t.revoked_at is null) then
    raise exception 'invalid or revoked metrics token' using errcode = 'PT401';
  end if;
  update public.metrics_tokens t set last_used_at = now()
   where t.token_hash = presented
     and (t.last_used_at is null or t.last_used_at < now() - interval '1 minute');

  select jsonb_build_object('agents', coalesce(jsonb_agg(jsonb_build_object(
           'agent_name', s.agent_name,
           'state', app.display_state(s.status, s.offline),
           'up', app.is_up(s.status, s.offline),
           'health', s.health,
           'last_heartbeat_seconds', extract(epoch from s.last_heartbeat),
           'desired_running', d.desired_state = 'running',
           'pending', d.generation > s.observed_generation,
           'errors_total', s.errors_total,
           'restarts_total', greatest(s.starts_total - 1, 0),
           'offline_total', s.offline_total
         ) order by s.agent_name), '[]'::jsonb))
    into result
    from public.agent_status s
    join public.agent_desired_state d on d.agent_id = s.id;
  return result;
end $$;

-- A badge: the state of the key's agent, or how many of all agents are up. null for an unknown or
-- revoked key (the function answers 404), and nothing beyond the state for a valid one.
create function public.badge_state(p_key text) returns jsonb
language sql stable security definer set search_path = '' as $$
  select case
    when b.agent_id is not null then (
      select jsonb_build_object('agent_name', s.agent_name, 'state', app.display_state(s.status, s.offline),
                                'up', app.is_up(s.status, s.offline)::integer, 'total', 1)
        from public.agent_status s where s.id = b.agent_id)
    else (
      select jsonb_build_object('agent_name', null, 'state', null,
                                'up', count(*) filter (where app.is_up(s.status, s.offline)), 'total', count(*))
        from public.agent_status s)
    end
  from public.badge_keys b
  where b.key = p_key and b.revoked_at is null
$$;

-- Who may do what: operators read token metadata (never the hash) and badge keys, and issue and revoke
-- both through the RPCs; viewers see nothing of them; the read RPCs take the credential itself, so
-- any API role may call them; the service role does everything.
alter table public.metrics_tokens enable row level security;
alter table public.badge_keys enable row level security;

revoke all on public.metrics_tokens, public.badge_keys from anon, authenticated;
grant all on public.metrics_tokens, public.badge_keys to service_role;
grant select (id, label, created_by_email, created_at, last_used_at, revoked_at) on public.metrics_tokens to authenticated;
grant select on public.badge_keys to authenticated;

create policy "operators read metrics token metadata" on public.metrics_tokens
  for select to authenticated using ((select app.can_command()));
create policy "operators read badge keys" on public.badge_keys
  for select to authenticated using ((select app.can_command()));

revoke execute on function app.display_state(public.agent_run_status, boolean), app.is_up(public.agent_run_status, boolean),
  app.count_transitions() from public;
grant execute on function app.display_state(public.agent_run_status, boolean), app.is_up(public.agent_run_status, boolean),
  app.count_transitions() to anon, authenticated, service_role;

revoke execute on function public.issue_metrics_token(text), public.revoke_metrics_token(uuid),
  public.issue_badge_key(text, text), public.revoke_badge_key(uuid),
  public.metrics_snapshot(text), public.badge_state(text) from public, anon, authenticated;
grant execute on function public.issue_metrics_token(text), public.revoke_metrics_token(uuid),
  public.issue_badge_key(text, text), public.revoke_badge_key(uuid) to authenticated, service_role;
grant execute on function public.metrics_snapshot(text), public.badge_state(text) to anon, authenticated, service_role;
