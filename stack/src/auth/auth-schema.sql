-- What the stack's Auth server keeps beyond the bootstrap's auth.users: sessions and rotating
-- refresh tokens, shaped like GoTrue's tables of the same names. Idempotent: runs on every start.
-- Only the superuser connection (the auth server) touches these; the API roles get no grants.

create table if not exists auth.sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  aal text not null default 'aal1',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- When the current access token was last refreshed, for diagnostics (GoTrue: refreshed_at).
  refreshed_at timestamptz
);
create index if not exists sessions_user_id_idx on auth.sessions (user_id);

create table if not exists auth.refresh_tokens (
  id bigserial primary key,
  -- Opaque random string handed to the client; stored as GoTrue does, so that a client which
  -- retries with its previous token inside the reuse interval can be given the current one.
  token text not null unique,
  user_id uuid not null references auth.users (id) on delete cascade,
  session_id uuid not null references auth.sessions (id) on delete cascade,
  revoked boolean not null default false,
  -- The token this one replaced (null for the first token of a session).
  parent text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists refresh_tokens_session_id_idx on auth.refresh_tokens (session_id);
create index if not exists refresh_tokens_parent_idx on auth.refresh_tokens (parent);
