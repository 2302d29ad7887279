-- Operators' commands: start, stop, restart one agent or all of them. A command is carried out by
-- this file's SQL alone: command_agents() updates the desired state in one set-based statement with
-- the caller's own permissions (RLS on agent_desired_state decides who may write); the triggers below
-- stamp who asked and which generation it is, record the command in the agent's history, and wake
-- the agent's worker.

-- Operators may write this table directly (command_agents runs as the caller, so RLS decides who
-- commands), so the row cannot be trusted to say who asked, nor which generation it is: for API
-- callers other than the service role the requester comes from the JWT, every write is a dated,
-- recorded command, and the server decides the generation (one more than before when the desired
-- state changes or the caller asked for a new one, i.e. a restart; otherwise unchanged). A
-- generation written as bigint's maximum would otherwise make every later command overflow.
create function app.stamp_command() returns trigger
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

create trigger agent_desired_state_stamp_command before update on public.agent_desired_state
  for each row execute function app.stamp_command();

create function public.command_agents(p_command public.agent_command, p_agent_name text default null)
returns table (agent_name text, desired_state public.desired_state, generation bigint)
language plpgsql security invoker set search_path = '' as $$
declare
  target public.desired_state := case p_command when 'stop' then 'stopped' else 'running' end;
  changed integer;
begin
  -- Only turns "0 rows" into a clear 403; RLS is what enforces it.
  if not (app.can_command() or app.is_service()) then
    raise exception 'only operators can command agents' using errcode = '42501';
  end if;

  return query
  update public.agent_desired_state d set
    desired_state = target,
    generation = d.generation + case when p_command = 'restart' or d.desired_state <> target then 1 else 0 end,
    last_command = p_command,
    requested_by = auth.uid(),
    requested_by_email = coalesce(auth.jwt() ->> 'email', auth.role()),
    requested_at = clock_timestamp()
  from public.agent_status s
  where s.id = d.agent_id and (p_agent_name is null or s.agent_name = p_agent_name)
  returning s.agent_name, d.desired_state, d.generation;

  get diagnostics changed = row_count;
  if changed = 0 and p_agent_name is not null then
    raise exception 'unknown agent "%"', p_agent_name using errcode = 'PT404';
  end if;
end $$;

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

-- Push wake-up: when an agent's desired state changes, tell its worker at once (Broadcast from the
-- database, realtime.send) instead of waiting for its next poll. Where realtime.send() does not
-- exist, workers still obey at their next poll, so the trigger is a no-op rather than an error.
-- Statement-level: start-all wakes every agent from one trigger call. EXECUTE plans the join per
-- statement (see record_command_events above for why).
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
