-- Live logs on demand. A worker keeps its recent log lines in memory (the SDKs' ring buffer) and sends
-- them only while someone watches; nothing is written to a table of ours for a live tail. Design notes
-- and costs: docs/logs.md.
--
--   viewer ── watch_agent_logs() every few seconds ──► agent_log_watches (14_agent_log_watches.sql)
--                     │ a watch that starts (or asks for the backlog): realtime.send on agent-wakeup:<id>,
--                     │ event 'logs' — the worker's existing wake-up channel (32_wake_ups.sql)
--   worker ── publish_agent_logs(batch) ──► realtime.send on the PRIVATE topic agent-logs:<id>, event
--             'lines' — only while the watch runs; its answer says how long it still runs
--   viewer ◄── Realtime: RLS on realtime.messages lets signed-in viewers and operators read agent-logs
--              topics; no client may broadcast on them (there is no INSERT policy at all)
--
-- Only the agent may write its topic: publish_agent_logs takes the agent from its token (or, for the
-- service role, its name) and sends on that agent's topic alone. Workers without push learn of a watch
-- from agent_report's answer (log_watch_seconds, log_backlog_request).

-- What the database accepts from workers. The SDKs cut lines to these bounds before anything leaves
-- the process; their constants mirror these (tests/integration/domain-facts.test.ts compares them).
-- A line's text, in characters (code points).
create function app.log_line_max_chars() returns integer
language sql immutable set search_path = '' as $$ select 2000 $$;
-- One batch of live lines, as JSON text, in bytes (a Realtime message on hosted Supabase may be 256 KB).
create function app.log_batch_max_bytes() returns integer
language sql immutable set search_path = '' as $$ select 65536 $$;
-- The lines kept with an error's event: the last ones, at most this many and this many bytes of JSON.
create function app.crash_log_max_lines() returns integer
language sql immutable set search_path = '' as $$ select 50 $$;
create function app.crash_log_max_bytes() returns integer
language sql immutable set search_path = '' as $$ select 16384 $$;

-- The last lines before an error, as agent_events.log_lines keeps them: the newest crash_log_max_lines()
-- objects of the array, each reduced to { at, level, text, fields? } (an unknown level becomes 'info',
-- text cut to log_line_max_chars(), fields kept only when they are a small object), then the oldest
-- dropped until the whole fits crash_log_max_bytes(). Null when nothing usable is left. Whatever a worker
-- sends, the event never holds more.
create function app.crash_log_lines(lines jsonb) returns jsonb
language sql immutable set search_path = '' as $$
  with line as (
    select n, jsonb_strip_nulls(jsonb_build_object(
             'at', left(l ->> 'at', 40),
             'level', case when l ->> 'level' in ('info', 'warn', 'error') then l ->> 'level' else 'info' end,
             'text', app.bounded_text(coalesce(l ->> 'text', ''), app.log_line_max_chars()),
             'fields', case when jsonb_typeof(l -> 'fields') = 'object' and octet_length((l -> 'fields')::text) <= 2048
                            then l -> 'fields' end)) as line
      from jsonb_array_elements(case when jsonb_typeof(lines) = 'array' then lines else '[]'::jsonb end)
           with ordinality as e(l, n)
     where jsonb_typeof(l) = 'object'
     order by n desc
     limit app.crash_log_max_lines()
  ), fitting as (
    select n, line, sum(octet_length(line::text) + 2) over (order by n desc) as bytes from line
  )
  select jsonb_agg(line order by n) from fitting where bytes <= app.crash_log_max_bytes()
$$;

revoke execute on function app.log_line_max_chars(), app.log_batch_max_bytes(), app.crash_log_max_lines(),
  app.crash_log_max_bytes(), app.crash_log_lines(jsonb) from public;
grant execute on function app.log_line_max_chars(), app.log_batch_max_bytes(), app.crash_log_max_lines(),
  app.crash_log_max_bytes(), app.crash_log_lines(jsonb) to anon, authenticated, service_role;

-- The private Realtime topic of an agent's live log.
create function app.log_topic(agent_id uuid) returns text
language sql immutable set search_path = '' as $$ select 'agent-logs:' || agent_id::text $$;

revoke execute on function app.log_topic(uuid) from public;
grant execute on function app.log_topic(uuid) to anon, authenticated, service_role;

-- Tells the worker, on its wake-up topic, that a watch runs and how long. No-op where realtime.send()
-- does not exist: the worker then learns of the watch from its next report's answer.
create function app.announce_log_watch(watch public.agent_log_watches) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if to_regprocedure('realtime.send(jsonb, text, text, boolean)') is not null then
    execute 'select realtime.send($1, $2, $3, true)'
      using jsonb_build_object('watch_seconds', ceil(extract(epoch from watch.watched_until - now()))::integer,
                               'backlog_request', watch.backlog_requests),
            'logs', 'agent-wakeup:' || watch.agent_id::text;
  end if;
end $$;

-- A viewer watches an agent's live log for p_seconds more (5–300, default 30) and renews the watch before
-- it runs out (the dashboard and the CLI every 10 s). p_backlog: this watcher has just joined and wants
-- the lines logged before it came (its first call); a renewal passes false. A watch that starts, or asks
-- for the backlog, is announced on the worker's private wake-up topic (event 'logs'), so a worker with
-- push starts at once; a renewal sends nothing. Viewers, operators and the service role may watch; the
-- caller subscribes to the answered topic before calling, so it misses nothing.
create function public.watch_agent_logs(p_agent_id uuid, p_backlog boolean default true, p_seconds integer default 30)
returns table (agent_id uuid, topic text, watch_seconds integer, backlog_request bigint)
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
declare
  previous timestamptz;
  watch public.agent_log_watches;
begin
  if not (app.can_read() or app.is_service()) then
    raise exception 'only signed-in viewers and operators may watch an agent''s logs' using errcode = '42501';
  end if;
  if p_seconds is null or p_seconds < 5 or p_seconds > 300 then
    raise exception 'p_seconds must be between 5 and 300, got %', p_seconds using errcode = '22023';
  end if;
  perform 1 from public.agent_status s where s.id = p_agent_id for key share;
  if not found then
    raise exception 'unknown agent %', p_agent_id using errcode = 'PT404';
  end if;
  select w.watched_until into previous from public.agent_log_watches w where w.agent_id = p_agent_id for update;
  insert into public.agent_log_watches as w (agent_id, watched_until, backlog_requests)
  values (p_agent_id, now() + make_interval(secs => p_seconds), case when p_backlog then 1 else 0 end)
  on conflict (agent_id) do update set
    watched_until = greatest(w.watched_until, excluded.watched_until),
    backlog_requests = w.backlog_requests + case when coalesce(p_backlog, false) then 1 else 0 end
  returning w.* into watch;
  if previous is null or previous <= now() or p_backlog then
    perform app.announce_log_watch(watch);
  end if;
  return query select watch.agent_id, app.log_topic(watch.agent_id),
    ceil(extract(epoch from watch.watched_until - now()))::integer, watch.backlog_requests;
end $$;

-- A worker sends a batch of its log lines: { "lines": [ { seq, at, level, text, fields? }, … ],
-- "instance": its instance id, "backlog_end": true on the last batch of a backlog }. The agent is the
-- token's (or, for the service role without a token, p_agent_name's); the batch goes to that agent's
-- topic only, and only while it is watched. An empty batch sends nothing unless it ends a backlog (a
-- viewer then knows the worker answered). The answer — how long the watch still runs (null: stop
-- sending) and the backlog requests so far — is how a tailing worker keeps up with renewals.
create function public.publish_agent_logs(p_batch jsonb, p_token text default null, p_agent_name text default null)
returns table (watch_seconds integer, backlog_request bigint)
language plpgsql security definer set search_path = '' as $$
declare
  target uuid;
  watch public.agent_log_watches;
  bytes integer;
begin
  target := app.report_refusal(p_agent_name, p_token, null);
  if jsonb_typeof(p_batch) is distinct from 'object' or jsonb_typeof(p_batch -> 'lines') is distinct from 'array' then
    raise exception 'p_batch must be a JSON object with a "lines" array' using errcode = '22023';
  end if;
  bytes := octet_length(p_batch::text);
  if bytes > app.log_batch_max_bytes() then
    raise exception 'a batch of log lines may hold at most % bytes of JSON, got %', app.log_batch_max_bytes(), bytes
      using errcode = 'PT413';
  end if;
  select * into watch from public.agent_log_watches w where w.agent_id = target;
  if watch.watched_until > now()
     and (jsonb_array_length(p_batch -> 'lines') > 0 or p_batch ->> 'backlog_end' = 'true')
     and to_regprocedure('realtime.send(jsonb, text, text, boolean)') is not null then
    execute 'select realtime.send($1, $2, $3, true)' using p_batch, 'lines', app.log_topic(target);
  end if;
  return query select case when watch.watched_until > now()
                           then ceil(extract(epoch from watch.watched_until - now()))::integer end,
                      coalesce(watch.backlog_requests, 0);
end $$;

revoke execute on function public.watch_agent_logs(uuid, boolean, integer), app.announce_log_watch(public.agent_log_watches),
  public.publish_agent_logs(jsonb, text, text) from public;
revoke execute on function public.watch_agent_logs(uuid, boolean, integer) from anon;
grant execute on function public.watch_agent_logs(uuid, boolean, integer) to authenticated, service_role;
grant execute on function app.announce_log_watch(public.agent_log_watches) to authenticated, service_role;
-- Any API role may call it: the token (or the service role) decides which agent's topic it writes.
grant execute on function public.publish_agent_logs(jsonb, text, text) to anon, authenticated, service_role;

-- Who may join an agent's log topic: signed-in viewers and operators (the service role bypasses RLS).
-- Workers (anon) may not, and no client may broadcast on it (no INSERT policy): only publish_agent_logs
-- sends, as the database. Hosted Supabase (and the embedded stack's bootstrap) has realtime.messages with
-- RLS and realtime.topic(); a plain Postgres without them gets no policy.
do $$
begin
  if to_regclass('realtime.messages') is not null and to_regprocedure('realtime.topic()') is not null then
    execute $policy$
      create policy "viewers and operators receive agent logs" on realtime.messages
        for select to authenticated
        using (extension = 'broadcast' and realtime.topic() like 'agent-logs:%' and (select app.can_read()))
    $policy$;
  end if;
end $$;
