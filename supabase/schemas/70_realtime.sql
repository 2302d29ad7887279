-- Realtime. Dashboards receive transitions only: agent_events inserts and desired-state updates are
-- published; agent_status is NOT, because every heartbeat writes it (spec §4) and a fleet's heartbeats
-- would flood every dashboard. The agents' push wake-up (Broadcast from the database) is part of a
-- command: 32_wake_ups.sql.
--
-- Hosted Supabase (and the bootstrap) already has the publication; a plain Postgres gets it here.
do $$
begin
  if not exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end $$;
alter publication supabase_realtime add table public.agent_events, public.agent_desired_state;

-- The dashboard's and the CLI's change feeds travel on private channels (Realtime Authorization), so
-- no holder of the publishable key can join them or broadcast into them, on hosted Supabase too once
-- the project allows private channels only (docs/security.md): signed-in readers (viewers and
-- operators) may join `agent-dashboard` and `agent-status-cli-<agent id | fleet>`; there is no INSERT
-- policy, so nobody broadcasts on them. What each change shows is still decided by the tables' RLS.
do $$
begin
  if to_regclass('realtime.messages') is not null and to_regprocedure('realtime.topic()') is not null then
    execute $policy$
      create policy "readers join the fleet's change channels" on realtime.messages
        for select to authenticated
        using ((select app.can_read())
               and (realtime.topic() = 'agent-dashboard'
                    or realtime.topic() ~ '^agent-status-cli-(fleet|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$'))
    $policy$;
  end if;
end $$;
