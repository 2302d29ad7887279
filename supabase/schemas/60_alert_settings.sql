-- Alerts (docs/alerts.md): channels (webhook, Slack, Discord) that operators manage through REST
-- (61_alert_channels.sql), a transactional outbox of deliveries written by a trigger in the same
-- transaction as the agent event (62_alert_deliveries.sql), and a dispatcher — the `alerts` Edge
-- Function, called every 10 seconds by pg_cron + pg_net (90_schedules.sql) — that claims and records
-- deliveries (63_alert_dispatch.sql). The same SQL runs on hosted Supabase and on the embedded stack.
--
-- The alert helpers in app keep Postgres' default EXECUTE privilege (PUBLIC, which includes the API
-- roles), unlike the other app helpers, which grant it to anon, authenticated and service_role by name.

-- What the deployment decides, one row, written by the service role only (SQL editor, npm start):
-- whether alert URLs may point at private, loopback or link-local addresses (local receivers), and
-- the dashboard's URL for the deep links in alerts.
create table public.alert_settings (
  id boolean primary key default true constraint alert_settings_single_row check (id),
  allow_private_urls boolean not null default false,
  dashboard_url text constraint dashboard_url_is_http check (dashboard_url ~* '^https?://[^\s]+$'),
  updated_at timestamptz not null default now()
);
-- The one row. A row is data, which the schema diff does not see: a migration that makes this table
-- must insert it too (supabase/schemas/README.md, "What the generator cannot see").
insert into public.alert_settings default values on conflict do nothing;

create trigger alert_settings_touch_updated_at before update on public.alert_settings
  for each row execute function app.touch_updated_at();

-- Who may do what: the service role alone.
alter table public.alert_settings enable row level security;
revoke all on public.alert_settings from anon, authenticated;
grant all on public.alert_settings to service_role;
-- The service role bypasses RLS anyway; the policy says so explicitly, so that Supabase's Security
-- Advisor (rls_enabled_no_policy) does not read "RLS on, no policy" as a mistake (docs/security.md).
create policy "the service role manages alert settings" on public.alert_settings
  for all to service_role using (true) with check (true);
