-- The dashboard's and the CLI's Realtime channels are private (Realtime Authorization): signed-in
-- viewers and operators may join `agent-dashboard` and `agent-status-cli-<agent id | fleet>`; anon, a
-- user without a role, and every other topic may not; nobody broadcasts on them (no INSERT policy).
-- Realtime probes the policies like this: a message row for the topic, read back as the caller.
begin;
select no_plan();

create function pg_temp.probe(topic text) returns uuid language sql as $$
  insert into realtime.messages (topic, extension, private, event, payload)
  values (topic, 'broadcast', true, 'probe', '{}') returning id
$$;
create temporary table probes (topic text primary key, id uuid);
grant select on probes to anon, authenticated, service_role;
insert into probes
select t, pg_temp.probe(t)
  from unnest(array['agent-dashboard', 'agent-status-cli-fleet', 'agent-status-cli-' || tests.agent_id('Content Collector'),
                    'agent-dashboard-other', 'other-topic']) as t;

create function pg_temp.readable(probe_topic text) returns boolean language plpgsql as $$
begin
  perform set_config('realtime.topic', probe_topic, true);
  return exists (select 1 from realtime.messages m join probes p on p.id = m.id where p.topic = probe_topic);
end $$;
create function pg_temp.may_broadcast(topic text) returns boolean language plpgsql as $$
begin
  perform set_config('realtime.topic', topic, true);
  insert into realtime.messages (topic, extension, private, event, payload) values (topic, 'broadcast', true, 'forged', '{}');
  return true;
exception when insufficient_privilege then
  return false;
end $$;

select tests.as_user('viewer');
select ok(pg_temp.readable('agent-dashboard'), 'a viewer joins the dashboard''s channel');
select ok(pg_temp.readable('agent-status-cli-fleet'), 'a viewer joins the CLI''s fleet channel');
select ok(pg_temp.readable('agent-status-cli-' || tests.agent_id('Content Collector')), 'and an agent''s CLI channel');
select ok(not pg_temp.readable('agent-dashboard-other'), 'a viewer joins no look-alike topic');
select ok(not pg_temp.readable('other-topic'), 'nor any other private topic');
select ok(not pg_temp.may_broadcast('agent-dashboard'), 'a viewer may not broadcast to the dashboards');

select tests.as_user('operator');
select ok(pg_temp.readable('agent-dashboard'), 'an operator joins the dashboard''s channel');
select ok(not pg_temp.may_broadcast('agent-dashboard'), 'an operator may not broadcast to the dashboards');
select ok(not pg_temp.may_broadcast('agent-status-cli-fleet'), 'nor to the CLI''s');

select tests.as_user(null);
select ok(not pg_temp.readable('agent-dashboard'), 'a user without a role may not join the dashboard''s channel');

select tests.as_anon();
select ok(not pg_temp.readable('agent-dashboard'), 'anon may not join the dashboard''s channel');
select ok(not pg_temp.readable('agent-status-cli-fleet'), 'nor the CLI''s');
select ok(not pg_temp.may_broadcast('agent-dashboard'), 'nor broadcast to it');

select tests.as_superuser();
select * from finish();
rollback;
