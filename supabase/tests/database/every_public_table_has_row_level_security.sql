-- The RLS matrix in the privileges_* files covers the tables that exist today. This catches the
-- next one: a table added to the exposed schema without RLS would be readable through the API by
-- whatever grants it happens to have. Views must run with the caller's rights for the same reason.
-- Objects that belong to an extension (pgTAP's own views here) are not the project's.
begin;
select plan(3);

select is_empty(
  $$select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e') and c.relkind in ('r', 'p') and not c.relrowsecurity$$,
  'every table in the public schema has row-level security enabled');
select is_empty(
  $$select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e') and c.relkind = 'v'
       and not coalesce('security_invoker=true' = any(c.reloptions), false)$$,
  'every view in the public schema runs with the caller''s rights (security_invoker)');
select is_empty(
  $$select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e') and c.relkind in ('r', 'p')
       and has_table_privilege('anon', c.oid, 'select, insert, update, delete')$$,
  'anon holds no privilege on any public table');

select * from finish();
rollback;
