#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks: initdb in a fresh temp dir, owned by
# a non-root user (PostgreSQL refuses to run as root), trust auth, listening on 127.0.0.1 only,
# on a free port. Durability is switched off: the cluster is deleted after the run.
#
#   scripts/dev/postgres-cluster.sh start   prints `export WTH_TEST_DATABASE_URL=…; export WTH_PG_DIR=…`
#   scripts/dev/postgres-cluster.sh stop    stops and deletes the cluster named by WTH_PG_DIR
#
# Usage: eval "$(scripts/dev/postgres-cluster.sh start)"; …; scripts/dev/postgres-cluster.sh stop
set -euo pipefail

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ]; then
    echo "PostgreSQL server binaries not found (apt-get install -y postgresql, or set PG_BIN)" >&2
    exit 1
  fi
  echo "$dir"
}

# Runs a command as the cluster's owner: ourselves unless we are root.
as_owner() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u "$PG_USER" -- "$@"
  else
    "$@"
  fi
}

PG_USER=${PG_USER:-postgres}
if [ "$(id -u)" = "0" ] && ! id "$PG_USER" >/dev/null 2>&1; then
  echo "running as root needs a system user \"$PG_USER\" to own the cluster (set PG_USER)" >&2
  exit 1
fi

case "${1:-}" in
  start)
    bin=$(pg_bin)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/wth-pg-XXXXXX")
    chmod 755 "$dir"
    [ "$(id -u)" = "0" ] && chown "$PG_USER" "$dir"
    port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    as_owner "$bin/initdb" -D "$dir/data" -U wth --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=128MB" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "export WTH_TEST_DATABASE_URL=postgres://wth@127.0.0.1:$port/postgres"
    echo "export WTH_PG_DIR=$dir"
    ;;
  stop)
    dir=${WTH_PG_DIR:?WTH_PG_DIR names the cluster to stop}
    bin=$(pg_bin)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
