-- Claims: a due delivery is claimed by one dispatcher at a time (skip locked + a lease), each claim
-- counts an attempt; results apply only for the claim that holds the row; failures retry with a
-- growing delay (first within 30 s) until the last attempt, then stay failed.
begin;
select no_plan();

update public.alert_settings set allow_private_urls = true, dashboard_url = 'https://status.example.com/';
insert into public.alert_channels (name, kind, url, events) values ('hook', 'webhook', 'https://a.example.com/', '{error}');
select tests.as_service();
select * from public.agent_report('error', 'Content Collector', p_message => 'boom');

create temporary table claimed on commit drop as select * from public.claim_alert_deliveries(10, 60);
select is((select count(*)::integer from claimed), 1, 'the due delivery is claimed');
select results_eq($$select event, agent_name, message, status, health, dashboard_url, attempts from claimed$$,
                  $$values ('error', 'Content Collector', 'boom', 'error', 30, 'https://status.example.com/', 1)$$,
                  'the claim answers everything the message needs');
select is((select count(*)::integer from public.claim_alert_deliveries(10, 60)), 0, 'a claimed delivery is not claimed again during its lease');
select is(public.record_alert_results(gen_random_uuid(), (select jsonb_agg(jsonb_build_object('id', delivery_id, 'ok', true)) from claimed)), 0,
          'another claim cannot record its result');
select is(public.record_alert_results((select claim_id from claimed),
            (select jsonb_agg(jsonb_build_object('id', delivery_id, 'ok', false, 'status_code', 500, 'error', repeat('x', 2000))) from claimed)), 1,
          'the holder records a failure');
select results_eq($$select status::text, attempts, last_status_code, char_length(last_error), claimed_by is null from public.alert_deliveries$$,
                  $$values ('pending', 1, 500, 500, true)$$, 'pending again, the error cut to 500 characters');
select ok((select next_attempt_at between now() + interval '5 seconds' and now() + interval '30 seconds' from public.alert_deliveries),
          'the first retry comes within 30 s');
select ok(app.alert_retry_delay(1) < app.alert_retry_delay(2) and app.alert_retry_delay(2) < app.alert_retry_delay(5), 'the delay grows');
select is(app.alert_retry_delay(100), interval '1 hour', 'up to an hour');

-- the last attempt fails for good
update public.alert_deliveries set attempts = app.alert_max_attempts() - 1, next_attempt_at = now();
create temporary table last_claim on commit drop as select * from public.claim_alert_deliveries(10, 60);
select is((select attempts from last_claim), 8, 'the eighth attempt');
select public.record_alert_results((select claim_id from last_claim), (select jsonb_agg(jsonb_build_object('id', delivery_id, 'ok', false)) from last_claim));
select is((select status::text from public.alert_deliveries), 'failed', 'failed after the eighth attempt');
select is((select count(*)::integer from public.claim_alert_deliveries(10, 60)), 0, 'a failed delivery is never claimed');

-- success
update public.alert_deliveries set status = 'pending', attempts = 0, next_attempt_at = now();
create temporary table ok_claim on commit drop as select * from public.claim_alert_deliveries(10, 60);
select public.record_alert_results((select claim_id from ok_claim), (select jsonb_agg(jsonb_build_object('id', delivery_id, 'ok', true, 'status_code', 204)) from ok_claim));
select results_eq($$select status::text, attempts, last_status_code, sent_at is not null from public.alert_deliveries$$,
                  $$values ('sent', 1, 204, true)$$, 'sent once');
select is((select count(*)::integer from public.claim_alert_deliveries(10, 60)), 0, 'a sent delivery is never claimed');

-- a disabled channel's pending deliveries are suppressed, not sent later in a burst
-- (a second error in this transaction: now() has not moved, so the time is set by hand)
select tests.as_superuser();
update public.agent_status set last_error = 'again', last_error_at = clock_timestamp() where agent_name = 'Content Collector';
update public.alert_channels set enabled = false;
select tests.as_service();
select is((select count(*)::integer from public.claim_alert_deliveries(10, 60)), 0, 'nothing claimed for a disabled channel');
select is((select status::text from public.alert_deliveries where status <> 'sent'), 'suppressed', 'its pending delivery is suppressed');

select * from finish();
rollback;
