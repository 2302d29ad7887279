#!/usr/bin/env bash
# Database tests: PostgreSQL 15 shaped like hosted Supabase, migrations applied by the official
# CLI (`supabase db push`); a second database built from supabase/schemas/ must converge with it (the
# CLI's diff prints nothing, and what the diff cannot see matches); then the seed, every pgTAP file in
# supabase/tests/database through pg_prove, a check that the committed generated types match, and the
# migration generator's own test (gen-migration.test.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib/db.sh"

command -v pg_prove >/dev/null || { echo "pg_prove not found: install the Debian package pgtap (apt-get install postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl)" >&2; exit 1; }

trap stop_pg15 EXIT
start_pg15
apply_bootstrap "$PG15_URL"
push_migrations "$PG15_URL"
# Types come from the migrated schema alone, before the seed and the test helpers.
fresh_types=$(mktemp /tmp/agent-status-types.XXXXXX.ts)
trap 'rm -f "$fresh_types"; stop_pg15' EXIT
generate_types "$PG15_URL" >"$fresh_types"

log "the schema files converge with the migrations"
from_schemas=$(create_database "$PG15_URL" from_schemas)
apply_bootstrap "$from_schemas"
apply_schemas "$from_schemas"
check_convergence "$PG15_URL" "$from_schemas"

log "seed (supabase/seed.sql)"
run_psql "$PG15_URL" -f "$REPO_ROOT/supabase/seed.sql" >&2
log "pgtap extension and test helpers"
run_psql "$PG15_URL" -c 'create extension if not exists pgtap' -f "$here/lib/helpers.sql" >&2

log "pg_prove supabase/tests/database"
pg_prove --dbname "$PG15_URL" --ext .sql --failures "$here"/database/*.sql

log "generated types are up to date"
for types_file in "${TYPES_FILES[@]}"; do
  if ! diff -u "$types_file" "$fresh_types" >&2; then
    echo "FAIL: ${types_file#"$REPO_ROOT"/} is stale (differs from the migrated schema above)." >&2
    echo "      Run \`npm run gen:types\` and commit the result." >&2
    exit 1
  fi
done
log "the migration generator (supabase/tests/gen-migration.test.sh)"
bash "$here/gen-migration.test.sh"
log "database tests passed"
