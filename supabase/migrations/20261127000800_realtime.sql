-- Realtime. Dashboards receive transitions only: agent_events inserts and desired-state updates are
-- published; agent_status is not, because every heartbeat writes it (spec §4).
do $$
begin
  if not exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end $$;
alter publication supabase_realtime add table public.agent_events, public.agent_desired_state;

-- Push wake-up: when an agent's desired state changes, tell its worker at once (Broadcast from the
-- database, realtime.send) instead of waiting for its next poll. Where realtime.send() does not
-- exist, workers still obey at their next poll, so the trigger is a no-op rather than an error.
-- Statement-level: start-all wakes every agent from one trigger call. EXECUTE plans the join per
-- statement (see record_command_events in the events migration for why).
create function app.broadcast_desired_state() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if to_regprocedure('realtime.send(jsonb, text, text, boolean)') is not null then
    execute $sql$
      select realtime.send(
        jsonb_build_object('generation', n.generation, 'desired_state', n.desired_state),
        'desired_state',
        'agent-wakeup:' || n.agent_id::text,
        false
      )
      from new_rows n
      join old_rows o on o.agent_id = n.agent_id
      where n.generation is distinct from o.generation
    $sql$;
  end if;
  return null;
end $$;

create trigger agent_desired_state_wake_agents after update on public.agent_desired_state
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.broadcast_desired_state();
