-- Event history: one row per transition of an agent (status, health band, warning, error,
-- acknowledgement, offline / online) and per accepted command. Plain heartbeats are not history.

create table public.agent_events (
  id bigint generated always as identity primary key,
  agent_id uuid not null references public.agent_status (id) on delete cascade,
  kind public.agent_event_kind not null,
  message text,
  from_status public.agent_run_status,
  to_status public.agent_run_status,
  health integer,
  generation bigint,
  command public.agent_command,
  actor_id uuid,
  actor_email text,
  -- the agent's row after the transition, so a subscriber can update its view from the event alone
  snapshot jsonb,
  created_at timestamptz not null default now()
);
create index agent_events_agent_created on public.agent_events (agent_id, created_at desc, id desc);
create index agent_events_created on public.agent_events (created_at);

create function app.record_status_event() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  event_kind public.agent_event_kind;
  event_message text;
begin
  if old.offline and not new.offline then
    event_kind := 'online';
  elsif new.offline and not old.offline then
    event_kind := 'offline';
    event_message := 'no heartbeat since ' || coalesce(new.last_heartbeat::text, 'never');
  elsif new.last_error_at is distinct from old.last_error_at then
    event_kind := 'error';
    event_message := new.last_error;
  elsif new.last_warning_at is distinct from old.last_warning_at then
    event_kind := 'warning';
    event_message := new.last_warning;
  elsif new.status is distinct from old.status or new.started_at is distinct from old.started_at then
    event_kind := 'status';
  elsif new.observed_generation is distinct from old.observed_generation then
    event_kind := 'acknowledged';
  else
    event_kind := 'health';
  end if;

  insert into public.agent_events
    (agent_id, kind, message, from_status, to_status, health, generation, snapshot)
  values
    (new.id, event_kind, event_message, old.status, new.status, new.health,
     new.observed_generation, to_jsonb(new));
  return null;
end $$;

create trigger agent_status_record_event after update on public.agent_status
  for each row
  when (old.status is distinct from new.status
     or old.offline is distinct from new.offline
     or old.started_at is distinct from new.started_at
     or old.observed_generation is distinct from new.observed_generation
     or old.last_error_at is distinct from new.last_error_at
     or old.last_warning_at is distinct from new.last_warning_at
     or app.health_band(old.health) is distinct from app.health_band(new.health))
  execute function app.record_status_event();

-- Every accepted command is history, including one that changed nothing (start on a running agent).
-- Statement-level with transition tables: start-all over a thousand agents is one INSERT, not a
-- thousand. The join runs through EXECUTE: PL/pgSQL plans a static query without variables once per
-- session and keeps that plan, sized by the transition tables' row counts at the time, so a session
-- whose first command touched one agent kept a nested loop and a later start-all over 1,000 agents
-- compared 1,000 × 1,000 rows (330 ms instead of 105 ms; docs/performance.md). EXECUTE plans each
-- statement for the rows it really has.
create function app.record_command_events() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  execute $sql$
    insert into public.agent_events
      (agent_id, kind, message, generation, command, actor_id, actor_email)
    select n.agent_id, 'command',
           case when n.generation = o.generation then 'already ' || n.desired_state::text end,
           n.generation, n.last_command, n.requested_by, n.requested_by_email
      from new_rows n
      join old_rows o on o.agent_id = n.agent_id
     where n.requested_at is distinct from o.requested_at
  $sql$;
  return null;
end $$;

create trigger agent_desired_state_record_commands after update on public.agent_desired_state
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.record_command_events();

-- Retention: keep 30 days and at most 1,000 events per agent (scheduled in the schedules migration).
create function public.prune_agent_events(p_keep_days integer default 30, p_keep_per_agent integer default 1000)
returns integer
language plpgsql security definer set search_path = '' as $$
declare
  removed integer;
begin
  with ranked as (
    select id, created_at, row_number() over (partition by agent_id order by created_at desc, id desc) as n
      from public.agent_events
  )
  delete from public.agent_events e using ranked r
   where e.id = r.id and (r.n > p_keep_per_agent or r.created_at < now() - make_interval(days => p_keep_days));
  get diagnostics removed = row_count;
  return removed;
end $$;
