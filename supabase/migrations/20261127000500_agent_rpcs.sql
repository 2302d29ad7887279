-- The agents' one RPC. A call is both report and poll: it records what the agent says and answers
-- what it should be doing (its desired state and generation). Heartbeats come here, through
-- PostgREST, never through an Edge Function (spec §4). Time is the database's now().

create function public.agent_report(
  p_kind public.agent_report_kind,
  p_agent_name text default null,
  p_token text default null,
  p_message text default null,
  p_health integer default null,
  p_observed_generation bigint default null,
  p_info jsonb default null
) returns table (
  agent_id uuid,
  agent_name text,
  desired_state public.desired_state,
  generation bigint,
  last_command public.agent_command,
  observed_generation bigint
)
language plpgsql security definer set search_path = '' as $$
declare
  target uuid;
  token_agent text;
  message text := app.bounded_text(p_message, app.message_max_chars(p_kind));
begin
  if p_health is not null and (p_health < 0 or p_health > 100) then
    raise exception 'health must be between 0 and 100, got %', p_health using errcode = '22023';
  end if;

  if p_token is not null then
    select t.agent_id, s.agent_name into target, token_agent
      from public.agent_tokens t join public.agent_status s on s.id = t.agent_id
     where t.token_hash = app.hash_token(p_token) and t.revoked_at is null;
    if target is null then
      raise exception 'invalid or revoked agent token' using errcode = 'PT401';
    end if;
    if p_agent_name is not null and p_agent_name <> token_agent then
      raise exception 'this token belongs to agent "%", not "%"', token_agent, p_agent_name
        using errcode = 'PT403';
    end if;
    -- last_used_at is advisory; refreshing it at most once a minute keeps heartbeats to one row write.
    update public.agent_tokens set last_used_at = now()
     where token_hash = app.hash_token(p_token)
       and (last_used_at is null or last_used_at < now() - interval '1 minute');
  elsif app.is_service() then
    if p_agent_name is null then
      raise exception 'agent_name is required when reporting with the service role' using errcode = '22023';
    end if;
    select s.id into target from public.agent_status s where s.agent_name = p_agent_name;
    if target is null then
      raise exception 'unknown agent "%"', p_agent_name using errcode = 'PT404';
    end if;
  else
    raise exception 'an agent token is required' using errcode = 'PT401';
  end if;

  return query
  update public.agent_status s set
    last_heartbeat = now(),
    offline = false,
    status = case p_kind
      when 'started' then 'running'
      when 'recovered' then 'running'
      when 'warning' then 'warning'
      when 'error' then 'error'
      when 'stopped' then 'stopped'
      else s.status end,
    health = coalesce(p_health, app.default_health(p_kind), s.health),
    started_at = case p_kind
      when 'started' then now()
      when 'recovered' then coalesce(s.started_at, now())
      when 'stopped' then null
      else s.started_at end,
    last_activity = case when p_kind = 'heartbeat' then s.last_activity else now() end,
    activity = case when p_kind = 'activity' then message else s.activity end,
    last_error = case when p_kind = 'error' then message else s.last_error end,
    last_error_at = case when p_kind = 'error' then now() else s.last_error_at end,
    last_warning = case when p_kind = 'warning' then message else s.last_warning end,
    last_warning_at = case when p_kind = 'warning' then now() else s.last_warning_at end,
    observed_generation = greatest(s.observed_generation, least(coalesce(p_observed_generation, 0), d.generation)),
    heartbeat_interval_seconds = coalesce(
      case when (p_info ->> 'heartbeat_interval_seconds') ~ '^[0-9]{1,4}$'
           then least(greatest((p_info ->> 'heartbeat_interval_seconds')::integer, 1), 3600) end,
      s.heartbeat_interval_seconds),
    host = coalesce(left(p_info ->> 'host', 255), s.host),
    pid = coalesce(case when (p_info ->> 'pid') ~ '^[0-9]{1,9}$' then (p_info ->> 'pid')::integer end, s.pid),
    version = coalesce(left(p_info ->> 'version', 100), s.version)
  from public.agent_desired_state d
  where s.id = target and d.agent_id = s.id
  returning s.id, s.agent_name, d.desired_state, d.generation, d.last_command, s.observed_generation;
end $$;
