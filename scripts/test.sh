#!/usr/bin/env bash
# The whole suite, in dependency order: types, database, functions, unit, integration, browser.
# Integration tests run on embedded PGlite and, through TEST_DATABASE_URL, on a real PostgreSQL 15.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s ===\n' "$1"; }

# The suite picks the key model itself: the current one (publishable/secret keys, ES256 sessions) for
# every layer, then the key-sensitive integration files once more with legacy keys only (below).
export STACK_KEY_MODEL=current
# Those files: everything that sends API keys or sessions through the gateway, Auth, REST, Realtime,
# the agents function, the SDK and the Python module, and the forged-token matrix. Not the database
# engine's variants (the key model does not touch SQL) nor the slow packaging, fault and browser
# suites, whose key handling is the SDK's and supabase-js's, covered here: about 90 s on PGlite.
LEGACY_KEY_FILES=(
  tests/integration/stack-keys.test.ts tests/integration/stack-auth.test.ts tests/integration/stack-rest.test.ts
  tests/integration/stack-realtime.test.ts tests/integration/stack-realtime-broadcast.test.ts
  tests/integration/function-agents.test.ts tests/integration/sdk-worker.test.ts tests/integration/python-module.test.ts
  tests/integration/hostile-input.test.ts tests/integration/hostile-realtime.test.ts
)

step "format and lint (Biome)"
npx biome ci .

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

step "integration once more as a project still on legacy keys only (STACK_KEY_MODEL=legacy, PGlite)"
STACK_KEY_MODEL=legacy npx vitest run --project integration "${LEGACY_KEY_FILES[@]}"

step "the functions as deployed: their contract suites once more from supabase/ alone (no node_modules, an empty DENO_DIR, PGlite)"
# tests/integration/functions-bundler-view.test.ts (above) type-checks and serves each function from such a
# folder; here the full contract suite of each function runs against it.
view_env=$(node --import tsx tests/support/bundler-view.ts)
view_dir=$(sed -n 's/^STACK_PROJECT_DIR=//p' <<<"$view_env")
trap 'rm -rf "$view_dir"; scripts/pg15.sh stop "$PG15_DIR"' EXIT
env $view_env npx vitest run --project integration \
  tests/integration/function-agents.test.ts tests/integration/alerts-api.test.ts tests/integration/metrics-and-badges.test.ts

step "end-to-end (Chromium)"
npx vitest run --project e2e
