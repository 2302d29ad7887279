-- An operator may write agent_desired_state directly, but the server decides the generation: at most
-- one more per command, so no caller can push it to bigint's maximum and break every later command.
begin;
select no_plan();

select tests.as_user('operator');
select lives_ok($$update public.agent_desired_state set desired_state = 'running', generation = 9223372036854775807
                   where agent_id = tests.agent_id('Content Collector')$$,
                'operator: a direct update that asks for bigint''s maximum generation is accepted');
select tests.as_superuser();
select is((select generation from public.agent_desired_state where agent_id = tests.agent_id('Content Collector')), 1::bigint,
          '… and gets the next generation instead');

select tests.as_user('operator');
update public.agent_desired_state set generation = generation + 50 where agent_id = tests.agent_id('Content Collector');
update public.agent_desired_state set last_command = 'start' where agent_id = tests.agent_id('Content Collector');
select tests.as_superuser();
select is((select generation from public.agent_desired_state where agent_id = tests.agent_id('Content Collector')), 2::bigint,
          'a jump of 50 becomes one; an update that changes neither state nor generation keeps it');

select tests.as_user('operator');
select results_eq($$select generation from public.command_agents('restart', 'Content Collector')$$, $$values (3::bigint)$$,
                  'commands keep working after attempts to choose the generation');
select results_eq($$select generation from public.command_agents('stop', 'Content Collector')$$, $$values (4::bigint)$$,
                  'stop bumps by one');

select tests.as_service();
update public.agent_desired_state set generation = 10 where agent_id = tests.agent_id('Content Collector');
select tests.as_superuser();
select is((select generation from public.agent_desired_state where agent_id = tests.agent_id('Content Collector')), 10::bigint,
          'the service role still sets generations as it needs (repairs, imports)');

select * from finish();
rollback;
