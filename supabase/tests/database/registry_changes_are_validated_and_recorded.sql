-- The agent registry as an operator uses it: a new agent starts stopped with its desired
-- state; names are trimmed and bounded, settings stay in their ranges, with messages a person can act
-- on; a rename carries history, tokens and alert channels along; every change is an event with its
-- actor; deleting removes the agent with its desired state and tokens, and its worker is refused.
-- Also: last_activity is the text of the latest activity report, last_activity_at its time.
begin;
select no_plan();

create function pg_temp.events(agent text, event_kind text) returns table (message text, actor_email text) language sql security definer as $$
  select e.message, e.actor_email from public.agent_events e
   where e.agent_id = tests.agent_id(agent) and e.kind::text = event_kind order by e.id
$$;
grant execute on function pg_temp.events(text, text) to authenticated;

select tests.as_user('operator');

-- create --------------------------------------------------------------------------------------------
select results_eq($$select agent_name, desired_state::text, generation from public.create_agent('  My Agent  ', 'collects things')$$,
                  $$values ('My Agent', 'stopped', 0::bigint)$$, 'create: the name is trimmed; desired stopped, generation 0');
select results_eq($$select status::text, health, description, heartbeat_interval_seconds, offline_after_seconds, pending
                      from public.agent_overview where agent_name = 'My Agent'$$,
                  $$values ('stopped', 0, 'collects things', 10, null::integer, false)$$, 'create: stopped, health 0, the defaults');
select results_eq($$select * from pg_temp.events('My Agent', 'created')$$, $$values ('agent added', 'operator@example.test')$$,
                  'create: an event with the actor');
select throws_ok($$select * from public.create_agent('My Agent')$$, '23505', 'an agent named "My Agent" already exists',
                 'create: a taken name is refused');
select throws_ok($$select * from public.create_agent(' My Agent')$$, '23505', 'an agent named "My Agent" already exists',
                 'create: a taken name after trimming is refused');
select throws_ok($$select * from public.create_agent('   ')$$, '22023', 'agent_name must be a non-empty name', 'create: a blank name');
select throws_ok($$select * from public.create_agent(null)$$, '22023', 'agent_name must be a non-empty name', 'create: no name');
select throws_ok($$select * from public.create_agent(repeat('n', 101))$$, '22023', 'agent_name must be at most 100 characters (got 101)',
                 'create: a name over 100 characters');
select lives_ok($$select * from public.create_agent(repeat('🤖', 100))$$, 'create: 100 characters (code points) is fine');
select throws_ok($$select * from public.create_agent('Other', repeat('d', 1001))$$, '22023', 'description must be at most 1000 characters (got 1001)',
                 'create: a description over 1,000 characters');
select throws_ok($$select * from public.create_agent('Other', null, 0)$$, '22023', 'heartbeat_interval_seconds must be between 1 and 3600, got 0',
                 'create: heartbeat interval below range');
select throws_ok($$select * from public.create_agent('Other', null, 3601)$$, '22023', 'heartbeat_interval_seconds must be between 1 and 3600, got 3601',
                 'create: heartbeat interval above range');
select throws_ok($$select * from public.create_agent('Other', null, 10, 86401)$$, '22023',
                 'offline_after_seconds must be between 1 and 86400 (or null for 3 heartbeat intervals), got 86401', 'create: grace above range');
select results_eq($$select heartbeat_interval_seconds, offline_after_seconds, effective_offline_after_seconds
                      from public.update_agent('My Agent', '{}')$$, $$values (10, null::integer, 30)$$, 'update: no change is fine');
select is((select count(*)::integer from pg_temp.events('My Agent', 'updated')), 0, 'update: no change, no event');

-- update ----------------------------------------------------------------------------------------------
select set_config('tests.my_agent_id', tests.agent_id('My Agent')::text, true);
select tests.as_superuser();
select tests.give_token('My Agent', 'my-secret');
insert into public.alert_channels (name, kind, url, agent_names) values ('ops', 'webhook', 'https://hooks.example.com/x', array['My Agent', 'Blog Generator']);
select tests.as_user('operator');
select results_eq($$select id::text, agent_name, description, heartbeat_interval_seconds, offline_after_seconds, effective_offline_after_seconds
                      from public.update_agent('My Agent', '{"new_name": " Renamed Agent ", "description": null, "heartbeat_interval_seconds": 30, "offline_after_seconds": 200}')$$,
                  $$values (current_setting('tests.my_agent_id'), 'Renamed Agent', null::text, 30, 200, 200)$$,
                  'update: rename (trimmed) and every setting at once; the id stays');
select results_eq($$select * from pg_temp.events('Renamed Agent', 'updated')$$,
                  $$values ('renamed from "My Agent" to "Renamed Agent"; description removed; heartbeat interval 10 s → 30 s; offline after the default → 200 s',
                            'operator@example.test')$$, 'update: one event that says what changed, with the actor');
select is((select count(*)::integer from pg_temp.events('Renamed Agent', 'created')), 1, 'rename: the history follows');
select tests.as_anon();
select results_eq($$select agent_name from public.agent_report('heartbeat', p_token => 'my-secret')$$, $$values ('Renamed Agent')$$,
                  'rename: the token follows');
select tests.as_superuser();
select is((select agent_names from public.alert_channels where name = 'ops'), array['Renamed Agent', 'Blog Generator'],
          'rename: alert channels that name the agent follow');
select tests.as_user('operator');
select results_eq($$select offline_after_seconds, effective_offline_after_seconds from public.update_agent('Renamed Agent', '{"offline_after_seconds": null}')$$,
                  $$values (null::integer, 90)$$, 'update: offline_after_seconds null is back to three heartbeat intervals');
select throws_ok($$select * from public.update_agent('Renamed Agent', '{"new_name": "Blog Generator"}')$$, '23505',
                 'an agent named "Blog Generator" already exists', 'update: renaming onto a taken name is refused');
select throws_ok($$select * from public.update_agent('Nobody', '{"description": "x"}')$$, 'PT404', 'unknown agent "Nobody"', 'update: unknown agent');
select throws_ok($$select * from public.update_agent('Renamed Agent', '{"heartbeat_interval": 5}')$$, '22023',
                 'unknown setting "heartbeat_interval"; use new_name, description, heartbeat_interval_seconds, offline_after_seconds', 'update: unknown setting');
select throws_ok($$select * from public.update_agent('Renamed Agent', '[]')$$, '22023', 'the changes must be a JSON object', 'update: not an object');
select throws_ok($$select * from public.update_agent('Renamed Agent', '{"new_name": 5}')$$, '22023', 'new_name must be a string', 'update: a name must be text');
select throws_ok($$select * from public.update_agent('Renamed Agent', '{"new_name": ""}')$$, '22023', 'new_name must be a non-empty name', 'update: blank new name');
select throws_ok($$select * from public.update_agent('Renamed Agent', '{"description": 5}')$$, '22023', 'description must be a string or null', 'update: description type');
select throws_ok($$select * from public.update_agent('Renamed Agent', '{"heartbeat_interval_seconds": "10"}')$$, '22023',
                 'heartbeat_interval_seconds must be a whole number of seconds', 'update: interval as text');
select throws_ok($$select * from public.update_agent('Renamed Agent', '{"heartbeat_interval_seconds": 2.5}')$$, '22023',
                 'heartbeat_interval_seconds must be a whole number of seconds', 'update: a fractional interval');
select throws_ok($$select * from public.update_agent('Renamed Agent', '{"heartbeat_interval_seconds": null}')$$, '22023',
                 'heartbeat_interval_seconds must be a whole number of seconds', 'update: the interval cannot be null');
select throws_ok($$select * from public.update_agent('Renamed Agent', '{"heartbeat_interval_seconds": -5}')$$, '22023',
                 'heartbeat_interval_seconds must be between 1 and 3600, got -5', 'update: a negative interval');
select throws_ok($$select * from public.update_agent('Renamed Agent', '{"offline_after_seconds": 0}')$$, '22023',
                 'offline_after_seconds must be between 1 and 86400 (or null for 3 heartbeat intervals), got 0', 'update: grace below range');

-- tokens --------------------------------------------------------------------------------------------
select set_config('tests.issued', (select token_id::text from public.issue_agent_token('Renamed Agent', 'laptop')), true);
select results_eq($$select label, created_by::text, created_by_email from public.agent_tokens where id = current_setting('tests.issued')::uuid$$,
                  $$values ('laptop', tests.user_id('operator')::text, 'operator@example.test')$$, 'issue: the token records who issued it');
select results_eq($$select * from pg_temp.events('Renamed Agent', 'token_issued')$$, $$values ('token "laptop" issued', 'operator@example.test')$$,
                  'issue: an event with the actor');
select ok(public.revoke_agent_token(current_setting('tests.issued')::uuid), 'revoke: true when it revoked the token');
select ok(not public.revoke_agent_token(current_setting('tests.issued')::uuid), 'revoke: false when it was revoked already');
select results_eq($$select * from pg_temp.events('Renamed Agent', 'token_revoked')$$, $$values ('token "laptop" revoked', 'operator@example.test')$$,
                  'revoke: one event, not one per call');
select ok(not public.revoke_agent_token('00000000-0000-4000-8000-000000000999'), 'revoke: false for an unknown token');

-- last_activity: the text of the latest activity report, and its time ---------------------------------
select tests.as_anon();
select * from public.agent_report('activity', p_token => 'my-secret', p_message => 'collected 14 articles');
select * from public.agent_report('heartbeat', p_token => 'my-secret');
select * from public.agent_report('warning', p_token => 'my-secret', p_message => 'slow feed');
select tests.as_superuser();
select results_eq($$select last_activity, last_activity_at = now()
                      from public.agent_status where agent_name = 'Renamed Agent'$$,
                  $$values ('collected 14 articles', true)$$, 'activity: last_activity is the text; heartbeats and warnings keep it');
select results_eq($$select format_type(atttypid, atttypmod) from pg_attribute
                     where attrelid = 'public.agent_status'::regclass and attname in ('last_activity', 'last_activity_at') order by attname$$,
                  $$values ('text'), ('timestamp with time zone')$$, 'the seed''s last_activity is TEXT; its time is last_activity_at');
select hasnt_column('public', 'agent_status', 'activity', 'no column "activity" any more');

-- delete ----------------------------------------------------------------------------------------------
select tests.as_user('operator');
select ok(public.delete_agent('Renamed Agent'), 'delete: removes the agent');
select throws_ok($$select public.delete_agent('Renamed Agent')$$, 'PT404', 'unknown agent "Renamed Agent"', 'delete: twice is PT404');
select tests.as_superuser();
select is((select count(*)::integer from public.agent_desired_state where agent_id = current_setting('tests.my_agent_id')::uuid), 0,
          'delete: its desired state is gone');
select is((select count(*)::integer from public.agent_tokens where agent_id = current_setting('tests.my_agent_id')::uuid), 0,
          'delete: its tokens are gone');
select tests.as_anon();
select throws_ok($$select * from public.agent_report('heartbeat', p_token => 'my-secret')$$, 'PT401', 'invalid or revoked agent token',
                 'delete: its worker is refused from then on');

select * from finish();
rollback;
