-- Status badges: a badge key is the last part of a public badge URL (asb_ + 122 random bits), meant for
-- READMEs and wikis. It reveals only up / down, so it is kept as is (operators can copy a badge's URL
-- again at any time), and it can be revoked. agent_id null = a badge for every agent. The `metrics`
-- Edge Function serves the badge. Design notes: docs/metrics.md.
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

-- Who may do what: operators read badge keys and issue and revoke them through the RPCs; viewers see
-- nothing of them; the service role does everything.
alter table public.badge_keys enable row level security;
revoke all on public.badge_keys from anon, authenticated;
grant all on public.badge_keys to service_role;
grant select on public.badge_keys to authenticated;

create policy "operators read badge keys" on public.badge_keys
  for select to authenticated using ((select app.can_command()));

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

-- The read RPC takes the credential itself, so any API role may call it.
revoke execute on function public.issue_badge_key(text, text), public.revoke_badge_key(uuid), public.badge_state(text)
  from public, anon, authenticated;
grant execute on function public.issue_badge_key(text, text), public.revoke_badge_key(uuid) to authenticated, service_role;
grant execute on function public.badge_state(text) to anon, authenticated, service_role;
