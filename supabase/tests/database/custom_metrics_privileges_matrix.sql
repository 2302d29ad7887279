-- The privilege matrix of custom metrics: agent_metrics and agent_metric_points × select / insert /
-- update / delete, the read RPCs (agent_metric_series, fleet_metrics), delete_agent_metric,
-- prune_agent_metric_points and app.record_agent_metrics, for every caller — anon (publishable key
-- alone), an agent presenting its token (anon role), a user without a role, viewer, operator, service
-- role. Viewers and operators read; agents write only their own, through agent_report; only operators
-- delete a metric; anon nothing; and a denial changes nothing.
begin;
select no_plan();

select tests.give_token('Content Collector', 'cc-secret');
select agent_name from public.agent_report('heartbeat', p_token => 'cc-secret',
  p_info => '{"metrics": {"gauges": {"queue_length": 4}, "counters": {"articles": 9}}}');

create function pg_temp.statement(target text, operation text) returns text
language sql immutable as $$
  select case operation
    when 'select' then format('select count(*) from public.%I', target)
    when 'insert' then case target
      when 'agent_metrics' then
        $s$insert into public.agent_metrics (agent_id, metric, kind, value) values (tests.agent_id('Blog Generator'), 'forged', 'gauge', 1)$s$
      when 'agent_metric_points' then
        $s$insert into public.agent_metric_points (agent_id, metric, minute, value) values (tests.agent_id('Content Collector'), 'articles', now() - interval '1 hour', 1)$s$ end
    when 'update' then format('update public.%I set value = value + 1', target)
    when 'delete' then format('delete from public.%I', target)
  end
$$;
create function pg_temp.rows() returns text language sql security definer as $$
  select format('%s metrics, %s points, total %s', (select count(*) from public.agent_metrics),
                (select count(*) from public.agent_metric_points), (select sum(value) from public.agent_metrics)) $$;
create function pg_temp.tables() returns setof text language sql immutable as $$ values ('agent_metrics'), ('agent_metric_points') $$;
grant execute on function pg_temp.statement(text, text), pg_temp.rows(), pg_temp.tables() to anon, authenticated, service_role;
select is(pg_temp.rows(), '2 metrics, 2 points, total 13', 'the fixture: two metrics of one agent');

-- anon, and an agent with its token --------------------------------------------------------------
select tests.as_anon();
select throws_ok(pg_temp.statement(t, op), '42501', 'permission denied for table ' || t, format('anon: %s on %s is denied', op, t))
  from pg_temp.tables() t, unnest(array['select', 'insert', 'update', 'delete']) as op;
select throws_ok(call, '42501', 'permission denied for function ' || fn, format('anon: %s is denied', fn))
  from (values ('agent_metric_series', $$select public.agent_metric_series('Content Collector')$$),
               ('fleet_metrics', $$select public.fleet_metrics()$$),
               ('delete_agent_metric', $$select public.delete_agent_metric('Content Collector', 'articles')$$),
               ('prune_agent_metric_points', $$select public.prune_agent_metric_points(0)$$),
               ('record_agent_metrics', $$select app.record_agent_metrics(tests.agent_id('Blog Generator'), null, '{"gauges": {"forged": 1}}')$$)
       ) as calls(fn, call);
-- The agent's token writes its own agent's metrics through agent_report, and nothing else.
select results_eq($$select agent_name from public.agent_report('heartbeat', p_token => 'cc-secret', p_info => '{"metrics": {"gauges": {"queue_length": 5}}}')$$,
                  $$values ('Content Collector')$$, 'agent token: agent_report records its own metrics');
select throws_ok($$select * from public.agent_report('heartbeat', 'Blog Generator', 'cc-secret', p_info => '{"metrics": {"gauges": {"forged": 1}}}')$$,
                 'PT403', 'this token belongs to agent "Content Collector", not "Blog Generator"',
                 'agent token: cannot report metrics for another agent');
select throws_ok($$select * from public.agent_report('heartbeat', 'Blog Generator', p_info => '{"metrics": {"gauges": {"forged": 1}}}')$$,
                 'PT401', 'an agent token is required', 'anon without a token: cannot report metrics');
select throws_ok(pg_temp.statement(t, op), '42501', 'permission denied for table ' || t,
                 format('agent token (anon role): %s on %s is denied', op, t))
  from pg_temp.tables() t, unnest(array['select', 'insert', 'update', 'delete']) as op;
select is(pg_temp.rows(), '2 metrics, 2 points, total 14', 'anon and agent token: only the agent''s own gauge changed');

-- a signed-in user without a role ----------------------------------------------------------------
select tests.as_user(null);
select is(tests.visible(t), 0, format('no role: sees no %s', t)) from pg_temp.tables() t;
select throws_ok($$select public.agent_metric_series('Content Collector')$$, 'PT404', 'unknown agent "Content Collector"',
                 'no role: agent_metric_series knows no agent');
select is(public.fleet_metrics(array['articles']), '{"metrics": [], "values": {}}'::jsonb, 'no role: fleet_metrics shows nothing');
select throws_ok($$select public.delete_agent_metric('Content Collector', 'articles')$$, '42501', 'only operators can delete metrics',
                 'no role: delete_agent_metric is forbidden');

-- viewer -------------------------------------------------------------------------------------------
select tests.as_user('viewer');
select is(tests.visible('agent_metrics'), 2, 'viewer: reads agent_metrics');
select is(tests.visible('agent_metric_points'), 2, 'viewer: reads agent_metric_points');
select is(jsonb_array_length(public.agent_metric_series('Content Collector') -> 'metrics'), 2, 'viewer: agent_metric_series');
select is(public.fleet_metrics(array['articles']) -> 'values' -> tests.agent_id('Content Collector')::text, '{"articles": 9}'::jsonb,
          'viewer: fleet_metrics');
select throws_ok(pg_temp.statement(t, op), '42501', 'permission denied for table ' || t, format('viewer: %s on %s is denied', op, t))
  from pg_temp.tables() t, unnest(array['insert', 'update', 'delete']) as op;
select throws_ok($$select public.delete_agent_metric('Content Collector', 'articles')$$, '42501', 'only operators can delete metrics',
                 'viewer: delete_agent_metric is forbidden');
select throws_ok($$select public.prune_agent_metric_points(0)$$, '42501', 'permission denied for function prune_agent_metric_points',
                 'viewer: prune_agent_metric_points is denied');
select throws_ok($$select app.record_agent_metrics(tests.agent_id('Blog Generator'), null, '{"gauges": {"forged": 1}}')$$,
                 '42501', 'permission denied for function record_agent_metrics', 'viewer: record_agent_metrics is denied');
select is(pg_temp.rows(), '2 metrics, 2 points, total 14', 'viewer: nothing changed');

-- operator -----------------------------------------------------------------------------------------
select tests.as_user('operator');
select is(tests.visible('agent_metrics'), 2, 'operator: reads agent_metrics');
select is(tests.visible('agent_metric_points'), 2, 'operator: reads agent_metric_points');
select is(jsonb_array_length(public.agent_metric_series('Content Collector') -> 'metrics'), 2, 'operator: agent_metric_series');
select throws_ok(pg_temp.statement(t, op), '42501', 'permission denied for table ' || t, format('operator: %s on %s is denied', op, t))
  from pg_temp.tables() t, unnest(array['insert', 'update', 'delete']) as op;
select throws_ok($$select public.prune_agent_metric_points(0)$$, '42501', 'permission denied for function prune_agent_metric_points',
                 'operator: prune_agent_metric_points is denied (the schedule runs it)');
select throws_ok($$select app.record_agent_metrics(tests.agent_id('Blog Generator'), null, '{"gauges": {"forged": 1}}')$$,
                 '42501', 'permission denied for function record_agent_metrics', 'operator: record_agent_metrics is denied');
select ok(public.delete_agent_metric('Content Collector', 'queue_length'), 'operator: delete_agent_metric deletes a metric');
select is(pg_temp.rows(), '1 metrics, 1 points, total 9', 'operator: only the deleted metric went');

-- A viewer whose JWT claims operator is not enough: the account says viewer.
select tests.as_user('viewer');
select set_config('request.jwt.claims', jsonb_set(current_setting('request.jwt.claims')::jsonb, '{app_metadata,role}', '"operator"')::text, true);
select throws_ok($$select public.delete_agent_metric('Content Collector', 'articles')$$, '42501', 'only operators can delete metrics',
                 'a viewer whose JWT says operator: delete_agent_metric is forbidden');

-- service role -------------------------------------------------------------------------------------
select tests.as_service();
select is(tests.visible(t), 1, format('service: reads %s', t)) from pg_temp.tables() t;
select lives_ok(pg_temp.statement(t, 'insert'), format('service: inserts into %s', t)) from pg_temp.tables() t;
select is(tests.affected(pg_temp.statement(t, 'update')), 2, format('service: updates %s', t)) from pg_temp.tables() t;
select is(jsonb_array_length(public.agent_metric_series('Content Collector') -> 'metrics'), 1, 'service: agent_metric_series');
select is(public.prune_agent_metric_points(), 0, 'service: prune_agent_metric_points (nothing is a week old)');
select throws_ok($$select app.record_agent_metrics(tests.agent_id('Blog Generator'), null, '{"gauges": {"forged": 1}}')$$,
                 '42501', 'permission denied for function record_agent_metrics',
                 'service: record_agent_metrics is denied too (it reports through agent_report by name)');
select ok(public.delete_agent_metric('Blog Generator', 'forged'), 'service: delete_agent_metric');
select is(tests.affected(pg_temp.statement('agent_metrics', 'delete')), 1, 'service: deletes from agent_metrics');

select * from finish();
rollback;
