-- A scheduled stop is a stop that was asked for: the worker carries it out and reports stopped, and the
-- outbox queues the `command` alert (for channels that want commands) but no `stopped_unexpectedly`. The
-- same report without the schedule's command is unexpected (the control that shows this test can fail).
begin;
select no_plan();

update public.alert_settings set allow_private_urls = true;
insert into public.alert_channels (name, kind, url, events) values ('everything', 'webhook', 'https://hooks.example.com/', app.alert_event_names());
create function pg_temp.alerts() returns text[] language sql as $$
  select coalesce(array_agg(d.event || ' ' || d.agent_name order by d.event_id), '{}') from public.alert_deliveries d
$$;
create function pg_temp.generation(agent text) returns bigint language sql stable security definer as $$
  select generation from public.agent_desired_state where agent_id = tests.agent_id(agent) $$;
grant execute on function pg_temp.generation(text) to anon, authenticated;

insert into public.agent_schedules (name, agent_id, days, start_time, end_time, time_zone, last_boundary_at)
values ('collector-days', tests.agent_id('Content Collector'), '{1,2,3,4,5,6,7}', '08:00', '20:00', 'UTC', '2027-06-06 20:00+00');
select tests.give_token('Content Collector', 'collector-token');
select tests.give_token('Blog Generator', 'blog-token');

-- The window opens: the schedule starts the worker, which reports started with the generation.
select is(public.run_agent_schedules('2027-06-07 08:00+00'), 1, 'the window opens');
select tests.as_anon();
select * from public.agent_report('started', p_token => 'collector-token', p_observed_generation => pg_temp.generation('Content Collector'));
select tests.as_superuser();
select is(pg_temp.alerts(), '{"command Content Collector"}', 'a scheduled start alerts only as a command');

-- The window closes: the schedule stops it, the worker obeys.
delete from public.alert_deliveries;
select is(public.run_agent_schedules('2027-06-07 20:00+00'), 1, 'the window closes');
select tests.as_anon();
select * from public.agent_report('stopped', p_token => 'collector-token', p_observed_generation => pg_temp.generation('Content Collector'));
select tests.as_superuser();
select results_eq($$select status::text, observed_generation from public.agent_status where agent_name = 'Content Collector'$$,
                  $$select 'stopped', pg_temp.generation('Content Collector')$$, 'the worker stopped and acknowledged the schedule''s generation');
select is(pg_temp.alerts(), '{"command Content Collector"}', 'a scheduled stop alerts only as a command: not stopped unexpectedly');
select is((select count(*)::integer from public.alert_deliveries where event = 'stopped_unexpectedly'), 0, 'no stopped_unexpectedly delivery');

-- Control: a worker that stops while its desired state is running is unexpected.
delete from public.alert_deliveries;
select tests.as_user('operator');
select * from public.command_agents('start', 'Blog Generator');
select tests.as_anon();
select * from public.agent_report('started', p_token => 'blog-token', p_observed_generation => pg_temp.generation('Blog Generator'));
select * from public.agent_report('stopped', p_token => 'blog-token', p_observed_generation => pg_temp.generation('Blog Generator'));
select tests.as_superuser();
select is(pg_temp.alerts(), '{"command Blog Generator","stopped_unexpectedly Blog Generator"}',
          'control: the same stop report without a stop command is stopped unexpectedly');

select * from finish();
rollback;
