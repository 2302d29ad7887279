-- The alerts tables and RPCs × roles × operations (docs/security.md): operators manage channels and
-- read deliveries; viewers see channel summaries only (never url or secret) and write nothing; users
-- without a role and anon see and do nothing; only the service role writes the outbox and settings
-- and dispatches.
begin;
select no_plan();

-- A channel and one delivery to look at.
update public.alert_settings set allow_private_urls = true;
insert into public.alert_channels (id, name, kind, url, secret, events)
values ('00000000-0000-4000-8000-0000000000c1', 'matrix hook', 'webhook', 'https://hooks.example.com/x', 'shh', '{error}');
select tests.as_service();
select * from public.agent_report('error', 'Content Collector', p_message => 'boom');
select tests.as_superuser();

-- The statements of the matrix, one per (object, operation).
create temporary table alert_matrix (target text, operation text, statement text) on commit drop;
insert into alert_matrix values
  ('alert_channels', 'select', 'select count(*) from public.alert_channels'),
  ('alert_channels', 'select url', 'select url from public.alert_channels'),
  ('alert_channels', 'insert', $$insert into public.alert_channels (name, kind, url) values ('m', 'webhook', 'https://example.com/m')$$),
  ('alert_channels', 'update', $$update public.alert_channels set name = 'renamed'$$),
  ('alert_channels', 'delete', 'delete from public.alert_channels'),
  ('alert_deliveries', 'select', 'select count(*) from public.alert_deliveries'),
  ('alert_deliveries', 'insert', $$insert into public.alert_deliveries (channel_id, event_id, event, agent_id, agent_name, repeat_number) select '00000000-0000-4000-8000-0000000000c1', id, 'error', agent_id, 'x', 99 from public.agent_events limit 1$$),
  ('alert_deliveries', 'update', $$update public.alert_deliveries set status = 'sent'$$),
  ('alert_deliveries', 'delete', 'delete from public.alert_deliveries'),
  ('alert_settings', 'select', 'select count(*) from public.alert_settings'),
  ('alert_settings', 'update', 'update public.alert_settings set allow_private_urls = true');
grant select on alert_matrix to anon, authenticated, service_role;

-- anon and users without a role: privileges deny everything on the tables (anon), or RLS shows and
-- changes nothing (no role).
select tests.as_anon();
select throws_ok(m.statement, '42501', null, format('anon: %s on %s is denied', m.operation, m.target)) from alert_matrix m;
select throws_ok($$select * from public.alert_channel_summaries()$$, '42501', null, 'anon: alert_channel_summaries is denied');
select throws_ok($$select public.mute_agent('Content Collector', now() + interval '1 hour')$$, '42501', null, 'anon: mute_agent is denied');
select throws_ok($$select public.release_suppressed_alerts()$$, '42501', null, 'anon: release_suppressed_alerts is denied');

select tests.as_user(null);
select throws_ok($$select public.release_suppressed_alerts()$$, '42501', null, 'no role: release_suppressed_alerts is denied');
select is(tests.visible('alert_channels'), 0, 'no role: sees no channel');
select is(tests.visible('alert_deliveries'), 0, 'no role: sees no delivery');
select is((select count(*)::integer from public.alert_channel_summaries()), 0, 'no role: no summaries');
select throws_ok($$insert into public.alert_channels (name, kind, url) values ('m', 'webhook', 'https://example.com/m')$$,
                 '42501', null, 'no role: cannot add a channel');
select is(tests.affected($$update public.alert_channels set name = 'renamed'$$), 0, 'no role: updates no channel');
select throws_ok($$select public.mute_agent('Content Collector', now() + interval '1 hour')$$, '42501',
                 'only operators can mute agents', 'no role: mute_agent is forbidden');

-- viewer
select tests.as_user('viewer');
select is(tests.visible('alert_channels'), 0, 'viewer: reads no channel row from the table');
select results_eq($$select name, kind::text, events from public.alert_channel_summaries()$$,
                  $$values ('matrix hook', 'webhook', '{error}'::text[])$$, 'viewer: sees name, kind and events in the summaries');
select is(tests.visible('alert_deliveries'), 0, 'viewer: sees no deliveries');
select throws_ok($$insert into public.alert_channels (name, kind, url) values ('m', 'webhook', 'https://example.com/m')$$,
                 '42501', null, 'viewer: cannot add a channel');
select is(tests.affected($$update public.alert_channels set url = 'https://evil.example.com/'$$), 0, 'viewer: changes no channel');
select is(tests.affected('delete from public.alert_channels'), 0, 'viewer: deletes no channel');
select throws_ok(m.statement, '42501', null, format('viewer: %s on %s is denied', m.operation, m.target))
  from alert_matrix m where m.target <> 'alert_channels' and m.operation <> 'select';
select throws_ok('select count(*) from public.alert_settings', '42501', null, 'viewer: cannot read the settings');
select throws_ok($$select public.mute_agent('Content Collector', now() + interval '1 hour')$$, '42501',
                 'only operators can mute agents', 'viewer: mute_agent is forbidden');
select throws_ok($$select * from public.claim_alert_deliveries()$$, '42501', null, 'viewer: claim_alert_deliveries is denied');
select throws_ok($$select public.record_alert_results(gen_random_uuid(), '[]')$$, '42501', null, 'viewer: record_alert_results is denied');
select throws_ok($$select public.queue_repeat_alerts()$$, '42501', null, 'viewer: queue_repeat_alerts is denied');
select throws_ok($$select public.release_suppressed_alerts()$$, '42501', null, 'viewer: release_suppressed_alerts is denied');

-- operator
select tests.as_user('operator');
select is(tests.visible('alert_channels'), 1, 'operator: reads channels');
select is((select url from public.alert_channels), 'https://hooks.example.com/x', 'operator: reads the url');
select is(tests.visible('alert_deliveries'), 1, 'operator: reads deliveries');
select lives_ok($$insert into public.alert_channels (name, kind, url) values ('m', 'webhook', 'https://example.com/m')$$,
                'operator: adds a channel');
select is((select created_by from public.alert_channels where name = 'm'), tests.user_id('operator'), 'operator: recorded as its creator');
select is(tests.affected($$update public.alert_channels set enabled = false where name = 'm'$$), 1, 'operator: changes a channel');
select throws_ok($$update public.alert_channels set created_by = gen_random_uuid()$$, '42501', null, 'operator: cannot set created_by');
select throws_ok($$update public.alert_channels set id = gen_random_uuid()$$, '42501', null, 'operator: cannot change an id');
select is(tests.affected($$delete from public.alert_channels where name = 'm'$$), 1, 'operator: deletes a channel');
select throws_ok(m.statement, '42501', null, format('operator: %s on %s is denied', m.operation, m.target))
  from alert_matrix m where m.target <> 'alert_channels' and (m.target, m.operation) <> ('alert_deliveries', 'select');
select ok(public.mute_agent('Content Collector', now() + interval '1 hour') > now(), 'operator: mutes an agent');
select is(public.mute_agent('Content Collector', null), null, 'operator: unmutes an agent');
select throws_ok($$select public.mute_agent('Content Collector', now() + interval '2 years')$$, '22023',
                 'an agent can be muted for at most a year', 'operator: at most a year');
select throws_ok($$select public.mute_agent('Nobody', now() + interval '1 hour')$$, 'PT404', 'unknown agent "Nobody"', 'operator: unknown agent is 404');
select throws_ok($$select * from public.claim_alert_deliveries()$$, '42501', null, 'operator: claim_alert_deliveries is denied');
select throws_ok($$select public.record_alert_results(gen_random_uuid(), '[]')$$, '42501', null, 'operator: record_alert_results is denied');
select throws_ok($$select public.queue_repeat_alerts()$$, '42501', null, 'operator: queue_repeat_alerts is denied');
select throws_ok($$select public.release_suppressed_alerts()$$, '42501', null, 'operator: release_suppressed_alerts is denied');

-- service role
select tests.as_service();
select is(tests.visible('alert_settings'), 1, 'service: reads the settings');
select lives_ok('update public.alert_settings set dashboard_url = $$https://status.example.com/$$', 'service: writes the settings');
select is((select count(*)::integer from public.claim_alert_deliveries()), 1, 'service: claims the due delivery');
select is(public.record_alert_results(gen_random_uuid(), '[]'), 0, 'service: records results');
select lives_ok('select public.queue_repeat_alerts()', 'service: queues reminders');
select lives_ok('select public.release_suppressed_alerts()', 'service: releases suppressed alerts');
select lives_ok(m.statement, format('service: %s on %s', m.operation, m.target)) from alert_matrix m where m.operation <> 'delete';
select lives_ok(m.statement, format('service: %s on %s', m.operation, m.target)) from alert_matrix m where m.operation = 'delete';

select * from finish();
rollback;
