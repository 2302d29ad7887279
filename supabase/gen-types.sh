#!/usr/bin/env bash
# Regenerates the TypeScript types of the public schema with the official CLI
# (`supabase gen types`), against a throw-away PostgreSQL 15 migrated by `supabase db push`.
#   bash supabase/gen-types.sh        rewrites database.types.ts in @agent-status/domain (its one copy)
#   bash supabase/gen-types.sh -      prints the types to stdout instead
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tests/lib/db.sh"

trap stop_pg15 EXIT
start_pg15
apply_bootstrap "$PG15_URL"
push_migrations "$PG15_URL"
types=$(generate_types "$PG15_URL")
if [ "${1:-}" = - ]; then
  printf '%s\n' "$types"
else
  for out in "${TYPES_FILES[@]}"; do
    printf '%s\n' "$types" >"$out"
    log "wrote ${out#"$REPO_ROOT"/}"
  done
fi
