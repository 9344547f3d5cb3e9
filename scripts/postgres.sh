#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `source scripts/postgres.sh`, then
# `start_postgres` (a new data directory, a free port on loopback, trust authentication; it
# exports PHONE_VERIFY_TEST_POSTGRES, on which each test creates a database of its own) and
# `stop_postgres` (stops it and deletes the directory). Run alone, it starts one and waits:
#   ./scripts/postgres.sh      # prints the URL; Ctrl-C stops it and deletes its data

postgres_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] || {
    echo "error: PostgreSQL's server is not installed (Debian: apt-get install postgresql; scripts/setup.sh does)" >&2
    return 1
  }
  echo "$dir"
}

# Runs a server program as the owner of the data directory: PostgreSQL refuses to run as root.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  local bin port
  bin=$(postgres_bin) || return 1
  postgres_dir=$(mktemp -d /tmp/phone-verify-postgres.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres: "$postgres_dir"
  # A free port: the kernel's choice for a socket bound to port 0.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "    PostgreSQL $("$bin/postgres" --version | awk '{print $3}') in $postgres_dir, on 127.0.0.1:$port"
  as_postgres "$bin/initdb" --pgdata="$postgres_dir/data" --username=postgres --auth=trust \
    --encoding=UTF8 --no-locale >"$postgres_dir/initdb.log" 2>&1 || {
    cat "$postgres_dir/initdb.log" >&2
    return 1
  }
  # fsync off: the data is thrown away, and the tests need no durability from it.
  as_postgres "$bin/pg_ctl" --pgdata="$postgres_dir/data" --log="$postgres_dir/server.log" \
    --wait --silent start \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$postgres_dir -c fsync=off -c max_connections=300" || {
    cat "$postgres_dir/server.log" >&2
    return 1
  }
  export PHONE_VERIFY_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
}

stop_postgres() {
  [ -n "${postgres_dir:-}" ] || return 0
  as_postgres "$(postgres_bin)/pg_ctl" --pgdata="$postgres_dir/data" --mode=immediate --silent stop || true
  rm -rf "$postgres_dir"
  postgres_dir=""
  unset PHONE_VERIFY_TEST_POSTGRES
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  start_postgres
  trap stop_postgres EXIT
  echo "    PHONE_VERIFY_TEST_POSTGRES=$PHONE_VERIFY_TEST_POSTGRES"
  echo "    (Ctrl-C stops it and deletes its data)"
  sleep infinity
fi
