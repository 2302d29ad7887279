-- Kubernetes-style spec/status: the desired generation only increases; the agent reports which
-- generation it carried out (observed_generation), which catches up, never exceeds the
-- generation and never goes back; `pending` in agent_overview says whether it has caught up.
begin;
select no_plan();

select tests.give_token('Content Collector', 'cc-secret');
create function pg_temp.observed() returns text language sql stable security definer as $$
  select observed_generation || ' of ' || generation || case when pending then ' pending' else '' end
    from public.agent_overview where agent_name = 'Content Collector'
$$;
select tests.as_user('operator');
select * from public.command_agents('start', 'Content Collector');

select tests.as_anon();
select results_eq($$select desired_state::text, generation, last_command::text, observed_generation
                     from public.agent_report('heartbeat', p_token => 'cc-secret')$$,
                  $$values ('running', 1::bigint, 'start', 0::bigint)$$, 'the poll answers the desired state and generation');
select is(pg_temp.observed(), '0 of 1 pending', 'a command the agent has not carried out is pending');

select results_eq($$select observed_generation from public.agent_report('started', p_token => 'cc-secret', p_observed_generation => 1)$$,
                  $$values (1::bigint)$$, 'the agent acknowledges generation 1');
select is(pg_temp.observed(), '1 of 1', 'acknowledged: no longer pending');

select results_eq($$select observed_generation from public.agent_report('heartbeat', p_token => 'cc-secret', p_observed_generation => 99)$$,
                  $$values (1::bigint)$$, 'observed_generation cannot exceed the generation');
select results_eq($$select observed_generation from public.agent_report('heartbeat', p_token => 'cc-secret', p_observed_generation => 0)$$,
                  $$values (1::bigint)$$, 'observed_generation cannot go back');
select results_eq($$select observed_generation from public.agent_report('heartbeat', p_token => 'cc-secret')$$,
                  $$values (1::bigint)$$, 'a report without observed_generation keeps it');

select tests.as_user('operator');
select * from public.command_agents('restart', 'Content Collector');
select tests.as_anon();
select results_eq($$select generation, last_command::text, observed_generation from public.agent_report('heartbeat', p_token => 'cc-secret')$$,
                  $$values (2::bigint, 'restart', 1::bigint)$$, 'a restart is seen by the next poll');
select results_eq($$select observed_generation from public.agent_report('heartbeat', p_token => 'cc-secret', p_observed_generation => 2)$$,
                  $$values (2::bigint)$$, 'and acknowledged by the one after');
select tests.as_superuser();
select is((select count(*)::integer from public.agent_events where agent_id = tests.agent_id('Content Collector') and kind = 'acknowledged'),
          1, 'a heartbeat that acknowledges a generation is an acknowledged event');

-- Even the service role cannot move a generation back.
select tests.as_service();
select throws_ok($$update public.agent_desired_state set generation = 1 where agent_id = tests.agent_id('Content Collector')$$,
                 '22023', 'generation may not decrease (2 → 1)', 'generations never decrease');
select throws_ok($$delete from public.agent_desired_state where agent_id = tests.agent_id('Blog Generator');
                    insert into public.agent_desired_state (agent_id, generation) values (tests.agent_id('Blog Generator'), -1)$$,
                 '23514', 'new row for relation "agent_desired_state" violates check constraint "generation_not_negative"',
                 'generations are never negative');

select * from finish();
rollback;
