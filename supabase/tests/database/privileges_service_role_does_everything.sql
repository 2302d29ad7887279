-- Matrix row "service_role" (server-side scripts): every table operation and every RPC.
begin;
select no_plan();

select tests.give_token('Content Collector', 'cc-secret');
select tests.as_service();

-- select (RLS is bypassed, hashes included)
select is(tests.visible('agent_status'), 6, 'service: sees all agents');
select is(tests.visible('agent_desired_state'), 6, 'service: sees all desired states');
select is(tests.visible('agent_overview'), 6, 'service: sees the overview');
select is(tests.visible('agent_tokens'), 1, 'service: sees tokens');
select lives_ok('select token_hash from public.agent_tokens', 'service: can read token hashes');

-- insert
select lives_ok(tests.statement('agent_status', 'insert'), 'service: can insert an agent');
select is((select count(*)::integer from public.agent_desired_state where agent_id = tests.agent_id('Matrix Agent')), 1,
          'service: a new agent gets its desired state automatically');
select lives_ok($$delete from public.agent_desired_state where agent_id = tests.agent_id('Matrix Agent');
                  insert into public.agent_desired_state (agent_id) values (tests.agent_id('Matrix Agent'))$$,
                'service: can insert a desired state');
select lives_ok(tests.statement('agent_events', 'insert'), 'service: can insert an event');
select lives_ok(tests.statement('agent_tokens', 'insert'), 'service: can insert a token');
select is(tests.visible('agent_events'), 1, 'service: sees events');

-- update
select is(tests.affected(tests.statement('agent_status', 'update')), 7, 'service: can update agents');
select is(tests.affected(tests.statement('agent_desired_state', 'update')), 7, 'service: can update desired states');
select is(tests.affected(tests.statement('agent_events', 'update')), (select count(*)::integer from public.agent_events),
          'service: can update events');
select is(tests.affected(tests.statement('agent_tokens', 'update')), 2, 'service: can update tokens');

-- RPCs
select results_eq($$select agent_name from public.agent_report('heartbeat', 'Content Collector')$$,
                  $$values ('Content Collector')$$, 'service: agent_report by name works');
select results_eq($$select count(*) from public.command_agents('start')$$, $$values (7::bigint)$$,
                  'service: command_agents works');
select isnt((select token from public.issue_agent_token('Matrix Agent')), null, 'service: issue_agent_token works');
select ok(public.revoke_agent_token((select id from public.agent_tokens where agent_id = tests.agent_id('Matrix Agent') limit 1)),
          'service: revoke_agent_token works');
select lives_ok('select public.sweep_offline_agents()', 'service: sweep_offline_agents works');
select lives_ok('select public.prune_agent_events()', 'service: prune_agent_events works');

-- delete
select is(tests.affected(tests.statement('agent_tokens', 'delete')), 3, 'service: can delete tokens');
select cmp_ok(tests.affected(tests.statement('agent_events', 'delete')), '>', 0, 'service: can delete events');
select is(tests.affected($$delete from public.agent_desired_state where agent_id = tests.agent_id('Matrix Agent')$$), 1,
          'service: can delete a desired state');
select is(tests.affected(tests.statement('agent_status', 'delete')), 7, 'service: can delete agents');
select is(tests.visible('agent_desired_state'), 0, 'service: deleting agents cascades to their desired state');

select * from finish();
rollback;
