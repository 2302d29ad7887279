#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 15 cluster on a free port and prints its URL; `stop DIR` tears it down.
# Postgres refuses to run as root, so as root the cluster belongs to the `postgres` user.
# pg_stat_statements is preloaded as on hosted Supabase (tracking top-level statements by default); the
# pgTAP test that counts a heartbeat's statements turns on nested tracking for its own session.
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/agent-status-pg15.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    port=$(free_port)
    as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c wal_level=logical -c max_connections=200 -c shared_preload_libraries=pg_stat_statements" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "PG15_DIR=$dir"
    echo "PG15_URL=postgresql://postgres:postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    dir=${2:?usage: pg15.sh stop DIR}
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
