-- Push wake-up: every change of an agent's generation broadcasts one `desired_state` message on
-- the topic `agent-wakeup:<agent id>`, and a command that changes nothing broadcasts none. Both
-- statement-level triggers (wake-ups and command events) must stay right for a start-all that
-- follows single-agent commands in the same session, where a plan kept from a one-row statement
-- would be used for six rows (migration 20261124000300).
begin;
select no_plan();

-- Record what the trigger sends instead of sending it (undone by the rollback).
create temporary table sent (payload jsonb, event text, topic text, private boolean);
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void language sql as $$ insert into pg_temp.sent values (payload, event, topic, private) $$;

select tests.as_user('operator');
select count(*) from public.command_agents('start', 'Content Collector');
do $$ begin for i in 1..6 loop perform public.command_agents('restart', 'Content Collector'); end loop; end $$;
select count(*) from public.command_agents('start', 'Content Collector');
select tests.as_superuser();

select results_eq(
  $$select topic, event, payload ->> 'desired_state', (payload ->> 'generation')::int, private from sent order by (payload ->> 'generation')::int$$,
  format($$select 'agent-wakeup:' || %L, 'desired_state', 'running', g, true from generate_series(1, 7) g$$, tests.agent_id('Content Collector')),
  'a start and six restarts are seven wake-ups, each with its generation, on the private topic; a start on a running agent is none');

delete from sent;
select max(id) as before_start_all from public.agent_events \gset
select tests.as_user('operator');
select count(*) from public.command_agents('start');
select tests.as_superuser();

select results_eq(
  $$select s.agent_name, (w.payload ->> 'generation')::bigint, d.generation
      from sent w
      join public.agent_status s on w.topic = 'agent-wakeup:' || s.id
      join public.agent_desired_state d on d.agent_id = s.id
     order by s.agent_name$$,
  $$select s.agent_name, 1::bigint, 1::bigint from public.agent_status s
     where s.agent_name <> 'Content Collector' order by s.agent_name$$,
  'start-all after single-agent commands wakes each agent it started once, with its new generation, and not the one already running');
select results_eq(
  format($$select count(*), count(distinct agent_id) from public.agent_events where kind = 'command' and id > %s$$, :before_start_all),
  $$values (6::bigint, 6::bigint)$$,
  'the same start-all records one command event for each of the six agents');

delete from sent;
select tests.as_user('operator');
select count(*) from public.command_agents('stop');
select tests.as_superuser();
select results_eq('select count(*), count(distinct topic) from sent', 'values (6::bigint, 6::bigint)',
                  'stop-all wakes all six agents, once each');

select * from finish();
rollback;
