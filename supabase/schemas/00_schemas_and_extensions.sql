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
-- GraphQL (pg_graphql, on by default on hosted projects) is not used: the API is PostgREST, the RPCs
-- and the Edge Functions. It is dropped where present, so it exposes no table to signed-in users
-- (Security Advisor: pg_graphql_authenticated_table_exposed); `create extension pg_graphql with schema
-- graphql` turns it back on.
do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_graphql') then
    drop extension pg_graphql;
  end if;
end $$;

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
