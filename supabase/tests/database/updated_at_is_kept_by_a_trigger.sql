-- updated_at says when a row last changed, whoever changed it and whatever they wrote into it.
begin;
select plan(4);

update public.agent_status set updated_at = '2000-01-01' where agent_name = 'Content Collector';
select is((select updated_at from public.agent_status where agent_name = 'Content Collector'), now(),
          'agent_status: a value written into updated_at is replaced by the time of the change');

select tests.as_service();
select count(*) from public.agent_report('heartbeat', 'Blog Generator');
select tests.as_superuser();
select is((select updated_at from public.agent_status where agent_name = 'Blog Generator'), now(),
          'agent_status: a heartbeat moves updated_at');

update public.agent_desired_state set updated_at = '2000-01-01' where agent_id = tests.agent_id('Content Collector');
select is((select updated_at from public.agent_desired_state where agent_id = tests.agent_id('Content Collector')), now(),
          'agent_desired_state: a direct write cannot set updated_at either');

select tests.as_user('operator');
select count(*) from public.command_agents('start', 'Tweet Scheduler');
select tests.as_superuser();
select is((select updated_at from public.agent_desired_state where agent_id = tests.agent_id('Tweet Scheduler')), now(),
          'agent_desired_state: a command moves updated_at');

select * from finish();
rollback;
