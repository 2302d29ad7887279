-- Push wake-ups: when an agent's desired state changes, tell its worker at once (Broadcast from the
-- database, realtime.send) instead of waiting for its next poll; polling remains the fallback.
--
-- Wake-ups travel on PRIVATE channels (the topic agent-wakeup:<agent_id>), so that no client can forge
-- one: on a private channel Realtime Authorization decides, by RLS on realtime.messages. Workers (the anon
-- role with their agent token, or the service role) may read wake-up topics; there is no INSERT policy at
-- all, so no client may broadcast on any topic — only the database sends wake-ups (realtime.send runs as
-- the trigger's owner). Workers join with `config: { private: true }` (agent-sdk/src/client.ts); a worker
-- on the public topic gets no wake-ups and obeys at its next poll, as it would with Realtime down.

-- Where realtime.send() does not exist, workers still obey at their next poll, so the trigger is a no-op
-- rather than an error. Statement-level: start-all wakes every agent from one trigger call. EXECUTE plans
-- the join per statement (31_command_agents.sql, record_command_events, says why).
create function app.broadcast_desired_state() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if to_regprocedure('realtime.send(jsonb, text, text, boolean)') is not null then
    execute $sql$
      select realtime.send(
        jsonb_build_object('generation', n.generation, 'desired_state', n.desired_state),
        'desired_state',
        'agent-wakeup:' || n.agent_id::text,
        true
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

revoke execute on function app.broadcast_desired_state() from public;
grant execute on function app.broadcast_desired_state() to anon, authenticated, service_role;

-- Who may join the private wake-up channels. Hosted Supabase (and the embedded stack's bootstrap) has
-- realtime.messages with RLS enabled and realtime.topic(); a plain Postgres without them gets no policy.
do $$
begin
  if to_regclass('realtime.messages') is not null and to_regprocedure('realtime.topic()') is not null then
    execute $policy$
      create policy "agent workers receive their wake-ups" on realtime.messages
        for select to anon
        using (extension = 'broadcast' and realtime.topic() like 'agent-wakeup:%')
    $policy$;
  end if;
end $$;
