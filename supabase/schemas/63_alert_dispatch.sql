-- The dispatcher's side of the outbox: the `alerts` Edge Function (service role, every 10 seconds while
-- a delivery is due: 90_schedules.sql) claims due deliveries, sends them, and records the results.
-- Design notes: docs/alerts.md.

-- Retries: at most this many attempts; the delay after failed attempt n (1-based) grows 10 s, 30 s,
-- 90 s, 4.5 min, 13.5 min, 40.5 min, then an hour (the dispatcher runs every 10 s, so the first
-- retry happens within 20 s).
create function app.alert_max_attempts() returns integer
language sql immutable set search_path = '' as $$ select 8 $$;

create function app.alert_retry_delay(attempts integer) returns interval
language sql immutable set search_path = '' as $$
  select make_interval(secs => least(10 * power(3, greatest(attempts, 1) - 1), 3600))
$$;

-- Claims due deliveries: `for update skip locked`, so concurrent dispatchers never take the same row;
-- a claim counts an attempt and holds the row for p_lease_seconds (next_attempt_at moves past the
-- lease), so a dispatcher that dies mid-send releases it for a retry later. Deliveries of a channel
-- disabled since are suppressed. Answers everything a message needs, so the function makes no other
-- query: also whether the deployment lets alerts reach private addresses (the sender checks every
-- address again before it connects).
create function public.claim_alert_deliveries(p_limit integer default 100, p_lease_seconds integer default 120)
returns table (
  delivery_id uuid, claim_id uuid, attempts integer, repeat_number integer,
  channel_id uuid, channel_name text, channel_kind public.alert_channel_kind, url text, secret text,
  event text, agent_id uuid, agent_name text, message text, status text, health integer,
  at timestamptz, dashboard_url text, allow_private_urls boolean, log_lines jsonb
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
     set status = 'suppressed', suppressed_because = 'channel disabled', last_error = 'channel disabled before delivery',
         claimed_by = null
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
         nullif(btrim(concat(case
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
         end, case when cl.stands_for > 0 then format(' (%s more suppressed)', cl.stands_for) end)), ''),
         coalesce(e.to_status::text, e.snapshot ->> 'status', s.status::text),
         coalesce(e.health, s.health),
         e.created_at, st.dashboard_url, coalesce(st.allow_private_urls, false),
         -- an error's last log lines, with the alert itself (not its reminders)
         case when cl.event = 'error' and cl.repeat_number = 0 then e.log_lines end
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

revoke execute on function public.claim_alert_deliveries(integer, integer), public.record_alert_results(uuid, jsonb)
  from public, anon, authenticated;
grant execute on function public.claim_alert_deliveries(integer, integer), public.record_alert_results(uuid, jsonb)
  to service_role;
