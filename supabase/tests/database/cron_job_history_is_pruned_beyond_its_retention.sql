-- pg_cron keeps every run in cron.job_run_details and never deletes one; the job
-- agent-status-prune-job-history (hourly) keeps 7 days of it, or the span it is scheduled with.
begin;
select no_plan();

insert into cron.job_run_details (jobid, status, start_time, end_time)
select 1, 'succeeded', now() - make_interval(days => d), now() - make_interval(days => d) from generate_series(0, 9) d;

select is((select schedule from cron.job where jobname = 'agent-status-prune-job-history'), '41 * * * *', 'the pruning job runs hourly');
select is((select command from cron.job where jobname = 'agent-status-prune-job-history'), 'select app.prune_job_history()', 'with the default retention');
select is(app.prune_job_history(), 2, 'runs older than 7 days are deleted');
select is((select count(*)::integer from cron.job_run_details), 8, 'the last 7 days are kept');
select is(app.prune_job_history(interval '3 days'), 4, 'another retention: older than 3 days');
select is(app.prune_job_history(), 0, 'run again, nothing more to delete');

-- Only the database owner (whose job it is) runs it.
select tests.as_service();
select throws_ok('select app.prune_job_history()', '42501', null, 'service role: denied');
select tests.as_user('operator');
select throws_ok('select app.prune_job_history()', '42501', null, 'operator: denied');
select tests.as_anon();
select throws_ok('select app.prune_job_history()', '42501', null, 'anon: denied');

select * from finish();
rollback;
