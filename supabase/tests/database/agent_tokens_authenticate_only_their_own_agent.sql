-- Matrix rows "agent token": an agent calls agent_report as anon with its token. Its own token
-- works (with or without its name); another agent's name, a revoked token or a forged token do
-- not, and a failed call changes nothing. Tokens are stored hashed and checked by hash.
begin;
select no_plan();

select tests.give_token('Content Collector', 'cc-secret');
select tests.give_token('Blog Generator', 'bg-secret');
select tests.give_token('Tweet Scheduler', 'ts-revoked');
update public.agent_tokens set revoked_at = now() where token_hash = app.hash_token('ts-revoked');

select is((select count(*)::integer from public.agent_tokens where token_hash = convert_to('cc-secret', 'UTF8')), 0,
          'tokens are not stored in clear');

select tests.as_anon();
select results_eq($$select agent_name, desired_state::text from public.agent_report('started', p_token => 'cc-secret')$$,
                  $$values ('Content Collector', 'stopped')$$, 'own token: reports and polls for its agent');
select results_eq($$select agent_name from public.agent_report('heartbeat', 'Content Collector', 'cc-secret')$$,
                  $$values ('Content Collector')$$, 'own token with own name: accepted');
select throws_ok($$select * from public.agent_report('error', 'Blog Generator', 'cc-secret', 'framed')$$,
                 'PT403', 'this token belongs to agent "Content Collector", not "Blog Generator"',
                 'own token with another agent''s name: forbidden');
select throws_ok($$select * from public.agent_report('started', 'Tweet Scheduler', 'ts-revoked')$$,
                 'PT401', 'invalid or revoked agent token', 'revoked token: unauthorized');
select throws_ok($$select * from public.agent_report('started', p_token => 'ast_' || repeat('0', 64))$$,
                 'PT401', 'invalid or revoked agent token', 'forged token: unauthorized');
select throws_ok($$select * from public.agent_report('started', p_token => '')$$,
                 'PT401', 'invalid or revoked agent token', 'empty token: unauthorized');
select throws_ok($$select * from public.agent_report('started', 'Blog Generator')$$,
                 'PT401', 'an agent token is required', 'a name alone is not a credential');
-- a token also works for an authenticated caller (e.g. an agent running with a user session)
select tests.as_user(null);
select results_eq($$select agent_name from public.agent_report('heartbeat', p_token => 'bg-secret')$$,
                  $$values ('Blog Generator')$$, 'a token is accepted whatever the API role');

select tests.as_superuser();
select is((select status::text from public.agent_status where agent_name = 'Content Collector'), 'running',
          'the own-token report landed');
select is((select last_error from public.agent_status where agent_name = 'Blog Generator'), null,
          'the forbidden report left the other agent untouched');
select is((select status::text from public.agent_status where agent_name = 'Tweet Scheduler'), 'stopped',
          'the revoked token changed nothing');

-- Revocation takes effect on the next call.
select tests.as_user('operator');
select ok(public.revoke_agent_token((select id from public.agent_tokens where agent_id = tests.agent_id('Content Collector'))),
          'an operator revokes a token');
select ok(not public.revoke_agent_token((select id from public.agent_tokens where agent_id = tests.agent_id('Content Collector'))),
          'revoking twice reports that nothing changed');
select tests.as_anon();
select throws_ok($$select * from public.agent_report('heartbeat', p_token => 'cc-secret')$$,
                 'PT401', 'invalid or revoked agent token', 'a token revoked a moment ago is refused');

select * from finish();
rollback;
