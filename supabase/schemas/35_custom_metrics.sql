-- Custom metrics: the numbers an agent reports about its own work (articles collected, queue length,
-- remaining rate limit). A worker calls agent.metric(name, value) for a gauge and agent.count(name, n) for
-- a counter; the SDK keeps them until its next report, which carries them in p_info.metrics:
--
--   {"gauges": {"queue_length": 12}, "counters": {"articles": 130}, "series": "<optional>"}
--
-- A counter's value is what this SERIES has counted so far — a run of a worker (its instance id, which
-- the SDK's reports carry anyway) or a one-shot script's process (metrics.series). Sending the series'
-- running total rather than an increment makes a retried report harmless: a report whose answer was lost
-- and that is sent again adds nothing. Within a series a counter never goes down (refused); a new series
-- starts again from zero, which is a reset, as Prometheus treats a restarted process's counters: the
-- agent's total keeps going up. A report without any series (curl) is a series of its own, so its counter
-- values are added.
--
-- agent_report() calls app.record_agent_metrics() only for a report that carries metrics: a plain
-- heartbeat stays one statement (supabase/tests/database/a_heartbeat_is_one_statement.sql). Bad metrics
-- refuse the whole report with their own code, PT422 (HTTP 422), and a message naming the metric; the
-- SDKs check names and numbers before sending, and resend a report refused with PT422 without its
-- metrics, so monitoring never costs a heartbeat. Design notes and limits: docs/metrics.md ("Custom metrics").
--
--   agent_metrics        the latest value of each gauge and the total of each counter, per agent
--   agent_metric_points  one point per metric per minute (the latest value then), kept 7 days
--                        (prune_agent_metric_points, hourly: 90_schedules.sql)

create table public.agent_metrics (
  agent_id uuid not null references public.agent_status (id) on delete cascade,
  metric text not null
    constraint metric_name_format check (metric ~ '^[a-z][a-z0-9_]{0,63}$'),
  kind public.agent_metric_kind not null,
  -- a gauge's latest value; a counter's total over every series
  value double precision not null,
  updated_at timestamptz not null default now(),
  -- counters: the series whose count arrived last, and what it had counted
  series text constraint series_max_100_chars check (char_length(series) <= 100),
  series_value double precision,
  primary key (agent_id, metric)
);
comment on table public.agent_metrics is
  'Custom metrics: per agent, the latest value of each gauge and the total of each counter (written by agent_report).';
comment on column public.agent_metrics.value is
  'A gauge''s latest value; a counter''s total, which only goes up (a new worker instance is a reset, not a decrease).';
comment on column public.agent_metrics.series is
  'Counters: the worker instance (or one-shot process) whose running count arrived last; null for a report without one.';

create table public.agent_metric_points (
  agent_id uuid not null,
  metric text not null,
  minute timestamptz not null,
  value double precision not null,
  primary key (agent_id, metric, minute),
  foreign key (agent_id, metric) references public.agent_metrics (agent_id, metric) on delete cascade
);
comment on table public.agent_metric_points is
  'Custom metric history: one point per metric per minute (its value at the minute''s last report), kept 7 days.';
-- Pruning deletes by age across all agents.
create index agent_metric_points_minute on public.agent_metric_points (minute);

-- Who may do what: viewers and operators read (RLS decides); agents write only through agent_report();
-- operators delete a metric through delete_agent_metric(); anon nothing.
alter table public.agent_metrics enable row level security;
alter table public.agent_metric_points enable row level security;
revoke all on public.agent_metrics, public.agent_metric_points from anon, authenticated;
grant all on public.agent_metrics, public.agent_metric_points to service_role;
grant select on public.agent_metrics, public.agent_metric_points to authenticated;

create policy "viewers and operators read custom metrics" on public.agent_metrics
  for select to authenticated using ((select app.can_read()));
create policy "viewers and operators read custom metric history" on public.agent_metric_points
  for select to authenticated using ((select app.can_read()));

-- The rules, worded as the error says them; both SDKs check names and values the same way before a
-- report leaves (tests/integration/domain-facts.test.ts compares them).
create function app.metric_name_problem(name text) returns text
language sql immutable set search_path = '' as $$
  select case
    when name is null or name = '' then 'a metric name must not be empty'
    when char_length(name) > 64 then format('metric name "%s…" is longer than 64 characters', left(name, 64))
    when name !~ '^[a-z][a-z0-9_]*$' then
      format('metric name "%s" must start with a lower-case letter and hold only lower-case letters, digits and underscores', name)
  end
$$;

-- A value must be a JSON number (JSON has no NaN or Infinity: a client that sends one sends null or a
-- string) that double precision can hold, and a counter's never negative.
create function app.metric_value_problem(name text, kind public.agent_metric_kind, value jsonb) returns text
language sql immutable set search_path = '' as $$
  select case
    when jsonb_typeof(value) is distinct from 'number' then
      format('metric "%s" must be a finite number, got %s', name, coalesce(left(value::text, 40), 'nothing'))
    when abs(value::text::numeric) >= 1e308 or (value::text::numeric <> 0 and abs(value::text::numeric) < 1e-307) then
      format('metric "%s" is out of range (0, or a magnitude from 1e-307 to 1e308), got %s', name, left(value::text, 24))
    when kind = 'counter' and value::text::numeric < 0 then format('counter "%s" must not be negative, got %s', name, value)
  end
$$;

-- The metrics of a report as rows: both maps, in one list.
create function app.reported_metrics(p_metrics jsonb)
returns table (metric text, kind public.agent_metric_kind, value jsonb)
language sql immutable set search_path = '' as $$
  select g.key, 'gauge'::public.agent_metric_kind, g.value from jsonb_each(coalesce(p_metrics -> 'gauges', '{}')) g
  union all
  select c.key, 'counter'::public.agent_metric_kind, c.value from jsonb_each(coalesce(p_metrics -> 'counters', '{}')) c
$$;

revoke execute on function app.metric_name_problem(text), app.metric_value_problem(text, public.agent_metric_kind, jsonb),
  app.reported_metrics(jsonb) from public;
grant execute on function app.metric_name_problem(text), app.metric_value_problem(text, public.agent_metric_kind, jsonb),
  app.reported_metrics(jsonb) to anon, authenticated, service_role;

-- Records the metrics of one accepted report (agent_report() has already decided which agent it is for).
-- Everything is checked before anything is written; an error refuses the whole report. Then one
-- statement writes the latest values and totals, and this minute's history points.
create function app.record_agent_metrics(p_agent_id uuid, p_instance text, p_metrics jsonb) returns void
language plpgsql security definer set search_path = '' as $$
declare
  report_series text := left(coalesce(p_metrics ->> 'series', p_instance), 100);
  problem text;
  names text[];
begin
  if jsonb_typeof(p_metrics) is distinct from 'object'
     or exists (select 1 from jsonb_object_keys(p_metrics) k where k not in ('gauges', 'counters', 'series'))
     or jsonb_typeof(coalesce(p_metrics -> 'gauges', '{}')) <> 'object'
     or jsonb_typeof(coalesce(p_metrics -> 'counters', '{}')) <> 'object'
     or jsonb_typeof(coalesce(p_metrics -> 'series', '""')) <> 'string' then
    raise exception 'p_info.metrics must be {"gauges": {name: number}, "counters": {name: number}, "series": text}, got %',
      left(p_metrics::text, 200) using errcode = 'PT422';
  end if;

  select coalesce(app.metric_name_problem(r.metric), app.metric_value_problem(r.metric, r.kind, r.value)) into problem
    from app.reported_metrics(p_metrics) r
   where coalesce(app.metric_name_problem(r.metric), app.metric_value_problem(r.metric, r.kind, r.value)) is not null
   order by r.metric limit 1;
  if problem is not null then
    raise exception '%', problem using errcode = 'PT422';
  end if;

  select format('metric "%s" is reported both as a gauge and as a counter', r.metric) into problem
    from app.reported_metrics(p_metrics) r group by r.metric having count(*) > 1 order by r.metric limit 1;
  if problem is not null then
    raise exception '%', problem using errcode = 'PT422';
  end if;

  select format('metric "%s" of this agent is a %s and cannot be reported as a %s: use another name, or delete it first (delete_agent_metric)',
                m.metric, m.kind, r.kind) into problem
    from app.reported_metrics(p_metrics) r
    join public.agent_metrics m on m.agent_id = p_agent_id and m.metric = r.metric
   where m.kind <> r.kind order by m.metric limit 1;
  if problem is not null then
    raise exception '%', problem using errcode = 'PT422';
  end if;

  select array_agg(n order by n collate "C") into names from (
    select m.metric from public.agent_metrics m where m.agent_id = p_agent_id
    union
    select r.metric from app.reported_metrics(p_metrics) r
  ) as every_metric(n);
  if cardinality(names) > 20 then
    raise exception 'an agent keeps at most 20 custom metrics; this report would make % (%): delete unused ones (delete_agent_metric) or report fewer names',
      cardinality(names), array_to_string(names, ', ') using errcode = 'PT422';
  end if;

  select format('counter "%s" went down from %s to %s within one worker instance (%s); a counter only goes up, and starts again from zero only in a new instance',
                m.metric, m.series_value, r.value, left(report_series, 8)) into problem
    from app.reported_metrics(p_metrics) r
    join public.agent_metrics m on m.agent_id = p_agent_id and m.metric = r.metric
   where r.kind = 'counter' and report_series is not null and m.series = report_series and r.value::text::float8 < m.series_value
   order by m.metric limit 1;
  if problem is not null then
    raise exception '%', problem using errcode = 'PT422';
  end if;

  -- A gauge takes the value. A counter adds what its series counted since the series' last report; a
  -- series it has not seen (a new worker instance, a one-shot process, a report without one) counted
  -- from zero, so all of its count is added.
  with written as (
    insert into public.agent_metrics as m (agent_id, metric, kind, value, series, series_value)
    select p_agent_id, r.metric, r.kind, r.value::text::float8,
           case when r.kind = 'counter' then report_series end,
           case when r.kind = 'counter' then r.value::text::float8 end
      from app.reported_metrics(p_metrics) r
    on conflict (agent_id, metric) do update set
      value = case
        when m.kind = 'gauge' then excluded.value
        when excluded.series is not null and m.series = excluded.series then m.value + (excluded.series_value - m.series_value)
        else m.value + excluded.series_value end,
      series = excluded.series,
      series_value = excluded.series_value,
      updated_at = now()
    returning m.agent_id, m.metric, m.value
  )
  insert into public.agent_metric_points as p (agent_id, metric, minute, value)
  select w.agent_id, w.metric, date_trunc('minute', now()), w.value from written w
  on conflict (agent_id, metric, minute) do update set value = excluded.value;
end $$;

-- Only agent_report() (its owner) calls it: no API role may write an agent's metrics directly.
revoke execute on function app.record_agent_metrics(uuid, text, jsonb) from public, anon, authenticated, service_role;

-- An agent's metrics, for its page and `agent-status metrics <name>`: each metric's latest value (a
-- counter's total) and its history over the last p_minutes (0 for none), at most 120 points per metric —
-- the history's per-minute points in buckets of ceil(p_minutes / 120) minutes, each the bucket's last.
-- One JSON value, so no metric's history is cut at max_rows. Security invoker: RLS decides, and an agent
-- the caller cannot see is unknown (PT404).
create function public.agent_metric_series(p_agent_name text, p_minutes integer default 60) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  target uuid;
  bucket_seconds integer;
  since timestamptz;
begin
  if p_minutes is null or p_minutes < 0 or p_minutes > 10080 then
    raise exception 'minutes must be between 0 and 10080 (7 days), got %', coalesce(p_minutes::text, 'null') using errcode = '22023';
  end if;
  select s.id into target from public.agent_status s where s.agent_name = p_agent_name;
  if target is null then
    raise exception 'unknown agent "%"', p_agent_name using errcode = 'PT404';
  end if;
  bucket_seconds := 60 * greatest(1, ceil(p_minutes / 120.0))::integer;
  since := date_trunc('minute', now()) - make_interval(mins => p_minutes);
  return jsonb_build_object(
    'agent_name', p_agent_name,
    'minutes', p_minutes,
    'bucket_seconds', bucket_seconds,
    'server_time', now(),
    'metrics', coalesce((
      select jsonb_agg(jsonb_build_object(
               'metric', m.metric, 'kind', m.kind, 'value', m.value, 'updated_at', m.updated_at,
               'points', coalesce(history.points, '[]'::jsonb)) order by m.metric)
        from public.agent_metrics m
        left join lateral (
          select jsonb_agg(jsonb_build_array(extract(epoch from b.minute)::bigint, b.value) order by b.minute) as points
            from (
              select distinct on (floor(extract(epoch from p.minute) / bucket_seconds)) p.minute, p.value
                from public.agent_metric_points p
               where p.agent_id = m.agent_id and p.metric = m.metric and p.minute > since and p_minutes > 0
               order by floor(extract(epoch from p.minute) / bucket_seconds), p.minute desc
            ) b
        ) history on true
       where m.agent_id = target), '[]'::jsonb));
end $$;

-- The fleet's metrics for the dashboard's table: every metric name with how many agents report it, and
-- the latest values of the names asked for, by agent id. One JSON value (not cut at max_rows); security
-- invoker: RLS decides.
create function public.fleet_metrics(p_metrics text[] default '{}') returns jsonb
language sql stable security invoker set search_path = '' as $$
  select jsonb_build_object(
    'metrics', coalesce((
      select jsonb_agg(jsonb_build_object('metric', n.metric, 'agents', n.agents) order by n.metric)
        from (select m.metric, count(*) as agents from public.agent_metrics m group by m.metric) n), '[]'::jsonb),
    'values', coalesce((
      select jsonb_object_agg(v.agent_id, v.metrics)
        from (select m.agent_id, jsonb_object_agg(m.metric, m.value) as metrics
                from public.agent_metrics m
               where m.metric = any (coalesce(p_metrics, '{}'))
               group by m.agent_id) v), '{}'::jsonb))
$$;

-- Operators delete a metric an agent no longer reports (it counts towards the 20), with its history.
create function public.delete_agent_metric(p_agent_name text, p_metric text) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  target uuid;
begin
  perform app.require_operator('delete metrics');
  select s.id into target from public.agent_status s where s.agent_name = p_agent_name;
  if target is null then
    raise exception 'unknown agent "%"', p_agent_name using errcode = 'PT404';
  end if;
  delete from public.agent_metrics m where m.agent_id = target and m.metric = p_metric;
  return found;
end $$;

-- History older than p_keep_days goes; run hourly (90_schedules.sql).
create function public.prune_agent_metric_points(p_keep_days integer default 7) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  removed integer;
begin
  delete from public.agent_metric_points p where p.minute < now() - make_interval(days => p_keep_days);
  get diagnostics removed = row_count;
  return removed;
end $$;

revoke execute on function public.agent_metric_series(text, integer), public.fleet_metrics(text[]),
  public.delete_agent_metric(text, text), public.prune_agent_metric_points(integer) from public, anon, authenticated;
grant execute on function public.agent_metric_series(text, integer), public.fleet_metrics(text[]),
  public.delete_agent_metric(text, text) to authenticated, service_role;
grant execute on function public.prune_agent_metric_points(integer) to service_role;
