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
--
-- Both are created as Supabase documents them: pg_cron in pg_catalog, pg_net's extension in `extensions`
-- (its functions live in `net` either way), so Supabase's Security Advisor finds no extension in `public`.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron with schema pg_catalog;
  end if;
  if exists (select 1 from pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_net with schema extensions;
  end if;
end $$;
