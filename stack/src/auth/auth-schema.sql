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
  -- sha256 (hex) of the opaque random string handed to the client: the token itself is never stored,
  -- so a copy of the database or of its files hands out no session (GoTrue keeps it as it is).
  token_hash text not null unique,
  user_id uuid not null references auth.users (id) on delete cascade,
  session_id uuid not null references auth.sessions (id) on delete cascade,
  revoked boolean not null default false,
  -- The hash of the token this one replaced (null for the first token of a session).
  parent_hash text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- A data directory or database of an earlier version kept tokens as they are (columns token, parent):
-- hash them in place, so that signed-in users stay signed in, and drop the plain columns.
-- (schema.ts then rewrites the table so that no old row version keeps the plain text.)
do $$
begin
  if exists (select 1 from information_schema.columns
              where table_schema = 'auth' and table_name = 'refresh_tokens' and column_name = 'token') then
    alter table auth.refresh_tokens add column if not exists token_hash text;
    alter table auth.refresh_tokens add column if not exists parent_hash text;
    update auth.refresh_tokens
       set token_hash = encode(sha256(convert_to(token, 'UTF8')), 'hex'),
           parent_hash = encode(sha256(convert_to(parent, 'UTF8')), 'hex');
    alter table auth.refresh_tokens drop column token, drop column parent;
    alter table auth.refresh_tokens alter column token_hash set not null;
    alter table auth.refresh_tokens add constraint refresh_tokens_token_hash_key unique (token_hash);
  end if;
end $$;
drop index if exists auth.refresh_tokens_parent_idx;
create index if not exists refresh_tokens_session_id_idx on auth.refresh_tokens (session_id);
create index if not exists refresh_tokens_parent_hash_idx on auth.refresh_tokens (parent_hash);
