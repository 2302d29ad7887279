#!/usr/bin/env bash
# The migration generator (supabase/gen-migration.sh), end to end on a copy of the project. One change
# to the schema files of each kind it must handle — a new column at the end of a table (so the view
# built on it is made again), a new RPC with its grants, and a new, a changed and a removed schedule
# (cron.job rows, which the diff does not see) — must give one migration holding all of them, which
# `supabase db push` applies and after which both databases converge (the generator checks that
# itself and exits non-zero otherwise).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d /tmp/agent-status-gen-migration.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/supabase"
cp -r "$repo/supabase/config.toml" "$repo/supabase/migrations" "$repo/supabase/schemas" "$work/supabase/"
schemas="$work/supabase/schemas"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
replace() { # file, text, replacement: exactly one occurrence, or the test is out of date
  FILE=$1 FROM=$2 TO=$3 python3 -c '
import os
path, old, new = os.environ["FILE"], os.environ["FROM"], os.environ["TO"]
text = open(path).read()
if text.count(old) != 1:
    raise SystemExit(f"{path}: expected one {old!r}")
open(path, "w").write(text.replace(old, new))'
}

replace "$schemas/10_agent_status.sql" '  duplicate_instance_seen_at timestamptz
);' '  duplicate_instance_seen_at timestamptz,
  notes text
);'
cat >"$schemas/35_agent_notes.sql" <<'SQL'
create function public.note_agent(p_agent_name text, p_note text) returns void
language sql security definer set search_path = '' as $$
  update public.agent_status set notes = p_note where agent_name = p_agent_name
$$;
revoke execute on function public.note_agent(text, text) from public, anon, authenticated;
grant execute on function public.note_agent(text, text) to authenticated, service_role;
SQL
replace "$schemas/90_schedules.sql" "'agent-status-prune-events', '17 * * * *'" "'agent-status-prune-events', '23 * * * *'"
replace "$schemas/90_schedules.sql" "    perform cron.schedule('agent-status-repeat-alerts', '* * * * *', 'select public.queue_repeat_alerts(), public.release_suppressed_alerts()');
" "    perform cron.schedule('agent-status-sample', '*/5 * * * *', \$job\$select 'it''s' || \$x\$ quoted \$x\$ \$job\$);
"

AGENT_STATUS_PROJECT_DIR="$work" bash "$repo/supabase/gen-migration.sh" sample_change 2>"$work/log" \
  || { cat "$work/log" >&2; fail "the generator did not produce a converging migration"; }

shopt -s nullglob
generated=("$work"/supabase/migrations/*_sample_change.sql)
[ "${#generated[@]}" = 1 ] || fail "expected one *_sample_change.sql, got ${#generated[@]}"
expect() {
  grep -qF -- "$1" "${generated[0]}" || { cat "${generated[0]}" >&2; fail "the migration lacks: $1"; }
}
expect 'ADD COLUMN "notes" text'
expect 'CREATE VIEW "public"."agent_overview"'
expect 'CREATE OR REPLACE FUNCTION public.note_agent'
expect "perform cron.schedule('agent-status-prune-events', '23 * * * *', 'select public.prune_agent_events()');"
expect "perform cron.schedule('agent-status-sample', '*/5 * * * *', 'select ''it''''s'' || \$x\$ quoted \$x\$ ');"
expect "perform cron.unschedule('agent-status-repeat-alerts');"
echo "==> the migration generator: one migration for every kind of change, and it converges" >&2
