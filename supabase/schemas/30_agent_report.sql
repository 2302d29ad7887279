-- The agents' one RPC. A call is both report and poll: it records what the agent says and answers what
-- it should be doing (its desired state and generation). Heartbeats come here, through PostgREST, never
-- through an Edge Function (spec §4). Time is the database's now(). Design notes: docs/data-model.md
-- ("Reports: one RPC is heartbeat and poll").
--
-- A plain heartbeat is ONE statement (supabase/tests/database/a_heartbeat_is_one_statement.sql counts
-- them; docs/performance.md, "Database time per heartbeat", measures the cost): the token lookup (an
-- index lookup on its hash), the advisory last_used_at refresh (a CTE) and the agent_status UPDATE with its
-- desired state are one UPDATE, and the helpers it calls are inlined (03_helpers.sql). A token's plain heartbeat
-- (no health, no info: the commonest report) has a smaller UPDATE of its own that writes only what it
-- changes, and so has a worker's heartbeat whose info restates the row; every other report takes the
-- full one. A report that writes no row is a refusal, and
-- app.report_refusal finds out why. PL/pgSQL rather than a LANGUAGE sql function: a function with an
-- UPDATE is never inlined, and before PostgreSQL 18 a SQL function plans its statement again on every
-- call, where PL/pgSQL keeps the plan per session.
--
-- One worker per agent. Each run of a worker (the SDK's runAgent, the Python run_agent) sends an instance
-- id in p_info, and the agent's row records the instance that holds it, like a lease. THE NEWER INSTANCE
-- WINS:
--   * a new instance (p_info.instance_new, sent until its first answer) takes the agent over from the
--     holder, and a 'duplicate_instance' event names both when the holder had reported within the agent's
--     offline grace (it may still be running);
--   * the instance it displaced learns from its next answer (instance_id is not its own) that it must
--     stand down: its report changes nothing but duplicate_instance_seen_at (the dashboard's "second
--     worker" notice), and the first such report in a grace period records a 'duplicate_instance' event;
--     the SDKs then stop their work loop and report no more;
--   * an instance that is not new takes the agent only when nobody holds it or the holder has gone
--     (silent for the offline grace); a clean exit releases it (p_info.instance_exiting on the final report).
-- Reports without an instance id (curl, one-shot scripts, older SDKs) are accepted and leave the lease
-- alone. Why the newer wins: a restart that left an orphan, or a supervisor that relaunched a worker it
-- believed dead, must not leave the fresh worker idle behind the old one; the orphan is the one to go.
-- Documented in docs/running-agents.md ("One worker per agent").
--
-- A long-running worker knows what it is doing, so its heartbeats (and activity reports) restate it:
-- p_info.state is running, warning, error or stopped. A row that a one-shot report changed behind the
-- worker's back (the seed's mark_agent_stopped from an old script's atexit) heals on the worker's next
-- heartbeat, recorded like any transition; a heartbeat that restates the row as it is changes nothing
-- more than before (still one statement, no event, no Realtime message). A report of a status kind
-- (started, warning, …) means what it says, whatever p_info.state says. Health follows a healed status
-- to that status's default (100, 75, 30, 0) unless the report carries one.

-- Why a report found no row to write, raised as the error an agent acts on: health out of range (22023),
-- no or a bad token (PT401), a token of another agent (PT403), the service role without a name (22023) or
-- with an unknown one (PT404). Returns the agent the reporter is entitled to when there is no refusal to
-- raise (the caller decides what that means: another instance holds the agent).
create function app.report_refusal(p_agent_name text, p_token text, p_health integer) returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  target uuid;
  token_agent text;
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
      raise exception 'this token belongs to agent "%", not "%"', token_agent, p_agent_name using errcode = 'PT403';
    end if;
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
  return target;
end $$;

-- "instance 1a2b3c4d on host-a (pid 4242)", for the history.
create function app.describe_instance(instance_id text, host text, pid integer) returns text
language sql immutable set search_path = '' as $$
  select format('instance %s on %s (pid %s)', coalesce(left(instance_id, 8), '?'), coalesce(host, 'an unknown host'), coalesce(pid::text, '?'))
$$;

revoke execute on function app.report_refusal(text, text, integer), app.describe_instance(text, text, integer) from public;
grant execute on function app.report_refusal(text, text, integer), app.describe_instance(text, text, integer)
  to anon, authenticated, service_role;

-- The answer's instance_id is the instance holding the agent after this report: a worker that is not it
-- stands down. log_watch_seconds says how long someone still watches the agent's live log (null: nobody;
-- 14_agent_log_watches.sql), log_backlog_request how many watchers have asked for the backlog so far: a
-- worker without push learns of a watch here, at no cost to a heartbeat (the same statement reads it).
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
  observed_generation bigint,
  instance_id text,
  log_watch_seconds integer,
  log_backlog_request bigint
)
language plpgsql security definer set search_path = '' as $$
declare
  message text;
  instance text;
  instance_new boolean;
  instance_exiting boolean;
  restated public.agent_run_status;
  restated_health integer;
  target uuid;
  holder public.agent_status;
  grace interval;
  seen_before timestamptz;
  took_over boolean := false;
begin
  -- THE PLAIN HEARTBEAT: a token's heartbeat without health or info (an agent's "I am alive", the
  -- commonest report by far). It restates nothing, so the full statement below would set every other
  -- column to itself: this one writes only what such a heartbeat changes (last_heartbeat, offline,
  -- observed_generation) from the same agent, name check and answer, and fires the same triggers with
  -- the same old and new rows. No instance id, so no lease to check. Cheaper to start than the full
  -- statement's projection of every column (docs/performance.md, "Database time per heartbeat"); the
  -- variables below are not even computed. When it writes no row (a refusal), the full path runs as for
  -- any report and raises the refusal.
  -- supabase/tests/database/a_heartbeat_that_restates_nothing_writes_what_the_full_report_would.sql compares the statements.
  if p_kind = 'heartbeat' and p_token is not null and p_health is null and p_info is null then
    return query
    with token_used as (
      update public.agent_tokens t set last_used_at = now()
       where t.token_hash = app.hash_token(p_token) and t.revoked_at is null
         and (t.last_used_at is null or t.last_used_at < now() - interval '1 minute')
    )
    update public.agent_status s set
      last_heartbeat = now(),
      offline = false,
      observed_generation = greatest(s.observed_generation, least(coalesce(p_observed_generation, 0), d.generation))
    from public.agent_desired_state d
    left join public.agent_log_watches w on w.agent_id = d.agent_id
    where s.id = (select t.agent_id from public.agent_tokens t
                   where t.token_hash = app.hash_token(p_token) and t.revoked_at is null)
      and d.agent_id = s.id
      and (p_agent_name is null or s.agent_name = p_agent_name)
    returning s.id, s.agent_name, d.desired_state, d.generation, d.last_command, s.observed_generation, s.instance_id,
              case when w.watched_until > now() then ceil(extract(epoch from w.watched_until - now()))::integer end,
              coalesce(w.backlog_requests, 0);
    if found then
      return;
    end if;
  end if;

  -- THE WORKER'S STEADY HEARTBEAT: a token's heartbeat whose info restates what the row already holds
  -- (the holder's instance id, host, pid, version, interval and state, as the SDKs send on every
  -- heartbeat). The same statement as the plain heartbeat's, written only where the info changes
  -- nothing: the conditions below are the full statement's SET expressions compared with the row, so a
  -- row it matches is one the full statement would leave the same in every other column. Not for a
  -- report with metrics (recorded after the statement), a releasing one (instance_exiting) or a new
  -- instance's first (instance_new: it usually takes the agent). When the info changes something (a
  -- healed state, a new host, another holder) or the report is refused, it writes no row and the full
  -- statement runs.
  if p_kind = 'heartbeat' and p_token is not null and p_health is null and p_info is not null
     and not p_info ? 'metrics' and p_info ->> 'instance_exiting' is distinct from 'true'
     and p_info ->> 'instance_new' is distinct from 'true' then
    return query
    with token_used as (
      update public.agent_tokens t set last_used_at = now()
       where t.token_hash = app.hash_token(p_token) and t.revoked_at is null
         and (t.last_used_at is null or t.last_used_at < now() - interval '1 minute')
    )
    update public.agent_status s set
      last_heartbeat = now(),
      offline = false,
      observed_generation = greatest(s.observed_generation, least(coalesce(p_observed_generation, 0), d.generation))
    from public.agent_desired_state d
    left join public.agent_log_watches w on w.agent_id = d.agent_id
    where s.id = (select t.agent_id from public.agent_tokens t
                   where t.token_hash = app.hash_token(p_token) and t.revoked_at is null)
      and d.agent_id = s.id
      and (p_agent_name is null or s.agent_name = p_agent_name)
      and (p_info ->> 'instance_id' is null or s.instance_id = left(p_info ->> 'instance_id', 100))
      and (p_info ->> 'host' is null or s.host = left(p_info ->> 'host', 255))
      and (p_info ->> 'version' is null or s.version = left(p_info ->> 'version', 100))
      and case when (p_info ->> 'pid') ~ '^[0-9]{1,9}$' then s.pid = (p_info ->> 'pid')::integer else true end
      and case when (p_info ->> 'heartbeat_interval_seconds') ~ '^[0-9]{1,4}$'
               then s.heartbeat_interval_seconds = least(greatest((p_info ->> 'heartbeat_interval_seconds')::integer, 1), 3600)
               else true end
      and case when p_info ->> 'state' in ('running', 'warning', 'error', 'stopped')
               then s.status = (p_info ->> 'state')::public.agent_run_status else true end
    returning s.id, s.agent_name, d.desired_state, d.generation, d.last_command, s.observed_generation, s.instance_id,
              case when w.watched_until > now() then ceil(extract(epoch from w.watched_until - now()))::integer end,
              coalesce(w.backlog_requests, 0);
    if found then
      return;
    end if;
  end if;

  -- A heartbeat carries no message: the helpers run only for reports that do.
  message := case when p_message is not null then app.bounded_text(p_message, app.message_max_chars(p_kind)) end;
  instance := left(p_info ->> 'instance_id', 100);
  instance_new := coalesce(p_info ->> 'instance_new' = 'true', false);
  instance_exiting := coalesce(p_info ->> 'instance_exiting' = 'true', false);
  restated := case
    when p_kind in ('heartbeat', 'activity') and p_info ->> 'state' in ('running', 'warning', 'error', 'stopped')
    then (p_info ->> 'state')::public.agent_run_status end;
  restated_health := case restated when 'running' then app.default_health('started')
    when 'warning' then app.default_health('warning') when 'error' then app.default_health('error')
    when 'stopped' then app.default_health('stopped') end;
  if p_kind = 'error' then
    -- The last lines the worker logged before the error (p_info.log_lines) go with the error's event: the
    -- event trigger (12_agent_events.sql) reads them from this transaction-local setting. Error reports
    -- only, so a heartbeat stays one statement.
    perform set_config('agent_status.crash_log_lines', coalesce(app.crash_log_lines(p_info -> 'log_lines')::text, ''), true);
  end if;
  -- The service role names the agent (a report from a script or a test, not a worker's heartbeat): that
  -- agent is found first, or the refusal raised. A token's report finds its agent inside THE statement.
  if p_token is null then
    target := app.report_refusal(p_agent_name, null, p_health);
  end if;
  loop
    -- THE statement of a report. It writes nothing unless the reporter is entitled to the agent and the
    -- report's instance may hold it; then it writes the agent's row once and answers its desired state.
    return query
    with token_used as (
      -- last_used_at is advisory: refreshed at most once a minute, so a heartbeat writes one row.
      update public.agent_tokens t set last_used_at = now()
       where t.token_hash = app.hash_token(p_token) and t.revoked_at is null
         and (t.last_used_at is null or t.last_used_at < now() - interval '1 minute')
    )
    update public.agent_status s set
      last_heartbeat = now(),
      offline = false,
      status = case p_kind
        when 'started' then 'running'
        when 'recovered' then 'running'
        when 'warning' then 'warning'
        when 'error' then 'error'
        when 'stopped' then 'stopped'
        else coalesce(restated, s.status) end,
      health = coalesce(p_health, app.default_health(p_kind),
                        case when restated <> s.status then restated_health end, s.health),
      started_at = case p_kind
        when 'started' then now()
        when 'recovered' then coalesce(s.started_at, now())
        when 'stopped' then null
        else case when restated is null or restated = s.status then s.started_at
                  when restated = 'stopped' then null
                  else coalesce(s.started_at, now()) end end,
      last_activity = case when p_kind = 'activity' then message else s.last_activity end,
      last_activity_at = case when p_kind = 'activity' then now() else s.last_activity_at end,
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
      version = coalesce(left(p_info ->> 'version', 100), s.version),
      instance_id = case when instance is null then s.instance_id when instance_exiting then null else instance end
    from public.agent_desired_state d
    left join public.agent_log_watches w on w.agent_id = d.agent_id
    -- the agent of an unrevoked token, or the one the service role named
    where s.id = coalesce(target, (select t.agent_id from public.agent_tokens t
                                     where t.token_hash = app.hash_token(p_token) and t.revoked_at is null))
      and d.agent_id = s.id
      and (p_agent_name is null or s.agent_name = p_agent_name)
      and (p_health is null or p_health between 0 and 100)
      -- the lease: no instance id, nobody holding it, the holder itself, or a holder silent past its grace
      and (instance is null or s.instance_id is null or s.instance_id = instance
           or s.last_heartbeat is null
           or s.last_heartbeat < now() - make_interval(secs => app.offline_after_seconds(s.offline_after_seconds, s.heartbeat_interval_seconds)))
    returning s.id, s.agent_name, d.desired_state, d.generation, d.last_command, s.observed_generation, s.instance_id,
              case when w.watched_until > now() then ceil(extract(epoch from w.watched_until - now()))::integer end,
              coalesce(w.backlog_requests, 0);

    if found then
      -- Custom metrics ride on the report (35_custom_metrics.sql); a report without them pays nothing here.
      if p_info ? 'metrics' then
        perform app.record_agent_metrics(app.report_refusal(p_agent_name, p_token, p_health), instance, p_info -> 'metrics');
      end if;
      if took_over and holder.last_heartbeat >= now() - grace then
        insert into public.agent_events (agent_id, kind, message, snapshot)
        select s.id, 'duplicate_instance',
               format('a new worker took this agent over: %s replaces %s, which reported %s s ago and, if it is still running, is told to stand down',
                      app.describe_instance(s.instance_id, s.host, s.pid),
                      app.describe_instance(holder.instance_id, holder.host, holder.pid),
                      round(extract(epoch from now() - holder.last_heartbeat))),
               to_jsonb(s)
          from public.agent_status s
         where s.id = target;
      end if;
      return;
    end if;

    -- No row: a refusal (raised there, as before), or another live instance holds the agent.
    target := app.report_refusal(p_agent_name, p_token, p_health);
    select * into holder from public.agent_status s where s.id = target for update;
    grace := make_interval(secs => app.offline_after_seconds(holder.offline_after_seconds, holder.heartbeat_interval_seconds));
    if took_over or not instance_new then
      -- Stand down: this report changes nothing but the sign that a second worker is alive, and the answer
      -- names the holder, so the worker knows it is not the one. The first sign in a grace period is an event.
      seen_before := holder.duplicate_instance_seen_at;
      return query
      update public.agent_status s set duplicate_instance_seen_at = now()
        from public.agent_desired_state d
       where s.id = target and d.agent_id = s.id
      returning s.id, s.agent_name, d.desired_state, d.generation, d.last_command, s.observed_generation, s.instance_id,
                null::integer, null::bigint;
      if seen_before is null or seen_before < now() - grace then
        insert into public.agent_events (agent_id, kind, message, snapshot)
        select s.id, 'duplicate_instance',
               format('a second worker is running: %s was told to stand down; %s holds this agent',
                      app.describe_instance(instance, left(p_info ->> 'host', 255),
                                            case when (p_info ->> 'pid') ~ '^[0-9]{1,9}$' then (p_info ->> 'pid')::integer end),
                      app.describe_instance(s.instance_id, s.host, s.pid)),
               to_jsonb(s)
          from public.agent_status s
         where s.id = target;
      end if;
      return;
    end if;
    -- A new instance: it takes the agent over (the newer wins), then reports as the holder.
    update public.agent_status s set instance_id = instance where s.id = target;
    took_over := true;
  end loop;
end $$;

-- Any API role may call it: the token (or the service role) decides which agent it reports for.
revoke execute on function public.agent_report(public.agent_report_kind, text, text, text, integer, bigint, jsonb) from public;
grant execute on function public.agent_report(public.agent_report_kind, text, text, text, integer, bigint, jsonb)
  to anon, authenticated, service_role;
