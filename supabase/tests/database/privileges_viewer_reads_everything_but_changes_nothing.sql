-- Matrix row "viewer" (app_metadata.role = viewer): reads every table except agent tokens,
-- writes nothing, and may not command agents or manage tokens.
begin;
select no_plan();

-- Something in every table: an event (the agent started) and a token.
select tests.give_token('Content Collector', 'cc-secret');
select tests.as_service();
select * from public.agent_report('started', 'Content Collector');
select tests.as_user('viewer');

-- select
select is(tests.visible('agent_status'), 6, 'viewer: sees all six agents');
select is(tests.visible('agent_desired_state'), 6, 'viewer: sees all desired states');
select is(tests.visible('agent_overview'), 6, 'viewer: sees the overview of all agents');
select is(tests.visible('agent_events'), 1, 'viewer: sees the history');
select is(tests.visible('agent_tokens'), 0, 'viewer: sees no agent tokens');
select throws_ok('select token_hash from public.agent_tokens', '42501',
                 'permission denied for table agent_tokens', 'viewer: cannot read token hashes');

-- insert / update / delete that privileges deny outright
select throws_ok(tests.statement(t, op), '42501', 'permission denied for table ' || t,
                 format('viewer: %s on %s is denied', op, t))
  from unnest(array['agent_status', 'agent_desired_state', 'agent_events', 'agent_tokens']) as t,
       unnest(array['insert', 'update', 'delete']) as op
 where (t, op) <> ('agent_desired_state', 'update');
select throws_ok(tests.statement('agent_overview', op), '55000', null,
                 format('viewer: %s on agent_overview is impossible', op))
  from unnest(array['insert', 'update', 'delete']) as op;

-- the column grant that command_agents needs is there, but RLS lets no viewer row through
select is(tests.affected($$update public.agent_desired_state set desired_state = 'running'$$), 0,
          'viewer: updating desired state changes 0 rows');

-- RPCs
select throws_ok($$select * from public.agent_report('heartbeat', 'Content Collector')$$,
                 'PT401', 'an agent token is required', 'viewer: agent_report needs an agent token');
select throws_ok($$select * from public.command_agents('start', 'Content Collector')$$,
                 '42501', 'only operators can command agents', 'viewer: command_agents is forbidden');
select throws_ok($$select * from public.command_agents('start')$$,
                 '42501', 'only operators can command agents', 'viewer: start-all is forbidden');
select throws_ok($$select * from public.issue_agent_token('Content Collector')$$,
                 '42501', 'only operators can issue agent tokens', 'viewer: issue_agent_token is forbidden');
select throws_ok($$select public.revoke_agent_token(gen_random_uuid())$$,
                 '42501', 'only operators can revoke agent tokens', 'viewer: revoke_agent_token is forbidden');
select throws_ok($$select public.sweep_offline_agents()$$,
                 '42501', 'permission denied for function sweep_offline_agents', 'viewer: sweep_offline_agents is denied');
select throws_ok($$select public.prune_agent_events()$$,
                 '42501', 'permission denied for function prune_agent_events', 'viewer: prune_agent_events is denied');

select tests.as_superuser();
select is((select count(*)::integer from public.agent_desired_state where desired_state = 'running'), 0,
          'viewer: no desired state changed');
select is((select count(*)::integer from public.agent_events where kind = 'command'), 0,
          'viewer: no command was recorded');

select * from finish();
rollback;
