-- Agents: what each one IS doing, as it reports it (agent_report()). The seed's columns come first
-- (spec §3; last_activity is the TEXT of the agent's latest `activity` report, last_activity_at its
-- time); the rest were added by this project. What operators ask an agent to do is a row of its own
-- (agent_desired_state, Kubernetes' spec / status split). Columns are listed in the table's physical
-- order: Postgres appends a new column at the end, so add new ones at the end here too.
create table public.agent_status (
  id uuid primary key default gen_random_uuid(),
  agent_name text not null unique
    constraint agent_name_not_blank check (agent_name = btrim(agent_name) and agent_name <> '')
    constraint agent_name_max_100_chars check (char_length(agent_name) <= 100),
  status public.agent_run_status not null default 'stopped',
  health integer not null default 0
    constraint health_between_0_and_100 check (health between 0 and 100),
  last_heartbeat timestamptz,
  last_error text,
  last_activity_at timestamptz,
  updated_at timestamptz not null default now(),
  last_activity text,
  last_error_at timestamptz,
  last_warning text,
  last_warning_at timestamptz,
  offline boolean not null default false,
  started_at timestamptz,
  observed_generation bigint not null default 0,
  heartbeat_interval_seconds integer not null default 10
    constraint heartbeat_interval_between_1_and_3600 check (heartbeat_interval_seconds between 1 and 3600),
  offline_after_seconds integer
    constraint offline_after_between_1_and_86400 check (offline_after_seconds between 1 and 86400),
  host text constraint host_max_255_chars check (char_length(host) <= 255),
  pid integer,
  version text constraint version_max_100_chars check (char_length(version) <= 100),
  created_at timestamptz not null default now(),
  -- Counters that only go up (kept by 50_metrics.sql's trigger), so they survive the pruning of history.
  errors_total bigint not null default 0,
  starts_total bigint not null default 0,
  offline_total bigint not null default 0,
  muted_until timestamptz,
  description text constraint description_max_1000_chars check (char_length(description) <= 1000),
  -- Checked by a trigger, not a CHECK constraint (34_agent_tags.sql says why).
  tags text[] not null default '{}',
  instance_id text constraint instance_id_max_100_chars check (char_length(instance_id) <= 100),
  duplicate_instance_seen_at timestamptz
);
comment on column public.agent_status.last_activity_at is 'When last_activity was reported.';
comment on column public.agent_status.last_activity is 'What the agent last did (its latest `activity` report), as the seed defines it.';
comment on column public.agent_status.offline is
  'Set by sweep_offline_agents() when a non-stopped agent misses heartbeats for offline_after_seconds (default 3 × heartbeat_interval_seconds); cleared by its next report.';
comment on column public.agent_status.observed_generation is
  'The desired-state generation the agent has carried out; pending = generation > observed_generation.';
comment on column public.agent_status.errors_total is 'Error reports ever received (monotonic; history pruning does not touch it).';
comment on column public.agent_status.starts_total is 'Starts ever recorded (a new started_at); restarts = starts_total - 1.';
comment on column public.agent_status.offline_total is 'Transitions into offline ever made by the sweep.';
comment on column public.agent_status.muted_until is
  'Alerts for this agent are suppressed until then (null = not muted). Operators set it with mute_agent().';
comment on column public.agent_status.description is 'What the agent is for, written by operators (at most 1,000 characters).';
comment on column public.agent_status.tags is
  'Labels for filtering and bulk actions: at most 20, each 1–40 lower-case characters without whitespace or commas (tag_agents).';
comment on column public.agent_status.instance_id is
  'The worker instance that holds the agent (the newest live one); null when none has reported an instance id.';
comment on column public.agent_status.duplicate_instance_seen_at is
  'When a second, displaced worker instance of this agent last reported (it was told to stand down).';

create trigger agent_status_touch_updated_at before update on public.agent_status
  for each row execute function app.touch_updated_at();

-- Who may do what. Hosted Supabase grants everything on a new table to anon and authenticated, so take
-- it all back and grant exactly what each role needs: viewers and operators read (RLS decides), the
-- service role does everything; only the RPCs write (agent_report, the registry, tags, mutes).
alter table public.agent_status enable row level security;
revoke all on public.agent_status from anon, authenticated;
grant all on public.agent_status to service_role;
grant select on public.agent_status to authenticated;

create policy "viewers and operators read agents" on public.agent_status
  for select to authenticated using ((select app.can_read()));
