-- The outbox: agent events become deliveries in the same transaction, one per matching enabled
-- channel × event, mapped to the alert event names; muted agents' are suppressed; chat channels wait
-- the grouping window; reminders are idempotent.
begin;
select no_plan();

update public.alert_settings set allow_private_urls = true;
insert into public.alert_channels (name, kind, url, events) values
  ('all events', 'webhook', 'https://a.example.com/', app.alert_event_names()),
  ('defaults', 'slack', 'https://b.example.com/', app.alert_default_events());
insert into public.alert_channels (name, kind, url, events, enabled) values ('disabled', 'webhook', 'https://c.example.com/', app.alert_event_names(), false);
insert into public.alert_channels (name, kind, url, events, agent_names) values ('blog only', 'discord', 'https://d.example.com/', app.alert_event_names(), '{Blog Generator}');

-- An error report (as agent_report records it) at the clock's time: inside one test transaction
-- now() does not move, and a second report at the same time is no transition.
create function pg_temp.report_error(agent text, message text) returns void language sql as $$
  update public.agent_status set status = 'error', health = 30, last_error = message, last_error_at = clock_timestamp()
   where agent_name = agent
$$;

create function pg_temp.alerts(channel text) returns text[] language sql as $$
  select coalesce(array_agg(d.event || ':' || d.status order by d.event_id, d.repeat_number), '{}')
    from public.alert_deliveries d join public.alert_channels c on c.id = d.channel_id where c.name = channel
$$;

select tests.as_service();
select public.command_agents('start', 'Content Collector');
select * from public.agent_report('started', 'Content Collector');
select * from public.agent_report('warning', 'Content Collector', p_message => 'slow');
select * from public.agent_report('error', 'Content Collector', p_message => 'boom');
select * from public.agent_report('recovered', 'Content Collector');
select * from public.agent_report('heartbeat', 'Content Collector');
select * from public.agent_report('stopped', 'Content Collector');
select tests.as_superuser();

select is(pg_temp.alerts('all events'),
          '{command:pending,warning:pending,error:pending,recovered:pending,stopped_unexpectedly:pending}',
          'every alert event of the history, in order; heartbeats and starts alert nobody');
select is(pg_temp.alerts('defaults'), '{error:pending,stopped_unexpectedly:pending}', 'a channel gets only its events');
select is(pg_temp.alerts('disabled'), '{}', 'a disabled channel gets nothing');
select is(pg_temp.alerts('blog only'), '{}', 'agent_names filters agents');
select ok((select bool_and(d.next_attempt_at >= d.created_at + app.alert_group_window())
             from public.alert_deliveries d join public.alert_channels c on c.id = d.channel_id where c.kind <> 'webhook'),
          'chat deliveries wait the grouping window');
select ok((select bool_and(d.next_attempt_at <= now())
             from public.alert_deliveries d join public.alert_channels c on c.id = d.channel_id where c.kind = 'webhook'),
          'webhook deliveries are due at once');

-- a stop that was asked for is not unexpected
delete from public.alert_deliveries;
select tests.as_service();
select * from public.agent_report('started', 'Content Collector');
select public.command_agents('stop', 'Content Collector');
select * from public.agent_report('stopped', 'Content Collector', p_observed_generation => 3);
select tests.as_superuser();
select is(pg_temp.alerts('all events'), '{command:pending}', 'a stop after a stop command alerts only the command');

-- offline and online, from the sweep
delete from public.alert_deliveries;
select tests.as_service();
select * from public.agent_report('started', 'Blog Generator');
select tests.as_superuser();
update public.agent_status set last_heartbeat = now() - interval '1 hour' where agent_name = 'Blog Generator';
select public.sweep_offline_agents();
select tests.as_service();
select * from public.agent_report('heartbeat', 'Blog Generator');
select tests.as_superuser();
select is(pg_temp.alerts('blog only'), '{offline:pending,online:pending}', 'offline, then online');

-- muted: suppressed
delete from public.alert_deliveries;
select public.mute_agent('Blog Generator', now() + interval '1 hour');
select tests.as_service();
select * from public.agent_report('error', 'Blog Generator', p_message => 'muted boom');
select tests.as_superuser();
select is(pg_temp.alerts('blog only'), '{error:suppressed}', 'a muted agent''s alerts are suppressed');
select is((select count(*)::integer from public.alert_deliveries where status = 'pending'), 0, 'nothing of a muted agent is pending');

-- the outbox rolls back with the event
delete from public.alert_deliveries;
savepoint before_event;
select public.mute_agent('Blog Generator', null);
select pg_temp.report_error('Blog Generator', 'rolled back');
select is((select count(*)::integer from public.alert_deliveries), 3, 'the event queued its deliveries (three channels take errors)');
rollback to savepoint before_event;
select is((select count(*)::integer from public.alert_deliveries), 0, 'rolled back with the event');

-- reminders while in error, idempotent per interval
delete from public.alert_deliveries;
update public.alert_channels set repeat_every_minutes = 5 where name = 'blog only';
select public.mute_agent('Blog Generator', null);
select pg_temp.report_error('Blog Generator', 'still broken');
select is(public.queue_repeat_alerts(), 0, 'no reminder before the interval');
-- 11 minutes pass (the agent's history moves back in time)
update public.agent_events set created_at = created_at - interval '11 minutes' where agent_id = tests.agent_id('Blog Generator');
select is(public.queue_repeat_alerts(), 1, 'one reminder once intervals have passed');
select is(public.queue_repeat_alerts(), 0, 'a second run in the same interval adds nothing');
select is((select repeat_number from public.alert_deliveries where repeat_number > 0), 2,
          'the reminder is numbered by whole intervals since the event (missed runs add no burst)');
select public.mute_agent('Blog Generator', now() + interval '1 hour');
update public.agent_events set created_at = created_at - interval '5 minutes' where agent_id = tests.agent_id('Blog Generator');
select is(public.queue_repeat_alerts(), 0, 'no reminders while muted');

select * from finish();
rollback;
