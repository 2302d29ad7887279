-- A token's plain heartbeat (no health, no info) runs a statement of its own that writes only what such a
-- heartbeat changes: last_heartbeat, offline and observed_generation (30_agent_report.sql). It must leave
-- the same row, fire the same triggers (events, counters), refresh the token the same way and give the
-- same answer as the full report statement, which the same heartbeat with an empty info object takes (it
-- restates nothing either). Twin agents in the same states, one reported to each way, are compared
-- column by column; the statements that ran show that each twin took its path.
begin;
select plan(15);

create extension if not exists pg_stat_statements;
set local pg_stat_statements.track = 'all';

-- Each case is an agent as earlier reports, commands and the offline sweep may have left it.
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
  token_used interval,
  watch_left interval,
  backlog_requests bigint,
  -- what the heartbeat carries
  reported_generation bigint,
  named boolean,
  message text
);
insert into cases values
  -- steady, token used 10 s ago, the heartbeat names its agent
  (1, 'running', 100, false, '5 s', '1 hour', 0, 0, null, '10 s', null, null, null, true, null),
  -- offline (the sweep's mark), comes back; its token unused for 5 min
  (2, 'running', 90, true, '5 min', '2 hours', 0, 0, null, '5 min', null, null, null, false, null),
  -- offline and stopped, a token never used, a heartbeat with a message (a heartbeat keeps none)
  (3, 'stopped', 0, true, '1 day', null, 2, 2, null, null, null, null, null, false, 'ignored'),
  -- a worker's row (instance held), acknowledges generation 2 of 3, someone watches its log
  (4, 'warning', 75, false, '5 s', '1 hour', 1, 3, 'aaaaaaaa-1', '10 s', '30 s', 4, 2, false, null),
  -- reports a generation beyond the desired one: acknowledged up to the desired one
  (5, 'error', 30, false, '5 s', '1 hour', 1, 3, 'bbbbbbbb-1', '2 min', null, null, 7, false, null),
  -- reports an older generation than it acknowledged: kept; a watch that expired
  (6, 'running', 100, false, '5 s', '1 hour', 3, 3, null, '10 s', '-1 s', 2, 1, false, null);

create temp table sides (side text primary key);
insert into sides values ('plain'), ('full');

insert into public.agent_status (agent_name, status, health, offline, last_heartbeat, started_at, observed_generation, instance_id)
select side || '-' || n, status, health, offline, now() - silent_for, now() - running_for, observed_generation, instance_id
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

-- The plain heartbeats, as an agent sends them (the publishable key and its token).
select pg_stat_statements_reset();
select tests.as_anon();
insert into answers
select 'plain', c.n, to_jsonb(r)
  from cases c cross join lateral public.agent_report('heartbeat',
    p_agent_name => case when c.named then 'plain-' || c.n end, p_token => 'plain-' || c.n || '-secret',
    p_message => c.message, p_observed_generation => c.reported_generation) r;
select tests.as_superuser();
select is((select coalesce(sum(calls), 0)::integer from pg_stat_statements
            where not toplevel and query like '%observed_generation = greatest%' and query not like '%status = case%'),
          6, 'the plain heartbeats ran the plain heartbeat''s statement');
select is((select coalesce(sum(calls), 0)::integer from pg_stat_statements where not toplevel and query like '%status = case%'),
          0, '... and not the full one');

-- Their twins, through the full statement.
select pg_stat_statements_reset();
select tests.as_anon();
insert into answers
select 'full', c.n, to_jsonb(r)
  from cases c cross join lateral public.agent_report('heartbeat',
    p_agent_name => case when c.named then 'full-' || c.n end, p_token => 'full-' || c.n || '-secret',
    p_message => c.message, p_observed_generation => c.reported_generation, p_info => '{}') r;
select tests.as_superuser();
select is((select coalesce(sum(calls), 0)::integer from pg_stat_statements where not toplevel and query like '%status = case%'),
          6, 'the twins ran the full report statement');

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

select results_eq($$select * from pg_temp.answers('plain')$$, $$select * from pg_temp.answers('full')$$,
                  'a plain heartbeat gives the answer the full report gives');
select results_eq($$select answer ->> 'agent_name' from answers where side = 'plain' order by n$$,
                  $$select 'plain-' || n from cases order by n$$, '... each about its own agent');
select results_eq($$select * from pg_temp.agent_rows('plain')$$, $$select * from pg_temp.agent_rows('full')$$,
                  '... leaves the row the full report leaves');
select results_eq($$select * from pg_temp.new_events('plain')$$, $$select * from pg_temp.new_events('full')$$,
                  '... records the same events');
select results_eq($$select * from pg_temp.tokens('plain')$$, $$select * from pg_temp.tokens('full')$$,
                  '... and refreshes the token''s last_used_at the same way');

-- What the comparison covered: each case's outcome, as the plain heartbeat left it.
select results_eq(
  $$select n, answer ->> 'desired_state', (answer ->> 'generation')::bigint, (answer ->> 'observed_generation')::bigint,
           answer ->> 'instance_id', (answer ->> 'log_watch_seconds')::integer, (answer ->> 'log_backlog_request')::bigint
      from answers where side = 'plain' order by n$$,
  $$values (1, 'stopped', 0::bigint, 0::bigint, null, null::integer, 0::bigint),
           (2, 'stopped', 0, 0, null, null, 0),
           (3, 'running', 2, 2, null, null, 0),
           (4, 'running', 3, 2, 'aaaaaaaa-1', 30, 4),
           (5, 'running', 3, 3, 'bbbbbbbb-1', null, 0),
           (6, 'running', 3, 3, null, null, 2)$$,
  'the answers: desired state, acknowledged generation (never beyond the desired one, never back), the holder, the log watch');
select results_eq(
  $$select c.n, s.status::text, s.health, s.offline, s.last_heartbeat = now(), s.started_at = now() - c.running_for, s.offline_total
      from cases c join public.agent_status s on s.agent_name = 'plain-' || c.n order by c.n$$,
  $$values (1, 'running', 100, false, true, true, 0::bigint), (2, 'running', 90, false, true, true, 0),
           (3, 'stopped', 0, false, true, null, 0), (4, 'warning', 75, false, true, true, 0),
           (5, 'error', 30, false, true, true, 0), (6, 'running', 100, false, true, true, 0)$$,
  'the rows: back online, the heartbeat recorded, status, health and start kept');
select results_eq($$select n, kind from pg_temp.new_events('plain')$$,
                  $$values (2, 'online'), (3, 'online'), (4, 'acknowledged'), (5, 'acknowledged')$$,
                  'the events: online for the agents that were offline, acknowledged for a new generation, none for a plain heartbeat');
select results_eq($$select n, last_used_at = now() from pg_temp.tokens('plain')$$,
                  $$values (1, false), (2, true), (3, true), (4, false), (5, true), (6, false)$$,
                  'last_used_at is refreshed when it is unset or older than a minute');

-- Refusals: a plain heartbeat that writes no row is refused as any report is.
select tests.as_anon();
select throws_ok($$select * from public.agent_report('heartbeat', p_agent_name => 'plain-2', p_token => 'plain-1-secret')$$,
                 'PT403', 'this token belongs to agent "plain-1", not "plain-2"', 'a token of another agent is refused');
select throws_ok($$select * from public.agent_report('heartbeat', p_token => 'plain-1-forged')$$,
                 'PT401', 'invalid or revoked agent token', 'an unknown token is refused');
select tests.as_superuser();
update public.agent_tokens set revoked_at = now() where agent_id = tests.agent_id('plain-1');
select tests.as_anon();
select throws_ok($$select * from public.agent_report('heartbeat', p_token => 'plain-1-secret')$$,
                 'PT401', 'invalid or revoked agent token', 'a revoked token is refused');

select * from finish();
rollback;
