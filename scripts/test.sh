#!/usr/bin/env bash
# The whole suite, in dependency order: types, database, functions, unit, integration, browser.
# Integration tests run on embedded PGlite and, through TEST_DATABASE_URL, on a real PostgreSQL 15.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s ===\n' "$1"; }

step "typecheck"
npm run --silent typecheck

step "database (pgTAP on PostgreSQL 15, official CLI)"
bash supabase/tests/run.sh

step "edge functions and the SDK under Deno (deno check + deno test)"
npx deno task check
npx deno task test
npx deno task test:sdk

step "unit and component tests"
npx vitest run --project unit --project web

step "Python module agent_status_updater (unittest)"
npm run --silent test:python

step "integration (real stack, real supabase-js, PGlite and PostgreSQL 15)"
eval "$(scripts/pg15.sh start)"
trap 'scripts/pg15.sh stop "$PG15_DIR"' EXIT
TEST_DATABASE_URL="$PG15_URL" npx vitest run --project integration

step "end-to-end (Chromium)"
npx vitest run --project e2e
