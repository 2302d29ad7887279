# Shared by supabase/tests/run.sh and supabase/gen-types.sh (sourced, not run):
# a throw-away PostgreSQL 15 that looks like hosted Supabase, migrated by the official CLI.
# Progress goes to stderr so that callers can keep stdout for results.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# What hosted Supabase has before migrations, as the stack package exports it.
BOOTSTRAP_SQL=$(cd "$REPO_ROOT" && node -p "require.resolve('@agent-status/stack/supabase-bootstrap.sql')")
# The generated types have three homes: @agent-status/domain, and the SDK and the CLI, which must not
# depend on anything outside their own folders (each is installed on its own). All are written from one
# generation.
TYPES_FILES=("$REPO_ROOT/supabase/functions/_shared/domain/database.types.ts" "$REPO_ROOT/agent-sdk/src/database.types.ts"
  "$REPO_ROOT/cli/src/database.types.ts")
# The local cluster has no TLS; without this the CLI prints a TLS warning onto stdout.
export PGSSLMODE=disable

log() { echo "==> $*" >&2; }

# Starts PG15 (scripts/pg15.sh) and sets PG15_DIR / PG15_URL; the caller's EXIT trap must call stop_pg15.
start_pg15() {
  local out
  out=$(bash "$REPO_ROOT/scripts/pg15.sh" start) || { echo "could not start PostgreSQL 15" >&2; return 1; }
  PG15_DIR=$(sed -n 's/^PG15_DIR=//p' <<<"$out")
  PG15_URL=$(sed -n 's/^PG15_URL=//p' <<<"$out")
  log "PostgreSQL 15 at $PG15_URL"
}

stop_pg15() {
  [ -n "${PG15_DIR:-}" ] && bash "$REPO_ROOT/scripts/pg15.sh" stop "$PG15_DIR"
  PG15_DIR=
}

run_psql() {
  local url=$1; shift
  psql "$url" -X -q -v ON_ERROR_STOP=1 "$@"
}

# What hosted Supabase provides before migrations: roles, auth schema, publication, migration history.
apply_bootstrap() {
  log "bootstrap (@agent-status/stack/supabase-bootstrap.sql)"
  run_psql "$1" -f "$BOOTSTRAP_SQL" >&2
}

# The official CLI must accept the project and apply every migration.
push_migrations() {
  log "supabase db push"
  (cd "$REPO_ROOT" && npx --no-install supabase db push --remote="$1" --yes) >&2
}

# Prints the TypeScript types of the public schema, formatted by deno fmt (deterministic, offline).
generate_types() {
  local raw
  raw=$(cd "$REPO_ROOT" && npx --no-install supabase gen types --lang=typescript --schema public --remote="$1") \
    || { echo "supabase gen types failed" >&2; return 1; }
  (cd "$REPO_ROOT" && npx --no-install deno fmt --ext ts - <<<"$raw")
}
