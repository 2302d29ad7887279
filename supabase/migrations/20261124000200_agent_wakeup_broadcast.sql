-- Push wake-up: when an agent's desired state changes, tell its worker at once instead of
-- waiting for its next poll. Hosted Supabase provides realtime.send() (Broadcast from the
-- database); the embedded stack provides the same function. Where neither exists, workers
-- still obey at their next poll, so the trigger is a no-op rather than an error.
create function app.broadcast_desired_state() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if to_regprocedure('realtime.send(jsonb, text, text, boolean)') is not null then
    perform realtime.send(
      jsonb_build_object('generation', new.generation, 'desired_state', new.desired_state),
      'desired_state',
      'agent-wakeup:' || new.agent_id::text,
      false
    );
  end if;
  return null;
end $$;

create trigger agent_desired_state_wake_agent after update on public.agent_desired_state
  for each row when (new.generation is distinct from old.generation)
  execute function app.broadcast_desired_state();
