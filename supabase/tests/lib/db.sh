# Shared by supabase/tests/run.sh, supabase/gen-types.sh and supabase/gen-migration.sh (sourced, not run):
# a throw-away PostgreSQL 15 that looks like hosted Supabase, migrated by the official CLI, and the
# declarative schema's tools (a database built from supabase/schemas/, the diff, the convergence check).
# Progress goes to stderr so that callers can keep stdout for results.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# The folder holding the supabase/ project that migrations and schema files are read from: this
# repository, or a copy (the migration generator's own test, supabase/tests/gen-migration.test.sh).
PROJECT_DIR=${AGENT_STATUS_PROJECT_DIR:-$REPO_ROOT}
# What hosted Supabase has before migrations, as the stack package exports it.
BOOTSTRAP_SQL=$(cd "$REPO_ROOT" && node -p "require.resolve('@agent-status/stack/supabase-bootstrap.sql')")
# The generated types have one home, @agent-status/domain (under supabase/functions, so the functions'
# deploy takes it); the SDK's and the CLI's builds bundle what they use of it (docs/testing.md).
TYPES_FILES=("$REPO_ROOT/supabase/functions/_shared/domain/database.types.ts")
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
  (cd "$REPO_ROOT" && npx --no-install supabase db push --workdir "$PROJECT_DIR" --remote="$1" --yes) >&2
}

# Prints the TypeScript types of the public schema, formatted by deno fmt (deterministic, offline).
generate_types() {
  local raw
  raw=$(cd "$REPO_ROOT" && npx --no-install supabase gen types --lang=typescript --schema public --remote="$1") \
    || { echo "supabase gen types failed" >&2; return 1; }
  (cd "$REPO_ROOT" && npx --no-install deno fmt --ext ts - <<<"$raw")
}

# --- Declarative schema (supabase/schemas/) ------------------------------------------------------------
SCHEMAS_DIR="$PROJECT_DIR/supabase/schemas"
UNDIFFABLE_SQL="$REPO_ROOT/supabase/tests/lib/undiffable.sql"

# Makes an empty database named $2 in the cluster of URL $1, and prints its URL.
create_database() {
  run_psql "$1" -c "create database $2" >&2
  echo "${1%/*}/$2"
}

# Applies every schema file, in the order the Supabase CLI applies them (lexicographic, as config.toml
# lists no [db.migrations] schema_paths), in one transaction.
apply_schemas() {
  local files=() file
  while IFS= read -r file; do files+=(-f "$file"); done < <(LC_ALL=C ls "$SCHEMAS_DIR"/*.sql)
  log "supabase/schemas/*.sql"
  run_psql "$1" --single-transaction "${files[@]}" >&2
}

# Prints the SQL that turns database $1 into database $2, as the official CLI's diff (pg-delta) writes
# it; prints nothing when they match. --strict-coverage: an object pg-delta cannot manage is an error,
# not silently left out.
schema_diff() {
  local err status=0 out
  err=$(mktemp /tmp/agent-status-diff.XXXXXX)
  out=$(cd "$REPO_ROOT" && npx --no-install supabase db diff --use-pg-delta --strict-coverage --from "$1" --to "$2" 2>"$err") \
    || status=$?
  if [ "$status" != 0 ]; then
    cat "$err" >&2
    rm -f "$err"
    echo "supabase db diff failed" >&2
    return 1
  fi
  rm -f "$err"
  printf '%s' "$out"
}

# What the diff does not compare (supabase/tests/lib/undiffable.sql), as text.
undiffable_state() {
  run_psql "$1" -f "$UNDIFFABLE_SQL"
}

# The cron.schedule() / cron.unschedule() calls that give database $1 the jobs of database $2 (schedules
# are rows of cron.job, which the diff does not see), as one guarded block; nothing when they match.
schedule_changes() {
  local from_jobs
  from_jobs=$(run_psql "$1" -At -c "select coalesce(jsonb_object_agg(jobname, jsonb_build_array(schedule, command)), '{}') from cron.job")
  run_psql "$2" -At -v from_jobs="$from_jobs" <<'SQL'
with want as (select jobname, schedule, command from cron.job),
have as (select key as jobname, value ->> 0 as schedule, value ->> 1 as command from jsonb_each(:'from_jobs'::jsonb)),
calls as (
  select w.jobname, format('    perform cron.schedule(%L, %L, %L);', w.jobname, w.schedule, w.command) as call
    from want w left join have h using (jobname)
   where h.jobname is null or (h.schedule, h.command) is distinct from (w.schedule, w.command)
  union all
  select h.jobname, format('    perform cron.unschedule(%L);', h.jobname)
    from have h left join want w using (jobname)
   where w.jobname is null
)
select E'-- Scheduled jobs: rows of cron.job, which the schema diff does not see (supabase/schemas/90_schedules.sql).\n'
       || E'do $schedules$\nbegin\n  if to_regprocedure(''cron.schedule(text, text, text)'') is not null then\n'
       || string_agg(call, E'\n' order by jobname)
       || E'\n  end if;\nend $schedules$;'
  from calls
having count(*) > 0
SQL
}

# Fails, saying what differs, unless undiffable.sql prints the same on database $1 (built from the
# migrations) and database $2 (built from the schema files).
check_undiffable() {
  local state_from state_to changed
  state_from=$(undiffable_state "$1") || return 1
  state_to=$(undiffable_state "$2") || return 1
  [ "$state_from" = "$state_to" ] && return 0
  changed=$(diff -U1 <(printf '%s\n' "$state_from") <(printf '%s\n' "$state_to") | tail -n +3 || true)
  echo "FAIL: what the diff cannot see differs (- migrations, + schema files; supabase/schemas/README.md):" >&2
  printf '%s\n' "$changed" >&2
  if grep -q '^[-+]columns' <<<"$changed"; then
    echo "      Column order: Postgres adds a new column at the END of its table, so declare it at the end in" >&2
    echo "      the schema file (then delete the generated migration and generate it again)." >&2
  fi
  if grep -q '^[-+]rows' <<<"$changed"; then
    echo "      Rows are data, which the diff does not see: write the insert / update into the migration by hand." >&2
  fi
  if grep -q '^[-+]cron job' <<<"$changed"; then
    echo "      Schedules are rows of cron.job: the generator writes their cron.schedule() calls; a hand-written" >&2
    echo "      migration must call cron.schedule() / cron.unschedule() itself." >&2
  fi
  return 1
}

# Fails, saying what differs, unless database $1 (built from the migrations) and database $2 (built from
# the schema files) converge: the CLI's diff prints nothing and undiffable.sql prints the same on both.
check_convergence() {
  local diff failed=0
  log "supabase db diff --use-pg-delta: migrations → schema files"
  diff=$(schema_diff "$1" "$2") || return 1
  if [ -n "$diff" ]; then
    echo "FAIL: the migrations and supabase/schemas/ define different databases. The SQL that turns the first into the second:" >&2
    printf '%s\n' "$diff" >&2
    failed=1
  fi
  check_undiffable "$1" "$2" || failed=1
  if [ "$failed" = 1 ]; then
    echo "      A change belongs in supabase/schemas/ AND in a migration generated from it:" >&2
    echo "      npm run db:migration -- <name> (supabase/schemas/README.md)." >&2
    return 1
  fi
  log "the migrations and supabase/schemas/ converge"
}
