-- fleet_overview_compact(): fleet_overview()'s rows as arrays under one header — the same agents in the
-- same order with the same values, every column of the view, server_time once — under the caller's
-- row-level security; anon may not call it.
begin;
select no_plan();

insert into public.agent_status (agent_name) select 'cv-' || lpad(g::text, 4, '0') from generate_series(1, 1200) g;
update public.agent_status set last_error = 'quote " and \ backslash', health = 30 where agent_name = 'cv-0007';

-- The compact answer turned back into fleet_overview()'s objects.
create function pg_temp.expanded() returns json language sql as $$
  select coalesce(json_agg((select json_object_agg(c.name, r.values -> (c.n - 1)::integer)
                             from json_array_elements_text(f -> 'columns') with ordinality c(name, n))::jsonb
                           || jsonb_build_object('server_time', f -> 'server_time') order by r.n), '[]')
    from (select public.fleet_overview_compact() f) x,
         json_array_elements(f -> 'rows') with ordinality r(values, n)
$$;
create function pg_temp.same_as_fleet_overview() returns boolean language sql as $$
  select pg_temp.expanded()::jsonb = (select coalesce(jsonb_agg(e::jsonb order by n), '[]') from json_array_elements(public.fleet_overview()) with ordinality o(e, n))
$$;
grant execute on function pg_temp.expanded(), pg_temp.same_as_fleet_overview() to authenticated, service_role;

select tests.as_user('viewer');
select is(json_array_length(public.fleet_overview_compact() -> 'rows'), (select count(*)::integer from public.agent_overview),
          'viewer: every agent the view shows, past 1,000');
select ok(pg_temp.same_as_fleet_overview(), 'viewer: the same rows, order and values as fleet_overview()');
select is((select array_agg(c order by c) from json_array_elements_text(public.fleet_overview_compact() -> 'columns') c),
          (select array_agg(column_name::text order by column_name::text) from information_schema.columns
            where table_schema = 'public' and table_name = 'agent_overview' and column_name <> 'server_time'),
          'the header is every column of the view but server_time');
select ok((public.fleet_overview_compact() ->> 'server_time') is not null, 'server_time comes once');
select tests.as_user('operator');
select ok(pg_temp.same_as_fleet_overview(), 'operator: the same as fleet_overview()');
select tests.as_service();
select is(json_array_length(public.fleet_overview_compact() -> 'rows'), (select count(*)::integer from public.agent_status), 'service: every agent');
select tests.as_user(null);
select is((public.fleet_overview_compact() -> 'rows')::text, '[]', 'a user without a role: nothing');
select tests.as_anon();
select throws_ok($$select public.fleet_overview_compact()$$, '42501', 'permission denied for function fleet_overview_compact', 'anon: denied');

select * from finish();
rollback;
