-- doctor_report() and doctor_rows() (what `agent-status doctor` reads with the secret key) × every role:
-- only the service role calls them; anon (also an agent with its token), users without a role, viewers
-- and operators are denied. The report names tables without RLS, the project's cron jobs with their last
-- finished run, pg_net, the Vault secrets' names (never a value) and the wake-up policy; it changes nothing.
begin;
select no_plan();

select tests.as_anon();
select throws_ok('select public.doctor_report()', '42501', null, 'anon (and an agent with its token): doctor_report is denied');
select throws_ok('select * from public.doctor_rows()', '42501', null, 'anon: doctor_rows is denied');
select tests.as_user(null);
select throws_ok('select public.doctor_report()', '42501', null, 'no role: doctor_report is denied');
select throws_ok('select * from public.doctor_rows()', '42501', null, 'no role: doctor_rows is denied');
select tests.as_user('viewer');
select throws_ok('select public.doctor_report()', '42501', null, 'viewer: doctor_report is denied');
select throws_ok('select * from public.doctor_rows()', '42501', null, 'viewer: doctor_rows is denied');
select tests.as_user('operator');
select throws_ok('select public.doctor_report()', '42501', null, 'operator: doctor_report is denied');
select throws_ok('select * from public.doctor_rows()', '42501', null, 'operator: doctor_rows is denied');

-- A Vault secret, a failed and a later successful run of one job, a failed last run of another.
select tests.as_superuser();
select vault.create_secret('https://example.supabase.co', 'project_url');
insert into cron.job_run_details (jobid, status, return_message, start_time, end_time)
select jobid, s.status, s.message, now() - s.ago, now() - s.ago
  from cron.job j,
       (values ('agent-status-sweep-offline', 'failed', 'boom', interval '20 seconds'),
               ('agent-status-sweep-offline', 'succeeded', null, interval '10 seconds'),
               ('agent-status-sweep-offline', 'running', null, interval '0 seconds'),
               ('agent-status-prune-events', 'failed', 'relation does not exist', interval '5 seconds')) as s(job, status, message, ago)
 where j.jobname = s.job;
create temporary table before_report on commit drop as select count(*) as runs from cron.job_run_details;
create temporary table project_jobs on commit drop as
  select jsonb_agg(jobname order by jobname) as names from cron.job where jobname like 'agent-status-%';
grant select on project_jobs to service_role;

select tests.as_service();
select is(jsonb_typeof(public.doctor_report()), 'object', 'service role: doctor_report answers an object');
select is(public.doctor_report() -> 'tables_without_rls', '[]'::jsonb, 'every public table has RLS');
select is(public.doctor_report() -> 'vault_secrets', '["project_url"]'::jsonb, 'the Vault secrets by name: secret_key is missing');
select ok(public.doctor_report()::text not like '%example.supabase.co%', 'no secret value in the report');
select is((public.doctor_report() ->> 'pg_net')::boolean, true, 'pg_net (net.http_post) is there');
select is((public.doctor_report() ->> 'wake_up_policy')::boolean, true, 'the wake-up policy on realtime.messages is there');
select is(
  (select jsonb_agg(j ->> 'name' order by j ->> 'name') from jsonb_array_elements(public.doctor_report() -> 'cron_jobs') j),
  (select names from project_jobs),
  'every job of the project is listed');
select is(
  (select j - 'last_end' from jsonb_array_elements(public.doctor_report() -> 'cron_jobs') j where j ->> 'name' = 'agent-status-sweep-offline'),
  '{"name": "agent-status-sweep-offline", "schedule": "10 seconds", "active": true, "last_status": "succeeded", "last_message": null}'::jsonb,
  'a job shows its newest finished run (a run still going is not a result)');
select is(
  (select j ->> 'last_message' from jsonb_array_elements(public.doctor_report() -> 'cron_jobs') j where j ->> 'name' = 'agent-status-prune-events'),
  'relation does not exist', 'a failed last run comes with its message');
select is(
  (select j ->> 'last_status' from jsonb_array_elements(public.doctor_report() -> 'cron_jobs') j where j ->> 'name' = 'agent-status-run-schedules'),
  null, 'a job that has not run yet has no last status');
select is((select count(*)::integer from public.doctor_rows()), 1001, 'doctor_rows answers 1001 rows (PostgREST cuts them at max_rows)');

select tests.as_superuser();
select is((select count(*) from cron.job_run_details), (select runs from before_report), 'the report changed nothing');
create table public.doctor_probe_without_rls (id integer);
select tests.as_service();
select is(public.doctor_report() -> 'tables_without_rls', '["doctor_probe_without_rls"]'::jsonb, 'a table without RLS is named');

select * from finish();
rollback;
