-- Agent tokens: each worker authenticates with its own token, which may report for its agent only.
-- Only a sha256 of the token is stored (app.hash_token); the token is shown once, when it is issued.
-- Issuing and revoking are events in the agent's history, with who did it.
create table public.agent_tokens (
  id uuid primary key default gen_random_uuid(),
  agent_id uuid not null references public.agent_status (id) on delete cascade,
  token_hash bytea not null unique,
  label text constraint label_max_100_chars check (char_length(label) <= 100),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_by uuid,
  created_by_email text
);
create index agent_tokens_agent on public.agent_tokens (agent_id);
comment on column public.agent_tokens.token_hash is 'sha256 of the token; the token itself is shown once and never stored.';
comment on column public.agent_tokens.created_by_email is 'Who issued the token (the operator''s email, or service_role).';

-- Who may do what: operators read the metadata (never the hash) and who issued each token; everything
-- else goes through the RPCs below.
alter table public.agent_tokens enable row level security;
revoke all on public.agent_tokens from anon, authenticated;
grant all on public.agent_tokens to service_role;
grant select (id, agent_id, label, created_at, last_used_at, revoked_at, created_by, created_by_email)
  on public.agent_tokens to authenticated;

create policy "operators read token metadata" on public.agent_tokens
  for select to authenticated using ((select app.can_command()));

-- A new token for an agent; the answer is the only time the token is seen.
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
  insert into public.agent_tokens (agent_id, token_hash, label, created_by, created_by_email)
  values (target, app.hash_token(secret), p_label, auth.uid(), app.actor_email())
  returning id into new_id;
  perform app.record_registry_event(target, 'token_issued',
    format('token %s issued', coalesce('"' || p_label || '"', new_id::text)));
  return query select new_id, p_agent_name, secret;
end $$;

-- True when this call revoked the token, false when nothing was revoked (revoked already, or no such
-- token; the `agents` function tells them apart).
create function public.revoke_agent_token(p_token_id uuid) returns boolean
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

revoke execute on function public.issue_agent_token(text, text), public.revoke_agent_token(uuid) from public, anon, authenticated;
grant execute on function public.issue_agent_token(text, text), public.revoke_agent_token(uuid) to authenticated, service_role;
