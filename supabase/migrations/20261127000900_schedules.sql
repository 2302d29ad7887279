-- What runs on a schedule: the offline sweep (sweep_offline_agents) every 10 seconds and event
-- retention (prune_agent_events) hourly.
-- pg_cron runs them on hosted Supabase; the embedded stack runs whatever cron.job holds the same
-- way, so each schedule is written once, here.

do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron;
  end if;
  if to_regprocedure('cron.schedule(text, text, text)') is not null then
    perform cron.schedule('agent-status-sweep-offline', '10 seconds', 'select public.sweep_offline_agents()');
    perform cron.schedule('agent-status-prune-events', '17 * * * *', 'select public.prune_agent_events()');
  end if;
end $$;
