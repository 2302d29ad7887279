-- Cron expressions as schedules read them: Vixie cron's five fields (as pg_cron), with names, ranges,
-- steps and lists; day of month and day of week combine with OR when both are restricted, AND when one
-- starts with *; every malformed field is refused with a message naming it.
begin;
select no_plan();

-- The next n matches after a time, in UTC, as text.
create function pg_temp.next(expr text, after timestamptz, n integer default 3, time_zone text default 'UTC') returns text[]
language plpgsql stable as $$
declare
  spec app.cron_spec := app.cron_parse(expr);
  result text[] := '{}';
  at timestamptz := after;
begin
  for i in 1..n loop
    at := app.cron_next(spec, time_zone, at);
    exit when at is null;
    result := result || to_char(at at time zone 'UTC', 'Dy YYYY-MM-DD HH24:MI');
  end loop;
  return result;
end $$;

select is(pg_temp.next('0 8 * * 1-5', '2027-06-04 09:00+00'), '{"Mon 2027-06-07 08:00","Tue 2027-06-08 08:00","Wed 2027-06-09 08:00"}',
          'weekdays at 08:00 skip the weekend');
select is(pg_temp.next('0 8 * * MON-fri', '2027-06-04 09:00+00'), pg_temp.next('0 8 * * 1-5', '2027-06-04 09:00+00'),
          'weekday names in any case are the same as numbers');
select is(pg_temp.next('*/20 9-10 * * *', '2027-06-04 09:30+00', 4), '{"Fri 2027-06-04 09:40","Fri 2027-06-04 10:00","Fri 2027-06-04 10:20","Fri 2027-06-04 10:40"}',
          'steps over a star and hour ranges');
select is(pg_temp.next('5,35 12 * * *', '2027-06-04 12:05+00', 2), '{"Fri 2027-06-04 12:35","Sat 2027-06-05 12:05"}',
          'lists; the next match is strictly after the given time');
select is(pg_temp.next('0 0 1 jan,jul *', '2027-06-04+00', 2), '{"Thu 2027-07-01 00:00","Sat 2028-01-01 00:00"}', 'month names');
select is(pg_temp.next('0 0 * * 7', '2027-06-04+00', 1), '{"Sun 2027-06-06 00:00"}', '7 is Sunday');
select is(pg_temp.next('0 0 * * 0', '2027-06-04+00', 1), '{"Sun 2027-06-06 00:00"}', '0 is Sunday too');
select is(pg_temp.next('0 0 10-20/5 * *', '2027-06-04+00', 3), '{"Thu 2027-06-10 00:00","Tue 2027-06-15 00:00","Sun 2027-06-20 00:00"}',
          'a stepped range');
select is(pg_temp.next('0 0 25/3 * *', '2027-06-04+00', 3), '{"Fri 2027-06-25 00:00","Mon 2027-06-28 00:00","Sun 2027-07-25 00:00"}',
          'a/n runs from a to the end of the field');
select is(pg_temp.next('0 0 13 * 5', '2027-06-04+00', 3), '{"Fri 2027-06-11 00:00","Sun 2027-06-13 00:00","Fri 2027-06-18 00:00"}',
          'day of month and day of week both restricted: either matches (Friday or the 13th)');
select is(pg_temp.next('0 0 */2 * 5', '2027-06-04+00', 2), '{"Fri 2027-06-11 00:00","Fri 2027-06-25 00:00"}',
          'a day of month that starts with *: both must match (odd Fridays of the month)');
select is(pg_temp.next('0 0 29 2 *', '2027-06-04+00', 2), '{"Tue 2028-02-29 00:00","Sun 2032-02-29 00:00"}',
          '29 February is found years ahead');
select is(app.cron_prev(app.cron_parse('0 0 29 2 *'), 'UTC', '2027-06-04+00'), '2024-02-29 00:00+00'::timestamptz,
          'and years back');
select is(pg_temp.next('0 0 31 2 *', '2027-06-04+00'), '{}', 'an expression that never matches has no next match');
select is(pg_temp.next('0 9 * * *', '2027-06-04+00', 1, 'Asia/Kolkata'), '{"Fri 2027-06-04 03:30"}', 'a half-hour zone');
select is(pg_temp.next('0 9 * * *', '2027-06-04 12:00+00', 1, 'Pacific/Auckland'), '{"Fri 2027-06-04 21:00"}',
          'a zone ahead of UTC: 09:00 on Saturday in Auckland is Friday evening in UTC');
select ok(app.cron_matches(app.cron_parse('30 8 * * *'), 'UTC', '2027-06-04 08:30+00'), 'cron_matches: a match');
select ok(not app.cron_matches(app.cron_parse('30 8 * * *'), 'UTC', '2027-06-04 08:31+00'), 'cron_matches: not a match');

-- Malformed expressions name the field and the fault.
select throws_ok($$select app.cron_parse('0 8 * *')$$, '22023',
  'cron expression "0 8 * *" must have five fields: minute hour day-of-month month day-of-week, e.g. "0 8 * * 1-5"', 'four fields');
select throws_ok($$select app.cron_parse('0 8 * * * *')$$, '22023', null, 'six fields');
select throws_ok($$select app.cron_parse('@daily')$$, '22023', null, 'macros are not taken');
select throws_ok($$select app.cron_parse(repeat('1,', 60) || '1 * * * *')$$, '22023',
  'a cron expression is five fields of at most 100 characters in all, e.g. "0 8 * * 1-5"', 'too long');
select throws_ok($$select app.cron_parse('60 8 * * *')$$, '22023', 'cron expression "60 8 * * *": minute "60" is out of range 0–59', 'minute 60');
select throws_ok($$select app.cron_parse('0 24 * * *')$$, '22023', 'cron expression "0 24 * * *": hour "24" is out of range 0–23', 'hour 24');
select throws_ok($$select app.cron_parse('0 8 0 * *')$$, '22023', 'cron expression "0 8 0 * *": day of month "0" is out of range 1–31', 'day 0');
select throws_ok($$select app.cron_parse('0 8 * 13 *')$$, '22023', 'cron expression "0 8 * 13 *": month "13" is out of range 1–12', 'month 13');
select throws_ok($$select app.cron_parse('0 8 * * 8')$$, '22023', 'cron expression "0 8 * * 8": day of week "8" is out of range 0–7', 'weekday 8');
select throws_ok($$select app.cron_parse('0 8 * * mon-fry')$$, '22023',
  'cron expression "0 8 * * mon-fry": day of week "fry" is not a number or a name (SUN…SAT)', 'a misspelt name');
select throws_ok($$select app.cron_parse('0 8 * foo *')$$, '22023',
  'cron expression "0 8 * foo *": month "foo" is not a number or a name (JAN…DEC)', 'an unknown month');
select throws_ok($$select app.cron_parse('x 8 * * *')$$, '22023', 'cron expression "x 8 * * *": minute "x" is not a number', 'a word where a number goes');
select throws_ok($$select app.cron_parse('0 20-8 * * *')$$, '22023', 'cron expression "0 20-8 * * *": hour range "20-8" runs backwards', 'a backwards range');
select throws_ok($$select app.cron_parse('*/0 8 * * *')$$, '22023', 'cron expression "*/0 8 * * *": minute step "/0" must be between 1 and 59', 'step 0');
select throws_ok($$select app.cron_parse('*/99999999999 8 * * *')$$, '22023', null, 'a huge step');
select throws_ok($$select app.cron_parse('99999999999 8 * * *')$$, '22023', null, 'a huge number');
select throws_ok($$select app.cron_parse('1,,2 8 * * *')$$, '22023', 'cron expression "1,,2 8 * * *": minute "" is not a value, a range a-b, * or a step /n', 'an empty list item');
select throws_ok($$select app.cron_parse('*-5 8 * * *')$$, '22023', 'cron expression "*-5 8 * * *": minute "*-5" is not a value, a range a-b, * or a step /n', 'a range from *');
select throws_ok($$select app.cron_parse(null)$$, '22023', null, 'null');

select * from finish();
rollback;
