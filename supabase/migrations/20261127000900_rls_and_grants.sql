-- Who may do what (the security matrix of docs/security.md). Row-level security on every table;
-- hosted Supabase grants everything to anon and authenticated by default, so take it all back and
-- grant exactly what each role needs. Functions: nothing by default, then one grant per RPC.

alter table public.agent_status enable row level security;
alter table public.agent_desired_state enable row level security;
alter table public.agent_events enable row level security;
alter table public.agent_tokens enable row level security;

revoke all on public.agent_status, public.agent_desired_state, public.agent_events, public.agent_tokens,
  public.agent_overview from anon, authenticated;
revoke all on sequence public.agent_events_id_seq from anon, authenticated;
grant all on public.agent_status, public.agent_desired_state, public.agent_events, public.agent_tokens,
  public.agent_overview to service_role;
grant usage on sequence public.agent_events_id_seq to service_role;

grant select on public.agent_status, public.agent_desired_state, public.agent_events, public.agent_overview
  to authenticated;
grant update (desired_state, generation, last_command, requested_by, requested_by_email, requested_at)
  on public.agent_desired_state to authenticated;
grant select (id, agent_id, label, created_at, last_used_at, revoked_at) on public.agent_tokens to authenticated;

create policy "viewers and operators read agents" on public.agent_status
  for select to authenticated using ((select app.can_read()));
create policy "viewers and operators read desired state" on public.agent_desired_state
  for select to authenticated using ((select app.can_read()));
create policy "operators change desired state" on public.agent_desired_state
  for update to authenticated using ((select app.can_command())) with check ((select app.can_command()));
create policy "viewers and operators read events" on public.agent_events
  for select to authenticated using ((select app.can_read()));
create policy "operators read token metadata" on public.agent_tokens
  for select to authenticated using ((select app.can_command()));

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema app from public;
grant execute on all functions in schema app to anon, authenticated, service_role;
grant execute on function public.agent_report(public.agent_report_kind, text, text, text, integer, bigint, jsonb)
  to anon, authenticated, service_role;
grant execute on function public.command_agents(public.agent_command, text) to authenticated, service_role;
grant execute on function public.issue_agent_token(text, text) to authenticated, service_role;
grant execute on function public.revoke_agent_token(uuid) to authenticated, service_role;
grant execute on function public.sweep_offline_agents() to service_role;
grant execute on function public.prune_agent_events(integer, integer) to service_role;
