-- Operators may update agent_desired_state directly (command_agents runs as the caller, so RLS decides
-- who commands). They could therefore also write any generation they liked, and one written as
-- bigint's maximum would make every later command fail with an overflow, for ever: generations never
-- decrease. For API callers other than the service role the server now decides the generation: one
-- more than before when the desired state changes or the caller asked for a new one (a restart),
-- otherwise unchanged. command_agents already writes exactly that, so nothing it does changes.
create or replace function app.stamp_command() returns trigger
language plpgsql set search_path = '' as $$
begin
  if auth.role() is not null and not app.is_service() then
    new.requested_by := auth.uid();
    new.requested_by_email := coalesce(auth.jwt() ->> 'email', auth.role());
    new.requested_at := clock_timestamp();
    new.generation := old.generation
      + case when new.generation > old.generation or new.desired_state <> old.desired_state then 1 else 0 end;
  end if;
  if new.desired_state <> old.desired_state and new.generation = old.generation then
    new.generation := old.generation + 1;
  end if;
  return new;
end $$;
