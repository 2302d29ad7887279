-- fleet_overview(): agent_overview's rows as one JSON array (not cut at max_rows), ordered by name,
-- under the caller's row-level security; anon may not call it.
begin;
select no_plan();

insert into public.agent_status (agent_name) select 'ov-' || lpad(g::text, 4, '0') from generate_series(1, 1500) g;

select tests.as_user('viewer');
select is(json_array_length(public.fleet_overview()), (select count(*)::integer from public.agent_overview),
          'viewer: every agent the view shows, past 1,000');
select ok((select count(*) from public.agent_overview) > 1500, 'the fleet is past max_rows');
select is(public.fleet_overview() -> 0 ->> 'agent_name', (select agent_name from public.agent_overview order by agent_name, id limit 1),
          'ordered by name');
select is((select array_agg(k order by k) from json_object_keys(public.fleet_overview() -> 0) k),
          (select array_agg(column_name::text order by column_name::text) from information_schema.columns
            where table_schema = 'public' and table_name = 'agent_overview'),
          'each element is a row of the view, every column');
select tests.as_user('operator');
select is(json_array_length(public.fleet_overview()), (select count(*)::integer from public.agent_overview), 'operator: the same');
select tests.as_service();
select is(json_array_length(public.fleet_overview()), (select count(*)::integer from public.agent_status), 'service: every agent');
select tests.as_user(null);
select is(public.fleet_overview()::text, '[]', 'a user without a role: nothing');
select tests.as_anon();
select throws_ok($$select public.fleet_overview()$$, '42501', 'permission denied for function fleet_overview', 'anon: denied');

select * from finish();
rollback;
