-- The schema for helpers, and the extensions the schedules use.
--
-- Helpers live in `app`, which the API does not expose (config.toml lists only `public`): PostgREST
-- cannot call them, but RLS policies, triggers and the RPCs can, as any API role.
create schema if not exists app;
grant usage on schema app to anon, authenticated, service_role;

-- pg_cron runs the schedules (90_schedules.sql) and pg_net lets a schedule call an Edge Function.
-- Hosted Supabase has both; where they are not available (the embedded stack, a plain PostgreSQL) the
-- bootstrap (@agent-status/stack/supabase-bootstrap.sql) provides cron.schedule() and net.http_post()
-- with the same signatures, so the same SQL runs everywhere.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron;
  end if;
  if exists (select 1 from pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_net;
  end if;
end $$;
