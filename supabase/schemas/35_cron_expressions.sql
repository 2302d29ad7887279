-- Cron expressions, as agent schedules read them (36_agent_schedules.sql): five fields — minute, hour,
-- day of month, month, day of week — matched against the wall clock of a named time zone. The syntax is
-- Vixie cron's, which pg_cron shares: `*`, numbers, ranges `a-b`, steps `*/n`, `a-b/n` and `a/n`, lists
-- `a,b`, the names JAN–DEC and SUN–SAT (any case), 0 or 7 for Sunday; when both the day of month and the
-- day of week are restricted (neither starts with `*`) a day matches either, otherwise it must match
-- both. Design notes and the daylight-saving rules: docs/schedules.md.
--
-- Daylight saving: a match is a wall-clock time on a date, made an instant by the zone (Postgres'
-- `timestamp at time zone`). A wall-clock time the clocks skip in spring (02:30 in Berlin on the last
-- Sunday of March) is the instant the same distance after the skip (03:30 summer time); one they pass
-- twice in autumn is the second pass (standard time). So every match happens exactly once.

-- A parsed expression: the values each field allows (weekdays 0–6, Sunday 0), and whether the day of
-- month and the day of week fields start with `*` (Vixie's DOM_STAR / DOW_STAR).
create type app.cron_spec as (
  minutes integer[],
  hours integer[],
  days integer[],
  months integer[],
  weekdays integer[],
  days_star boolean,
  weekdays_star boolean
);

-- How far ahead and back a match is looked for: four years and a bit, so that 29 February is found.
create function app.cron_horizon_days() returns integer
language sql immutable set search_path = '' as $$ select 1500 $$;

-- One value of a field: a number, or a name from `names` (the first name is worth `names_from`).
create function app.cron_value(expr text, field_name text, token text, names text[], names_from integer)
returns integer
language plpgsql immutable set search_path = '' as $$
begin
  if token ~ '^[0-9]{1,2}$' then
    return token::integer;
  end if;
  if names is not null and array_position(names, upper(token)) is not null then
    return array_position(names, upper(token)) - 1 + names_from;
  end if;
  raise exception 'cron expression "%": % "%" is not a number%', expr, field_name, token,
    case when names is null then '' else format(' or a name (%s…%s)', names[1], names[cardinality(names)]) end
    using errcode = '22023';
end $$;

-- The sorted values one field allows, or an error that names the field and what is wrong with it.
create function app.cron_field(expr text, field_name text, field text, lo integer, hi integer,
                               names text[] default null, names_from integer default 0)
returns integer[]
language plpgsql immutable set search_path = '' as $$
declare
  part text;
  parts text[];
  first_value integer;
  last_value integer;
  step integer;
  result integer[] := '{}';
begin
  foreach part in array string_to_array(field, ',') loop
    parts := regexp_match(part, '^(\*|[0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?(?:/([0-9]+))?$');
    if parts is null then
      raise exception 'cron expression "%": % "%" is not a value, a range a-b, * or a step /n', expr, field_name, part
        using errcode = '22023';
    end if;
    if parts[1] = '*' and parts[2] is not null then
      raise exception 'cron expression "%": % "%" is not a value, a range a-b, * or a step /n', expr, field_name, part
        using errcode = '22023';
    end if;
    step := case when parts[3] is null then 1 when parts[3] ~ '^[0-9]{1,2}$' then parts[3]::integer end;
    if step is null or step not between 1 and hi then
      raise exception 'cron expression "%": % step "/%" must be between 1 and %', expr, field_name, parts[3], hi
        using errcode = '22023';
    end if;
    if parts[1] = '*' then
      first_value := lo;
      last_value := hi;
    else
      first_value := app.cron_value(expr, field_name, parts[1], names, names_from);
      last_value := case when parts[2] is not null then app.cron_value(expr, field_name, parts[2], names, names_from)
                         when parts[3] is not null then hi
                         else first_value end;
    end if;
    if first_value not between lo and hi or last_value not between lo and hi then
      raise exception 'cron expression "%": % "%" is out of range %–%', expr, field_name, part, lo, hi
        using errcode = '22023';
    end if;
    if first_value > last_value then
      raise exception 'cron expression "%": % range "%" runs backwards', expr, field_name, part using errcode = '22023';
    end if;
    result := result || array(select generate_series(first_value, last_value, step));
  end loop;
  return array(select distinct v from unnest(result) v order by v);
end $$;

-- Parses an expression, or raises 22023 with a message that says which field is wrong.
create function app.cron_parse(expr text) returns app.cron_spec
language plpgsql immutable set search_path = '' as $$
declare
  fields text[] := regexp_split_to_array(btrim(coalesce(expr, '')), '\s+');
  spec app.cron_spec;
begin
  if expr is null or char_length(expr) > 100 then
    raise exception 'a cron expression is five fields of at most 100 characters in all, e.g. "0 8 * * 1-5"'
      using errcode = '22023';
  end if;
  if cardinality(fields) <> 5 then
    raise exception 'cron expression "%" must have five fields: minute hour day-of-month month day-of-week, e.g. "0 8 * * 1-5"',
      expr using errcode = '22023';
  end if;
  spec.minutes := app.cron_field(expr, 'minute', fields[1], 0, 59);
  spec.hours := app.cron_field(expr, 'hour', fields[2], 0, 23);
  spec.days := app.cron_field(expr, 'day of month', fields[3], 1, 31);
  spec.months := app.cron_field(expr, 'month', fields[4], 1, 12,
    array['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'], 1);
  -- 7 is Sunday too
  spec.weekdays := array(select distinct w % 7 from unnest(app.cron_field(expr, 'day of week', fields[5], 0, 7,
    array['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], 0)) w order by 1);
  spec.days_star := left(fields[3], 1) = '*';
  spec.weekdays_star := left(fields[5], 1) = '*';
  return spec;
end $$;

-- Whether a (local) date is one the expression runs on.
create function app.cron_day_matches(spec app.cron_spec, day date) returns boolean
language sql immutable set search_path = '' as $$
  select extract(month from day)::integer = any (spec.months)
     and case when spec.days_star or spec.weekdays_star
              then extract(day from day)::integer = any (spec.days) and extract(dow from day)::integer = any (spec.weekdays)
              else extract(day from day)::integer = any (spec.days) or extract(dow from day)::integer = any (spec.weekdays) end
$$;

-- The instants at which the expression matches on one local date in a time zone.
create function app.cron_instants_on(spec app.cron_spec, time_zone text, day date)
returns setof timestamptz
language sql stable set search_path = '' as $$
  select (day + make_time(h, m, 0)) at time zone time_zone
    from unnest(spec.hours) h, unnest(spec.minutes) m
   where app.cron_day_matches(spec, day)
$$;

-- The first match strictly after `after`; null when there is none within the horizon.
create function app.cron_next(spec app.cron_spec, time_zone text, after timestamptz) returns timestamptz
language plpgsql stable set search_path = '' as $$
declare
  -- a day early: a wall-clock time late on the day before can land after `after` across a skip
  day date := (after at time zone time_zone)::date - 1;
  last_day date := day + app.cron_horizon_days();
  found timestamptz;
begin
  while day <= last_day loop
    if app.cron_day_matches(spec, day) then
      select min(t) into found from app.cron_instants_on(spec, time_zone, day) t where t > after;
      if found is not null then
        return found;
      end if;
    end if;
    day := day + 1;
  end loop;
  return null;
end $$;

-- The last match at or before `at`; null when there is none within the horizon.
create function app.cron_prev(spec app.cron_spec, time_zone text, at timestamptz) returns timestamptz
language plpgsql stable set search_path = '' as $$
declare
  day date := (at at time zone time_zone)::date + 1;
  first_day date := day - app.cron_horizon_days();
  found timestamptz;
begin
  while day >= first_day loop
    if app.cron_day_matches(spec, day) then
      select max(t) into found from app.cron_instants_on(spec, time_zone, day) t where t <= at;
      if found is not null then
        return found;
      end if;
    end if;
    day := day - 1;
  end loop;
  return null;
end $$;

-- Whether the expression matches at exactly this instant.
create function app.cron_matches(spec app.cron_spec, time_zone text, at timestamptz) returns boolean
language sql stable set search_path = '' as $$
  select app.cron_prev(spec, time_zone, at) = at
$$;

revoke execute on function app.cron_horizon_days(), app.cron_value(text, text, text, text[], integer),
  app.cron_field(text, text, text, integer, integer, text[], integer), app.cron_parse(text),
  app.cron_day_matches(app.cron_spec, date), app.cron_instants_on(app.cron_spec, text, date),
  app.cron_next(app.cron_spec, text, timestamptz), app.cron_prev(app.cron_spec, text, timestamptz),
  app.cron_matches(app.cron_spec, text, timestamptz) from public;
grant execute on function app.cron_horizon_days(), app.cron_value(text, text, text, text[], integer),
  app.cron_field(text, text, text, integer, integer, text[], integer), app.cron_parse(text),
  app.cron_day_matches(app.cron_spec, date), app.cron_instants_on(app.cron_spec, text, date),
  app.cron_next(app.cron_spec, text, timestamptz), app.cron_prev(app.cron_spec, text, timestamptz),
  app.cron_matches(app.cron_spec, text, timestamptz) to anon, authenticated, service_role;
