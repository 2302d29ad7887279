-- Event messages say how long, never at what time: the event's created_at is its time, which every reader
-- shows in its own format. app.describe_duration words a span for them.
begin;
select plan(8);

select is(app.describe_duration(interval '0 s'), '0 s', 'nothing');
select is(app.describe_duration(interval '42.9 s'), '42 s', 'seconds, whole');
select is(app.describe_duration(interval '3 min 5 s'), '3 min 5 s', 'minutes and seconds');
select is(app.describe_duration(interval '12 min'), '12 min', 'whole minutes');
select is(app.describe_duration(interval '2 h 4 min 30 s'), '2 h 4 min', 'hours and minutes');
select is(app.describe_duration(interval '3 days 2 hours 5 min'), '3 d 2 h', 'days and hours');
select is(app.describe_duration(interval '-5 s'), '0 s', 'a clock that went back is no negative span');

-- An agent that never reported and is marked offline by hand (the sweep only marks agents it heard from).
select tests.as_superuser();
update public.agent_status set offline = true, last_heartbeat = null where agent_name = 'Example Agent';
select is((select message from public.agent_events where kind = 'offline' and agent_id = tests.agent_id('Example Agent')),
          'no heartbeat received yet', 'an agent never heard from says so');

select * from finish();
rollback;
