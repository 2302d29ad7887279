-- A worker without push learns that someone watches its live log from the answer of its regular report:
-- log_watch_seconds (how long the watch still runs; null when nobody watches or the watch expired) and
-- log_backlog_request (bumped by each watcher that joins). Reading it costs a heartbeat no statement.
begin;
select plan(9);

create extension if not exists pg_stat_statements;
select tests.give_token('Content Collector', 'cc-secret');

select is((select log_watch_seconds from public.agent_report('heartbeat', p_token => 'cc-secret')), null,
          'nobody watches: log_watch_seconds is null');
select is((select log_backlog_request from public.agent_report('heartbeat', p_token => 'cc-secret')), 0::bigint,
          '... and no backlog was ever asked for');

insert into public.agent_log_watches (agent_id, watched_until, backlog_requests)
values (tests.agent_id('Content Collector'), now() + interval '30 seconds', 3);
select tests.as_anon();
select is((select log_watch_seconds from public.agent_report('heartbeat', p_token => 'cc-secret')), 30,
          'a watch that runs 30 s more is answered as 30 s');
select is((select log_backlog_request from public.agent_report('heartbeat', p_token => 'cc-secret')), 3::bigint,
          '... with the number of backlog requests so far');
select is((select log_watch_seconds from public.agent_report('warning', p_token => 'cc-secret', p_message => 'slow')), 30,
          'every kind of report answers it');
select tests.as_superuser();

update public.agent_log_watches set watched_until = now() + interval '0.2 seconds';
select is((select log_watch_seconds from public.agent_report('heartbeat', p_token => 'cc-secret')), 1,
          'a part of a second left is rounded up (the worker keeps sending until the watch ends)');
update public.agent_log_watches set watched_until = now() - interval '1 second';
select is((select log_watch_seconds from public.agent_report('heartbeat', p_token => 'cc-secret')), null,
          'an expired watch is no watch');

-- The other agents' watches are not this agent's.
update public.agent_log_watches set watched_until = now() + interval '1 minute';
select tests.give_token('Blog Generator', 'bg-secret');
select is((select log_watch_seconds from public.agent_report('heartbeat', p_token => 'bg-secret')), null,
          'a watch of another agent is not answered to this one');

-- Still one statement, with a watch present.
set local pg_stat_statements.track = 'all';
select * from public.agent_report('heartbeat', p_token => 'cc-secret');
select pg_stat_statements_reset();
select count(*) from generate_series(1, 20) g cross join lateral public.agent_report('heartbeat', p_token => 'cc-secret' || left(g::text, 0));
select is((select coalesce(sum(calls), 0)::numeric / 20 from pg_stat_statements where not toplevel), 1.0,
          'a watched agent''s heartbeat is one statement');

select * from finish();
rollback;
