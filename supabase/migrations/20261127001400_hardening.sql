-- Hardening (issue 14): push wake-ups on private channels, so that no client can forge one.
--
-- A wake-up used to travel on the public topic agent-wakeup:<agent_id>, where hosted Realtime lets any
-- holder of the publishable key broadcast. On a private channel Realtime Authorization decides, by RLS on
-- realtime.messages: workers (the anon role with their agent token, or the service role) may read
-- wake-up topics; there is no INSERT policy at all, so no client may broadcast on any topic — only the
-- database sends wake-ups (realtime.send runs as the trigger's owner). Workers join with
-- `config: { private: true }` (agent-sdk/src/client.ts); an older worker on the public topic gets no
-- wake-ups and obeys at its next poll, as it would with Realtime down.

-- Redefined from 20261127000600_commands.sql (migrations are never edited): private = true.
create or replace function app.broadcast_desired_state() returns trigger
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
