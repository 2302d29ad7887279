-- command_agents(p_agent_names): several agents by name in one set-based UPDATE, all or nothing;
-- command_agents_json answers the same rows as one JSON value (never cut by max_rows); both for
-- every caller: anon, a user without a role, viewer (refused), operator and service role (allowed).
begin;
select no_plan();

create function pg_temp.desired() returns text language sql stable security definer as $$
  select string_agg(s.agent_name || '=' || d.desired_state || '#' || d.generation, ' ' order by s.agent_name)
    from public.agent_desired_state d join public.agent_status s on s.id = d.agent_id $$;
grant execute on function pg_temp.desired() to anon, authenticated, service_role;
select set_config('tests.before', pg_temp.desired(), true);

-- anon, no role, viewer: refused, nothing changes ------------------------------------------------
select tests.as_anon();
select throws_ok($$select * from public.command_agents('start', p_agent_names => array['Blog Generator'])$$,
                 '42501', 'permission denied for function command_agents', 'anon: command_agents with names is denied');
select throws_ok($$select public.command_agents_json('start')$$,
                 '42501', 'permission denied for function command_agents_json', 'anon: command_agents_json is denied');
select tests.as_user(null);
select throws_ok($$select public.command_agents_json('start', p_agent_names => array['Blog Generator'])$$,
                 '42501', 'only operators can command agents', 'a user without a role: command_agents_json is forbidden');
select tests.as_user('viewer');
select throws_ok($$select * from public.command_agents('stop', p_agent_names => array['Blog Generator', 'Tweet Scheduler'])$$,
                 '42501', 'only operators can command agents', 'viewer: command_agents with names is forbidden');
select throws_ok($$select public.command_agents_json('stop')$$,
                 '42501', 'only operators can command agents', 'viewer: command_agents_json is forbidden');
select tests.as_superuser();
select is(pg_temp.desired(), current_setting('tests.before'), 'refused callers changed nothing');

-- operator ---------------------------------------------------------------------------------------
select tests.as_user('operator');
select results_eq($$select agent_name, desired_state::text, generation
                      from public.command_agents('start', p_agent_names => array['Tweet Scheduler', 'Blog Generator', 'Blog Generator'])
                     order by agent_name$$,
                  $$values ('Blog Generator', 'running', 1::bigint), ('Tweet Scheduler', 'running', 1::bigint)$$,
                  'operator: the named agents (a name given twice counts once) start in one statement');
select tests.as_superuser();
select is((select count(*)::integer from public.agent_events where kind = 'command' and actor_email = 'operator@example.test'), 2,
          'one command event per named agent, with its actor');
select is((select count(*)::integer from public.agent_desired_state where desired_state = 'running'), 2, 'the other agents are untouched');

select tests.as_user('operator');
select throws_ok($$select * from public.command_agents('stop', p_agent_names => array['Blog Generator', 'Nobody', 'Ghost'])$$,
                 'PT404', 'unknown agents: "Ghost", "Nobody"', 'an unknown name refuses the whole command, naming the unknown');
select throws_ok($$select * from public.command_agents('stop', p_agent_names => array[]::text[])$$,
                 '22023', 'agent_names must name at least one agent', 'an empty list is refused');
select throws_ok($$select * from public.command_agents('stop', p_agent_names => array['Blog Generator', null])$$,
                 '22023', 'agent_names must not hold null', 'a null name is refused');
select throws_ok($$select * from public.command_agents('stop', 'Blog Generator', array['Blog Generator'])$$,
                 '22023', 'name one agent (p_agent_name) or several (p_agent_names), not both', 'one name and a list is refused');
select tests.as_superuser();
select is((select count(*)::integer from public.agent_desired_state where desired_state = 'running'), 2,
          'a refused command changed nothing (all or nothing)');

select tests.as_user('operator');
select is(public.command_agents_json('restart', p_agent_names => array['Tweet Scheduler', 'Blog Generator']),
          '[{"agent_name": "Blog Generator", "generation": 2, "desired_state": "running"},
            {"agent_name": "Tweet Scheduler", "generation": 2, "desired_state": "running"}]'::jsonb,
          'operator: command_agents_json answers the named agents, ordered by name');
select is(public.command_agents_json('stop', 'Blog Generator'),
          '[{"agent_name": "Blog Generator", "generation": 3, "desired_state": "stopped"}]'::jsonb, 'command_agents_json for one agent');
select throws_ok($$select public.command_agents_json('stop', 'Nobody')$$, 'PT404', 'unknown agent "Nobody"',
                 'command_agents_json: an unknown single agent is PT404 as before');

-- service role: a fleet past max_rows is answered completely --------------------------------------
select tests.as_superuser();
insert into public.agent_status (agent_name) select 'fleet-' || lpad(g::text, 4, '0') from generate_series(1, 1200) g;
select tests.as_service();
select is(jsonb_array_length(public.command_agents_json('start')), 1206, 'service: start-all as JSON lists all 1,206 agents');
select is((select count(*)::integer from public.command_agents('stop', p_agent_names => (select array_agg(agent_name) from public.agent_status where agent_name like 'fleet-%'))),
          1200, 'service: 1,200 named agents in one statement');

select * from finish();
rollback;
