-- wake-ups travel on private channels. Realtime Authorization (RLS on realtime.messages, the
-- topic in realtime.topic()) lets workers (anon with their agent token, or the service role) read the
-- wake-up topics and nothing else, and lets no client broadcast on any topic: only the database sends.
-- Realtime probes the policies like this: a message row for the topic, read back or written as the caller.
begin;
select no_plan();

create function pg_temp.probe(topic text) returns uuid language sql as $$
  insert into realtime.messages (topic, extension, private, event, payload)
  values (topic, 'broadcast', true, 'probe', '{}') returning id
$$;
create temporary table probes (name text primary key, id uuid);
grant select on probes to anon, authenticated, service_role;
insert into probes values
  ('wake-up', pg_temp.probe('agent-wakeup:' || tests.agent_id('Content Collector'))),
  ('dashboard', pg_temp.probe('agent-dashboard'));

create function pg_temp.readable(probe text, topic text) returns boolean language plpgsql as $$
begin
  perform set_config('realtime.topic', topic, true);
  return exists (select 1 from realtime.messages m join probes p on p.id = m.id where p.name = probe);
end $$;
create function pg_temp.may_broadcast(topic text) returns boolean language plpgsql as $$
begin
  perform set_config('realtime.topic', topic, true);
  insert into realtime.messages (topic, extension, private, event, payload) values (topic, 'broadcast', true, 'forged', '{}');
  return true;
exception when insufficient_privilege then
  return false;
end $$;

select tests.as_anon();
select ok(pg_temp.readable('wake-up', 'agent-wakeup:' || tests.agent_id('Content Collector')), 'anon (a worker) may join its wake-up topic');
select ok(not pg_temp.readable('dashboard', 'agent-dashboard'), 'anon may join no other private topic');
select ok(not pg_temp.may_broadcast('agent-wakeup:' || tests.agent_id('Content Collector')), 'anon may not broadcast a wake-up');
select ok(not pg_temp.may_broadcast('agent-dashboard'), 'anon may not broadcast to the dashboards');

select tests.as_user('operator');
select ok(not pg_temp.may_broadcast('agent-wakeup:' || tests.agent_id('Content Collector')), 'an operator may not broadcast a wake-up');
select ok(not pg_temp.may_broadcast('agent-dashboard'), 'an operator may not broadcast to the dashboards');
select tests.as_user('viewer');
select ok(not pg_temp.may_broadcast('agent-dashboard'), 'a viewer may not broadcast to the dashboards');

select tests.as_service();
select ok(pg_temp.readable('wake-up', 'agent-wakeup:' || tests.agent_id('Content Collector')), 'the service role (a trusted worker) reads wake-ups');

select tests.as_superuser();
select * from finish();
rollback;
