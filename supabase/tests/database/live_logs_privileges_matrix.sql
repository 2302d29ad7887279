-- Live logs × roles × operations (docs/security.md, docs/logs.md): signed-in viewers and operators may
-- watch an agent's log and read its private topic agent-logs:<id>; only the agent (its token, or the
-- service role naming it) sends on it, through publish_agent_logs, and only on its own topic; anon, users
-- without a role and another agent's token may neither read nor send; no client broadcasts on a log topic;
-- nobody but the service role touches agent_log_watches directly.
begin;
select no_plan();

select tests.give_token('Content Collector', 'cc-secret');
select tests.give_token('Blog Generator', 'bg-secret');

-- Record what is broadcast instead of sending it (undone by the rollback).
create temporary table sent (payload jsonb, event text, topic text, private boolean);
grant select, insert, delete on sent to anon, authenticated, service_role;
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void language sql as $$ insert into pg_temp.sent values (payload, event, topic, private) $$;

create function pg_temp.cc_topic() returns text language sql as $$ select 'agent-logs:' || tests.agent_id('Content Collector') $$;
create function pg_temp.bg_topic() returns text language sql as $$ select 'agent-logs:' || tests.agent_id('Blog Generator') $$;
create function pg_temp.sent_on(topic text) returns integer language sql as $$ select count(*)::integer from pg_temp.sent s where s.topic = $1 $$;

-- Realtime Authorization probes: a message row for the topic, read back (join) or written (broadcast) as the caller.
create temporary table probes (name text primary key, id uuid);
grant select on probes to anon, authenticated, service_role;
with m as (insert into realtime.messages (topic, extension, private, event, payload)
           values (pg_temp.cc_topic(), 'broadcast', true, 'probe', '{}') returning id)
insert into probes select 'cc', id from m;
create function pg_temp.may_join(topic text) returns boolean language plpgsql as $$
begin
  perform set_config('realtime.topic', topic, true);
  return exists (select 1 from realtime.messages m join probes p on p.id = m.id where p.name = 'cc');
end $$;
create function pg_temp.may_broadcast(topic text) returns boolean language plpgsql as $$
begin
  perform set_config('realtime.topic', topic, true);
  insert into realtime.messages (topic, extension, private, event, payload) values (topic, 'broadcast', true, 'lines', '{"lines":[]}');
  return true;
exception when insufficient_privilege then
  return false;
end $$;

-- The direct statements on agent_log_watches.
create temporary table watch_matrix (operation text, statement text);
grant select on watch_matrix to anon, authenticated, service_role;
insert into watch_matrix values
  ('select', 'select count(*) from public.agent_log_watches'),
  ('insert', $$insert into public.agent_log_watches (agent_id, watched_until) values (tests.agent_id('Blog Generator'), now() + interval '1 hour')$$),
  ('update', $$update public.agent_log_watches set watched_until = now() + interval '1 day'$$),
  ('delete', 'delete from public.agent_log_watches');

create function pg_temp.batch() returns jsonb language sql as $$ select '{"lines":[{"seq":1,"at":"2026-12-06T10:00:00Z","level":"info","text":"hello"}]}'::jsonb $$;

-- ── anon (the publishable key alone; also how a worker calls with its token) ─────────────────────────
select tests.as_anon();
select throws_ok($$select * from public.watch_agent_logs(tests.agent_id('Content Collector'))$$, '42501', null,
                 'anon: watch_agent_logs is denied');
select ok(not pg_temp.may_join(pg_temp.cc_topic()), 'anon (a worker too) may not join a log topic');
select ok(not pg_temp.may_broadcast(pg_temp.cc_topic()), 'anon may not broadcast on a log topic');
select throws_ok(m.statement, '42501', null, format('anon: %s on agent_log_watches is denied', m.operation)) from watch_matrix m;
select throws_ok($$select * from public.publish_agent_logs(pg_temp.batch())$$, 'PT401', 'an agent token is required',
                 'anon: publish_agent_logs without a token is unauthorized');
select throws_ok($$select * from public.publish_agent_logs(pg_temp.batch(), p_token => 'forged')$$, 'PT401', null,
                 'anon: publish_agent_logs with a forged token is unauthorized');

-- ── a user without a role ───────────────────────────────────────────────────────────────────────────
select tests.as_user(null);
select throws_ok($$select * from public.watch_agent_logs(tests.agent_id('Content Collector'))$$, '42501',
                 'only signed-in viewers and operators may watch an agent''s logs', 'no role: watch_agent_logs is forbidden');
select ok(not pg_temp.may_join(pg_temp.cc_topic()), 'no role: may not join a log topic');
select throws_ok(m.statement, '42501', null, format('no role: %s on agent_log_watches is denied', m.operation)) from watch_matrix m;

-- ── viewer ──────────────────────────────────────────────────────────────────────────────────────────
select tests.as_user('viewer');
select results_eq($$select topic, watch_seconds, backlog_request from public.watch_agent_logs(tests.agent_id('Content Collector'))$$,
                  $$select pg_temp.cc_topic(), 30, 1::bigint$$, 'viewer: may watch (30 s by default), and is told the topic');
select ok(pg_temp.may_join(pg_temp.cc_topic()), 'viewer: may join the agent''s log topic');
select ok(not pg_temp.may_broadcast(pg_temp.cc_topic()), 'viewer: may not broadcast on it');
select throws_ok(m.statement, '42501', null, format('viewer: %s on agent_log_watches is denied', m.operation)) from watch_matrix m;
select throws_ok($$select * from public.publish_agent_logs(pg_temp.batch())$$, 'PT401', 'an agent token is required',
                 'viewer: cannot send as the agent');
select throws_ok($$select * from public.publish_agent_logs(pg_temp.batch(), p_agent_name => 'Content Collector')$$, 'PT401', null,
                 'viewer: cannot send as the agent by naming it');

-- ── operator ────────────────────────────────────────────────────────────────────────────────────────
select tests.as_user('operator');
select is((select watch_seconds from public.watch_agent_logs(tests.agent_id('Content Collector'), p_backlog => false)), 30,
          'operator: may watch');
select ok(pg_temp.may_join(pg_temp.cc_topic()), 'operator: may join the agent''s log topic');
select ok(not pg_temp.may_broadcast(pg_temp.cc_topic()), 'operator: may not broadcast on it');
select throws_ok(m.statement, '42501', null, format('operator: %s on agent_log_watches is denied', m.operation)) from watch_matrix m;
select throws_ok($$select * from public.publish_agent_logs(pg_temp.batch())$$, 'PT401', 'an agent token is required',
                 'operator: cannot send as the agent');

-- ── the agent's own token: sends on its own topic only ──────────────────────────────────────────────
select tests.as_superuser();
delete from sent;
select tests.as_anon();
select is((select watch_seconds from public.publish_agent_logs(pg_temp.batch(), p_token => 'cc-secret')), 30,
          'agent: publishes while watched, and learns how long the watch runs');
select tests.as_superuser();
select is(pg_temp.sent_on(pg_temp.cc_topic()), 1, 'agent: its batch went to its own topic');
select is((select event from sent), 'lines', '... as event lines');
select is((select payload from sent), pg_temp.batch(), '... unchanged');
select is((select private from sent), true, '... privately');

-- ── another agent's token: cannot reach this agent's topic ──────────────────────────────────────────
delete from sent;
select tests.as_anon();
select throws_ok($$select * from public.publish_agent_logs(pg_temp.batch(), p_token => 'bg-secret', p_agent_name => 'Content Collector')$$,
                 'PT403', null, 'another agent''s token naming this agent is refused');
select is((select watch_seconds from public.publish_agent_logs(pg_temp.batch(), p_token => 'bg-secret')), null,
          'another agent''s token publishes for its own agent, which nobody watches');
select ok(not pg_temp.may_join(pg_temp.bg_topic()), 'another agent (anon) may not join the log topic of its own agent either');
select tests.as_superuser();
select is(pg_temp.sent_on(pg_temp.cc_topic()), 0, 'nothing reached the watched agent''s topic');
select is((select count(*)::integer from sent), 0, 'nothing was sent at all (its own agent is not watched)');

-- ── the service role: a trusted worker names its agent; may watch ───────────────────────────────────
select tests.as_service();
select is((select watch_seconds from public.publish_agent_logs(pg_temp.batch(), p_agent_name => 'Content Collector')), 30,
          'service: publishes for the agent it names');
select throws_ok($$select * from public.publish_agent_logs(pg_temp.batch())$$, '22023', null,
                 'service: without an agent name it is a bad request');
select throws_ok($$select * from public.publish_agent_logs(pg_temp.batch(), p_agent_name => 'Nobody')$$, 'PT404', null,
                 'service: an unknown agent is not found');
select is((select watch_seconds from public.watch_agent_logs(tests.agent_id('Blog Generator'))), 30, 'service: may watch');
select is((select count(*)::integer from public.agent_log_watches), 2, 'service: reads agent_log_watches');
select ok(pg_temp.may_join(pg_temp.cc_topic()), 'service: reads the log topic');

select tests.as_superuser();
select * from finish();
rollback;
