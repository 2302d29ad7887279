-- The live tail runs only while watched: a watch that starts (or a watcher that joins and asks for the
-- backlog) is announced once on the worker's wake-up topic, a renewal is silent, and a worker's batches
-- are broadcast on the agent's log topic only until the watch runs out. Nothing is written but the watch.
begin;
select no_plan();

select tests.give_token('Content Collector', 'cc-secret');
create temporary table sent (payload jsonb, event text, topic text, private boolean);
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void language sql as $$ insert into pg_temp.sent values (payload, event, topic, private) $$;

create function pg_temp.cc() returns uuid language sql as $$ select tests.agent_id('Content Collector') $$;
create function pg_temp.publish(batch jsonb) returns integer language sql as $$
  select watch_seconds from public.publish_agent_logs(batch, p_token => 'cc-secret')
$$;
create function pg_temp.line(n integer) returns jsonb language sql as $$
  select jsonb_build_object('lines', jsonb_build_array(jsonb_build_object('seq', n, 'at', '2026-12-06T10:00:00Z', 'level', 'info', 'text', 'line ' || n)))
$$;

-- Nobody watches: a worker's batch goes nowhere, and its answer says stop.
select is(pg_temp.publish(pg_temp.line(1)), null, 'not watched: the answer says nobody watches');
select is((select count(*)::integer from sent), 0, '... and nothing is broadcast');

-- A watch starts: one wake-up for the worker.
select tests.as_user('viewer');
select is((select backlog_request from public.watch_agent_logs(pg_temp.cc())), 1::bigint, 'the first watcher asks for the backlog');
select tests.as_superuser();
select results_eq($$select topic, event, (payload ->> 'watch_seconds')::int, (payload ->> 'backlog_request')::int, private from sent$$,
                  $$select 'agent-wakeup:' || pg_temp.cc(), 'logs', 30, 1, true$$,
                  'a watch that starts is announced once on the worker''s private wake-up topic');
delete from sent;

-- Renewals are silent and never shorten a watch.
select tests.as_user('operator');
select is((select watch_seconds from public.watch_agent_logs(pg_temp.cc(), p_backlog => false, p_seconds => 10)), 30,
          'a shorter renewal keeps the longer watch');
select is((select watch_seconds from public.watch_agent_logs(pg_temp.cc(), p_backlog => false, p_seconds => 60)), 60,
          'a longer one extends it');
select tests.as_superuser();
select is((select count(*)::integer from sent), 0, 'renewals send nothing');

-- A second watcher joins: the worker is told to send the backlog again.
select tests.as_user('viewer');
select is((select backlog_request from public.watch_agent_logs(pg_temp.cc())), 2::bigint, 'a second watcher asks for the backlog too');
select tests.as_superuser();
select is((select (payload ->> 'backlog_request')::int from sent where event = 'logs'), 2, '... and the worker hears of it');
delete from sent;

-- While watched, batches are broadcast on the agent's log topic.
select is(pg_temp.publish(pg_temp.line(2)), 60, 'watched: the answer says how long the watch runs');
select results_eq($$select topic, event, payload -> 'lines' -> 0 ->> 'text' from sent$$,
                  $$select 'agent-logs:' || pg_temp.cc(), 'lines', 'line 2'$$, '... and the batch is broadcast on the log topic');
delete from sent;
select is(pg_temp.publish('{"lines":[]}'), 60, 'an empty batch is answered (a worker learns of renewals with it)');
select is((select count(*)::integer from sent), 0, '... and broadcasts nothing');
select is(pg_temp.publish('{"lines":[],"backlog_end":true}'), 60, 'an empty batch that ends a backlog');
select is((select count(*)::integer from sent), 1, '... is broadcast (the viewer knows the worker answered)');
delete from sent;

-- Bad batches are refused with a clear error and send nothing.
select throws_ok($$select pg_temp.publish('[1,2]')$$, '22023', 'p_batch must be a JSON object with a "lines" array', 'an array is not a batch');
select throws_ok($$select pg_temp.publish('{"lines":"x"}')$$, '22023', null, 'lines must be an array');
select throws_ok($$select pg_temp.publish(null)$$, '22023', null, 'a missing batch is refused');
select throws_ok(format($$select pg_temp.publish(%L)$$, jsonb_build_object('lines', jsonb_build_array(jsonb_build_object('text', repeat('x', 70000))))),
                 'PT413', null, 'a batch over 64 KiB is too large');
select is((select count(*)::integer from sent), 0, 'nothing was broadcast for them');

-- The watch runs out: the tail stops.
update public.agent_log_watches set watched_until = now() - interval '1 second';
select is(pg_temp.publish(pg_temp.line(3)), null, 'after the expiry the answer says stop');
select is((select count(*)::integer from sent), 0, '... and the batch is not broadcast');
select tests.as_user('viewer');
select is((select watch_seconds from public.watch_agent_logs(pg_temp.cc(), p_backlog => false)), 30,
          'a renewal after the expiry starts a new watch');
select tests.as_superuser();
select is((select count(*)::integer from sent where event = 'logs'), 1, '... which is announced again');

-- Bad watch requests.
select tests.as_user('viewer');
select throws_ok($$select * from public.watch_agent_logs(pg_temp.cc(), p_seconds => 4)$$, '22023', null, 'a watch under 5 s is refused');
select throws_ok($$select * from public.watch_agent_logs(pg_temp.cc(), p_seconds => 301)$$, '22023', null, 'a watch over 300 s is refused');
select throws_ok($$select * from public.watch_agent_logs(gen_random_uuid())$$, 'PT404', null, 'an unknown agent is not found');
select tests.as_superuser();

-- Only the watch itself is stored: one row for the agent, no log line anywhere.
select is((select count(*)::integer from public.agent_log_watches), 1, 'one watch row for the watched agent');
select is((select count(*)::integer from public.agent_events where message like 'line %'), 0, 'no log line became an event');

select * from finish();
rollback;
