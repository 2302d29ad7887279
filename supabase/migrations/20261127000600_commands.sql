-- Operators' commands: start, stop, restart one agent or all of them, as one set-based statement
-- run with the caller's own permissions (RLS on agent_desired_state decides who may write).

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
