-- Matrix row "anon" (publishable key alone): no table or view privilege at all, and of the
-- RPCs only agent_report, which still demands an agent token.
begin;
select no_plan();

select tests.as_anon();

-- tables and view × select / insert / update / delete
select throws_ok(tests.statement(t, op), '42501', format('permission denied for %s %s', kind, t),
                 format('anon: %s on %s is denied', op, t))
  from (values ('agent_status', 'table'), ('agent_desired_state', 'table'), ('agent_events', 'table'),
               ('agent_tokens', 'table'), ('agent_overview', 'view')) as targets(t, kind),
       unnest(array['select', 'insert', 'update', 'delete']) as op
 where not (kind = 'view' and op <> 'select');

-- The view is a join: writing through it fails before privileges are even checked.
select throws_ok(tests.statement('agent_overview', op), '55000', null,
                 format('anon: %s on agent_overview is impossible', op))
  from unnest(array['insert', 'update', 'delete']) as op;

-- RPCs × execute
select throws_ok($$select * from public.agent_report('heartbeat', 'Content Collector')$$,
                 'PT401', 'an agent token is required', 'anon: agent_report without a token is unauthorized');
select throws_ok($$select * from public.command_agents('start')$$,
                 '42501', 'permission denied for function command_agents', 'anon: command_agents is denied');
select throws_ok($$select * from public.issue_agent_token('Content Collector')$$,
                 '42501', 'permission denied for function issue_agent_token', 'anon: issue_agent_token is denied');
select throws_ok($$select public.revoke_agent_token(gen_random_uuid())$$,
                 '42501', 'permission denied for function revoke_agent_token', 'anon: revoke_agent_token is denied');
select throws_ok($$select public.sweep_offline_agents()$$,
                 '42501', 'permission denied for function sweep_offline_agents', 'anon: sweep_offline_agents is denied');
select throws_ok($$select public.prune_agent_events()$$,
                 '42501', 'permission denied for function prune_agent_events', 'anon: prune_agent_events is denied');

-- Nothing above changed anything.
select tests.as_superuser();
select is((select count(*)::integer from public.agent_status), 6, 'anon: still six agents');
select is((select count(*)::integer from public.agent_events), 0, 'anon: no event was written');

select * from finish();
rollback;
