-- Operators' commands: start, stop, restart one agent, a set of agents, or all of them. A command is
-- carried out by this file's SQL alone: command_agents() updates the desired state in one set-based
-- statement with the caller's own permissions (RLS on agent_desired_state decides who may write); the
-- triggers below stamp who asked and which generation it is and record the command in the agent's
-- history, and 32_wake_ups.sql's trigger wakes the agent's worker. Design notes: docs/data-model.md
-- ("Desired state and generations").

-- Operators may write agent_desired_state directly (command_agents runs as the caller, so RLS decides who
-- commands), so the row cannot be trusted to say who asked, nor which generation it is: for API callers
-- other than the service role the requester comes from the JWT, every write is a dated, recorded command,
-- and the server decides the generation (one more than before when the desired state changes or the
-- caller asked for a new one, i.e. a restart; otherwise unchanged). A generation written as bigint's
-- maximum would otherwise make every later command overflow.
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

-- Every accepted command is history, including one that changed nothing (start on a running agent).
-- Statement-level with transition tables: start-all over a thousand agents is one INSERT, not a
-- thousand. The join runs through EXECUTE: PL/pgSQL plans a static query without variables once per
-- session and keeps that plan, sized by the transition tables' row counts at the time, so a session
-- whose first command touched one agent would keep a nested loop and a later start-all over 1,000
-- agents would compare 1,000 × 1,000 rows (docs/performance.md). EXECUTE plans each statement for the
-- rows it really has.
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

-- The names a set-based RPC was given, checked: at least one, none null, all existing (as the caller
-- sees them). All or nothing: one unknown name refuses the whole request (PT404 names them).
create function app.check_agent_names(p_agent_names text[]) returns void
language plpgsql stable set search_path = '' as $$
declare
  missing text[];
begin
  if p_agent_names is null or cardinality(p_agent_names) = 0 then
    raise exception 'agent_names must name at least one agent' using errcode = '22023';
  end if;
  if array_position(p_agent_names, null) is not null then
    raise exception 'agent_names must not hold null' using errcode = '22023';
  end if;
  select array_agg(n order by n) into missing
    from (select distinct unnest(p_agent_names) as n) given
   where not exists (select 1 from public.agent_status s where s.agent_name = given.n);
  if missing is not null then
    raise exception 'unknown agent%: %', case when cardinality(missing) > 1 then 's' else '' end,
      (select string_agg(format('"%s"', m), ', ') from unnest(missing[1:5]) m)
        || case when cardinality(missing) > 5 then format(' and %s more', cardinality(missing) - 5) else '' end
      using errcode = 'PT404';
  end if;
end $$;

revoke execute on function app.stamp_command(), app.record_command_events(), app.check_agent_names(text[]) from public;
grant execute on function app.stamp_command(), app.record_command_events(), app.check_agent_names(text[])
  to anon, authenticated, service_role;

-- One agent by p_agent_name, several by p_agent_names (all or nothing: an unknown name refuses the
-- command), or all when neither is given. One signature only: PostgREST cannot choose between two
-- matching overloads.
create function public.command_agents(
  p_command public.agent_command,
  p_agent_name text default null,
  p_agent_names text[] default null
)
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
  if p_agent_name is not null and p_agent_names is not null then
    raise exception 'name one agent (p_agent_name) or several (p_agent_names), not both' using errcode = '22023';
  end if;
  if p_agent_names is not null then
    perform app.check_agent_names(p_agent_names);
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
  where s.id = d.agent_id
    and (p_agent_name is null or s.agent_name = p_agent_name)
    and (p_agent_names is null or s.agent_name = any (p_agent_names))
  returning s.agent_name, d.desired_state, d.generation;

  get diagnostics changed = row_count;
  if changed = 0 and p_agent_name is not null then
    raise exception 'unknown agent "%"', p_agent_name using errcode = 'PT404';
  end if;
end $$;

-- The same command, answered as one JSON array ordered by name. PostgREST caps a set-returning
-- function's answer at max_rows (1,000) and a command cannot be paged (asking again would command
-- again), so the `agents` Edge Function calls this one: a scalar answer is never cut.
create function public.command_agents_json(
  p_command public.agent_command,
  p_agent_name text default null,
  p_agent_names text[] default null
)
returns jsonb
language sql volatile security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('agent_name', c.agent_name, 'desired_state', c.desired_state, 'generation', c.generation)
                            order by c.agent_name), '[]'::jsonb)
    from public.command_agents(p_command, p_agent_name, p_agent_names) c
$$;

revoke execute on function public.command_agents(public.agent_command, text, text[]),
  public.command_agents_json(public.agent_command, text, text[]) from public, anon, authenticated;
grant execute on function public.command_agents(public.agent_command, text, text[]),
  public.command_agents_json(public.agent_command, text, text[]) to authenticated, service_role;
