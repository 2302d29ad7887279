-- The two statement-level triggers on agent_desired_state join their transition tables
-- (new_rows ⋈ old_rows). A static query in PL/pgSQL that uses no variables is planned once per
-- session and that plan is kept: the planner sizes a transition table by its row count at
-- planning time, so a session whose first command touched one agent keeps a nested loop, and a
-- later start-all over 1,000 agents then compares 1,000 × 1,000 rows (measured: start-all's
-- statement 330 ms instead of 105 ms after a few single-agent commands; docs/performance.md).
-- EXECUTE plans each statement for the rows it really has: one planning per command statement,
-- a fraction of a millisecond, in exchange for a hash join whenever the set is large.

create or replace function app.record_command_events() returns trigger
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

create or replace function app.broadcast_desired_state() returns trigger
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
