-- Two heartbeats run a smaller statement than the full report's (30_agent_report.sql): a token's plain
-- heartbeat (no health, no info) and a worker's heartbeat whose info restates what the row holds. Each
-- writes only last_heartbeat, offline and observed_generation. They must leave the same row, fire the
-- same triggers (events, counters), refresh the token the same way and give the same answer as the full
-- report statement; a worker heartbeat whose info does change something must reach the full statement.
-- Twin agents in the same states get the same heartbeat, one as an agent sends it and one through the
-- full statement: its info also says instance_new, which keeps a report off the smaller statements and,
-- for a report whose instance may hold the agent (every case here), changes nothing else. Rows,
-- answers, events and tokens are compared column by column; the statements that ran show which path
-- each took.
begin;
select plan(17);

create extension if not exists pg_stat_statements;
set local pg_stat_statements.track = 'all';

-- Each case is an agent as earlier reports, commands and the offline sweep may have left it, and the
-- heartbeat it then sends.
create temp table cases (
  n integer primary key,
  status public.agent_run_status,
  health integer,
  offline boolean,
  silent_for interval,
  running_for interval,
  observed_generation bigint,
  generation bigint,
  instance_id text,
  host text,
  pid integer,
  version text,
  token_used interval,
  watch_left interval,
  backlog_requests bigint,
  -- the heartbeat
  reported_generation bigint,
  named boolean,
  message text,
  info jsonb
);
insert into cases values
  -- PLAIN HEARTBEATS
  -- steady, token used 10 s ago, the heartbeat names its agent
  (1, 'running', 100, false, '5 s', '1 hour', 0, 0, null, null, null, null, '10 s', null, null, null, true, null, null),
  -- offline (the sweep's mark), comes back; its token unused for 5 min
  (2, 'running', 90, true, '5 min', '2 hours', 0, 0, null, null, null, null, '5 min', null, null, null, false, null, null),
  -- offline and stopped, a token never used, a heartbeat with a message (a heartbeat keeps none)
  (3, 'stopped', 0, true, '1 day', null, 2, 2, null, null, null, null, null, null, null, null, false, 'ignored', null),
  -- a worker's row (instance held), acknowledges generation 2 of 3, someone watches its log
  (4, 'warning', 75, false, '5 s', '1 hour', 1, 3, 'aaaaaaaa-1', 'h', 4, null, '10 s', '30 s', 4, 2, false, null, null),
  -- reports a generation beyond the desired one: acknowledged up to the desired one
  (5, 'error', 30, false, '5 s', '1 hour', 1, 3, 'bbbbbbbb-1', null, null, null, '2 min', null, null, 7, false, null, null),
  -- reports an older generation than it acknowledged: kept; a watch that expired
  (6, 'running', 100, false, '5 s', '1 hour', 3, 3, null, null, null, null, '10 s', '-1 s', 2, 1, false, null, null),
  -- WORKER HEARTBEATS
  -- the holder restates everything as the row has it, acknowledges a new generation, names its agent
  (7, 'running', 100, false, '5 s', '1 hour', 0, 1, 'cccccccc-1', 'h1', 7, '1.0', '10 s', '30 s', 1, 1, true, null,
   '{"instance_id": "cccccccc-1", "host": "h1", "pid": 7, "version": "1.0", "heartbeat_interval_seconds": 10, "state": "running"}'),
  -- the same, back from offline, its token unused for 2 min
  (8, 'warning', 75, true, '2 min', '1 hour', 1, 1, 'cccccccc-2', 'h1', 8, '1.0', '2 min', null, null, 1, false, null,
   '{"instance_id": "cccccccc-2", "host": "h1", "pid": 8, "version": "1.0", "heartbeat_interval_seconds": 10, "state": "warning"}'),
  -- a one-shot script marked the row stopped behind the worker's back: its heartbeat heals it (full statement)
  (9, 'stopped', 0, false, '5 s', null, 0, 0, 'dddddddd-1', 'h1', 9, null, '10 s', null, null, null, false, null,
   '{"instance_id": "dddddddd-1", "host": "h1", "pid": 9, "state": "running"}'),
  -- nobody holds the agent: the worker's instance takes it, with its host, pid and interval (full statement)
  (10, 'running', 100, false, '5 s', '1 hour', 0, 0, null, null, null, null, '10 s', null, null, null, false, null,
   '{"instance_id": "eeeeeeee-1", "host": "h2", "pid": 10, "heartbeat_interval_seconds": 5}'),
  -- the holder moved to another host (full statement)
  (11, 'running', 100, false, '5 s', '1 hour', 0, 0, 'ffffffff-1', 'h1', 11, null, '10 s', null, null, null, false, null,
   '{"instance_id": "ffffffff-1", "host": "h-new", "pid": 11}'),
  -- what the full statement ignores is ignored: an unknown state, a pid that is no number, an interval out of range
  (12, 'error', 30, false, '5 s', '1 hour', 0, 0, '99999999-1', 'h1', 12, null, '10 s', null, null, null, false, null,
   '{"instance_id": "99999999-1", "state": "dancing", "pid": "abc", "heartbeat_interval_seconds": 99999}');

create temp table sides (side text primary key);
insert into sides values ('agent'), ('full');

insert into public.agent_status (agent_name, status, health, offline, last_heartbeat, started_at, observed_generation, instance_id, host, pid, version)
select side || '-' || n, status, health, offline, now() - silent_for, now() - running_for, observed_generation, instance_id, host, pid, version
  from cases, sides;
update public.agent_desired_state d set desired_state = 'running', generation = c.generation
  from cases c, sides, public.agent_status s
 where s.agent_name = side || '-' || c.n and d.agent_id = s.id and c.generation > 0;
insert into public.agent_log_watches (agent_id, watched_until, backlog_requests)
select tests.agent_id(side || '-' || n), now() + watch_left, backlog_requests from cases, sides where watch_left is not null;
select tests.give_token(side || '-' || n, side || '-' || n || '-secret') from cases, sides;
update public.agent_tokens t set last_used_at = now() - c.token_used
  from cases c, sides, public.agent_status s
 where s.agent_name = side || '-' || c.n and t.agent_id = s.id;

create temp table answers (side text, n integer, answer jsonb);
create temp table before_reports as select coalesce(max(id), 0) as last_event from public.agent_events;
grant select on cases, sides to anon;
grant insert on answers to anon;

-- Which statement ran how often since the last reset: the plain heartbeat's, the worker's, the full one.
create function pg_temp.statements_run() returns table (plain integer, worker integer, full_report integer) language sql as $$
  select coalesce(sum(calls) filter (where query like '%observed_generation = greatest%' and query not like '%status = case%'
                                      and query not like '%s.host = left%'), 0)::integer,
         coalesce(sum(calls) filter (where query like '%s.host = left%'), 0)::integer,
         coalesce(sum(calls) filter (where query like '%status = case%'), 0)::integer
    from pg_stat_statements where not toplevel
$$;

-- The heartbeats as agents send them (the publishable key and a token).
select pg_stat_statements_reset();
select tests.as_anon();
insert into answers
select 'agent', c.n, to_jsonb(r)
  from cases c cross join lateral public.agent_report('heartbeat',
    p_agent_name => case when c.named then 'agent-' || c.n end, p_token => 'agent-' || c.n || '-secret',
    p_message => c.message, p_observed_generation => c.reported_generation, p_info => c.info) r;
select tests.as_superuser();
select results_eq($$select * from pg_temp.statements_run()$$, $$values (6, 6, 3)$$,
                  'six plain heartbeats ran the plain statement, six worker heartbeats the worker''s, and the three whose info changes something the full one too');

-- Their twins, through the full statement.
select pg_stat_statements_reset();
select tests.as_anon();
insert into answers
select 'full', c.n, to_jsonb(r)
  from cases c cross join lateral public.agent_report('heartbeat',
    p_agent_name => case when c.named then 'full-' || c.n end, p_token => 'full-' || c.n || '-secret',
    p_message => c.message, p_observed_generation => c.reported_generation,
    p_info => coalesce(c.info, '{}') || '{"instance_new": true}') r;
select tests.as_superuser();
select results_eq($$select * from pg_temp.statements_run()$$, $$values (0, 0, 12)$$, 'the twins ran the full statement only');

-- The same answers, rows, events and token refreshes.
create function pg_temp.answers(which text) returns table (n integer, answer jsonb) language sql as $$
  select n, answer - 'agent_id' - 'agent_name' from answers where side = which order by n
$$;
create function pg_temp.agent_rows(which text) returns table (n integer, agent jsonb) language sql as $$
  select c.n, to_jsonb(s) - 'id' - 'agent_name'
    from cases c join public.agent_status s on s.agent_name = which || '-' || c.n order by c.n
$$;
create function pg_temp.new_events(which text) returns table (n integer, kind text, message text, from_status text, to_status text,
                                                               health integer, generation bigint, snapshot jsonb)
language sql as $$
  select c.n, e.kind::text, e.message, e.from_status::text, e.to_status::text, e.health, e.generation,
         e.snapshot - 'id' - 'agent_name'
    from cases c join public.agent_status s on s.agent_name = which || '-' || c.n
    join public.agent_events e on e.agent_id = s.id
   where e.id > (select last_event from before_reports)
   order by c.n, e.id
$$;
create function pg_temp.tokens(which text) returns table (n integer, last_used_at timestamptz) language sql as $$
  select c.n, t.last_used_at
    from cases c join public.agent_status s on s.agent_name = which || '-' || c.n
    join public.agent_tokens t on t.agent_id = s.id order by c.n
$$;

select results_eq($$select * from pg_temp.answers('agent')$$, $$select * from pg_temp.answers('full')$$,
                  'a heartbeat gives the answer the full report gives');
select results_eq($$select answer ->> 'agent_name' from answers where side = 'agent' order by n$$,
                  $$select 'agent-' || n from cases order by n$$, '... each about its own agent');
select results_eq($$select * from pg_temp.agent_rows('agent')$$, $$select * from pg_temp.agent_rows('full')$$,
                  '... leaves the row the full report leaves');
select results_eq($$select * from pg_temp.new_events('agent')$$, $$select * from pg_temp.new_events('full')$$,
                  '... records the same events');
select results_eq($$select * from pg_temp.tokens('agent')$$, $$select * from pg_temp.tokens('full')$$,
                  '... and refreshes the token''s last_used_at the same way');

-- What the comparison covered: each case's outcome, as the agent's heartbeat left it.
select results_eq(
  $$select n, answer ->> 'desired_state', (answer ->> 'generation')::bigint, (answer ->> 'observed_generation')::bigint,
           answer ->> 'instance_id', (answer ->> 'log_watch_seconds')::integer, (answer ->> 'log_backlog_request')::bigint
      from answers where side = 'agent' order by n$$,
  $$values (1, 'stopped', 0::bigint, 0::bigint, null, null::integer, 0::bigint),
           (2, 'stopped', 0, 0, null, null, 0),
           (3, 'running', 2, 2, null, null, 0),
           (4, 'running', 3, 2, 'aaaaaaaa-1', 30, 4),
           (5, 'running', 3, 3, 'bbbbbbbb-1', null, 0),
           (6, 'running', 3, 3, null, null, 2),
           (7, 'running', 1, 1, 'cccccccc-1', 30, 1),
           (8, 'running', 1, 1, 'cccccccc-2', null, 0),
           (9, 'stopped', 0, 0, 'dddddddd-1', null, 0),
           (10, 'stopped', 0, 0, 'eeeeeeee-1', null, 0),
           (11, 'stopped', 0, 0, 'ffffffff-1', null, 0),
           (12, 'stopped', 0, 0, '99999999-1', null, 0)$$,
  'the answers: desired state, acknowledged generation (never beyond the desired one, never back), the holder, the log watch');
select results_eq(
  $$select c.n, s.status::text, s.health, s.offline, s.last_heartbeat = now(), s.started_at = now() - c.running_for,
           s.host, s.pid, s.heartbeat_interval_seconds
      from cases c join public.agent_status s on s.agent_name = 'agent-' || c.n order by c.n$$,
  $$values (1, 'running', 100, false, true, true, null, null::integer, 10), (2, 'running', 90, false, true, true, null, null, 10),
           (3, 'stopped', 0, false, true, null, null, null, 10), (4, 'warning', 75, false, true, true, 'h', 4, 10),
           (5, 'error', 30, false, true, true, null, null, 10), (6, 'running', 100, false, true, true, null, null, 10),
           (7, 'running', 100, false, true, true, 'h1', 7, 10), (8, 'warning', 75, false, true, true, 'h1', 8, 10),
           (9, 'running', 100, false, true, null, 'h1', 9, 10), (10, 'running', 100, false, true, true, 'h2', 10, 5),
           (11, 'running', 100, false, true, true, 'h-new', 11, 10), (12, 'error', 30, false, true, true, 'h1', 12, 10)$$,
  'the rows: back online, the heartbeat recorded, a healed status, a new holder''s host, pid and interval; the rest kept');
select is((select started_at from public.agent_status where agent_name = 'agent-9'), now(), 'the healed agent''s start is now');
select results_eq($$select n, kind from pg_temp.new_events('agent')$$,
                  $$values (2, 'online'), (3, 'online'), (4, 'acknowledged'), (5, 'acknowledged'), (7, 'acknowledged'),
                           (8, 'online'), (9, 'status')$$,
                  'the events: online for the agents that were offline, acknowledged for a new generation, a healed status; none for a heartbeat that changes nothing');
select results_eq($$select n, last_used_at = now() from pg_temp.tokens('agent')$$,
                  $$values (1, false), (2, true), (3, true), (4, false), (5, true), (6, false),
                           (7, false), (8, true), (9, false), (10, false), (11, false), (12, false)$$,
                  'last_used_at is refreshed when it is unset or older than a minute');

-- Refusals: a heartbeat that writes no row is refused as any report is.
select tests.as_anon();
select throws_ok($$select * from public.agent_report('heartbeat', p_agent_name => 'agent-2', p_token => 'agent-1-secret')$$,
                 'PT403', 'this token belongs to agent "agent-1", not "agent-2"', 'a plain heartbeat with a token of another agent is refused');
select throws_ok($$select * from public.agent_report('heartbeat', p_agent_name => 'agent-2', p_token => 'agent-7-secret',
                                                     p_info => '{"instance_id": "cccccccc-1", "host": "h1", "pid": 7}')$$,
                 'PT403', 'this token belongs to agent "agent-7", not "agent-2"', '... so is a worker''s');
select throws_ok($$select * from public.agent_report('heartbeat', p_token => 'agent-1-forged')$$,
                 'PT401', 'invalid or revoked agent token', 'an unknown token is refused');
select tests.as_superuser();
update public.agent_tokens set revoked_at = now() where agent_id in (tests.agent_id('agent-1'), tests.agent_id('agent-7'));
select tests.as_anon();
select throws_ok($$select * from public.agent_report('heartbeat', p_token => 'agent-1-secret')$$,
                 'PT401', 'invalid or revoked agent token', 'a revoked token is refused');
select throws_ok($$select * from public.agent_report('heartbeat', p_token => 'agent-7-secret',
                                                     p_info => '{"instance_id": "cccccccc-1", "host": "h1", "pid": 7}')$$,
                 'PT401', 'invalid or revoked agent token', '... a worker''s too');

select * from finish();
rollback;
