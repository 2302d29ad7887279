-- Agents and their desired state. agent_status is what the agent reports (spec §3 keeps the seed's
-- columns); agent_desired_state is what operators ask for, with a generation that every change of
-- intent bumps and the agent acknowledges as observed_generation (Kubernetes' spec / status split).

create table public.agent_status (
  id uuid primary key default gen_random_uuid(),
  agent_name text not null unique
    constraint agent_name_not_blank check (agent_name = btrim(agent_name) and agent_name <> '')
    constraint agent_name_max_100_chars check (char_length(agent_name) <= 100),
  status public.agent_run_status not null default 'stopped',
  health integer not null default 0
    constraint health_between_0_and_100 check (health between 0 and 100),
  last_heartbeat timestamptz,
  last_error text,
  last_activity timestamptz,
  updated_at timestamptz not null default now(),
  -- added by this project
  activity text,
  last_error_at timestamptz,
  last_warning text,
  last_warning_at timestamptz,
  offline boolean not null default false,
  started_at timestamptz,
  observed_generation bigint not null default 0,
  heartbeat_interval_seconds integer not null default 10
    constraint heartbeat_interval_between_1_and_3600 check (heartbeat_interval_seconds between 1 and 3600),
  offline_after_seconds integer
    constraint offline_after_between_1_and_86400 check (offline_after_seconds between 1 and 86400),
  host text constraint host_max_255_chars check (char_length(host) <= 255),
  pid integer,
  version text constraint version_max_100_chars check (char_length(version) <= 100),
  created_at timestamptz not null default now()
);
comment on column public.agent_status.offline is
  'Set by sweep_offline_agents() when a non-stopped agent misses heartbeats for offline_after_seconds (default 3 × heartbeat_interval_seconds); cleared by its next report.';
comment on column public.agent_status.observed_generation is
  'The desired-state generation the agent has carried out; pending = generation > observed_generation.';

create trigger agent_status_touch_updated_at before update on public.agent_status
  for each row execute function app.touch_updated_at();

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

create function app.create_desired_state() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.agent_desired_state (agent_id) values (new.id) on conflict do nothing;
  return new;
end $$;

create trigger agent_status_create_desired_state after insert on public.agent_status
  for each row execute function app.create_desired_state();

-- What the dashboard reads: an agent with its desired state, whether a command is pending, and the
-- server's clock (ages are measured on it, never on the browser's).
create view public.agent_overview with (security_invoker = true) as
select s.*,
       d.desired_state,
       d.generation,
       d.last_command,
       d.requested_by_email,
       d.requested_at,
       d.generation > s.observed_generation as pending,
       app.offline_after_seconds(s.offline_after_seconds, s.heartbeat_interval_seconds) as effective_offline_after_seconds,
       now() as server_time
from public.agent_status s
join public.agent_desired_state d on d.agent_id = s.id;
