-- The privilege matrix of the monitoring credentials: metrics_tokens and badge_keys ×
-- select / insert / update / delete, and the six RPCs, for every caller — anon (publishable key alone),
-- an agent presenting its agent token, viewer, operator, service role. Operators read metadata and
-- manage both through the RPCs; viewers see nothing of them; the read RPCs answer whoever presents a
-- valid credential and nothing else.
begin;
select no_plan();

-- A known metrics token, a badge key for one agent and one for all, an agent token.
insert into public.metrics_tokens (token_hash, label) values (app.hash_token('metrics-secret'), 'scraper');
insert into public.badge_keys (key, agent_id, label) values
  ('badge-one', tests.agent_id('Content Collector'), 'one'), ('badge-all', null, 'all');
select tests.give_token('Content Collector', 'cc-secret');

-- One canonical statement per (table, operation), so every role runs exactly the same statements.
create function pg_temp.statement(target text, operation text) returns text
language sql immutable as $$
  select case operation
    when 'select' then format('select count(*) from public.%I', target)
    when 'insert' then case target
      when 'metrics_tokens' then $s$insert into public.metrics_tokens (token_hash) values ('\x01')$s$
      when 'badge_keys' then $s$insert into public.badge_keys (key) values ('badge-forged')$s$ end
    when 'update' then format('update public.%I set label = label', target)
    when 'delete' then format('delete from public.%I', target)
  end
$$;
grant execute on function pg_temp.statement(text, text) to anon, authenticated, service_role;

-- anon and an agent token ---------------------------------------------------------------------
select tests.as_anon();
select throws_ok(pg_temp.statement(t, op), '42501', 'permission denied for table ' || t, format('anon: %s on %s is denied', op, t))
  from unnest(array['metrics_tokens', 'badge_keys']) as t, unnest(array['select', 'insert', 'update', 'delete']) as op;
select throws_ok($$select * from public.issue_metrics_token()$$, '42501', 'permission denied for function issue_metrics_token',
                 'anon: issue_metrics_token is denied');
select throws_ok($$select public.revoke_metrics_token(gen_random_uuid())$$, '42501', 'permission denied for function revoke_metrics_token',
                 'anon: revoke_metrics_token is denied');
select throws_ok($$select * from public.issue_badge_key()$$, '42501', 'permission denied for function issue_badge_key',
                 'anon: issue_badge_key is denied');
select throws_ok($$select public.revoke_badge_key(gen_random_uuid())$$, '42501', 'permission denied for function revoke_badge_key',
                 'anon: revoke_badge_key is denied');
select is(jsonb_array_length(public.metrics_snapshot('metrics-secret') -> 'agents'), 6, 'anon + metrics token: the scrape sees every agent');
select throws_ok($$select public.metrics_snapshot('wrong')$$, 'PT401', 'invalid or revoked metrics token', 'anon + wrong token: unauthorized');
select throws_ok($$select public.metrics_snapshot(null)$$, 'PT401', 'invalid or revoked metrics token', 'anon without a token: unauthorized');
select is(public.badge_state('badge-one') ->> 'state', 'stopped', 'anon + badge key: the badge shows its agent''s state');
select is(public.badge_state('nope'), null, 'anon + unknown badge key: nothing');

-- The agent token is a credential for agent_report only, and a metrics token is not an agent token.
select throws_ok($$select public.metrics_snapshot('cc-secret')$$, 'PT401', 'invalid or revoked metrics token',
                 'agent token: not a metrics token');
select is(public.badge_state('cc-secret'), null, 'agent token: not a badge key');
select throws_ok($$select * from public.agent_report('heartbeat', p_token => 'metrics-secret')$$, 'PT401',
                 'invalid or revoked agent token', 'metrics token: not an agent token');
select throws_ok($$select * from public.agent_report('heartbeat', p_token => 'badge-one')$$, 'PT401',
                 'invalid or revoked agent token', 'badge key: not an agent token');
select throws_ok(pg_temp.statement(t, 'select'), '42501', 'permission denied for table ' || t,
                 format('agent token (anon role): %s stays unreadable', t))
  from unnest(array['metrics_tokens', 'badge_keys']) as t;

-- viewer ---------------------------------------------------------------------------------------
select tests.as_user('viewer');
select is(tests.visible('metrics_tokens'), 0, 'viewer: sees no metrics tokens');
select is(tests.visible('badge_keys'), 0, 'viewer: sees no badge keys');
select throws_ok('select token_hash from public.metrics_tokens', '42501', 'permission denied for table metrics_tokens',
                 'viewer: cannot read metrics token hashes');
select throws_ok(pg_temp.statement(t, op), '42501', 'permission denied for table ' || t, format('viewer: %s on %s is denied', op, t))
  from unnest(array['metrics_tokens', 'badge_keys']) as t, unnest(array['insert', 'update', 'delete']) as op;
select throws_ok($$select * from public.issue_metrics_token()$$, '42501', 'only operators can issue metrics tokens',
                 'viewer: issue_metrics_token is forbidden');
select throws_ok($$select public.revoke_metrics_token(gen_random_uuid())$$, '42501', 'only operators can revoke metrics tokens',
                 'viewer: revoke_metrics_token is forbidden');
select throws_ok($$select * from public.issue_badge_key()$$, '42501', 'only operators can issue badge keys',
                 'viewer: issue_badge_key is forbidden');
select throws_ok($$select public.revoke_badge_key(gen_random_uuid())$$, '42501', 'only operators can revoke badge keys',
                 'viewer: revoke_badge_key is forbidden');
select is(jsonb_array_length(public.metrics_snapshot('metrics-secret') -> 'agents'), 6, 'viewer + metrics token: the credential decides');
select throws_ok($$select public.metrics_snapshot('wrong')$$, 'PT401', 'invalid or revoked metrics token', 'viewer + wrong token: unauthorized');
select is((public.badge_state('badge-all') ->> 'total')::integer, 6, 'viewer + badge key: the credential decides');

-- operator -------------------------------------------------------------------------------------
select tests.as_user('operator');
select is(tests.visible('metrics_tokens'), 1, 'operator: sees metrics token metadata');
select lives_ok('select id, label, created_by_email, created_at, last_used_at, revoked_at from public.metrics_tokens',
                'operator: reads every metrics token column except the hash');
select throws_ok('select token_hash from public.metrics_tokens', '42501', 'permission denied for table metrics_tokens',
                 'operator: cannot read metrics token hashes');
select is(tests.visible('badge_keys'), 2, 'operator: sees badge keys (to copy their URLs)');
select throws_ok(pg_temp.statement(t, op), '42501', 'permission denied for table ' || t, format('operator: %s on %s is denied', op, t))
  from unnest(array['metrics_tokens', 'badge_keys']) as t, unnest(array['insert', 'update', 'delete']) as op;

select matches((select token from public.issue_metrics_token('prometheus')), '^asm_[0-9a-f]{64}$',
               'operator: issue_metrics_token returns a fresh secret');
select results_eq($$select label, created_by_email from public.metrics_tokens where label = 'prometheus'$$,
                  $$values ('prometheus', 'operator@example.test')$$, 'operator: the token records its label and who issued it');
select ok(public.revoke_metrics_token((select id from public.metrics_tokens where label = 'prometheus')),
          'operator: revoke_metrics_token works');
select ok(not public.revoke_metrics_token((select id from public.metrics_tokens where label = 'prometheus')),
          'operator: revoking twice reports that nothing changed');
select results_eq($$select agent_name, key ~ '^asb_[0-9a-f]{32}$' from public.issue_badge_key('Blog Generator', 'readme')$$,
                  $$values ('Blog Generator', true)$$, 'operator: issue_badge_key for one agent');
select results_eq($$select agent_name, key ~ '^asb_[0-9a-f]{32}$' from public.issue_badge_key()$$,
                  $$values (null::text, true)$$, 'operator: issue_badge_key for every agent');
select throws_ok($$select * from public.issue_badge_key('Nobody')$$, 'PT404', 'unknown agent "Nobody"',
                 'operator: a badge for an unknown agent is refused');
select ok(public.revoke_badge_key((select id from public.badge_keys where label = 'readme')), 'operator: revoke_badge_key works');
select is(jsonb_array_length(public.metrics_snapshot('metrics-secret') -> 'agents'), 6, 'operator + metrics token: the credential decides');

-- service role ---------------------------------------------------------------------------------
select tests.as_service();
select is(tests.visible('metrics_tokens'), 2, 'service: sees metrics tokens');
select lives_ok('select token_hash from public.metrics_tokens', 'service: can read token hashes');
select is(tests.visible('badge_keys'), 4, 'service: sees badge keys');
select lives_ok(pg_temp.statement(t, 'insert'), format('service: can insert into %s', t)) from unnest(array['metrics_tokens', 'badge_keys']) as t;
select is(tests.affected(pg_temp.statement('metrics_tokens', 'update')), 3, 'service: can update metrics tokens');
select is(tests.affected(pg_temp.statement('badge_keys', 'update')), 5, 'service: can update badge keys');
select isnt((select token from public.issue_metrics_token()), null, 'service: issue_metrics_token works');
select ok(public.revoke_metrics_token((select id from public.metrics_tokens where label = 'scraper')), 'service: revoke_metrics_token works');
select isnt((select key from public.issue_badge_key('Content Collector')), null, 'service: issue_badge_key works');
select ok(public.revoke_badge_key((select id from public.badge_keys where label = 'one')), 'service: revoke_badge_key works');
select throws_ok($$select public.metrics_snapshot('metrics-secret')$$, 'PT401', 'invalid or revoked metrics token',
                 'service: a revoked metrics token is refused like any other');
select is(public.badge_state('badge-one'), null, 'service: a revoked badge key shows nothing');
select is(tests.affected(pg_temp.statement('metrics_tokens', 'delete')), 4, 'service: can delete metrics tokens');
select is(tests.affected(pg_temp.statement('badge_keys', 'delete')), 6, 'service: can delete badge keys');

select * from finish();
rollback;
