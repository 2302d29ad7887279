-- Alert channels: where alerts go (a webhook, Slack or Discord URL), for which events and agents, and
-- how often to remind. Operators manage them through REST (RLS decides); viewers see summaries only.
-- Design notes: docs/alerts.md (and "Safety" for the URL rules).

create type public.alert_channel_kind as enum ('webhook', 'slack', 'discord');

-- The alert events a channel may subscribe to (alert_channels.events), and the default set.
create function app.alert_event_names() returns text[]
language sql immutable set search_path = '' as $$
  select array['offline', 'online', 'error', 'warning', 'recovered', 'stopped_unexpectedly', 'command']
$$;

create function app.alert_default_events() returns text[]
language sql immutable set search_path = '' as $$
  select array['offline', 'online', 'error', 'stopped_unexpectedly']
$$;

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
-- public address. IPv6: only global unicast (2000::/3) can be public, less 6to4 (2002::/16), the IETF
-- protocol assignments (2001::/23: Teredo, benchmarking, ORCHID…) and the documentation ranges; so
-- IPv4-mapped, -compatible and -translated addresses, NAT64 and site-local ones are not. The same
-- table as the sender's (supabase/functions/alerts/receiver-address.ts).
create function app.non_public_address_kind(address inet) returns text
language sql immutable set search_path = '' as $$
  select case
    when family(address) = 4 then case
      when address << '127.0.0.0/8' then 'loopback'
      when address << '169.254.0.0/16' then 'link-local'
      when address << '10.0.0.0/8' or address << '172.16.0.0/12' or address << '192.168.0.0/16'
        or address << '100.64.0.0/10' then 'private'
      when address << '192.0.2.0/24' or address << '198.51.100.0/24' or address << '203.0.113.0/24' then 'documentation'
      when address << '0.0.0.0/8' or address << '192.0.0.0/24' or address << '192.88.99.0/24'
        or address << '198.18.0.0/15' or address << '224.0.0.0/3' then 'reserved'
    end
    else case
      when address = '::1' then 'loopback'
      when address << 'fe80::/10' then 'link-local'
      when address << 'fec0::/10' then 'site-local'
      when address << 'fc00::/7' then 'private'
      when address << '2001:db8::/32' or address << '3fff::/20' then 'documentation'
      when not address << '2000::/3' or address << '2002::/16' or address << '2001::/23' then 'reserved'
    end
  end
$$;

-- What is wrong with an alert URL, as a sentence; null when it is fine. The host is read as a URL
-- parser reads it (WHATWG, what the sending runtime uses): a host whose last label is a number is an
-- IPv4 address to that parser, so it must be written in the one canonical form — four decimal numbers
-- without leading zeros — or `012.0.0.1` (10.0.0.1 to the sender) would pass as 12.0.0.1. Literal
-- addresses and the special-use names (localhost, .local, .internal) are checked here; the sender checks
-- the same again and also every address a name resolves to, just before it connects (docs/alerts.md,
-- "Safety"). tests/integration/alert-url-rules.test.ts holds this and the sender's check to one table.
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
    return format('url has an invalid port %s', substr(parts[3], 2)::integer);
  end if;
  host := lower(parts[2]);
  if host like '[%' then
    begin
      address := btrim(host, '[]')::inet;
    exception when others then
      address := null;
    end;
    -- A dotted IPv4 tail must be whole and without leading zeros for URL parsers (inet takes more).
    if address is null or family(address) <> 6
       or (host ~ '\.' and host !~ ':((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\]$') then
      return format('url host "%s" is not a valid IP address or name', left(host, 100));
    end if;
    kind := app.non_public_address_kind(address);
    host := host(address);
  else
    host := regexp_replace(host, '\.$', '');
    if substring(host from '[^.]*$') ~ '^([0-9]+|0x[0-9a-f]*)$' then
      if host !~ '^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$' then
        return format('url host "%s" is not a canonical IPv4 address: write it as four decimal numbers without leading zeros',
                      left(host, 100));
      end if;
      kind := app.non_public_address_kind(host::inet);
    elsif host !~ '^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$' then
      return format('url host "%s" is not a valid host name', left(host, 100));
    elsif host = 'localhost' or host ~ '\.(localhost|local|internal)$' then
      kind := 'loopback or local';
    end if;
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

-- Who may do what (docs/security.md): operators manage channels (only the columns a person sets) and
-- read them whole; viewers see alert_channel_summaries() only; the service role does everything.
alter table public.alert_channels enable row level security;
revoke all on public.alert_channels from anon, authenticated;
grant all on public.alert_channels to service_role;
grant select, delete on public.alert_channels to authenticated;
grant insert (name, kind, url, secret, events, agent_names, repeat_every_minutes, enabled)
  on public.alert_channels to authenticated;
grant update (name, kind, url, secret, events, agent_names, repeat_every_minutes, enabled)
  on public.alert_channels to authenticated;

create policy "operators read channels" on public.alert_channels
  for select to authenticated using ((select app.can_command()));
create policy "operators add channels" on public.alert_channels
  for insert to authenticated with check ((select app.can_command()));
create policy "operators change channels" on public.alert_channels
  for update to authenticated using ((select app.can_command())) with check ((select app.can_command()));
create policy "operators delete channels" on public.alert_channels
  for delete to authenticated using ((select app.can_command()));

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

revoke execute on function public.alert_channel_summaries() from public, anon, authenticated;
grant execute on function public.alert_channel_summaries() to authenticated, service_role;
