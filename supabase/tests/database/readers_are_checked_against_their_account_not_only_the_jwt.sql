-- the role in a session JWT is a copy made at sign-in and stays valid for up to an hour. Reads check the
-- account in auth.users too (app.can_read), like every operator check: a viewer or operator whose role
-- is removed, who is banned or deleted reads nothing from the next request on — the fleet, its history,
-- its desired states (fleet_overview() and fleet_overview_compact() too) and schedules, the alert channels' summaries, custom metrics, and the fleet's Realtime channels —
-- with the same JWT still in hand. A demoted operator reads on, as the viewer they now are.
begin;
select no_plan();

create function pg_temp.reads() returns text language sql as $$
  select format('agents=%s overview=%s fleet=%s compact=%s desired=%s events=%s schedules=%s channels=%s metrics=%s points=%s',
    (select count(*) from public.agent_status), (select count(*) from public.agent_overview),
    json_array_length(public.fleet_overview()), json_array_length(public.fleet_overview_compact() -> 'rows'),
    (select count(*) from public.agent_desired_state),
    (select count(*) from public.agent_events), (select count(*) from public.agent_schedules),
    (select count(*) from public.alert_channel_summaries()), (select count(*) from public.agent_metrics),
    (select count(*) from public.agent_metric_points))
$$;
create function pg_temp.fleet_channel_readable() returns boolean language plpgsql as $$
begin
  perform set_config('realtime.topic', 'agent-dashboard', true);
  return exists (select 1 from realtime.messages m where m.topic = 'agent-dashboard');
end $$;
grant execute on function pg_temp.reads(), pg_temp.fleet_channel_readable() to authenticated;

-- Something in every table, as the superuser sees it.
insert into public.alert_channels (name, kind, url) values ('ops', 'webhook', 'https://hooks.example.com/x');
insert into public.agent_events (agent_id, kind, message) values (tests.agent_id('Content Collector'), 'warning', 'seen');
select tests.give_token('Content Collector', 'cc-secret');
select from public.agent_report('heartbeat', p_token => 'cc-secret', p_info => '{"metrics":{"gauges":{"queue_length":3}}}');
insert into public.agent_schedules (name, tag, days, start_time, end_time) values ('nightly', 'prod', '{1}', '08:00', '09:00');
insert into realtime.messages (topic, extension, private, event, payload)
values ('agent-dashboard', 'broadcast', true, 'probe', '{}');
create temp table everything (reads text);
grant select, insert on everything to authenticated;

select tests.as_user('viewer');
insert into everything select pg_temp.reads();
select ok((select reads from everything) !~ '=0( |$)', 'a viewer in good standing reads a row of each: ' || (select reads from everything));
select ok(pg_temp.fleet_channel_readable(), '... and joins the fleet''s Realtime channel');

select tests.as_superuser();
select tests.set_account_role('viewer', null);
select tests.as_user('viewer');
select is((select current_setting('request.jwt.claims')::jsonb #>> '{app_metadata,role}'), 'viewer', 'role removed: the JWT still says viewer');
select is(pg_temp.reads(), 'agents=0 overview=0 fleet=0 compact=0 desired=0 events=0 schedules=0 channels=0 metrics=0 points=0',
          'a viewer whose role was removed reads nothing at the next request');
select ok(not pg_temp.fleet_channel_readable(), '... and may not join the fleet''s Realtime channel');

select tests.as_superuser();
select tests.set_account_role('viewer', 'viewer');
select tests.ban_account('viewer');
select tests.as_user('viewer');
select is(pg_temp.reads(), 'agents=0 overview=0 fleet=0 compact=0 desired=0 events=0 schedules=0 channels=0 metrics=0 points=0', 'a banned viewer reads nothing');

select tests.as_superuser();
select tests.ban_account('viewer', now() - interval '1 minute');
select tests.as_user('viewer');
select is(pg_temp.reads(), (select reads from everything), 'once the ban is over the viewer reads again');

select tests.as_superuser();
delete from auth.users where id = tests.user_id('viewer');
select tests.as_user('viewer');
select is(pg_temp.reads(), 'agents=0 overview=0 fleet=0 compact=0 desired=0 events=0 schedules=0 channels=0 metrics=0 points=0', 'a deleted viewer reads nothing');

select tests.as_superuser();
select tests.set_account_role('operator', 'viewer');
select tests.as_user('operator');
select is(pg_temp.reads(), (select reads from everything), 'a demoted operator reads on, as a viewer');

select tests.as_superuser();
select tests.set_account_role('operator', null);
select tests.as_user('operator');
select is(pg_temp.reads(), 'agents=0 overview=0 fleet=0 compact=0 desired=0 events=0 schedules=0 channels=0 metrics=0 points=0',
          'an operator whose role was removed reads nothing');
select ok(not pg_temp.fleet_channel_readable(), '... and may not join the fleet''s Realtime channel');

select tests.as_superuser();
select * from finish();
rollback;
