-- Bad input fails with a clear message and the SQLSTATE PostgREST maps to the right HTTP status
-- (22023/22P02/23514 → 400, PT404 → 404); overlong messages never fail, they are cut and marked.
begin;
select no_plan();

select tests.as_service();

-- report kind and status
select throws_ok($$select * from public.agent_report('sleeping', 'Content Collector')$$, '22P02',
                 'invalid input value for enum agent_report_kind: "sleeping"', 'unknown report kind');
select throws_ok($$update public.agent_status set status = 'sleeping'$$, '22P02',
                 'invalid input value for enum agent_run_status: "sleeping"', 'unknown status');
select throws_ok($$select * from public.command_agents('pause', 'Content Collector')$$, '22P02',
                 'invalid input value for enum agent_command: "pause"', 'unknown command');

-- health
select throws_ok($$select * from public.agent_report('heartbeat', 'Content Collector', p_health => -1)$$, '22023',
                 'health must be between 0 and 100, got -1', 'health -1');
select throws_ok($$select * from public.agent_report('heartbeat', 'Content Collector', p_health => 101)$$, '22023',
                 'health must be between 0 and 100, got 101', 'health 101');
select throws_ok($$select * from public.agent_report('heartbeat', 'Content Collector', p_health => '50.5')$$, '22P02',
                 'invalid input syntax for type integer: "50.5"', 'health 50.5');
select throws_ok($$select * from public.agent_report('heartbeat', 'Content Collector', p_health => 'high')$$, '22P02',
                 'invalid input syntax for type integer: "high"', 'health "high"');
select throws_ok($$update public.agent_status set health = 101$$, '23514',
                 'new row for relation "agent_status" violates check constraint "health_between_0_and_100"',
                 'the table refuses health 101 too');
select lives_ok($$select * from public.agent_report('heartbeat', 'Content Collector', p_health => 0);
                  select * from public.agent_report('heartbeat', 'Content Collector', p_health => 100)$$, 'health 0 and 100 are fine');

-- agent names
select throws_ok($$insert into public.agent_status (agent_name) values (null)$$, '23502', null, 'null name');
select throws_ok($$insert into public.agent_status (agent_name) values ('')$$, '23514',
                 'new row for relation "agent_status" violates check constraint "agent_name_not_blank"', 'empty name');
select throws_ok($$insert into public.agent_status (agent_name) values ('   ')$$, '23514',
                 'new row for relation "agent_status" violates check constraint "agent_name_not_blank"', 'whitespace name');
select throws_ok($$insert into public.agent_status (agent_name) values (' Padded ')$$, '23514',
                 'new row for relation "agent_status" violates check constraint "agent_name_not_blank"', 'padded name');
select throws_ok(format('insert into public.agent_status (agent_name) values (%L)', repeat('x', 101)), '23514',
                 'new row for relation "agent_status" violates check constraint "agent_name_max_100_chars"', '101-char name');
select lives_ok(format('insert into public.agent_status (agent_name) values (%L)', repeat('x', 100)), '100-char name is fine');
select throws_ok($$insert into public.agent_status (agent_name) values ('Content Collector')$$, '23505', null, 'duplicate name');

-- unknown agents and missing names
select throws_ok($$select * from public.agent_report('heartbeat', 'Nobody')$$, 'PT404', 'unknown agent "Nobody"',
                 'report for an unknown agent');
select throws_ok($$select * from public.agent_report('heartbeat')$$, '22023',
                 'agent_name is required when reporting with the service role', 'service report without a name');
select throws_ok($$select * from public.command_agents('start', 'Nobody')$$, 'PT404', 'unknown agent "Nobody"',
                 'command for an unknown agent');
select throws_ok($$select * from public.issue_agent_token('Nobody')$$, 'PT404', 'unknown agent "Nobody"',
                 'token for an unknown agent');
select throws_ok($$select * from public.issue_agent_token('Content Collector', repeat('l', 101))$$, '23514',
                 'new row for relation "agent_tokens" violates check constraint "label_max_100_chars"', 'overlong token label');

-- overlong messages are cut and marked, never refused
select lives_ok(format($$select * from public.agent_report('error', 'Content Collector', p_message => %L)$$, repeat('e', 5000)),
                'a 5000-char error is accepted');
select results_eq($$select char_length(last_error), last_error = left(repeat('e', 2000), 2000 - char_length(' …[truncated]')) || ' …[truncated]'
                       from public.agent_status where agent_name = 'Content Collector'$$,
                  $$values (2000, true)$$, 'stored as exactly 2000 chars: the start of the message and the marker');
select is((select char_length(message) from public.agent_events where kind = 'error'), 2000, 'the event message is bounded too');
select lives_ok(format($$select * from public.agent_report('warning', 'Content Collector', p_message => %L)$$, repeat('w', 2000)),
                'a 2000-char warning is accepted');
select is((select last_warning from public.agent_status where agent_name = 'Content Collector'), repeat('w', 2000),
          'a message of exactly 2000 chars is kept whole');
select lives_ok(format($$select * from public.agent_report('activity', 'Content Collector', p_message => %L)$$, repeat('a', 501)),
                'a 501-char activity is accepted');
select results_eq($$select char_length(last_activity), last_activity like 'aaa% …[truncated]' from public.agent_status where agent_name = 'Content Collector'$$,
                  $$values (500, true)$$, 'activity is bounded to 500 chars with the marker');

-- agent info that does not fit is ignored or cut, never an error
select lives_ok($$select * from public.agent_report('heartbeat', 'Content Collector',
                    p_info => jsonb_build_object('heartbeat_interval_seconds', 'soon', 'pid', -5, 'host', repeat('h', 300)))$$,
                'malformed agent info does not fail a report');
select results_eq($$select heartbeat_interval_seconds, pid, char_length(host) from public.agent_status where agent_name = 'Content Collector'$$,
                  $$values (10, null::integer, 255)$$, 'bad values are ignored and long ones cut');

select * from finish();
rollback;
