-- Matrix rows "authenticated without a role" and "authenticated with role=operator in
-- user_metadata only": user_metadata is editable by the user, so it grants nothing.
-- Both see zero rows everywhere (RLS filters silently) and are refused every command.
begin;
select no_plan();

select tests.give_token('Content Collector', 'cc-secret');
select tests.as_service();
select * from public.agent_report('started', 'Content Collector');

create function pg_temp.check_user(label text, user_metadata jsonb) returns setof text
language plpgsql as $body$
declare
  t text;
  op text;
begin
  perform tests.as_user(null, user_metadata);
  foreach t in array array['agent_status', 'agent_desired_state', 'agent_events', 'agent_tokens', 'agent_overview'] loop
    return next is(tests.visible(t), 0, format('%s: sees no rows in %s', label, t));
  end loop;
  return next throws_ok('select token_hash from public.agent_tokens', '42501', null,
                        label || ': cannot read token hashes');
  foreach t in array array['agent_status', 'agent_desired_state', 'agent_events', 'agent_tokens'] loop
    foreach op in array array['insert', 'update', 'delete'] loop
      continue when t = 'agent_desired_state' and op = 'update';
      return next throws_ok(tests.statement(t, op), '42501', 'permission denied for table ' || t,
                            format('%s: %s on %s is denied', label, op, t));
    end loop;
  end loop;
  foreach op in array array['insert', 'update', 'delete'] loop
    return next throws_ok(tests.statement('agent_overview', op), '55000', null,
                          format('%s: %s on agent_overview is impossible', label, op));
  end loop;
  return next is(tests.affected($$update public.agent_desired_state set desired_state = 'running'$$), 0,
                 label || ': updating desired state changes 0 rows');
  return next throws_ok($$select * from public.agent_report('heartbeat', 'Content Collector')$$,
                        'PT401', 'an agent token is required', label || ': agent_report needs an agent token');
  return next throws_ok($$select * from public.command_agents('start', 'Content Collector')$$,
                        '42501', 'only operators can command agents', label || ': command_agents is forbidden');
  return next throws_ok($$select * from public.command_agents('stop')$$,
                        '42501', 'only operators can command agents', label || ': stop-all is forbidden');
  return next throws_ok($$select * from public.issue_agent_token('Content Collector')$$,
                        '42501', 'only operators can issue agent tokens', label || ': issue_agent_token is forbidden');
  return next throws_ok($$select public.revoke_agent_token(gen_random_uuid())$$,
                        '42501', 'only operators can revoke agent tokens', label || ': revoke_agent_token is forbidden');
  return next throws_ok($$select public.sweep_offline_agents()$$,
                        '42501', 'permission denied for function sweep_offline_agents', label || ': sweep is denied');
  return next throws_ok($$select public.prune_agent_events()$$,
                        '42501', 'permission denied for function prune_agent_events', label || ': prune is denied');
  perform tests.as_superuser();
end $body$;

select pg_temp.check_user('no role', '{}');
select pg_temp.check_user('user_metadata operator', '{"role": "operator"}');

select is((select count(*)::integer from public.agent_events where kind = 'command'), 0,
          'no command was recorded for users without a role');
select is((select count(*)::integer from public.agent_tokens), 1, 'no token was issued');

select * from finish();
rollback;
