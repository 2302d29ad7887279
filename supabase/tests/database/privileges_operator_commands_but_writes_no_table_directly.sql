-- Matrix row "operator" (app_metadata.role = operator): reads everything including token
-- metadata (never hashes), commands agents and manages tokens; the only table it may write is
-- agent_desired_state (command_agents runs as the caller), and never the maintenance RPCs.
begin;
select no_plan();

select tests.give_token('Content Collector', 'cc-secret');
select tests.as_service();
select * from public.agent_report('started', 'Content Collector');
select tests.as_user('operator');

-- select
select is(tests.visible('agent_status'), 6, 'operator: sees all six agents');
select is(tests.visible('agent_desired_state'), 6, 'operator: sees all desired states');
select is(tests.visible('agent_overview'), 6, 'operator: sees the overview of all agents');
select is(tests.visible('agent_events'), 1, 'operator: sees the history');
select is(tests.visible('agent_tokens'), 1, 'operator: sees token metadata');
select lives_ok('select id, agent_id, label, created_at, last_used_at, revoked_at from public.agent_tokens',
                'operator: can read every token column except the hash');
select throws_ok('select token_hash from public.agent_tokens', '42501',
                 'permission denied for table agent_tokens', 'operator: cannot read token hashes');

-- insert / update / delete that privileges deny
select throws_ok(tests.statement(t, op), '42501', 'permission denied for table ' || t,
                 format('operator: %s on %s is denied', op, t))
  from unnest(array['agent_status', 'agent_desired_state', 'agent_events', 'agent_tokens']) as t,
       unnest(array['insert', 'update', 'delete']) as op
 where (t, op) <> ('agent_desired_state', 'update');
select throws_ok(tests.statement('agent_overview', op), '55000', null,
                 format('operator: %s on agent_overview is impossible', op))
  from unnest(array['insert', 'update', 'delete']) as op;
select is(tests.affected(tests.statement('agent_desired_state', 'update')), 6,
          'operator: may update desired state (what command_agents does as the caller)');
select throws_ok($$update public.agent_desired_state set agent_id = gen_random_uuid()$$, '42501',
                 'permission denied for table agent_desired_state', 'operator: cannot move a desired state to another agent');
select throws_ok($$update public.agent_desired_state set updated_at = now()$$, '42501',
                 'permission denied for table agent_desired_state', 'operator: cannot set updated_at');

-- RPCs
select throws_ok($$select * from public.agent_report('heartbeat', 'Content Collector')$$,
                 'PT401', 'an agent token is required', 'operator: agent_report needs an agent token');
select results_eq($$select agent_name, desired_state::text from public.command_agents('start', 'Content Collector')$$,
                  $$values ('Content Collector', 'running')$$, 'operator: command_agents works');
select matches((select token from public.issue_agent_token('Content Collector', 'ops laptop')), '^ast_[0-9a-f]{64}$',
               'operator: issue_agent_token returns a fresh secret');
select ok(public.revoke_agent_token((select id from public.agent_tokens where label = 'ops laptop')),
          'operator: revoke_agent_token works');
select throws_ok($$select public.sweep_offline_agents()$$,
                 '42501', 'permission denied for function sweep_offline_agents', 'operator: sweep_offline_agents is denied');
select throws_ok($$select public.prune_agent_events()$$,
                 '42501', 'permission denied for function prune_agent_events', 'operator: prune_agent_events is denied');

select * from finish();
rollback;
