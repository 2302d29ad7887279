-- Event history: one row per transition of an agent (status, health band, warning, error,
-- acknowledgement, offline / online), per accepted command (31_command_agents.sql), per registry change
-- (33_agent_registry.sql, 34_agent_tags.sql) and per second worker (30_agent_report.sql). Plain
-- heartbeats are not history. Dashboards receive the inserts through Realtime (70_realtime.sql);
-- retention: 41_event_retention.sql.
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
  created_at timestamptz not null default now(),
  -- error events: the last lines the worker logged before the error, redacted by the SDK and bounded by
  -- app.crash_log_lines() (35_agent_logs.sql): [{ at, level, text, fields? }, …], oldest first
  log_lines jsonb
);
create index agent_events_agent_created on public.agent_events (agent_id, created_at desc, id desc);
create index agent_events_created on public.agent_events (created_at);
-- The latest command before a time, per agent: whether it was due then (42_availability.sql).
create index agent_events_agent_commands on public.agent_events (agent_id, created_at desc, id desc) where kind = 'command';

-- At most one event per update of an agent's row, and only for a transition (the trigger's WHEN
-- clause: a plain heartbeat does not even call the function).
create function app.record_status_event() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  event_kind public.agent_event_kind;
  event_message text;
  event_log_lines jsonb;
begin
  if old.offline and not new.offline then
    event_kind := 'online';
  elsif new.offline and not old.offline then
    event_kind := 'offline';
    event_message := case when new.last_heartbeat is null then 'no heartbeat received yet'
                          else 'no heartbeat for ' || app.describe_duration(now() - new.last_heartbeat) end;
  elsif new.last_error_at is distinct from old.last_error_at then
    event_kind := 'error';
    event_message := new.last_error;
    -- The lines agent_report was given with this error (30_agent_report.sql), once.
    event_log_lines := nullif(current_setting('agent_status.crash_log_lines', true), '')::jsonb;
    perform set_config('agent_status.crash_log_lines', '', true);
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
    (agent_id, kind, message, from_status, to_status, health, generation, snapshot, log_lines)
  values
    (new.id, event_kind, event_message, old.status, new.status, new.health,
     new.observed_generation, to_jsonb(new), event_log_lines);
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

revoke execute on function app.record_status_event() from public;
grant execute on function app.record_status_event() to anon, authenticated, service_role;

-- Who may do what: viewers and operators read; only triggers and the service role write.
alter table public.agent_events enable row level security;
revoke all on public.agent_events from anon, authenticated;
revoke all on sequence public.agent_events_id_seq from anon, authenticated;
grant all on public.agent_events to service_role;
grant usage on sequence public.agent_events_id_seq to service_role;
grant select on public.agent_events to authenticated;

create policy "viewers and operators read events" on public.agent_events
  for select to authenticated using ((select app.can_read()));
