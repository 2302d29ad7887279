#!/usr/bin/env bash
# Regenerates the TypeScript types of the public schema with the official CLI
# (`supabase gen types`), against a throw-away PostgreSQL 15 migrated by `supabase db push`.
#   bash supabase/gen-types.sh        rewrites supabase/functions/_shared/database.types.ts
#   bash supabase/gen-types.sh -      prints the types to stdout instead
#   bash supabase/gen-types.sh FILE   writes them to FILE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tests/lib/db.sh"

out=${1:-$TYPES_FILE}
trap stop_pg15 EXIT
start_pg15
apply_bootstrap "$PG15_URL"
push_migrations "$PG15_URL"
types=$(generate_types "$PG15_URL")
if [ "$out" = - ]; then
  printf '%s\n' "$types"
else
  printf '%s\n' "$types" >"$out"
  log "wrote ${out#"$REPO_ROOT"/}"
fi
