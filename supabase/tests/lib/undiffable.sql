-- What `supabase db diff --use-pg-delta` does not compare, printed as plain text so that two databases
-- can be compared with diff(1): the convergence check (supabase/tests/lib/db.sh) runs this on the
-- database built from the migrations and on the one built from supabase/schemas/, and they must print
-- the same. supabase/schemas/README.md ("What the generator cannot see") explains each part.
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '

-- 1. Scheduled jobs: rows of cron.job, not schema objects.
select 'cron job', jobname, schedule, active, command
  from cron.job
 order by jobname;

-- 2. Column order. The diff adds a column declared in the middle of a table at its end, where Postgres
--    puts every new column; `select *`, views made with `s.*` and the generated types follow this order.
select 'columns', c.relkind, n.nspname || '.' || c.relname, string_agg(a.attname, ', ' order by a.attnum)
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
 where c.relkind in ('r', 'p', 'v', 'm', 'f', 'c')
   and n.nspname <> 'information_schema' and n.nspname not like 'pg\_%'
 group by c.relkind, n.nspname, c.relname
 order by 3;

-- 3. Rows that the schema itself holds (e.g. alert_settings' one row): data, which the diff never
--    compares. Every table except the migration history and cron.job (above), without the columns whose
--    values differ from one build to the next (times, generated ids).
select format(
  'select %L, coalesce(jsonb_agg(r order by r::text), ''[]'') from (select to_jsonb(t) - %L::text[] as r from %I.%I t) rows',
  'rows ' || n.nspname || '.' || c.relname,
  coalesce((
    select array_agg(a.attname order by a.attnum)
      from pg_attribute a
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
     where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       and (a.atttypid in ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype)
            or a.attidentity <> ''
            or pg_get_expr(d.adbin, d.adrelid) ~ '(now|gen_random_uuid|uuid_generate_v4|nextval|clock_timestamp|random)\(')
  ), '{}'),
  n.nspname, c.relname)
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
 where c.relkind in ('r', 'p')
   and n.nspname not in ('information_schema', 'supabase_migrations', 'cron') and n.nspname not like 'pg\_%'
 order by n.nspname, c.relname
\gexec
