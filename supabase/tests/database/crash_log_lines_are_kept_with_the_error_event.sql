-- The last lines before a crash: an error report carries them in p_info.log_lines, and the error's
-- event keeps them — the newest 50 at most, 16 KiB of JSON at most, each reduced to { at, level, text,
-- fields? } with the text bounded — whatever the worker sent. Other reports never store lines, and an
-- error without lines leaves none over from an earlier one. The alert dispatcher gets them with the error.
begin;
select no_plan();

select tests.give_token('Content Collector', 'cc-secret');
create function pg_temp.lines(n integer, text_chars integer default 10) returns jsonb language sql as $$
  select jsonb_agg(jsonb_build_object('seq', g, 'at', '2026-12-06T10:00:00.000Z', 'level', 'info',
                                      'text', 'line ' || g || ' ' || repeat('x', text_chars)) order by g)
    from generate_series(1, n) g
$$;
-- A report as the agent. Time stands still in a transaction, so the previous error is moved an hour back
-- first (quietly): each error report is then a new error, with an event of its own.
create function pg_temp.report(kind public.agent_report_kind, message text, info jsonb default null) returns void
language plpgsql as $$
begin
  perform tests.as_superuser();
  alter table public.agent_status disable trigger agent_status_record_event;
  update public.agent_status set last_error_at = last_error_at - interval '1 hour' where id = tests.agent_id('Content Collector');
  alter table public.agent_status enable trigger agent_status_record_event;
  perform tests.as_anon();
  perform * from public.agent_report(kind, p_token => 'cc-secret', p_message => message, p_info => info);
  perform tests.as_superuser();
end $$;
create function pg_temp.last_error_lines() returns jsonb language sql as $$
  select log_lines from public.agent_events where agent_id = tests.agent_id('Content Collector') and kind = 'error'
   order by id desc limit 1
$$;

select pg_temp.report('error', 'boom', jsonb_build_object('log_lines', jsonb_build_array(
  jsonb_build_object('seq', 1, 'at', '2026-12-06T10:00:00.000Z', 'level', 'info', 'text', 'fetching feed', 'fields', jsonb_build_object('feed', 'a')),
  jsonb_build_object('seq', 2, 'at', '2026-12-06T10:00:01.000Z', 'level', 'error', 'text', 'connection reset'))));
select is(pg_temp.last_error_lines(),
          '[{"at":"2026-12-06T10:00:00.000Z","level":"info","text":"fetching feed","fields":{"feed":"a"}},
            {"at":"2026-12-06T10:00:01.000Z","level":"error","text":"connection reset"}]'::jsonb,
          'the error event keeps the lines sent with the error, oldest first');
select is((select message from public.agent_events where kind = 'error' order by id desc limit 1), 'boom', '... beside its message');

-- Bounds.
select pg_temp.report('error', 'many', jsonb_build_object('log_lines', pg_temp.lines(80)));
select is(jsonb_array_length(pg_temp.last_error_lines()), 50, 'at most 50 lines are kept');
select is(pg_temp.last_error_lines() -> 0 ->> 'text', 'line 31 xxxxxxxxxx', '... the newest: the first kept is line 31 of 80');
select is(pg_temp.last_error_lines() -> 49 ->> 'text', 'line 80 xxxxxxxxxx', '... and the last is line 80');

select pg_temp.report('error', 'big', jsonb_build_object('log_lines', pg_temp.lines(40, 1500)));
select ok(octet_length(pg_temp.last_error_lines()::text) <= 16384, 'at most 16 KiB of JSON are kept');
select ok(jsonb_array_length(pg_temp.last_error_lines()) between 9 and 11, '... the newest lines that fit (10 of 1.5 KB)');
select is(pg_temp.last_error_lines() -> -1 ->> 'text', 'line 40 ' || repeat('x', 1500), '... ending with the last one');

select pg_temp.report('error', 'odd', jsonb_build_object('log_lines', jsonb_build_array(
  to_jsonb('not an object'::text), to_jsonb(42), 'null'::jsonb,
  jsonb_build_object('level', 'debug', 'text', repeat('y', 2500), 'fields', jsonb_build_object('big', repeat('z', 3000)), 'extra', 'dropped'),
  jsonb_build_object('level', 'warn', 'text', 12345, 'at', repeat('9', 60)))));
select is(jsonb_array_length(pg_temp.last_error_lines()), 2, 'what is not an object is dropped');
select is(pg_temp.last_error_lines() -> 0 ->> 'level', 'info', 'an unknown level becomes info');
select is(char_length(pg_temp.last_error_lines() -> 0 ->> 'text'), 2000, 'a text is cut to 2,000 characters');
select ok(pg_temp.last_error_lines() -> 0 ->> 'text' like '% …[truncated]', '... and marked');
select ok(not (pg_temp.last_error_lines() -> 0 ? 'fields'), 'fields over 2 KiB are dropped');
select ok(not (pg_temp.last_error_lines() -> 0 ? 'extra'), 'unknown keys are dropped');
select is(pg_temp.last_error_lines() -> 1 ->> 'text', '12345', 'a text that is not a string is kept as text');
select is(char_length(pg_temp.last_error_lines() -> 1 ->> 'at'), 40, 'a time is at most 40 characters');

select pg_temp.report('error', 'garbage', '{"log_lines": "not a list"}');
select is(pg_temp.last_error_lines(), null, 'lines that are not a list: none kept, and the error is still recorded');
select is((select message from public.agent_events where kind = 'error' order by id desc limit 1), 'garbage', '... with its message');

-- Only errors keep lines; an error without lines keeps none over from the one before.
select pg_temp.report('error', 'with lines', jsonb_build_object('log_lines', pg_temp.lines(3)));
select pg_temp.report('recovered', null);
select pg_temp.report('error', 'without lines');
select pg_temp.report('warning', 'slow', jsonb_build_object('log_lines', pg_temp.lines(3)));
select is(pg_temp.last_error_lines(), null, 'an error without lines has none, even after one with lines in the same transaction');
select is((select count(*)::integer from public.agent_events where kind <> 'error' and log_lines is not null), 0,
          'no other event keeps lines (a warning sent with lines keeps none)');

-- Viewers read them with the event; the alert dispatcher gets them with the error alert.
select tests.as_user('viewer');
select is((select jsonb_array_length(log_lines) from public.agent_events where message = 'with lines'), 3, 'a viewer reads the lines with the event');
select tests.as_superuser();
update public.alert_settings set allow_private_urls = true;
insert into public.alert_channels (name, kind, url, events) values ('hook', 'webhook', 'https://hooks.example.com/x', '{error}');
select pg_temp.report('recovered', null);
select pg_temp.report('error', 'alerted', jsonb_build_object('log_lines', pg_temp.lines(2)));
select tests.as_service();
select results_eq($$select message, jsonb_array_length(log_lines) from public.claim_alert_deliveries() where event = 'error'$$,
                  $$values ('alerted', 2)$$, 'the dispatcher claims the error alert with its lines');
select tests.as_superuser();

select * from finish();
rollback;
