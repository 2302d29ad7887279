-- prune_agent_events(keep_days, keep_per_agent) bounds the history: it keeps at most the newest
-- N events of each agent and nothing older than the given days.
begin;
select no_plan();

-- 5 events for Content Collector, 2 for Blog Generator, 1 old one for Tweet Scheduler.
insert into public.agent_events (agent_id, kind, message, created_at)
select tests.agent_id('Content Collector'), 'health', 'cc ' || n, now() - make_interval(mins => 10 - n)
  from generate_series(1, 5) n;
insert into public.agent_events (agent_id, kind, message, created_at)
select tests.agent_id('Blog Generator'), 'health', 'bg ' || n, now() - make_interval(mins => 10 - n)
  from generate_series(1, 2) n;
insert into public.agent_events (agent_id, kind, message, created_at)
values (tests.agent_id('Tweet Scheduler'), 'health', 'ts old', now() - interval '40 days');

select tests.as_service();
select is(public.prune_agent_events(30, 3), 3, 'prune removes the surplus and the expired');
select tests.as_superuser();
select results_eq($$select message from public.agent_events order by message$$,
                  $$values ('bg 1'), ('bg 2'), ('cc 3'), ('cc 4'), ('cc 5')$$,
                  'the newest three per agent remain; the 40-day-old event is gone');

select tests.as_service();
select is(public.prune_agent_events(30, 3), 0, 'pruning again removes nothing');
select is(public.prune_agent_events(), 0, 'the defaults (30 days, 1000 per agent) keep a small history');

-- Same timestamp (one transaction): the newest is the highest id.
select tests.as_superuser();
insert into public.agent_events (agent_id, kind, message)
select tests.agent_id('Example Agent'), 'health', 'ex ' || n from generate_series(1, 4) n;
select tests.as_service();
select is(public.prune_agent_events(30, 1), 6, 'keeping one per agent removes all but the newest of each');
select tests.as_superuser();
select results_eq($$select message from public.agent_events order by message$$,
                  $$values ('bg 2'), ('cc 5'), ('ex 4')$$, 'keeps the latest of each, ties broken by id');

select * from finish();
rollback;
