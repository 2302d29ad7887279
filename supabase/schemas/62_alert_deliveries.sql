-- The alert outbox: one delivery per (channel, event[, reminder]), written by a trigger in the
-- transaction that records the agent event, so an alert is never lost nor sent for an event that
-- rolled back. The dispatcher sends them (63_alert_dispatch.sql). Mutes, reminders and flood control
-- are decided here. Design notes: docs/alerts.md.

create type public.alert_delivery_status as enum ('pending', 'sent', 'failed', 'suppressed');

-- Its id is the idempotency key receivers get.
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
  -- when it was queued (a released summary: when it was released)
  created_at timestamptz not null default now(),
  -- why a suppressed delivery is not sent: the agent was muted, the channel disabled, it repeats an
  -- event delivered within the flood window, it came over the flood cap, or a released delivery
  -- summarized it; null otherwise
  suppressed_because text
    constraint alert_delivery_suppressed_because_known
    check (suppressed_because in ('muted', 'channel disabled', 'repeat', 'flood', 'summarized')),
  -- a released delivery: how many suppressed ones of its channel and agent it stands for
  stands_for integer not null default 0,
  constraint alert_delivery_once_per_channel_event unique (channel_id, event_id, repeat_number)
);
create index alert_deliveries_due on public.alert_deliveries (next_attempt_at) where status = 'pending';
create index alert_deliveries_channel_recent on public.alert_deliveries (channel_id, created_at desc);
create index alert_deliveries_event on public.alert_deliveries (event_id);
-- flood control: what a channel got of an agent lately, and what waits to be released
create index alert_deliveries_channel_agent_recent on public.alert_deliveries (channel_id, agent_id, created_at desc);
create index alert_deliveries_to_release on public.alert_deliveries (channel_id, agent_id)
  where status = 'suppressed' and suppressed_because in ('repeat', 'flood');

-- Who may do what: operators read deliveries; only the service role (the dispatcher) and the triggers
-- write them.
alter table public.alert_deliveries enable row level security;
revoke all on public.alert_deliveries from anon, authenticated;
grant all on public.alert_deliveries to service_role;
grant select on public.alert_deliveries to authenticated;

create policy "operators read deliveries" on public.alert_deliveries
  for select to authenticated using ((select app.can_command()));

-- Chat channels group the events of a few seconds into one message: their deliveries become due
-- this long after the event, so a burst that straddles a dispatch run still lands in one message.
create function app.alert_group_window() returns interval
language sql immutable set search_path = '' as $$ select interval '2 seconds' $$;

-- Flood control, per channel and agent: within this window a repeat of an event already delivered is
-- suppressed ('repeat'), and at most app.alert_flood_cap() deliveries are made ('flood' beyond); a
-- window without a delivery releases the newest suppressed one (release_suppressed_alerts).
create function app.alert_flood_window() returns interval
language sql immutable set search_path = '' as $$ select interval '1 minute' $$;

create function app.alert_flood_cap() returns integer
language sql immutable set search_path = '' as $$ select 5 $$;

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
-- channel × event — suppressed while the agent is muted, and by flood control: a repeat of an event
-- the channel got of the agent within app.alert_flood_window() (or earlier in this statement) is a
-- 'repeat' (a command repeats only the same command: a stop after a start is news, not a repeat); a delivery beyond app.alert_flood_cap() in that window is a 'flood' (earlier rows of this
-- statement count, suppressed or not: a statement rarely holds more than two events of one agent).
-- Statement-level: a start-all over 1,000 agents queues its deliveries in one INSERT; EXECUTE plans it
-- for the rows it really has (see record_command_events in 31_command_agents.sql). Without an enabled
-- channel it costs one lookup.
create function app.queue_alert_deliveries() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if not exists (select 1 from public.alert_channels where enabled) then
    return null;
  end if;
  execute $sql$
    insert into public.alert_deliveries (channel_id, event_id, event, agent_id, agent_name, status, suppressed_because, next_attempt_at)
    select q.channel_id, q.event_id, q.event, q.agent_id, q.agent_name,
           case when q.because is null then 'pending' else 'suppressed' end::public.alert_delivery_status,
           q.because, q.due
      from (
        select c.id as channel_id, a.event_id, a.event, s.id as agent_id, s.agent_name,
               now() + case when c.kind = 'webhook' then interval '0' else app.alert_group_window() end as due,
               case
                 when s.muted_until > now() then 'muted'
                 when row_number() over same_event > 1 or exists (
                        select 1 from public.alert_deliveries r
                          join public.agent_events p on p.id = r.event_id
                         where r.channel_id = c.id and r.agent_id = s.id and r.event = a.event and r.status <> 'suppressed'
                           and (a.event <> 'command' or p.command is not distinct from a.event_command)
                           and r.created_at > now() - app.alert_flood_window()) then 'repeat'
                 when row_number() over same_agent - 1 + (
                        select count(*) from public.alert_deliveries r
                         where r.channel_id = c.id and r.agent_id = s.id and r.status <> 'suppressed'
                           and r.created_at > now() - app.alert_flood_window()) >= app.alert_flood_cap() then 'flood'
               end as because
          from (
            select e.id as event_id, e.agent_id, e.command as event_command,
                   app.alert_event_for(e.kind, e.from_status, e.to_status, d.desired_state, d.last_command,
                                       d.generation > coalesce(e.generation, 0)) as event
              from new_events e
              join public.agent_desired_state d on d.agent_id = e.agent_id
          ) a
          join public.agent_status s on s.id = a.agent_id
          join public.alert_channels c on c.enabled and a.event = any (c.events)
                                      and (c.agent_names is null or s.agent_name = any (c.agent_names))
         where a.event is not null
        window same_event as (partition by c.id, s.id, a.event, case when a.event = 'command' then a.event_command end order by a.event_id),
               same_agent as (partition by c.id, s.id order by a.event_id)
      ) q
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
-- burst). Muted agents get none. Scheduled every minute (90_schedules.sql).
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

-- Flood control's other half: for each channel and agent that got no delivery for a whole
-- app.alert_flood_window() while alerts were suppressed as 'repeat' or 'flood', the newest of them is
-- sent after all — so the receiver learns the agent's latest state — standing for the others
-- (stands_for; the dispatcher's message says "N more suppressed"), which become 'summarized'. Not for
-- a muted agent or a disabled channel. Scheduled every minute with the reminders (90_schedules.sql).
create function public.release_suppressed_alerts() returns integer
language plpgsql security definer set search_path = '' as $$
declare
  released integer;
begin
  with waiting as (
    select d.channel_id, d.agent_id, count(*) as suppressed,
           (array_agg(d.id order by d.created_at desc, d.event_id desc))[1] as newest
      from public.alert_deliveries d
     where d.status = 'suppressed' and d.suppressed_because in ('repeat', 'flood')
     group by d.channel_id, d.agent_id
  ), due as (
    select w.* from waiting w
      join public.alert_channels c on c.id = w.channel_id and c.enabled
      join public.agent_status s on s.id = w.agent_id and not coalesce(s.muted_until > now(), false)
     where not exists (
             select 1 from public.alert_deliveries r
              where r.channel_id = w.channel_id and r.agent_id = w.agent_id and r.status <> 'suppressed'
                and r.created_at > now() - app.alert_flood_window())
  ), summarized as (
    update public.alert_deliveries d set suppressed_because = 'summarized'
      from due
     where d.channel_id = due.channel_id and d.agent_id = due.agent_id and d.id <> due.newest
       and d.status = 'suppressed' and d.suppressed_because in ('repeat', 'flood')
  ), sent as (
    update public.alert_deliveries d
       set status = 'pending', suppressed_because = null, stands_for = due.suppressed - 1,
           created_at = now(), next_attempt_at = now()
      from due
     where d.id = due.newest
    returning d.id
  )
  select count(*)::integer into released from sent;
  return released;
end $$;

-- Mute: events while muted are recorded as suppressed deliveries, not sent (agent_status.muted_until).
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

revoke execute on function public.queue_repeat_alerts(), public.release_suppressed_alerts(),
  public.mute_agent(text, timestamptz) from public, anon, authenticated;
grant execute on function public.queue_repeat_alerts(), public.release_suppressed_alerts() to service_role;
grant execute on function public.mute_agent(text, timestamptz) to authenticated, service_role;
