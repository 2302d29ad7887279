-- What operators ask each agent to do, with a generation that every change of intent bumps and the
-- agent acknowledges as agent_status.observed_generation (Kubernetes' spec / status split). Every
-- agent has exactly one row, made when the agent is. Commands write it: 31_command_agents.sql.
create table public.agent_desired_state (
  agent_id uuid primary key references public.agent_status (id) on delete cascade,
  desired_state public.desired_state not null default 'stopped',
  generation bigint not null default 0 constraint generation_not_negative check (generation >= 0),
  last_command public.agent_command,
  requested_by uuid,
  requested_by_email text,
  requested_at timestamptz,
  updated_at timestamptz not null default now()
);

create trigger agent_desired_state_touch_updated_at before update on public.agent_desired_state
  for each row execute function app.touch_updated_at();

-- Generations only move forward.
create function app.guard_generation() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.generation < old.generation then
    raise exception 'generation may not decrease (% → %)', old.generation, new.generation
      using errcode = '22023';
  end if;
  return new;
end $$;

create trigger agent_desired_state_guard_generation before update on public.agent_desired_state
  for each row execute function app.guard_generation();

-- A new agent is desired stopped, generation 0.
create function app.create_desired_state() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.agent_desired_state (agent_id) values (new.id) on conflict do nothing;
  return new;
end $$;

create trigger agent_status_create_desired_state after insert on public.agent_status
  for each row execute function app.create_desired_state();

revoke execute on function app.guard_generation(), app.create_desired_state() from public;
grant execute on function app.guard_generation(), app.create_desired_state() to anon, authenticated, service_role;

-- Who may do what: viewers and operators read; operators may write the command columns directly
-- (command_agents runs as the caller, so RLS decides who commands), and the stamp_command trigger
-- decides who asked and the generation whatever they write.
alter table public.agent_desired_state enable row level security;
revoke all on public.agent_desired_state from anon, authenticated;
grant all on public.agent_desired_state to service_role;
grant select on public.agent_desired_state to authenticated;
grant update (desired_state, generation, last_command, requested_by, requested_by_email, requested_at)
  on public.agent_desired_state to authenticated;

create policy "viewers and operators read desired state" on public.agent_desired_state
  for select to authenticated using ((select app.can_read()));
create policy "operators change desired state" on public.agent_desired_state
  for update to authenticated using ((select app.can_command())) with check ((select app.can_command()));
