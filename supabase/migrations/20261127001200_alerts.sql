-- Alerts (issue 15; docs/alerts.md): channels (webhook, Slack, Discord) that operators manage
-- through REST, a transactional outbox of deliveries written by a trigger in the same transaction
-- as the agent event, mute, repeat reminders, and the schedule that calls the `alerts` Edge
-- Function's dispatcher with pg_cron + pg_net (the key read from Vault), the same SQL on hosted
-- Supabase and on the embedded stack.

create type public.alert_channel_kind as enum ('webhook', 'slack', 'discord');
create type public.alert_delivery_status as enum ('pending', 'sent', 'failed', 'suppressed');

-- The alert events a channel may subscribe to (alert_channels.events), and the default set.
create function app.alert_event_names() returns text[]
language sql immutable set search_path = '' as $$
  select array['offline', 'online', 'error', 'warning', 'recovered', 'stopped_unexpectedly', 'command']
$$;

create function app.alert_default_events() returns text[]
language sql immutable set search_path = '' as $$
  select array['offline', 'online', 'error', 'stopped_unexpectedly']
$$;

-- Retries: at most this many attempts; the delay after failed attempt n (1-based) grows 10 s, 30 s,
-- 90 s, 4.5 min, 13.5 min, 40.5 min, then an hour (the dispatcher runs every 10 s, so the first
-- retry happens within 20 s).
create function app.alert_max_attempts() returns integer
language sql immutable set search_path = '' as $$ select 8 $$;

create function app.alert_retry_delay(attempts integer) returns interval
language sql immutable set search_path = '' as $$
  select make_interval(secs => least(10 * power(3, greatest(attempts, 1) - 1), 3600))
$$;

-- Chat channels group the events of a few seconds into one message: their deliveries become due
-- this long after the event, so a burst that straddles a dispatch run still lands in one message.
create function app.alert_group_window() returns interval
language sql immutable set search_path = '' as $$ select interval '2 seconds' $$;

-- What the deployment decides, one row, written by the service role only (SQL editor, npm start):
-- whether alert URLs may point at private, loopback or link-local addresses (local receivers), and
-- the dashboard's URL for the deep links in alerts.
create table public.alert_settings (
  id boolean primary key default true constraint alert_settings_single_row check (id),
  allow_private_urls boolean not null default false,
  dashboard_url text constraint dashboard_url_is_http check (dashboard_url ~* '^https?://[^\s]+$'),
  updated_at timestamptz not null default now()
);
insert into public.alert_settings default values;

create trigger alert_settings_touch_updated_at before update on public.alert_settings
  for each row execute function app.touch_updated_at();

create table public.alert_channels (
  id uuid primary key default gen_random_uuid(),
  name text not null
    constraint alert_channel_name_not_blank check (btrim(name) <> '')
    constraint alert_channel_name_max_100_chars check (char_length(name) <= 100),
  kind public.alert_channel_kind not null,
  url text not null constraint alert_channel_url_max_2048_chars check (char_length(url) <= 2048),
  -- For webhook signatures (X-Agent-Status-Signature); write it, operators may read it back.
  secret text constraint alert_channel_secret_max_256_chars check (char_length(secret) <= 256),
  events text[] not null default app.alert_default_events()
    constraint alert_channel_events_known check (events <@ app.alert_event_names() and cardinality(events) > 0),
  -- null = every agent
  agent_names text[] constraint alert_channel_agent_names_max_1000 check (cardinality(agent_names) between 1 and 1000),
  -- null = no reminders; else re-notify while the agent stays offline / in error
  repeat_every_minutes integer
    constraint alert_channel_repeat_between_1_and_10080 check (repeat_every_minutes between 1 and 10080),
  enabled boolean not null default true,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create trigger alert_channels_touch_updated_at before update on public.alert_channels
  for each row execute function app.touch_updated_at();

-- The class of an IP address that alerts must not reach unless the deployment allows it; null for a
-- public address.
create function app.non_public_address_kind(address inet) returns text
language sql immutable set search_path = '' as $$
  select case
    when address << '127.0.0.0/8' or address = '::1' then 'loopback'
    when address << '169.254.0.0/16' or address << 'fe80::/10' then 'link-local'
    when address << '10.0.0.0/8' or address << '172.16.0.0/12' or address << '192.168.0.0/16'
      or address << '100.64.0.0/10' or address << 'fc00::/7' then 'private'
    when address << '0.0.0.0/8' or address = '::' or address << '192.0.0.0/24' or address << '198.18.0.0/15'
      or address << '224.0.0.0/3' or address << 'ff00::/8' or address << '::ffff:0:0/96'
      or address << '64:ff9b::/96' or address << '2001:db8::/32' then 'reserved'
  end
$$;

-- What is wrong with an alert URL, as a sentence; null when it is fine. Literal addresses and the
-- special-use names (localhost, .local, .internal) are checked here; a public name that resolves to
-- a private address is not (see docs/alerts.md, "Safety").
create function app.alert_url_problem(url text, allow_private boolean) returns text
language plpgsql immutable set search_path = '' as $$
declare
  parts text[];
  host text;
  address inet;
  kind text;
begin
  if url is null or url ~ '[[:space:][:cntrl:]]' then
    return 'url must be an http(s) URL without spaces, e.g. https://hooks.slack.com/services/…';
  end if;
  parts := regexp_match(url, '^[Hh][Tt][Tt][Pp][Ss]?://([^/?#@]*@)?(\[[0-9A-Fa-f:.]+\]|[^/?#:\[\]@]+)(:[0-9]{1,5})?([/?#].*)?$');
  if parts is null then
    return format('url must be an http:// or https:// URL with a host, e.g. https://example.com/hook (got "%s")', left(url, 200));
  end if;
  if parts[1] is not null then
    return 'url must not contain a user name or password';
  end if;
  if parts[3] is not null and substr(parts[3], 2)::integer not between 1 and 65535 then
    return format('url has an invalid port %s', substr(parts[3], 2));
  end if;
  host := lower(rtrim(btrim(parts[2], '[]'), '.'));
  if host ~ '^[0-9.]+$' or host ~ '^0x' or host ~ ':' then
    begin
      address := host::inet;
    exception when others then
      address := null;
    end;
    if address is null or (family(address) = 4 and host !~ '^([0-9]{1,3}\.){3}[0-9]{1,3}$') then
      return format('url host "%s" is not a valid IP address or name', left(host, 100));
    end if;
    kind := app.non_public_address_kind(address);
  elsif host = 'localhost' or host ~ '\.(localhost|local|internal)$' then
    kind := 'loopback or local';
  elsif host !~ '^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$' then
    return format('url host "%s" is not a valid host name', left(host, 100));
  end if;
  if kind is not null and not allow_private then
    return format('url points at a %s address (%s); this deployment only allows public addresses (alert_settings.allow_private_urls is off)',
                  kind, host);
  end if;
  return null;
end $$;

-- Validates a channel with messages a person can act on (PostgREST answers 400), and stamps who
-- created it. Runs before the check constraints, which stay as the last line of defence.
create function app.validate_alert_channel() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  problem text;
  unknown text;
begin
  if new.name is null or btrim(new.name) = '' then
    raise exception 'name is required' using errcode = '22023';
  end if;
  if char_length(new.name) > 100 then
    raise exception 'name must be at most 100 characters (got %)', char_length(new.name) using errcode = '22023';
  end if;
  if tg_op = 'INSERT' or new.url is distinct from old.url then
    problem := app.alert_url_problem(new.url,
      coalesce((select s.allow_private_urls from public.alert_settings s), false));
    if problem is not null then
      raise exception '%', problem using errcode = '22023';
    end if;
  end if;
  if char_length(new.url) > 2048 then
    raise exception 'url must be at most 2048 characters' using errcode = '22023';
  end if;
  new.secret := nullif(new.secret, '');
  if char_length(new.secret) > 256 then
    raise exception 'secret must be at most 256 characters' using errcode = '22023';
  end if;
  if new.events is null or cardinality(new.events) = 0 then
    raise exception 'events must name at least one of: %', array_to_string(app.alert_event_names(), ', ')
      using errcode = '22023';
  end if;
  select e into unknown from unnest(new.events) as e where e is null or not (e = any (app.alert_event_names())) limit 1;
  if found then
    raise exception 'events: unknown event "%"; use any of: %', coalesce(unknown, 'null'),
      array_to_string(app.alert_event_names(), ', ') using errcode = '22023';
  end if;
  new.events := array(select distinct e from unnest(new.events) as e order by 1);
  if new.agent_names is not null then
    if cardinality(new.agent_names) = 0 then
      raise exception 'agent_names must name at least one agent, or be null for every agent' using errcode = '22023';
    end if;
    if cardinality(new.agent_names) > 1000 then
      raise exception 'agent_names may name at most 1000 agents' using errcode = '22023';
    end if;
    if exists (select 1 from unnest(new.agent_names) as n where n is null or btrim(n) = '' or char_length(n) > 100) then
      raise exception 'agent_names must be agent names of 1 to 100 characters' using errcode = '22023';
    end if;
  end if;
  if new.repeat_every_minutes is not null and new.repeat_every_minutes not between 1 and 10080 then
    raise exception 'repeat_every_minutes must be between 1 and 10080 (a week), or null for no reminders'
      using errcode = '22023';
  end if;
  if tg_op = 'INSERT' then
    new.created_by := case when app.is_service() then new.created_by else auth.uid() end;
    new.created_at := now();
  else
    new.created_by := old.created_by;
    new.created_at := old.created_at;
  end if;
  return new;
end $$;

create trigger alert_channels_validate before insert or update on public.alert_channels
  for each row execute function app.validate_alert_channel();

-- Mute: events while muted are recorded as suppressed deliveries, not sent.
alter table public.agent_status add column muted_until timestamptz;
comment on column public.agent_status.muted_until is
  'Alerts for this agent are suppressed until then (null = not muted). Operators set it with mute_agent().';

-- The outbox: one row per (channel, event[, reminder]). Its id is the idempotency key receivers get.
create table public.alert_deliveries (
  id uuid primary key default gen_random_uuid(),
  channel_id uuid not null references public.alert_channels (id) on delete cascade,
  event_id bigint not null references public.agent_events (id) on delete cascade,
  -- the alert event name (app.alert_event_names())
  event text not null,
  -- 0 = the alert itself; n = the n-th reminder (repeat_every_minutes)
  repeat_number integer not null default 0,
  agent_id uuid not null,
  agent_name text not null,
  status public.alert_delivery_status not null default 'pending',
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_status_code integer,
  -- a short excerpt (≤ 500 characters), never a whole response body
  last_error text,
  sent_at timestamptz,
  -- the dispatch run that holds the delivery (claim_alert_deliveries); null when nobody does
  claimed_by uuid,
  created_at timestamptz not null default now(),
  constraint alert_delivery_once_per_channel_event unique (channel_id, event_id, repeat_number)
);
create index alert_deliveries_due on public.alert_deliveries (next_attempt_at) where status = 'pending';
create index alert_deliveries_channel_recent on public.alert_deliveries (channel_id, created_at desc);
create index alert_deliveries_event on public.alert_deliveries (event_id);

-- An agent event's alert event name, or null when it alerts nobody. stopped_unexpectedly: the agent
-- went from running/warning/error to stopped while its desired state is running and no restart is
-- pending, i.e. nobody asked it to stop (a crash, a kill outside the dashboard, a machine shutdown).
create function app.alert_event_for(
  kind public.agent_event_kind, from_status public.agent_run_status, to_status public.agent_run_status,
  desired public.desired_state, last_command public.agent_command, pending_generation boolean
) returns text
language sql immutable set search_path = '' as $$
  select case kind
    when 'offline' then 'offline'
    when 'online' then 'online'
    when 'error' then 'error'
    when 'warning' then 'warning'
    when 'command' then 'command'
    when 'status' then case
      when from_status in ('error', 'warning') and to_status = 'running' then 'recovered'
      when from_status <> 'stopped' and to_status = 'stopped' and desired = 'running'
           and not (last_command = 'restart' and pending_generation) then 'stopped_unexpectedly'
    end
  end
$$;

-- The outbox trigger: in the transaction that records the events, one delivery per matching enabled
-- channel × event (suppressed while the agent is muted). Statement-level: a start-all over 1,000
-- agents queues its deliveries in one INSERT; EXECUTE plans it for the rows it really has (see
-- record_command_events in the commands migration). Without an enabled channel it costs one lookup.
create function app.queue_alert_deliveries() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if not exists (select 1 from public.alert_channels where enabled) then
    return null;
  end if;
  execute $sql$
    insert into public.alert_deliveries (channel_id, event_id, event, agent_id, agent_name, status, next_attempt_at)
    select c.id, a.event_id, a.event, s.id, s.agent_name,
           case when s.muted_until > now() then 'suppressed' else 'pending' end::public.alert_delivery_status,
           now() + case when c.kind = 'webhook' then interval '0' else app.alert_group_window() end
      from (
        select e.id as event_id, e.agent_id,
               app.alert_event_for(e.kind, e.from_status, e.to_status, d.desired_state, d.last_command,
                                   d.generation > coalesce(e.generation, 0)) as event
          from new_events e
          join public.agent_desired_state d on d.agent_id = e.agent_id
      ) a
      join public.agent_status s on s.id = a.agent_id
      join public.alert_channels c on c.enabled and a.event = any (c.events)
                                  and (c.agent_names is null or s.agent_name = any (c.agent_names))
     where a.event is not null
  $sql$;
  return null;
end $$;

create trigger agent_events_queue_alerts after insert on public.agent_events
  referencing new table as new_events
  for each statement execute function app.queue_alert_deliveries();

-- Reminders: while an agent stays offline (or in error), each channel with repeat_every_minutes gets
-- one more delivery of the event that started it per interval. Idempotent: repeat_number is the
-- number of whole intervals since the event, and (channel, event, repeat_number) is unique, so a run
-- that comes twice in one interval adds nothing, and missed runs add only the current reminder (no
-- burst). Muted agents get none. Scheduled every minute below.
create function public.queue_repeat_alerts() returns integer
language plpgsql security definer set search_path = '' as $$
declare
  queued integer;
begin
  insert into public.alert_deliveries (channel_id, event_id, event, agent_id, agent_name, repeat_number, next_attempt_at)
  select c.id, p.event_id, p.event, s.id, s.agent_name,
         floor(extract(epoch from now() - p.created_at) / (c.repeat_every_minutes * 60))::integer,
         now()
    from public.agent_status s
    cross join lateral (
      select e.id as event_id, e.kind::text as event, e.created_at
        from public.agent_events e
       where e.agent_id = s.id
         and e.kind = (case when s.offline then 'offline' else 'error' end)::public.agent_event_kind
       order by e.created_at desc, e.id desc
       limit 1
    ) p
    join public.alert_channels c on c.enabled and c.repeat_every_minutes is not null and p.event = any (c.events)
                                and (c.agent_names is null or s.agent_name = any (c.agent_names))
   where (s.offline or s.status = 'error')
     and (s.muted_until is null or s.muted_until <= now())
     and now() - p.created_at >= make_interval(mins => c.repeat_every_minutes)
  on conflict on constraint alert_delivery_once_per_channel_event do nothing;
  get diagnostics queued = row_count;
  return queued;
end $$;

-- Operators mute an agent's alerts until a time (null or a past time = unmute); at most a year ahead.
create function public.mute_agent(p_agent_name text, p_until timestamptz)
returns timestamptz
language plpgsql security definer set search_path = '' as $$
declare
  result timestamptz;
  found_agent boolean;
begin
  if not (app.can_command() or app.is_service()) then
    raise exception 'only operators can mute agents' using errcode = '42501';
  end if;
  if p_until > now() + interval '366 days' then
    raise exception 'an agent can be muted for at most a year' using errcode = '22023';
  end if;
  update public.agent_status set muted_until = case when p_until > now() then p_until end
   where agent_name = p_agent_name
  returning muted_until, true into result, found_agent;
  if found_agent is null then
    raise exception 'unknown agent "%"', p_agent_name using errcode = 'PT404';
  end if;
  return result;
end $$;

-- What viewers may see of the channels (operators see whole rows in the table): never url or secret.
create function public.alert_channel_summaries()
returns table (
  id uuid, name text, kind public.alert_channel_kind, events text[], agent_names text[],
  repeat_every_minutes integer, enabled boolean, created_at timestamptz
)
language sql stable security definer set search_path = '' as $$
  select c.id, c.name, c.kind, c.events, c.agent_names, c.repeat_every_minutes, c.enabled, c.created_at
    from public.alert_channels c
   where (select app.can_read()) or (select app.is_service())
   order by c.created_at, c.id
$$;

-- The dispatcher (Edge Function `alerts`, service role) claims due deliveries: `for update skip
-- locked`, so concurrent dispatchers never take the same row; a claim counts an attempt and holds
-- the row for p_lease_seconds (next_attempt_at moves past the lease), so a dispatcher that dies
-- mid-send releases it for a retry later. Deliveries of a channel disabled since are suppressed.
-- Answers everything a message needs, so the function makes no other query.
create function public.claim_alert_deliveries(p_limit integer default 100, p_lease_seconds integer default 120)
returns table (
  delivery_id uuid, claim_id uuid, attempts integer, repeat_number integer,
  channel_id uuid, channel_name text, channel_kind public.alert_channel_kind, url text, secret text,
  event text, agent_id uuid, agent_name text, message text, status text, health integer,
  at timestamptz, dashboard_url text
)
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
declare
  claim uuid := gen_random_uuid();
begin
  if not app.is_service() then
    raise exception 'only the service role dispatches alerts' using errcode = '42501';
  end if;
  update public.alert_deliveries d
     set status = 'suppressed', last_error = 'channel disabled before delivery', claimed_by = null
    from public.alert_channels c
   where c.id = d.channel_id and not c.enabled and d.status = 'pending';

  return query
  with due as (
    select d.id from public.alert_deliveries d
     where d.status = 'pending' and d.next_attempt_at <= now()
     order by d.next_attempt_at, d.id
     limit least(greatest(coalesce(p_limit, 100), 1), 1000)
     for update of d skip locked
  ), claimed as (
    update public.alert_deliveries d
       set attempts = d.attempts + 1, claimed_by = claim,
           next_attempt_at = now() + make_interval(secs => least(greatest(coalesce(p_lease_seconds, 120), 10), 3600))
      from due where d.id = due.id
    returning d.*
  )
  select cl.id, claim, cl.attempts, cl.repeat_number,
         ch.id, ch.name, ch.kind, ch.url, ch.secret,
         cl.event, cl.agent_id, cl.agent_name,
         case
           when cl.repeat_number > 0 then
             format('still %s since %s (reminder %s)', case cl.event when 'offline' then 'offline' else 'in error' end,
                    to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'), cl.repeat_number)
             || coalesce(': ' || e.message, '')
           when cl.event = 'command' then
             format('%s asked to %s', coalesce(e.actor_email, 'someone'), e.command) || coalesce(' (' || e.message || ')', '')
           when cl.event = 'online' then 'reporting again'
           when cl.event = 'recovered' then format('back to running after %s', e.from_status)
           when cl.event = 'stopped_unexpectedly' then 'stopped although its desired state is running (no stop command)'
           else e.message
         end,
         coalesce(e.to_status::text, e.snapshot ->> 'status', s.status::text),
         coalesce(e.health, s.health),
         e.created_at, st.dashboard_url
    from claimed cl
    join public.alert_channels ch on ch.id = cl.channel_id
    join public.agent_events e on e.id = cl.event_id
    left join public.agent_status s on s.id = cl.agent_id
    left join public.alert_settings st on true
   order by cl.next_attempt_at, cl.id;
end $$;

-- Results of one dispatch run: [{ "id": uuid, "ok": bool, "status_code": int|null, "error": text|null }].
-- Only rows still held by that claim change (a run whose lease ran out cannot overwrite a newer one).
-- Failures retry with app.alert_retry_delay() until app.alert_max_attempts(), then stay failed.
create function public.record_alert_results(p_claim_id uuid, p_results jsonb)
returns integer
language plpgsql security definer set search_path = '' as $$
declare
  changed integer;
begin
  if not app.is_service() then
    raise exception 'only the service role dispatches alerts' using errcode = '42501';
  end if;
  if jsonb_typeof(p_results) is distinct from 'array' then
    raise exception 'p_results must be a JSON array' using errcode = '22023';
  end if;
  update public.alert_deliveries d set
    status = case when r.ok then 'sent'
                  when d.attempts >= app.alert_max_attempts() then 'failed'
                  else 'pending' end::public.alert_delivery_status,
    sent_at = case when r.ok then now() else d.sent_at end,
    next_attempt_at = case when r.ok then d.next_attempt_at else now() + app.alert_retry_delay(d.attempts) end,
    last_status_code = r.status_code,
    last_error = case when r.ok then null else left(coalesce(r.error, 'failed'), 500) end,
    claimed_by = null
  from jsonb_to_recordset(p_results) as r(id uuid, ok boolean, status_code integer, error text)
  where d.id = r.id and d.claimed_by = p_claim_id and d.status = 'pending';
  get diagnostics changed = row_count;
  return changed;
end $$;

-- Who may do what (docs/security.md). Operators manage channels and read deliveries; viewers see
-- channel summaries only (alert_channel_summaries); the outbox and the settings are the service
-- role's alone to write.
alter table public.alert_settings enable row level security;
alter table public.alert_channels enable row level security;
alter table public.alert_deliveries enable row level security;

revoke all on public.alert_settings, public.alert_channels, public.alert_deliveries from anon, authenticated;
grant all on public.alert_settings, public.alert_channels, public.alert_deliveries to service_role;

grant select, delete on public.alert_channels to authenticated;
grant insert (name, kind, url, secret, events, agent_names, repeat_every_minutes, enabled)
  on public.alert_channels to authenticated;
grant update (name, kind, url, secret, events, agent_names, repeat_every_minutes, enabled)
  on public.alert_channels to authenticated;
grant select on public.alert_deliveries to authenticated;

create policy "operators read channels" on public.alert_channels
  for select to authenticated using ((select app.can_command()));
create policy "operators add channels" on public.alert_channels
  for insert to authenticated with check ((select app.can_command()));
create policy "operators change channels" on public.alert_channels
  for update to authenticated using ((select app.can_command())) with check ((select app.can_command()));
create policy "operators delete channels" on public.alert_channels
  for delete to authenticated using ((select app.can_command()));
create policy "operators read deliveries" on public.alert_deliveries
  for select to authenticated using ((select app.can_command()));

-- Functions: nothing by default (the bootstrap's default privileges grant execute to the API roles),
-- then exactly the callers each RPC is for.
revoke execute on function public.mute_agent(text, timestamptz), public.alert_channel_summaries(),
  public.queue_repeat_alerts(), public.claim_alert_deliveries(integer, integer),
  public.record_alert_results(uuid, jsonb) from public, anon, authenticated;
grant execute on function public.mute_agent(text, timestamptz) to authenticated, service_role;
grant execute on function public.alert_channel_summaries() to authenticated, service_role;
grant execute on function public.queue_repeat_alerts() to service_role;
grant execute on function public.claim_alert_deliveries(integer, integer) to service_role;
grant execute on function public.record_alert_results(uuid, jsonb) to service_role;

-- The schedules. The dispatcher is an Edge Function called the way Supabase documents scheduling an
-- Edge Function: pg_cron runs SQL that calls net.http_post (pg_net) with the project URL and the
-- secret key read from Vault (names project_url and secret_key; docs/alerts.md shows the setup). The
-- call is made only when a delivery is due, so an idle project spends no function invocations. The
-- embedded stack provides net.http_post, vault and cron.schedule itself, and runs this same SQL.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_net;
  end if;
  if to_regprocedure('cron.schedule(text, text, text)') is not null then
    perform cron.schedule('agent-status-dispatch-alerts', '10 seconds', $job$
      select net.http_post(
        url := (select decrypted_secret from vault.decrypted_secrets where name = 'project_url') || '/functions/v1/alerts/dispatch',
        headers := jsonb_build_object(
          'Content-Type', 'application/json',
          'apikey', (select decrypted_secret from vault.decrypted_secrets where name = 'secret_key')
        ),
        body := '{}'::jsonb,
        timeout_milliseconds := 30000
      )
      where exists (select 1 from public.alert_deliveries where status = 'pending' and next_attempt_at <= now())
        and exists (select 1 from vault.decrypted_secrets where name = 'project_url')
        and exists (select 1 from vault.decrypted_secrets where name = 'secret_key')
    $job$);
    perform cron.schedule('agent-status-repeat-alerts', '* * * * *', 'select public.queue_repeat_alerts()');
  end if;
end $$;
