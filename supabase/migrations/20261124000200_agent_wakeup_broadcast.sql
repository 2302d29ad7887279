-- Push wake-up: when an agent's desired state changes, tell its worker at once instead of
-- waiting for its next poll. Hosted Supabase provides realtime.send() (Broadcast from the
-- database); the embedded stack provides the same function. Where neither exists, workers
-- still obey at their next poll, so the trigger is a no-op rather than an error.
create function app.broadcast_desired_state() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if to_regprocedure('realtime.send(jsonb, text, text, boolean)') is not null then
    perform realtime.send(
      jsonb_build_object('generation', n.generation, 'desired_state', n.desired_state),
      'desired_state',
      'agent-wakeup:' || n.agent_id::text,
      false
    )
    from new_rows n
    join old_rows o on o.agent_id = n.agent_id
    where n.generation is distinct from o.generation;
  end if;
  return null;
end $$;

-- Statement-level: start-all wakes every agent from one trigger call.
create trigger agent_desired_state_wake_agents after update on public.agent_desired_state
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.broadcast_desired_state();
