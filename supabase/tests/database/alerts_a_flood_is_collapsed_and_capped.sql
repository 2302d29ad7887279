-- One agent cannot flood the receivers (the round-three review: 200 error reports in 9 s became 600
-- deliveries). Per channel and agent: a repeat of an event delivered within app.alert_flood_window()
-- is suppressed as 'repeat'; beyond app.alert_flood_cap() deliveries in that window the rest are
-- suppressed as 'flood'. Once the window has passed without a delivery, release_suppressed_alerts()
-- sends the newest suppressed one, with the number of the others ("N more suppressed").
begin;
select no_plan();

update public.alert_settings set allow_private_urls = true;
insert into public.alert_channels (name, kind, url, events) values
  ('hook', 'webhook', 'https://a.example.com/', app.alert_event_names()),
  ('chat', 'slack', 'https://b.example.com/', app.alert_event_names());

-- An error report as agent_report records it, at the clock's time (now() does not move in a test).
create function pg_temp.report_error(agent text, message text) returns void language sql as $$
  update public.agent_status set status = 'error', health = 30, last_error = message, last_error_at = clock_timestamp()
   where agent_name = agent
$$;

create function pg_temp.deliveries(channel text, agent text) returns text[] language sql as $$
  select coalesce(array_agg(d.event || ':' || d.status || coalesce(':' || d.suppressed_because, '') order by d.event_id), '{}')
    from public.alert_deliveries d join public.alert_channels c on c.id = d.channel_id
   where c.name = channel and d.agent_name = agent
$$;

create function pg_temp.counts(channel text, agent text) returns text language sql as $$
  select string_agg(format('%s %s', n, k), ', ' order by k)
    from (select d.status || coalesce(' ' || d.suppressed_because, '') as k, count(*) as n
            from public.alert_deliveries d join public.alert_channels c on c.id = d.channel_id
           where c.name = channel and d.agent_name = agent group by 1) x
$$;

-- The review's probe: 200 error reports from one agent.
select pg_temp.report_error('Content Collector', 'boom ' || i) from generate_series(1, 200) as i;
select is((select count(*)::integer from public.agent_events where agent_id = tests.agent_id('Content Collector') and kind = 'error'),
          200, '200 error events are recorded (the history keeps them all)');
select is(pg_temp.counts('hook', 'Content Collector'), '1 pending, 199 suppressed repeat', 'the webhook gets one delivery, 199 repeats suppressed');
select is(pg_temp.counts('chat', 'Content Collector'), '1 pending, 199 suppressed repeat', 'so does the chat channel');

-- Different events, one after another: five deliveries a window, the rest suppressed as a flood.
select tests.as_service();
select public.command_agents('start', 'Blog Generator');
select * from public.agent_report('started', 'Blog Generator');
select * from public.agent_report('warning', 'Blog Generator', p_message => 'slow');
select * from public.agent_report('error', 'Blog Generator', p_message => 'boom');
select * from public.agent_report('recovered', 'Blog Generator');
select tests.as_superuser();
update public.agent_status set last_heartbeat = now() - interval '1 hour' where agent_name = 'Blog Generator';
select public.sweep_offline_agents();
select tests.as_service();
select * from public.agent_report('heartbeat', 'Blog Generator');
select * from public.agent_report('stopped', 'Blog Generator');
select tests.as_superuser();
select is(pg_temp.deliveries('hook', 'Blog Generator'),
          '{command:pending,warning:pending,error:pending,recovered:pending,offline:pending,online:suppressed:flood,stopped_unexpectedly:suppressed:flood}',
          'five different events are delivered, the sixth and seventh within the window are a flood');

-- Nothing is released while the window lasts.
select is(public.release_suppressed_alerts(), 0, 'nothing is released within the window');

-- The window passes (everything moves back in time).
update public.alert_deliveries set created_at = created_at - interval '2 minutes';
select is(public.release_suppressed_alerts(), 4, 'then the newest suppressed delivery of each channel and agent is released');
select is(public.release_suppressed_alerts(), 0, 'once');
select is(pg_temp.counts('hook', 'Content Collector'), '2 pending, 198 suppressed summarized',
          'the newest error is pending again, the 198 others are summarized in it');
select is((select array_agg(d.status::text || '/' || d.stands_for order by d.created_at)
             from public.alert_deliveries d join public.alert_channels c on c.id = d.channel_id
            where c.name = 'hook' and d.agent_name = 'Content Collector' and d.status = 'pending'),
          '{pending/0,pending/198}', 'the first error, and the newest standing for 198 suppressed ones');
select is((select d.event || '/' || d.stands_for from public.alert_deliveries d join public.alert_channels c on c.id = d.channel_id
            where c.name = 'hook' and d.agent_name = 'Blog Generator' and d.stands_for > 0),
          'stopped_unexpectedly/1', 'the flood''s newest event is released, standing for the other one');

-- The dispatcher's message says what was suppressed.
select tests.as_service();
select is((select c.message from public.claim_alert_deliveries(1000, 60) c
            where c.channel_name = 'hook' and c.agent_name = 'Content Collector' and c.message like 'boom 200%'),
          'boom 200 (198 more suppressed)', 'the released delivery carries "N more suppressed"');
select tests.as_superuser();

-- A muted agent's suppressed alerts are not released; reminders and mutes are untouched.
delete from public.alert_deliveries;
select public.mute_agent('Content Collector', now() + interval '1 hour');
select pg_temp.report_error('Content Collector', 'muted ' || i) from generate_series(1, 3) as i;
select is(pg_temp.counts('hook', 'Content Collector'), '3 suppressed muted', 'muted alerts are suppressed as muted');
update public.alert_deliveries set created_at = created_at - interval '2 minutes';
select is(public.release_suppressed_alerts(), 0, 'and never released');

-- A command repeats only the same command: a stop right after a start is news (a schedule's window
-- closing, an operator changing their mind), a second start is a repeat.
delete from public.alert_deliveries;
select tests.as_service();
select public.command_agents('start', 'Tweet Scheduler');
select public.command_agents('stop', 'Tweet Scheduler');
select public.command_agents('start', 'Tweet Scheduler');
select tests.as_superuser();
select is(pg_temp.deliveries('hook', 'Tweet Scheduler'), '{command:pending,command:pending,command:suppressed:repeat}',
          'a start and a stop are both delivered; the second start within the window is a repeat');

select * from finish();
rollback;
