-- Retention of pg_cron's run history. pg_cron writes a row into cron.job_run_details for every run and
-- never deletes one: the schedules of 90_schedules.sql (two of them every 10 s) add about 20,000 rows a
-- day. An hourly job (90_schedules.sql) keeps the last p_keep of it. To keep another span, schedule the
-- job again with another interval, e.g.
--   select cron.schedule('agent-status-prune-job-history', '41 * * * *',
--                        $$select app.prune_job_history(interval '30 days')$$);
-- pg_net's own history (net._http_response) needs no job: pg_net deletes its rows after pg_net.ttl
-- (6 hours by default).
create function app.prune_job_history(p_keep interval default interval '7 days') returns integer
language plpgsql set search_path = '' as $$
declare
  removed integer;
begin
  delete from cron.job_run_details where end_time < now() - p_keep;
  get diagnostics removed = row_count;
  return removed;
end $$;

-- Only the job's owner (the database owner, who applies the migrations) runs it.
revoke execute on function app.prune_job_history(interval) from public, anon, authenticated, service_role;
