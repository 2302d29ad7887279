-- Schedules × roles × operations (docs/security.md): viewers read schedules, their overview and their
-- coming transitions; operators also add, change and delete them; agents (the anon role with an agent
-- token, which only agent_report takes) and anon read and write nothing; users without a role see
-- nothing; only the service role (and the cron job, as the database owner) runs the schedules, and it
-- does everything.
begin;
select no_plan();

insert into public.agent_schedules (id, name, agent_id, days, start_time, end_time, time_zone)
values ('00000000-0000-4000-8000-0000000005c1', 'matrix', tests.agent_id('Content Collector'), '{1,2,3,4,5}', '08:00', '20:00', 'Europe/Berlin');
select tests.give_token('Content Collector', 'matrix-agent-token');

-- Writes to the overview are refused for everyone: it is a view of computed rows (55000, not updatable).
create temporary table schedule_matrix (target text, operation text, statement text) on commit drop;
insert into schedule_matrix values
  ('agent_schedules', 'select', 'select count(*) from public.agent_schedules'),
  ('agent_schedules', 'insert', $$insert into public.agent_schedules (name, tag, days, start_time, end_time) values ('m', 'prod', '{1}', '08:00', '09:00')$$),
  ('agent_schedules', 'update', $$update public.agent_schedules set time_zone = 'America/New_York'$$),
  ('agent_schedules', 'delete', 'delete from public.agent_schedules'),
  ('agent_schedule_overview', 'select', 'select count(*) from public.agent_schedule_overview'),
  ('agent_schedule_overview', 'insert', $$insert into public.agent_schedule_overview (name) values ('m')$$),
  ('agent_schedule_overview', 'update', $$update public.agent_schedule_overview set name = 'm'$$),
  ('agent_schedule_overview', 'delete', 'delete from public.agent_schedule_overview'),
  ('schedule_transitions', 'execute', 'select count(*) from public.schedule_transitions()'),
  ('run_agent_schedules', 'execute', 'select public.run_agent_schedules()');
grant select on schedule_matrix to anon, authenticated, service_role;
create function pg_temp.denied(m schedule_matrix) returns text language sql immutable as $$
  select case when m.target = 'agent_schedule_overview' and m.operation <> 'select' then '55000' else '42501' end $$;
grant execute on function pg_temp.denied(schedule_matrix) to anon, authenticated, service_role;

-- anon, and an agent (anon with its token): denied by privileges, whatever the statement.
select tests.as_anon();
select throws_ok(m.statement, pg_temp.denied(m), null, format('anon: %s on %s is denied', m.operation, m.target)) from schedule_matrix m;
select is((select count(*)::integer from public.agent_report('heartbeat', p_token => 'matrix-agent-token')), 1,
          'an agent''s token works for its own reports');
select throws_ok(m.statement, pg_temp.denied(m), null, format('agent (anon + token): %s on %s is denied', m.operation, m.target))
  from schedule_matrix m;

-- A user without a role: RLS shows and changes nothing; the running of schedules is denied.
select tests.as_user(null);
select is(tests.visible('agent_schedules'), 0, 'no role: sees no schedule');
select is(tests.visible('agent_schedule_overview'), 0, 'no role: the overview is empty');
select is((select count(*)::integer from public.schedule_transitions()), 0, 'no role: no transitions');
select throws_ok((select statement from schedule_matrix where (target, operation) = ('agent_schedules', 'insert')), '42501', null,
                 'no role: cannot add a schedule');
select is(tests.affected($$update public.agent_schedules set time_zone = 'America/New_York'$$), 0, 'no role: changes no schedule');
select is(tests.affected('delete from public.agent_schedules'), 0, 'no role: deletes no schedule');
select throws_ok('select public.run_agent_schedules()', '42501', null, 'no role: run_agent_schedules is denied');

-- viewer: reads, writes nothing.
select tests.as_user('viewer');
select is(tests.visible('agent_schedules'), 1, 'viewer: reads schedules');
select results_eq($$select name, agent_name, state::text from public.agent_schedule_overview$$,
                  $$values ('matrix', 'Content Collector', 'running')$$, 'viewer: reads the overview with the agent''s name');
select ok((select count(*) from public.schedule_transitions()) > 0, 'viewer: reads the coming transitions');
select throws_ok((select statement from schedule_matrix where (target, operation) = ('agent_schedules', 'insert')), '42501', null,
                 'viewer: cannot add a schedule');
select is(tests.affected($$update public.agent_schedules set time_zone = 'America/New_York'$$), 0, 'viewer: changes no schedule');
select is(tests.affected('delete from public.agent_schedules'), 0, 'viewer: deletes no schedule');
select throws_ok(m.statement, '55000', null, format('viewer: %s on %s is denied', m.operation, m.target))
  from schedule_matrix m where m.target = 'agent_schedule_overview' and m.operation <> 'select';
select throws_ok('select public.run_agent_schedules()', '42501', null, 'viewer: run_agent_schedules is denied');

-- operator: reads and writes schedules; the server's columns and the running are not theirs.
select tests.as_user('operator');
select is(tests.visible('agent_schedules'), 1, 'operator: reads schedules');
select lives_ok((select statement from schedule_matrix where (target, operation) = ('agent_schedules', 'insert')), 'operator: adds a schedule');
select results_eq($$select created_by, created_by_email from public.agent_schedules where name = 'm'$$,
                  format($$values (%L::uuid, 'operator@example.test')$$, tests.user_id('operator')), 'operator: recorded as its creator');
select is(tests.affected($$update public.agent_schedules set time_zone = 'America/New_York' where name = 'm'$$), 1, 'operator: changes a schedule');
select throws_ok($$update public.agent_schedules set last_boundary_at = '2099-01-01'$$, '42501', null,
                 'operator: cannot set the boundary a schedule acted on');
select throws_ok($$update public.agent_schedules set created_by_email = 'someone@else'$$, '42501', null, 'operator: cannot set its creator');
select throws_ok($$insert into public.agent_schedules (name, tag, days, start_time, end_time, last_boundary_at) values ('n', 'prod', '{1}', '08:00', '09:00', now())$$,
                 '42501', null, 'operator: cannot choose the boundary of a new schedule');
select is(tests.affected($$delete from public.agent_schedules where name = 'm'$$), 1, 'operator: deletes a schedule');
select throws_ok(m.statement, '55000', null, format('operator: %s on %s is denied', m.operation, m.target))
  from schedule_matrix m where m.target = 'agent_schedule_overview' and m.operation <> 'select';
select throws_ok('select public.run_agent_schedules()', '42501', null, 'operator: run_agent_schedules is denied');
select throws_ok($$select public.run_agent_schedules('2099-01-01')$$, '42501', null, 'operator: cannot drive the clock either');

-- A demoted operator (JWT still says operator) is refused at once, as for every operator check.
select tests.as_superuser();
select tests.set_account_role('operator', 'viewer');
select tests.as_user('operator');
select throws_ok((select statement from schedule_matrix where (target, operation) = ('agent_schedules', 'insert')), '42501', null,
                 'a demoted operator cannot add a schedule');
select is(tests.affected('delete from public.agent_schedules'), 0, 'a demoted operator deletes nothing');
select tests.as_superuser();
select tests.set_account_role('operator', 'operator');

-- service role: everything.
select tests.as_service();
select lives_ok(m.statement, format('service: %s on %s', m.operation, m.target))
  from schedule_matrix m where m.target <> 'agent_schedule_overview' or m.operation = 'select';
select throws_ok(m.statement, '55000', null, format('service: %s on %s is refused (a view)', m.operation, m.target))
  from schedule_matrix m where m.target = 'agent_schedule_overview' and m.operation <> 'select';
select lives_ok($$update public.agent_schedules set last_boundary_at = '2027-01-01'$$, 'service: sets the boundary a schedule acted on');

select * from finish();
rollback;
