-- Who the caller is, and what they may do: the checks every RLS policy and RPC uses (the security
-- matrix of docs/security.md). Roles come from the JWT's app_metadata (users cannot edit it, unlike
-- user_metadata); an operator is checked against their account too.

-- Role of the signed-in user, from app_metadata only: users can edit user_metadata themselves.
create function app.user_role() returns text
language sql stable set search_path = '' as $$
  select case when auth.role() = 'authenticated'
              then coalesce(auth.jwt() -> 'app_metadata' ->> 'role', '') else '' end
$$;

-- The role in a session JWT is a copy of app_metadata made when the session was issued or refreshed,
-- and stays valid until the JWT expires ([auth] jwt_expiry, an hour). The account's row is the truth:
-- its role now, and whether it is banned (banned_until in the future) or deleted (hosted Supabase
-- soft-deletes with deleted_at; read through to_jsonb so that an auth schema without the column works).
-- Security definer: API roles cannot read auth.users. Takes no argument, so it reveals only the
-- caller's own role.
create function app.account_role() returns text
language sql stable security definer set search_path = '' as $$
  select coalesce((
    select u.raw_app_meta_data ->> 'role'
      from auth.users u
     where u.id = auth.uid()
       and (u.banned_until is null or u.banned_until <= now())
       and (to_jsonb(u) ->> 'deleted_at') is null), '')
$$;

-- An operator is one whose JWT AND whose account say so. Every operator check calls this — command_agents
-- and the RLS policy on agent_desired_state, the registry and token RPCs, metrics tokens, badge keys,
-- mutes, alert channels — so a demotion, a ban or a deletion is refused on the very next request. (A
-- promotion still waits for a fresh session: the JWT must say operator too, and the dashboard reads it.)
create function app.can_command() returns boolean
language sql stable security definer set search_path = '' as $$
  select app.user_role() = 'operator' and app.account_role() = 'operator'
$$;

-- A reader (viewer or operator) is one whose JWT AND whose account say so, like an operator: every read
-- policy calls it (once per statement, as `(select app.can_read())`), and so do the Realtime policies, so
-- a viewer or operator whose role is removed, who is banned or deleted stops reading at the next request
-- and receives no further change, with the same JWT still in hand. A demoted operator still reads, as the
-- viewer they now are. The cost is one primary-key read of auth.users per statement, none per row.
create function app.can_read() returns boolean
language sql stable security definer set search_path = '' as $$
  select app.user_role() in ('viewer', 'operator') and app.account_role() in ('viewer', 'operator')
$$;

create function app.is_service() returns boolean
language sql stable set search_path = '' as $$ select auth.role() = 'service_role' $$;

-- Who is acting, for the history: the signed-in user's email, or the API role (service_role).
create function app.actor_email() returns text
language sql stable set search_path = '' as $$ select coalesce(auth.jwt() ->> 'email', auth.role()) $$;

create function app.require_operator(action text) returns void
language plpgsql stable set search_path = '' as $$
begin
  if not (app.can_command() or app.is_service()) then
    raise exception 'only operators can %', action using errcode = '42501';
  end if;
end $$;

-- Helpers are called by the API roles' policies and RPCs, and by nobody else.
revoke execute on function app.user_role(), app.can_read(), app.account_role(), app.can_command(), app.is_service(),
  app.actor_email(), app.require_operator(text) from public;
grant execute on function app.user_role(), app.can_read(), app.account_role(), app.can_command(), app.is_service(),
  app.actor_email(), app.require_operator(text) to anon, authenticated, service_role;
