-- Agent tokens: each worker authenticates with its own token, which may report for its agent only.
-- Only a sha256 of the token is stored; the token is shown once, when it is issued.

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
