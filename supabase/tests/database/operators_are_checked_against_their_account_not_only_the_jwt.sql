-- the role in a session JWT is a copy made at sign-in and stays valid for up to an
-- hour. Every operator check also reads the account in auth.users (app.can_command), so an operator
-- who is demoted, banned or deleted is refused on the next request, with the same JWT still in hand —
-- commands (through the RPC and the table's RLS), the registry, tokens, and the other operator RPCs.
begin;
select no_plan();

select set_config('tests.token_id', tests.give_token('Content Collector', 'cc-secret')::text, true);

-- Everything an operator may do, each as one statement.
create function pg_temp.operator_calls() returns table (what text, statement text, message text) language sql immutable as $$
  values
    ('command_agents', $s$select * from public.command_agents('start', 'Content Collector')$s$, 'only operators can command agents'),
    ('create_agent', $s$select * from public.create_agent('Refused Agent')$s$, 'only operators can add agents'),
    ('update_agent', $s$select * from public.update_agent('Content Collector', '{"description": "x"}')$s$, 'only operators can change agents'),
    ('delete_agent', $s$select public.delete_agent('Blog Generator')$s$, 'only operators can delete agents'),
    ('issue_agent_token', $s$select * from public.issue_agent_token('Content Collector')$s$, 'only operators can issue agent tokens'),
    ('revoke_agent_token', $s$select public.revoke_agent_token(current_setting('tests.token_id')::uuid)$s$, 'only operators can revoke agent tokens'),
    ('issue_metrics_token', $s$select * from public.issue_metrics_token()$s$, 'only operators can issue metrics tokens'),
    ('issue_badge_key', $s$select * from public.issue_badge_key()$s$, 'only operators can issue badge keys'),
    ('mute_agent', $s$select public.mute_agent('Content Collector', now() + interval '1 hour')$s$, 'only operators can mute agents')
$$;
grant execute on function pg_temp.operator_calls() to authenticated;
create function pg_temp.changed() returns text language sql security definer as $$
  select format('agents=%s desired=%s tokens=%s revoked=%s metrics=%s badges=%s muted=%s',
    (select count(*) from public.agent_status), (select count(*) from public.agent_desired_state where desired_state = 'running'),
    (select count(*) from public.agent_tokens), (select count(*) from public.agent_tokens where revoked_at is not null),
    (select count(*) from public.metrics_tokens), (select count(*) from public.badge_keys),
    (select count(*) from public.agent_status where muted_until is not null))
$$;
grant execute on function pg_temp.changed() to authenticated;
create temp table baseline as select pg_temp.changed() as state;
grant select on baseline to authenticated;

-- An operator in good standing may; this is the same JWT the refusals below present.
select tests.as_user('operator');
select ok(app.can_command(), 'an operator whose account says operator may command');
select lives_ok($$select * from public.command_agents('stop', 'Content Collector')$$, 'the operator commands');

select tests.as_superuser();
select tests.set_account_role('operator', 'viewer');
select tests.as_user('operator');
select is((select current_setting('request.jwt.claims')::jsonb #>> '{app_metadata,role}'), 'operator', 'demoted: the JWT still says operator');
select ok(not app.can_command(), 'demoted: not an operator any more');
select throws_ok(statement, '42501', message, 'demoted operator: ' || what || ' is refused at once') from pg_temp.operator_calls();
select is(tests.affected($$update public.agent_desired_state set desired_state = 'running'$$), 0,
          'demoted operator: RLS lets no desired state be written directly either');
select is(tests.visible('agent_tokens'), 0, 'demoted operator: token metadata is no longer visible');
select is(pg_temp.changed(), (select state from baseline), 'demoted operator: nothing changed');

select tests.as_superuser();
select tests.set_account_role('operator', null);
select tests.as_user('operator');
select throws_ok(statement, '42501', message, 'operator whose role was removed: ' || what || ' is refused') from pg_temp.operator_calls();

select tests.as_superuser();
select tests.set_account_role('operator', 'operator');
select tests.ban_account('operator');
select tests.as_user('operator');
select ok(not app.can_command(), 'banned: not an operator while the ban lasts');
select throws_ok(statement, '42501', message, 'banned operator: ' || what || ' is refused at once') from pg_temp.operator_calls();
select is(tests.affected($$update public.agent_desired_state set desired_state = 'running'$$), 0,
          'banned operator: RLS lets no desired state be written directly either');
select is(pg_temp.changed(), (select state from baseline), 'banned operator: nothing changed');

select tests.as_superuser();
select tests.ban_account('operator', now() - interval '1 minute');
select tests.as_user('operator');
select ok(app.can_command(), 'a ban that has ended: an operator again');

select tests.as_superuser();
delete from auth.users where id = tests.user_id('operator');
select tests.as_user('operator');
select throws_ok(statement, '42501', message, 'deleted account: ' || what || ' is refused') from pg_temp.operator_calls();
select is(pg_temp.changed(), (select state from baseline), 'deleted account: nothing changed');

-- Reading is unchanged: a viewer's JWT still reads.
select tests.as_user('viewer');
select is(tests.visible('agent_status'), 6, 'viewers still read');

select * from finish();
rollback;
