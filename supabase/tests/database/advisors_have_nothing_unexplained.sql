-- What Supabase's Security Advisor (the splinter lints) would say about this schema, checked with our
-- own catalog queries: every finding is on an accepted list that docs/security.md ("What the Supabase
-- Advisors say") explains, and a new one fails the suite until it is fixed or explained there.
begin;
select no_plan();

-- function_search_path_mutable: functions without a fixed search_path. Accepted: the inlinable SQL
-- helpers (a SET clause would stop Postgres inlining them into RLS policies and queries); each names
-- every object schema-qualified.
select is(
  (select array_agg(n.nspname || '.' || p.proname order by n.nspname, p.proname)
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('public', 'app')
      and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
      and not coalesce((select bool_or(c like 'search_path=%') from unnest(p.proconfig) c), false)),
  array['app.availability_state', 'app.default_health', 'app.hash_token', 'app.health_band', 'app.is_scheduled_stop',
        'app.offline_after_seconds'],
  'only the inlinable helpers have no fixed search_path');

-- anon_security_definer_function_executable: SECURITY DEFINER functions in the exposed schema that the
-- publishable key alone may call. Accepted: the four that authenticate a credential of their own.
select is(
  (select array_agg(p.proname::text order by p.proname)
     from pg_proc p
    where p.pronamespace = 'public'::regnamespace and p.prosecdef and has_function_privilege('anon', p.oid, 'execute')),
  array['agent_report', 'badge_state', 'metrics_snapshot', 'publish_agent_logs'],
  'anon may call only the definer functions that check an agent token, a badge key or a metrics token');

-- authenticated_security_definer_function_executable: the same for signed-in users. Accepted: the RPCs
-- that check the caller's role themselves (app.require_operator / app.can_read) before they act.
select is(
  (select array_agg(p.proname::text order by p.proname)
     from pg_proc p
    where p.pronamespace = 'public'::regnamespace and p.prosecdef
      and has_function_privilege('authenticated', p.oid, 'execute')),
  array['agent_report', 'alert_channel_summaries', 'badge_state', 'create_agent', 'delete_agent',
        'delete_agent_metric', 'issue_agent_token', 'issue_badge_key', 'issue_metrics_token', 'metrics_snapshot',
        'mute_agent', 'publish_agent_logs', 'revoke_agent_token', 'revoke_badge_key', 'revoke_metrics_token',
        'tag_agents', 'update_agent', 'watch_agent_logs'],
  'signed-in users may call only the definer functions that check their role themselves');

-- rls_disabled_in_public and rls_enabled_no_policy: every table has RLS and at least one policy.
select is(
  (select array_agg(c.relname::text order by c.relname) from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity),
  null, 'every table in public has row-level security');
select is(
  (select array_agg(c.relname::text order by c.relname) from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
      and not exists (select 1 from pg_policy po where po.polrelid = c.oid)),
  null, 'every table in public has a policy (service-role-only tables say so explicitly)');

-- extension_in_public: no extension lives in public. Accepted: pgtap, which only this test run installs.
select is(
  (select array_agg(extname::text order by extname) from pg_extension
    where extnamespace = 'public'::regnamespace and extname <> 'pgtap'),
  null, 'no extension in public');

-- pg_graphql_*_table_exposed: GraphQL is not installed (the migrations drop it where a project has it).
select is((select count(*)::integer from pg_extension where extname = 'pg_graphql'), 0, 'pg_graphql is not installed');

select * from finish();
rollback;
