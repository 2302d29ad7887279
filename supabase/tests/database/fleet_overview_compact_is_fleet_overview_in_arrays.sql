-- fleet_overview_compact(): fleet_overview()'s rows as arrays under one header — the same agents in the
-- same order with the same values, every column of the view, server_time once — under the caller's
-- row-level security; anon may not call it. With p_columns, only those columns (in the view's order), the
-- same values; a name the view does not have is refused.
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
-- Some columns: the dashboard's list reads only what it shows.
select is((select array_agg(c) from json_array_elements_text(public.fleet_overview_compact('{health,agent_name,id}') -> 'columns') c),
          array['id', 'agent_name', 'health'], 'p_columns: only those columns, in the view''s order');
select is((select jsonb_agg(jsonb_build_array(r -> 0, r -> 1, r -> 2)) from json_array_elements(public.fleet_overview_compact('{id,agent_name,health}') -> 'rows') r),
          (select jsonb_agg(jsonb_build_array(e -> 'id', e -> 'agent_name', e -> 'health') order by n) from json_array_elements(public.fleet_overview()) with ordinality o(e, n)),
          'p_columns: the same agents, order and values as fleet_overview()');
select ok((public.fleet_overview_compact('{id}') ->> 'server_time') is not null, 'p_columns: server_time still comes once');
select is(json_array_length(public.fleet_overview_compact(null) -> 'columns'), json_array_length(public.fleet_overview_compact() -> 'columns'),
          'p_columns null: every column');
select throws_ok($$select public.fleet_overview_compact('{id,helth,"x y"}')$$, '22023',
                 'fleet_overview_compact: agent_overview has no column helth, "x y"', 'an unknown column is refused, named');
select throws_ok($$select public.fleet_overview_compact('{id,null}')$$, '22023',
                 'fleet_overview_compact: agent_overview has no column NULL', 'a null column name is refused');
select throws_ok($$select public.fleet_overview_compact('{}')$$, '22023',
                 'fleet_overview_compact: agent_overview has no column (none asked for)', 'no columns asked for is refused');
select throws_ok($$select public.fleet_overview_compact('{server_time}')$$, '22023',
                 'fleet_overview_compact: agent_overview has no column server_time', 'server_time is not a row column (it comes once)');
select tests.as_user('operator');
select ok(pg_temp.same_as_fleet_overview(), 'operator: the same as fleet_overview()');
select tests.as_service();
select is(json_array_length(public.fleet_overview_compact() -> 'rows'), (select count(*)::integer from public.agent_status), 'service: every agent');
select tests.as_user(null);
select is((public.fleet_overview_compact() -> 'rows')::text, '[]', 'a user without a role: nothing');
select tests.as_anon();
select throws_ok($$select public.fleet_overview_compact()$$, '42501', 'permission denied for function fleet_overview_compact', 'anon: denied');
select throws_ok($$select public.fleet_overview_compact('{id}')$$, '42501', 'permission denied for function fleet_overview_compact', 'anon with p_columns: denied');

select * from finish();
rollback;
