-- The privilege matrix of the agent registry: every registry RPC — create_agent,
-- update_agent, delete_agent, issue_agent_token, revoke_agent_token — for every caller: anon (the
-- publishable key alone), an agent presenting its token (anon role; a token is no credential here),
-- viewer, operator, service role; each allowed or denied, and a denial changes nothing.
begin;
select no_plan();

select set_config('tests.token_id', tests.give_token('Content Collector', 'cc-secret')::text, true);
create function pg_temp.agents() returns integer language sql security definer as $$ select count(*)::integer from public.agent_status $$;
create function pg_temp.tokens() returns integer language sql security definer as $$ select count(*)::integer from public.agent_tokens $$;
create function pg_temp.revoked() returns integer language sql security definer as $$
  select count(*)::integer from public.agent_tokens where revoked_at is not null $$;
create function pg_temp.setting(agent text) returns text language sql security definer as $$
  select format('%s|%s|%s', description, heartbeat_interval_seconds, offline_after_seconds) from public.agent_status where agent_name = agent $$;
grant execute on function pg_temp.agents(), pg_temp.tokens(), pg_temp.revoked(), pg_temp.setting(text) to anon, authenticated, service_role;

-- The five calls, the same for every caller.
create function pg_temp.call(rpc text) returns text language sql immutable as $$
  select case rpc
    when 'create_agent' then $s$select * from public.create_agent('Matrix Agent', 'made by the matrix', 30, 120)$s$
    when 'update_agent' then $s$select * from public.update_agent('Content Collector', '{"description": "changed"}')$s$
    when 'delete_agent' then $s$select public.delete_agent('Tweet Scheduler')$s$
    when 'issue_agent_token' then $s$select * from public.issue_agent_token('Content Collector', 'matrix')$s$
    when 'revoke_agent_token' then $s$select public.revoke_agent_token(current_setting('tests.token_id')::uuid)$s$
  end
$$;
grant execute on function pg_temp.call(text) to anon, authenticated, service_role;
create function pg_temp.rpcs() returns setof text language sql immutable as $$
  values ('create_agent'), ('update_agent'), ('delete_agent'), ('issue_agent_token'), ('revoke_agent_token') $$;
grant execute on function pg_temp.rpcs() to anon, authenticated, service_role;

-- anon, and an agent with its token -----------------------------------------------------------------
select tests.as_anon();
select throws_ok(pg_temp.call(rpc),
                 '42501', 'permission denied for function ' || rpc, format('anon: %s is denied', rpc))
  from pg_temp.rpcs() as rpc;
-- The agent's token names its agent for agent_report only; every registry RPC refuses the caller.
select results_eq($$select agent_name from public.agent_report('heartbeat', p_token => 'cc-secret')$$,
                  $$values ('Content Collector')$$, 'agent token: reports for its agent');
select throws_ok(pg_temp.call(rpc), '42501', 'permission denied for function ' || rpc, format('agent token (anon role): %s is denied', rpc))
  from pg_temp.rpcs() as rpc;
select is(pg_temp.agents(), 6, 'anon and agent token: no agent added or removed');
select is(pg_temp.tokens(), 1, 'anon and agent token: no token issued');

-- viewer -----------------------------------------------------------------------------------------
select tests.as_user('viewer');
select throws_ok(pg_temp.call('create_agent'), '42501', 'only operators can add agents', 'viewer: create_agent is forbidden');
select throws_ok(pg_temp.call('update_agent'), '42501', 'only operators can change agents', 'viewer: update_agent is forbidden');
select throws_ok(pg_temp.call('delete_agent'), '42501', 'only operators can delete agents', 'viewer: delete_agent is forbidden');
select throws_ok(pg_temp.call('issue_agent_token'), '42501', 'only operators can issue agent tokens', 'viewer: issue_agent_token is forbidden');
select throws_ok(pg_temp.call('revoke_agent_token'), '42501', 'only operators can revoke agent tokens', 'viewer: revoke_agent_token is forbidden');
select is(pg_temp.agents(), 6, 'viewer: no agent added or removed');
select is(pg_temp.setting('Content Collector'), '|10|', 'viewer: no setting changed');
select is(pg_temp.tokens(), 1, 'viewer: no token issued');
select is(pg_temp.revoked(), 0, 'viewer: no token revoked');

-- A viewer's JWT that claims operator is not enough: the account says viewer.
select tests.as_user('viewer');
select set_config('request.jwt.claims', jsonb_set(current_setting('request.jwt.claims')::jsonb, '{app_metadata,role}', '"operator"')::text, true);
select throws_ok(pg_temp.call('create_agent'), '42501', 'only operators can add agents',
                 'a viewer whose JWT says operator: create_agent is forbidden (the account decides too)');

-- operator ---------------------------------------------------------------------------------------
select tests.as_user('operator');
select results_eq($$select agent_name, desired_state::text, generation from public.create_agent('Matrix Agent', 'made by the matrix', 30, 120)$$,
                  $$values ('Matrix Agent', 'stopped', 0::bigint)$$, 'operator: create_agent adds an agent, desired stopped at generation 0');
select results_eq($$select agent_name, description, heartbeat_interval_seconds, offline_after_seconds, effective_offline_after_seconds
                      from public.update_agent('Content Collector', '{"description": "changed"}')$$,
                  $$values ('Content Collector', 'changed', 10, null::integer, 30)$$, 'operator: update_agent changes a setting and answers the agent');
select ok(public.delete_agent('Tweet Scheduler'), 'operator: delete_agent removes an agent');
select matches((select token from public.issue_agent_token('Content Collector', 'matrix')), '^ast_[0-9a-f]{64}$',
               'operator: issue_agent_token returns a fresh secret');
select ok(public.revoke_agent_token(current_setting('tests.token_id')::uuid), 'operator: revoke_agent_token revokes');
select is(pg_temp.agents(), 6, 'operator: one agent added, one removed');
select is(pg_temp.revoked(), 1, 'operator: one token revoked');

-- service role -----------------------------------------------------------------------------------
select tests.as_service();
select lives_ok($$select * from public.create_agent('Service Agent')$$, 'service: create_agent works');
select lives_ok($$select * from public.update_agent('Service Agent', '{"heartbeat_interval_seconds": 60}')$$, 'service: update_agent works');
select lives_ok($$select * from public.issue_agent_token('Service Agent')$$, 'service: issue_agent_token works');
select ok(public.revoke_agent_token((select t.id from public.agent_tokens t where t.agent_id = tests.agent_id('Service Agent'))),
          'service: revoke_agent_token works');
select ok(public.delete_agent('Service Agent'), 'service: delete_agent works');
select results_eq($$select actor_email from public.agent_events where agent_id = tests.agent_id('Matrix Agent') and kind::text = 'created'$$,
                  $$values ('operator@example.test')$$, 'the operator''s change is recorded with the operator''s email');

select * from finish();
rollback;
