-- Who is watching an agent's live log, as an expiring request: one row per agent that was ever watched,
-- written only by watch_agent_logs() (35_agent_logs.sql) while a viewer's Logs view or an
-- `agent-status logs --follow` is open, and renewed by it every few seconds. The worker learns of the
-- watch from a push on its wake-up topic when a watch starts, and from the answers of agent_report and
-- publish_agent_logs; it sends lines only while watched_until lies ahead, so the tail stops by itself
-- within the expiry after the last watcher leaves. Log lines themselves are never stored here (or in any
-- table of ours): they travel by Realtime broadcast. The live tail is described in docs/logs.md.
--
-- Its own table rather than columns of agent_status: agent_overview (and so every dashboard's fleet read)
-- shows every column of agent_status, and agent_desired_state is published to every dashboard, so a
-- renewal there would be a Realtime message per dashboard.
create table public.agent_log_watches (
  agent_id uuid primary key references public.agent_status (id) on delete cascade,
  -- The worker sends lines until then (time of the database).
  watched_until timestamptz not null,
  -- Bumped by each watcher that joins: the worker sends its whole buffer again, so the newcomer sees
  -- the lines logged before it came (viewers drop the lines they already have).
  backlog_requests bigint not null default 0
);
comment on table public.agent_log_watches is
  'Expiring requests for an agent''s live log (watch_agent_logs); the worker tails only while watched_until lies ahead.';

-- Only the RPCs read and write it (security definer); nobody reads it directly.
alter table public.agent_log_watches enable row level security;
revoke all on public.agent_log_watches from anon, authenticated;
grant all on public.agent_log_watches to service_role;
-- The service role bypasses RLS anyway; the explicit policy keeps the Security Advisor's
-- rls_enabled_no_policy quiet (docs/security.md).
create policy "the service role manages log watches" on public.agent_log_watches
  for all to service_role using (true) with check (true);
