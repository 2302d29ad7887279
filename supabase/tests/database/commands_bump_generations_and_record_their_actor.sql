-- command_agents: start on a running agent changes nothing but is still recorded; restart always
-- bumps the generation; start-all / stop-all is one statement over every agent; every accepted
-- command writes a command event naming its actor, and that actor cannot be forged.
begin;
select no_plan();

create function pg_temp.desired(agent text) returns text
language sql stable security definer as $$
  select d.desired_state || ' gen ' || d.generation
    from public.agent_desired_state d where d.agent_id = tests.agent_id(agent)
$$;
grant execute on function pg_temp.desired(text) to authenticated, service_role;

select tests.as_user('operator');

select results_eq($$select agent_name, desired_state::text, generation from public.command_agents('start', 'Content Collector')$$,
                  $$values ('Content Collector', 'running', 1::bigint)$$, 'start: stopped → running bumps the generation');
select results_eq($$select generation from public.command_agents('start', 'Content Collector')$$,
                  $$values (1::bigint)$$, 'start on a running agent does not bump');
select results_eq($$select generation from public.command_agents('restart', 'Content Collector')$$,
                  $$values (2::bigint)$$, 'restart bumps');
select results_eq($$select generation from public.command_agents('restart', 'Content Collector')$$,
                  $$values (3::bigint)$$, 'restart bumps every time');
select results_eq($$select desired_state::text, generation from public.command_agents('stop', 'Content Collector')$$,
                  $$values ('stopped', 4::bigint)$$, 'stop: running → stopped bumps');
select results_eq($$select generation from public.command_agents('stop', 'Content Collector')$$,
                  $$values (4::bigint)$$, 'stop on a stopped agent does not bump');
select results_eq($$select desired_state::text, generation from public.command_agents('restart', 'Blog Generator')$$,
                  $$values ('running', 1::bigint)$$, 'restart of a stopped agent starts it');

select tests.as_superuser();
select results_eq(
  $$select command::text, generation, message, actor_id, actor_email from public.agent_events
     where agent_id = tests.agent_id('Content Collector') and kind = 'command' order by id$$,
  $$values ('start', 1::bigint, null::text, tests.user_id('operator'), 'operator@example.test'),
           ('start', 1, 'already running', tests.user_id('operator'), 'operator@example.test'),
           ('restart', 2, null, tests.user_id('operator'), 'operator@example.test'),
           ('restart', 3, null, tests.user_id('operator'), 'operator@example.test'),
           ('stop', 4, null, tests.user_id('operator'), 'operator@example.test'),
           ('stop', 4, 'already stopped', tests.user_id('operator'), 'operator@example.test')$$,
  'every command, including a no-op, is one command event with its actor');
select results_eq(
  $$select requested_by, requested_by_email, last_command::text from public.agent_desired_state
     where agent_id = tests.agent_id('Content Collector')$$,
  $$values (tests.user_id('operator'), 'operator@example.test', 'stop')$$,
  'the desired state remembers who asked for what');

-- start-all: one UPDATE statement over all agents, observed by a statement-level trigger.
create temporary table desired_state_statements (rows_changed integer);
grant insert on desired_state_statements to authenticated;
create function pg_temp.count_statement() returns trigger language plpgsql as $$
begin
  insert into desired_state_statements select count(*) from changed;
  return null;
end $$;
create trigger count_statements after update on public.agent_desired_state
  referencing new table as changed for each statement execute function pg_temp.count_statement();

select max(id) as before_start_all from public.agent_events \gset
select tests.as_user('operator');
select results_eq($$select agent_name, desired_state::text, generation from public.command_agents('start') order by agent_name$$,
  $$values ('Account Manager', 'running', 1::bigint), ('Blog Generator', 'running', 1),
           ('Content Collector', 'running', 5), ('Engagement Analyzer', 'running', 1),
           ('Example Agent', 'running', 1), ('Tweet Scheduler', 'running', 1)$$,
  'start-all starts every agent; Blog Generator, already running, keeps its generation');
select tests.as_superuser();
select results_eq('select rows_changed from desired_state_statements', 'values (6)',
                  'start-all is a single statement over all six agents');
select results_eq(format($$select count(distinct agent_id), count(*), count(*) filter (where message = 'already running')
                            from public.agent_events where kind = 'command' and command = 'start' and id > %s$$, :before_start_all),
                  $$values (6::bigint, 6::bigint, 1::bigint)$$,
                  'start-all records one command event per agent, noting the one already running');
drop trigger count_statements on public.agent_desired_state;

select tests.as_user('operator');
select results_eq($$select count(*) from public.command_agents('stop')$$, $$values (6::bigint)$$, 'stop-all answers every agent');
select is(pg_temp.desired('Tweet Scheduler'), 'stopped gen 2', 'stop-all stopped the agents');

-- The service role commands too; it is recorded as such.
select tests.as_service();
select results_eq($$select generation from public.command_agents('restart', 'Tweet Scheduler')$$, $$values (3::bigint)$$,
                  'the service role can command');
select tests.as_superuser();
select results_eq($$select actor_id, actor_email from public.agent_events where kind = 'command'
                     and agent_id = tests.agent_id('Tweet Scheduler') order by id desc limit 1$$,
                  $$values (null::uuid, 'service_role')$$, 'a service-role command names the service role as actor');

-- An operator may write agent_desired_state directly (command_agents runs as the caller), but
-- cannot put someone else's name on it, and a change of desired state always bumps the generation.
select tests.as_user('operator');
update public.agent_desired_state
   set requested_by = tests.user_id('viewer'), requested_by_email = 'ceo@example.test', requested_at = now(),
       desired_state = 'running', last_command = 'start'
 where agent_id = tests.agent_id('Account Manager');
select tests.as_superuser();
select results_eq($$select actor_id, actor_email, generation from public.agent_events where kind = 'command'
                     and agent_id = tests.agent_id('Account Manager') order by id desc limit 1$$,
                  $$values (tests.user_id('operator'), 'operator@example.test', 3::bigint)$$,
                  'a direct write is recorded under the real caller, with a new generation');
select is(pg_temp.desired('Account Manager'), 'running gen 3', 'the direct write bumped the generation');

select * from finish();
rollback;
