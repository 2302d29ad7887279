-- last_used_at is advisory: refreshing it on every heartbeat would double the writes, so a
-- report refreshes it only when it is unset or older than a minute.
begin;
select no_plan();

select tests.give_token('Content Collector', 'cc-secret');
create function pg_temp.last_used() returns timestamptz language sql security definer as $$
  select last_used_at from public.agent_tokens where token_hash = app.hash_token('cc-secret')
$$;
grant execute on function pg_temp.last_used() to anon;

select is(pg_temp.last_used(), null, 'a new token was never used');

select tests.as_anon();
select * from public.agent_report('heartbeat', p_token => 'cc-secret');
select is(pg_temp.last_used(), now(), 'the first report sets last_used_at');

select tests.as_superuser();
update public.agent_tokens set last_used_at = now() - interval '59 seconds' where token_hash = app.hash_token('cc-secret');
select tests.as_anon();
select * from public.agent_report('heartbeat', p_token => 'cc-secret');
select is(pg_temp.last_used(), now() - interval '59 seconds', 'a report within the minute leaves it alone');

select tests.as_superuser();
update public.agent_tokens set last_used_at = now() - interval '61 seconds' where token_hash = app.hash_token('cc-secret');
select tests.as_anon();
select * from public.agent_report('heartbeat', p_token => 'cc-secret');
select is(pg_temp.last_used(), now(), 'a report more than a minute later refreshes it');

select throws_ok($$select * from public.agent_report('heartbeat', p_token => 'cc-secret-forged')$$, 'PT401', null,
                 'a failed report ...');
select tests.as_superuser();
select is((select count(*)::integer from public.agent_tokens where last_used_at is not null), 1,
          '... touches no token');

select * from finish();
rollback;
