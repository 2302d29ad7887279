-- What runs on a schedule. pg_cron runs these on hosted Supabase; the embedded stack runs whatever
-- cron.job holds the same way (stack/src/cron/scheduler.ts), so each schedule is written once, here.
-- cron.schedule() creates a job or updates the one of that name.
--
-- A schedule is a row in cron.job, not a schema object: the schema diff does not see it. The migration
-- generator compares the jobs of both databases and appends the cron.schedule() / cron.unschedule()
-- calls itself (supabase/schemas/README.md, "What the generator cannot see").
--
--   agent-status-sweep-offline    every 10 s   marks silent agents offline (40_offline_sweep.sql)
--   agent-status-prune-events     hourly       event retention (41_event_retention.sql)
--   agent-status-prune-metrics    hourly       custom metric history older than 7 days (35_custom_metrics.sql)
--   agent-status-prune-job-history hourly      pg_cron's run history: 7 days (43_job_history_retention.sql)
--   agent-status-dispatch-alerts  every 10 s   calls the `alerts` Edge Function while a delivery is due
--   agent-status-repeat-alerts    every minute queues reminders and releases suppressed alerts (62_alert_deliveries.sql)
--   agent-status-run-schedules    every minute acts on agent schedules' boundaries (36_agent_schedules.sql)
--
-- The dispatcher is an Edge Function called the way Supabase documents scheduling an Edge Function:
-- pg_cron runs SQL that calls net.http_post (pg_net) with the project URL and the secret key read from
-- Vault (names project_url and secret_key; docs/alerts.md shows the setup). The call is made only when a
-- delivery is due, so an idle project spends no function invocations. pg_net gives up on the call after
-- 120 s: longer than the dispatcher's worst case (it claims no new batch after its 20 s budget, and its
-- slowest batch takes 50 s: supabase/functions/alerts/dispatch.ts), shorter than an Edge Function's
-- 150 s wall clock; a shorter timeout would log a slow, successful run as a failure. The embedded stack provides
-- net.http_post, vault and cron.schedule itself, and runs this same SQL.
do $$
begin
  if to_regprocedure('cron.schedule(text, text, text)') is not null then
    perform cron.schedule('agent-status-sweep-offline', '10 seconds', 'select public.sweep_offline_agents()');
    perform cron.schedule('agent-status-prune-events', '17 * * * *', 'select public.prune_agent_events()');
    perform cron.schedule('agent-status-prune-metrics', '37 * * * *', 'select public.prune_agent_metric_points()');
    perform cron.schedule('agent-status-prune-job-history', '41 * * * *', 'select app.prune_job_history()');
    perform cron.schedule('agent-status-dispatch-alerts', '10 seconds', $job$
      select net.http_post(
        url := (select decrypted_secret from vault.decrypted_secrets where name = 'project_url') || '/functions/v1/alerts/dispatch',
        headers := jsonb_build_object(
          'Content-Type', 'application/json',
          'apikey', (select decrypted_secret from vault.decrypted_secrets where name = 'secret_key')
        ),
        body := '{}'::jsonb,
        timeout_milliseconds := 120000
      )
      where exists (select 1 from public.alert_deliveries where status = 'pending' and next_attempt_at <= now())
        and exists (select 1 from vault.decrypted_secrets where name = 'project_url')
        and exists (select 1 from vault.decrypted_secrets where name = 'secret_key')
    $job$);
    perform cron.schedule('agent-status-repeat-alerts', '* * * * *', 'select public.queue_repeat_alerts(), public.release_suppressed_alerts()');
    perform cron.schedule('agent-status-run-schedules', '* * * * *', 'select public.run_agent_schedules()');
  end if;
end $$;
