-- Metrics: the fleet as Prometheus sees it, read by the `metrics` Edge Function with a metrics token.
--   * counters on agent_status (errors, starts, offline transitions), kept by a trigger on the row
--     itself, so they stay monotonic although event history is pruned;
--   * metrics tokens (hashed, like agent tokens) that can read the fleet's numbers and nothing else;
--   * metrics_snapshot(), the one read RPC a scrape calls.
-- Design notes and the Prometheus families: docs/metrics.md. Badges: 51_badges.sql.

-- Counters. A restart is a start after the agent's first one (a restart command, a supervisor
-- relaunching a crashed worker, or a stop followed by a start): starts_total counts every start and
-- the metrics report restarts_total = starts_total - 1. An error is every `error` report; an offline
-- is every transition into offline made by the sweep.
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

revoke execute on function app.count_transitions() from public;
grant execute on function app.count_transitions() to anon, authenticated, service_role;

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

-- Who may do what: operators read token metadata (never the hash) and issue and revoke tokens through
-- the RPCs; viewers see nothing of them; the service role does everything.
alter table public.metrics_tokens enable row level security;
revoke all on public.metrics_tokens from anon, authenticated;
grant all on public.metrics_tokens to service_role;
grant select (id, label, created_by_email, created_at, last_used_at, revoked_at) on public.metrics_tokens to authenticated;

create policy "operators read metrics token metadata" on public.metrics_tokens
  for select to authenticated using ((select app.can_command()));

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
         ) order by s.agent_name), '[]'::jsonb),
         -- the agents' own numbers (35_custom_metrics.sql)
         'custom', coalesce((
           select jsonb_agg(jsonb_build_object('agent_name', a.agent_name, 'metric', m.metric, 'kind', m.kind, 'value', m.value)
                            order by a.agent_name, m.metric)
             from public.agent_metrics m join public.agent_status a on a.id = m.agent_id), '[]'::jsonb))
    into result
    from public.agent_status s
    join public.agent_desired_state d on d.agent_id = s.id;
  return result;
end $$;

-- The read RPC takes the credential itself, so any API role may call it.
revoke execute on function public.issue_metrics_token(text), public.revoke_metrics_token(uuid), public.metrics_snapshot(text)
  from public, anon, authenticated;
grant execute on function public.issue_metrics_token(text), public.revoke_metrics_token(uuid) to authenticated, service_role;
grant execute on function public.metrics_snapshot(text) to anon, authenticated, service_role;
