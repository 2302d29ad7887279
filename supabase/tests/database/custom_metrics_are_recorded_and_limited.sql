-- Custom metrics ride on agent_report's p_info.metrics: gauges keep their latest value, counters a total
-- that only goes up (a worker instance sends its running count; a new instance is a reset, not a
-- decrease; a report sent twice adds nothing), one history point per metric per minute, every limit
-- refused with a clear error that refuses the whole report, and the reads that the dashboard, the CLI
-- and the Prometheus scrape make.
begin;
select no_plan();

select tests.give_token('Content Collector', 'cc-secret');
select tests.give_token('Blog Generator', 'bg-secret');
create function pg_temp.report(info text, token text default 'cc-secret') returns text
language sql as $$ select agent_name from public.agent_report('heartbeat', p_token => token, p_info => info::jsonb) $$;
create function pg_temp.value(agent text, name text) returns double precision
language sql as $$ select value from public.agent_metrics where agent_id = tests.agent_id(agent) and metric = name $$;
create function pg_temp.points(agent text, name text) returns bigint
language sql as $$ select count(*) from public.agent_metric_points where agent_id = tests.agent_id(agent) and metric = name $$;

-- Gauges ---------------------------------------------------------------------------------------
select is(pg_temp.report('{"instance_id": "worker-1", "instance_new": true, "metrics": {"gauges": {"queue_length": 12, "rate_limit_left": 0.5}}}'),
          'Content Collector', 'a heartbeat carries gauges');
select is(pg_temp.value('Content Collector', 'queue_length'), 12::double precision, '... recorded as the latest value');
select is(pg_temp.value('Content Collector', 'rate_limit_left'), 0.5::double precision, '... fractions too');
select pg_temp.report('{"instance_id": "worker-1", "metrics": {"gauges": {"queue_length": -3}}}');
select is(pg_temp.value('Content Collector', 'queue_length'), -3::double precision, 'a gauge takes the newest value, down and negative too');
select is(pg_temp.value('Content Collector', 'rate_limit_left'), 0.5::double precision, 'a gauge a report does not name keeps its value');

-- Counters -------------------------------------------------------------------------------------
select pg_temp.report('{"instance_id": "worker-1", "metrics": {"counters": {"articles": 5}}}');
select is(pg_temp.value('Content Collector', 'articles'), 5::double precision, 'a counter starts with what its instance counted');
select pg_temp.report('{"instance_id": "worker-1", "metrics": {"counters": {"articles": 8}}}');
select is(pg_temp.value('Content Collector', 'articles'), 8::double precision, 'the instance''s running count moves the total');
select pg_temp.report('{"instance_id": "worker-1", "metrics": {"counters": {"articles": 8}}}');
select is(pg_temp.value('Content Collector', 'articles'), 8::double precision,
          'the same count sent again (a retry whose answer was lost) adds nothing');
select throws_ok($$select pg_temp.report('{"instance_id": "worker-1", "metrics": {"counters": {"articles": 7}}}')$$, 'PT422',
                 'counter "articles" went down from 8 to 7 within one worker instance (worker-1); a counter only goes up, and starts again from zero only in a new instance',
                 'a counter that goes down within one instance is refused');
select pg_temp.report('{"instance_id": "worker-2", "instance_new": true, "metrics": {"counters": {"articles": 2}}}');
select is(pg_temp.value('Content Collector', 'articles'), 10::double precision,
          'a new worker instance counts from zero again: a reset, and the total keeps going up');
select is((select series from public.agent_metrics where metric = 'articles'), 'worker-2', '... the counter follows the new instance');
select pg_temp.report('{"metrics": {"counters": {"articles": 3}}}');
select pg_temp.report('{"metrics": {"counters": {"articles": 3}}}');
select is(pg_temp.value('Content Collector', 'articles'), 16::double precision,
          'a report without an instance (curl) is a series of its own: its counts are added');
select pg_temp.report('{"instance_id": "worker-2", "metrics": {"series": "one-shot-1", "counters": {"articles": 4}}}');
select pg_temp.report('{"instance_id": "worker-2", "metrics": {"series": "one-shot-1", "counters": {"articles": 4}}}');
select is(pg_temp.value('Content Collector', 'articles'), 20::double precision,
          'metrics.series names the series (a one-shot script''s process) and wins over the instance');

-- History: one point per metric per minute ------------------------------------------------------
select is(pg_temp.points('Content Collector', 'articles'), 1::bigint, 'reports within one minute leave one history point');
select is((select value from public.agent_metric_points where metric = 'articles'), 20::double precision, '... holding the latest value');
select is((select minute from public.agent_metric_points where metric = 'articles'), date_trunc('minute', now()), '... at the minute');

-- A plain heartbeat writes no metric --------------------------------------------------------------
select pg_temp.report('{"instance_id": "worker-2"}');
select is((select max(updated_at) from public.agent_metrics), now(), 'a heartbeat without metrics leaves them alone');

-- Limits: each refuses the whole report with a clear error ----------------------------------------
select throws_ok(format($$select pg_temp.report('{"metrics": {"gauges": {%s: 1}}}')$$, to_jsonb(bad.name)::text), 'PT422', bad.message,
                 format('metric name %s is refused', to_jsonb(bad.name)))
  from (values
    ('', 'a metric name must not be empty'),
    ('Queue', 'metric name "Queue" must start with a lower-case letter and hold only lower-case letters, digits and underscores'),
    ('1st', 'metric name "1st" must start with a lower-case letter and hold only lower-case letters, digits and underscores'),
    ('queue-length', 'metric name "queue-length" must start with a lower-case letter and hold only lower-case letters, digits and underscores'),
    ('queue length', 'metric name "queue length" must start with a lower-case letter and hold only lower-case letters, digits and underscores'),
    ('q' || repeat('x', 64), 'metric name "q' || repeat('x', 63) || '…" is longer than 64 characters')
  ) as bad(name, message);
select lives_ok($$select pg_temp.report('{"metrics": {"gauges": {"q' || repeat('x', 63) || '": 1}}}')$$, 'a name of 64 characters is accepted');
select throws_ok(format($$select pg_temp.report('{"metrics": {"%s": {"q": %s}}}')$$, bad.map, bad.value), 'PT422', bad.message,
                 format('%s value %s is refused', bad.map, bad.value))
  from (values
    ('gauges', '"NaN"', 'metric "q" must be a finite number, got "NaN"'),
    ('gauges', '"Infinity"', 'metric "q" must be a finite number, got "Infinity"'),
    ('gauges', 'null', 'metric "q" must be a finite number, got null'),
    ('gauges', '"12"', 'metric "q" must be a finite number, got "12"'),
    ('gauges', 'true', 'metric "q" must be a finite number, got true'),
    ('gauges', '1e308', 'metric "q" is out of range (0, or a magnitude from 1e-307 to 1e308), got ' || left(('1e308'::numeric)::text, 24)),
    ('gauges', '1e-400', 'metric "q" is out of range (0, or a magnitude from 1e-307 to 1e308), got ' || left(('1e-400'::numeric)::text, 24)),
    ('counters', '-1', 'counter "q" must not be negative, got -1')
  ) as bad(map, value, message);
select throws_ok($$select pg_temp.report('{"metrics": {"gauges": {"same": 1}, "counters": {"same": 1}}}')$$, 'PT422',
                 'metric "same" is reported both as a gauge and as a counter', 'one name cannot be both kinds in a report');
select throws_ok($$select pg_temp.report('{"metrics": {"counters": {"queue_length": 1}}}')$$, 'PT422',
                 'metric "queue_length" of this agent is a gauge and cannot be reported as a counter: use another name, or delete it first (delete_agent_metric)',
                 'a gauge cannot become a counter');
select throws_ok($$select pg_temp.report('{"metrics": {"gauges": {"articles": 1}}}')$$, 'PT422',
                 'metric "articles" of this agent is a counter and cannot be reported as a gauge: use another name, or delete it first (delete_agent_metric)',
                 'a counter cannot become a gauge');
select throws_ok(format($$select pg_temp.report(%L)$$, bad), 'PT422',
                 format('p_info.metrics must be {"gauges": {name: number}, "counters": {name: number}, "series": text}, got %s', bad::jsonb -> 'metrics'),
                 format('a malformed metrics object is refused: %s', bad))
  from unnest(array['{"metrics": [1]}', '{"metrics": 5}', '{"metrics": {"gauges": [1]}}', '{"metrics": {"counters": 1}}',
                    '{"metrics": {"series": 7}}', '{"metrics": {"histograms": {}}}']) as bad;

-- Content Collector holds queue_length, rate_limit_left, articles and the 64-character one: 16 more fit.
select lives_ok(format($$select pg_temp.report('{"metrics": {"gauges": %s}}')$$,
                       (select jsonb_object_agg('g' || i, i) from generate_series(1, 16) i)), 'an agent may keep 20 metrics');
select throws_ok($$select pg_temp.report('{"metrics": {"gauges": {"one_more": 1}}}')$$, 'PT422',
                 'an agent keeps at most 20 custom metrics; this report would make 21 (articles, g1, g10, g11, g12, g13, g14, g15, g16, g2, g3, g4, g5, g6, g7, g8, g9, one_more, queue_length, q' || repeat('x', 63) || ', rate_limit_left): delete unused ones (delete_agent_metric) or report fewer names',
                 'the 21st metric is refused, naming them all');
select lives_ok($$select pg_temp.report('{"metrics": {"gauges": {"g1": 2}, "counters": {"articles": 5}}}')$$,
                'the 20 it has can still be reported');
select lives_ok($$select pg_temp.report('{"metrics": {"gauges": {"one_more": 1}}}', 'bg-secret')$$, 'the limit is per agent');

-- A refused report changes nothing, its heartbeat included.
select tests.as_superuser();
update public.agent_status set last_heartbeat = now() - interval '1 minute' where agent_name = 'Content Collector';
select throws_ok($$select pg_temp.report('{"metrics": {"gauges": {"g1": 99, "Bad": 1}}}')$$, 'PT422', null, 'a report with one bad metric is refused');
select is(pg_temp.value('Content Collector', 'g1'), 2::double precision, '... its good metrics are not written either');
select is((select last_heartbeat from public.agent_status where agent_name = 'Content Collector'), now() - interval '1 minute',
          '... nor its heartbeat: the report is refused whole (the SDKs resend it without metrics)');

-- A displaced instance's report changes nothing, its metrics included.
select pg_temp.report('{"instance_id": "worker-3", "instance_new": true}');
select pg_temp.report('{"instance_id": "worker-2", "metrics": {"gauges": {"g1": 77}}}');
select is(pg_temp.value('Content Collector', 'g1'), 2::double precision, 'a displaced worker''s metrics are not recorded');

-- The service role reports by name, like any other report.
select tests.as_service();
select results_eq($$select agent_name from public.agent_report('heartbeat', 'Tweet Scheduler', p_info => '{"metrics": {"counters": {"tweets": 3}}}')$$,
                  $$values ('Tweet Scheduler')$$, 'the service role reports metrics for the agent it names');
select tests.as_superuser();
select is(pg_temp.value('Tweet Scheduler', 'tweets'), 3::double precision, '... recorded for that agent');

-- Reads ----------------------------------------------------------------------------------------
-- History of the last two hours, for the series read.
insert into public.agent_metric_points (agent_id, metric, minute, value)
select tests.agent_id('Content Collector'), 'queue_length', date_trunc('minute', now()) - make_interval(mins => m), 100 + m
  from generate_series(1, 180) m;

select tests.as_user('viewer');
select is(jsonb_array_length(public.agent_metric_series('Content Collector', 60) -> 'metrics'), 20, 'agent_metric_series answers every metric');
select is(public.agent_metric_series('Content Collector', 60) -> 'metrics' -> 0 ->> 'metric', 'articles', '... by name');
select is((select m from jsonb_array_elements(public.agent_metric_series('Content Collector', 60) -> 'metrics') m
            where m ->> 'metric' = 'articles') - 'updated_at' - 'points',
          '{"metric": "articles", "kind": "counter", "value": 25}'::jsonb, '... with its kind and its total');
select is((select jsonb_array_length(m -> 'points') from jsonb_array_elements(public.agent_metric_series('Content Collector', 60) -> 'metrics') m
            where m ->> 'metric' = 'queue_length'), 60, '60 minutes: one point per minute (the current one and the 59 before)');
select is((select m -> 'points' -> -1 from jsonb_array_elements(public.agent_metric_series('Content Collector', 60) -> 'metrics') m
            where m ->> 'metric' = 'queue_length'), jsonb_build_array(extract(epoch from date_trunc('minute', now()))::bigint, -3),
          '... the last is now''s value, as [unix seconds, value]');
select is((public.agent_metric_series('Content Collector', 240) ->> 'bucket_seconds')::integer, 120, '240 minutes: buckets of 2 minutes');
select ok((select jsonb_array_length(m -> 'points') between 90 and 92 from jsonb_array_elements(public.agent_metric_series('Content Collector', 240) -> 'metrics') m
            where m ->> 'metric' = 'queue_length'), '... so 181 minutes of history are about 91 points');
select ok((select bool_and(jsonb_array_length(m -> 'points') <= 120) from jsonb_array_elements(public.agent_metric_series('Content Collector', 10080) -> 'metrics') m),
          'a week: at most 120 points per metric');
select is((select sum(jsonb_array_length(m -> 'points')) from jsonb_array_elements(public.agent_metric_series('Content Collector', 0) -> 'metrics') m),
          0::bigint, '0 minutes: latest values only');
select throws_ok($$select public.agent_metric_series('Content Collector', 10081)$$, '22023',
                 'minutes must be between 0 and 10080 (7 days), got 10081', 'more than a week is refused');
select throws_ok($$select public.agent_metric_series('Content Collector', -1)$$, '22023',
                 'minutes must be between 0 and 10080 (7 days), got -1', 'negative minutes are refused');
select throws_ok($$select public.agent_metric_series('Nobody', 60)$$, 'PT404', 'unknown agent "Nobody"', 'an unknown agent is PT404');
select is(public.agent_metric_series('Engagement Analyzer', 60) -> 'metrics', '[]'::jsonb, 'an agent without metrics has none');

select is(public.fleet_metrics() -> 'values', '{}'::jsonb, 'fleet_metrics without names: no values');
select is(public.fleet_metrics() -> 'metrics' -> 0, '{"metric": "articles", "agents": 1}'::jsonb, '... but every name and how many agents report it');
select is(public.fleet_metrics(array['one_more', 'tweets']) -> 'values',
          jsonb_build_object(tests.agent_id('Blog Generator'), '{"one_more": 1}'::jsonb, tests.agent_id('Tweet Scheduler'), '{"tweets": 3}'::jsonb),
          '... and the latest values of the names asked for, by agent id');

-- The scrape carries them.
select tests.as_superuser();
insert into public.metrics_tokens (token_hash) values (app.hash_token('scrape-secret'));
select is((select jsonb_agg(c) from jsonb_array_elements(public.metrics_snapshot('scrape-secret') -> 'custom') c
            where c ->> 'agent_name' <> 'Content Collector'),
          '[{"agent_name": "Blog Generator", "metric": "one_more", "kind": "gauge", "value": 1},
            {"agent_name": "Tweet Scheduler", "metric": "tweets", "kind": "counter", "value": 3}]'::jsonb,
          'metrics_snapshot lists every custom metric with its agent, kind and value');

-- Deleting a metric, and pruning the history ------------------------------------------------------
select tests.as_user('operator');
select ok(public.delete_agent_metric('Content Collector', 'queue_length'), 'an operator deletes a metric');
select ok(not public.delete_agent_metric('Content Collector', 'queue_length'), '... once');
select throws_ok($$select public.delete_agent_metric('Nobody', 'x')$$, 'PT404', 'unknown agent "Nobody"', 'deleting for an unknown agent is PT404');
select tests.as_superuser();
select is(pg_temp.points('Content Collector', 'queue_length'), 0::bigint, '... its history goes with it');
select lives_ok($$select pg_temp.report('{"metrics": {"counters": {"queue_length": 1}}}')$$, '... and the name is free for any kind');

insert into public.agent_metric_points (agent_id, metric, minute, value)
select tests.agent_id('Content Collector'), 'articles', date_trunc('minute', now()) - make_interval(days => 7, mins => m), m
  from generate_series(1, 10) m;
select is(public.prune_agent_metric_points(), 10, 'the prune removes history older than 7 days');
select is(pg_temp.points('Content Collector', 'articles'), 1::bigint, '... and keeps the rest');
select is((select count(*)::integer from cron.job where jobname = 'agent-status-prune-metrics' and command = 'select public.prune_agent_metric_points()'),
          1, 'the prune is scheduled');

-- Deleting an agent deletes its metrics.
select public.delete_agent('Blog Generator');
select is((select count(*)::integer from public.agent_metrics where metric = 'one_more'), 0, 'a deleted agent''s metrics go with it');

select * from finish();
rollback;
