-- two workers for one agent. Each worker run sends an instance id; the row records
-- the instance holding the agent (a lease). The newer instance wins; the displaced one is answered with
-- the holder's id (its cue to stand down), changes nothing, and the dashboard and the history say so.
begin;
select no_plan();

select tests.give_token('Tweet Scheduler', 'ts-secret');
create function pg_temp.agent() returns public.agent_status language sql security definer as $$
  select * from public.agent_status where agent_name = 'Tweet Scheduler'
$$;
create function pg_temp.duplicates() returns integer language sql security definer as $$
  select count(*)::integer from public.agent_events where agent_id = tests.agent_id('Tweet Scheduler') and kind = 'duplicate_instance'
$$;
create function pg_temp.last_duplicate() returns text language sql security definer as $$
  select message from public.agent_events where agent_id = tests.agent_id('Tweet Scheduler') and kind = 'duplicate_instance' order by id desc limit 1
$$;
create function pg_temp.report(kind public.agent_report_kind, info jsonb, health integer default null) returns text
language sql as $$ select instance_id from public.agent_report(kind, p_token => 'ts-secret', p_health => health, p_info => info) $$;
grant execute on function pg_temp.agent(), pg_temp.duplicates(), pg_temp.last_duplicate(),
  pg_temp.report(public.agent_report_kind, jsonb, integer) to anon;

select tests.as_anon();
select is(pg_temp.report('started', '{"instance_id":"aaaaaaaa-1","instance_new":true,"host":"host-a","pid":11}'), 'aaaaaaaa-1',
          'the first instance holds the agent, and its answer says so');
select is((pg_temp.agent()).instance_id, 'aaaaaaaa-1', '... as the row records');
select is(pg_temp.report('heartbeat', '{"instance_id":"aaaaaaaa-1","host":"host-a","pid":11}'), 'aaaaaaaa-1', 'the holder reports as usual');
select is(pg_temp.duplicates(), 0, 'one instance is no duplicate');

-- A second worker starts while the first is alive: the newer wins.
select is(pg_temp.report('started', '{"instance_id":"bbbbbbbb-2","instance_new":true,"host":"host-b","pid":22}'), 'bbbbbbbb-2',
          'a new instance takes the agent over from a live one');
select is(pg_temp.duplicates(), 1, '... and a duplicate_instance event is recorded');
select matches(pg_temp.last_duplicate(), 'instance bbbbbbbb on host-b \(pid 22\) replaces instance aaaaaaaa on host-a \(pid 11\)',
               '... naming both instances');
select is((pg_temp.agent()).host, 'host-b', 'the row shows the new instance');

-- The displaced instance reports again: it is told to stand down and changes nothing.
select is(pg_temp.report('heartbeat', '{"instance_id":"aaaaaaaa-1","host":"host-a","pid":11}', 10), 'bbbbbbbb-2',
          'the displaced instance is answered with the holder''s id: its cue to stand down');
select is(((pg_temp.agent()).host, (pg_temp.agent()).pid, (pg_temp.agent()).health), ('host-b'::text, 22, 100),
          '... its report changes neither host, pid nor health');
select is((pg_temp.agent()).duplicate_instance_seen_at, now(), '... but the row says a second worker was seen (the dashboard''s notice)');
select is(pg_temp.duplicates(), 2, 'a live second worker is an event');
select matches(pg_temp.last_duplicate(), 'instance aaaaaaaa on host-a \(pid 11\) was told to stand down; instance bbbbbbbb on host-b \(pid 22\) holds',
               '... that says who stands down');
select is(pg_temp.report('error', '{"instance_id":"aaaaaaaa-1"}'), 'bbbbbbbb-2', 'it stays refused the row however it reports');
select is((pg_temp.agent()).status, 'running', '... (its error changes no status)');
select is(pg_temp.duplicates(), 2, '... and the event is not repeated within the grace period');

-- Reports without an instance id (curl, scripts, older SDKs) are accepted and leave the lease alone.
select results_eq($$select instance_id from public.agent_report('heartbeat', p_token => 'ts-secret')$$, $$values ('bbbbbbbb-2'::text)$$,
                  'a report without an instance id is accepted');
select is((pg_temp.agent()).instance_id, 'bbbbbbbb-2', '... and leaves the holder as it was');

-- A clean exit releases the agent; the next run takes it without a duplicate event.
select is(pg_temp.report('stopped', '{"instance_id":"bbbbbbbb-2","instance_exiting":true}'), null, 'a clean exit releases the agent');
select is((pg_temp.agent()).status, 'stopped', '... after recording its stopped report');
select is(pg_temp.report('started', '{"instance_id":"cccccccc-3","instance_new":true,"host":"host-c","pid":33}'), 'cccccccc-3',
          'the next run takes the released agent');
select is(pg_temp.duplicates(), 2, '... which is no duplicate');

-- A holder silent past its grace has gone: an instance that is not new may take the agent back.
select tests.as_superuser();
update public.agent_status set last_heartbeat = now() - interval '1 hour' where agent_name = 'Tweet Scheduler';
select tests.as_anon();
select is(pg_temp.report('heartbeat', '{"instance_id":"aaaaaaaa-1","host":"host-a","pid":11}'), 'aaaaaaaa-1',
          'an instance takes over from a holder silent past its grace');
select is(pg_temp.duplicates(), 2, '... without a duplicate event (the holder is gone)');

-- A new instance replacing a holder that went silent long ago is no duplicate either.
select tests.as_superuser();
update public.agent_status set last_heartbeat = now() - interval '1 hour' where agent_name = 'Tweet Scheduler';
select tests.as_anon();
select is(pg_temp.report('started', '{"instance_id":"dddddddd-4","instance_new":true}'), 'dddddddd-4', 'a restart after a crash takes the agent');
select is(pg_temp.duplicates(), 2, '... and records no duplicate');

-- Refusals are unchanged by instance ids.
select throws_ok($$select * from public.agent_report('heartbeat', p_token => 'forged', p_info => '{"instance_id":"eeeeeeee-5","instance_new":true}')$$,
                 'PT401', 'invalid or revoked agent token', 'a bad token is refused, instance id or not');
select throws_ok($$select * from public.agent_report('heartbeat', p_token => 'ts-secret', p_health => 101, p_info => '{"instance_id":"aaaaaaaa-1"}')$$,
                 '22023', null, 'so is a health out of range from a displaced instance');
select throws_ok($$select * from public.agent_report('heartbeat', p_agent_name => 'Blog Generator', p_token => 'ts-secret', p_info => '{"instance_id":"aaaaaaaa-1"}')$$,
                 'PT403', null, 'and a token of another agent');

select * from finish();
rollback;
