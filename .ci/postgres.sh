#!/usr/bin/env bash
# Starts a throwaway PostgreSQL (Debian's package, installed when missing) on loopback for the
# server's tests, as the `postgres` user in a temporary directory, trusting local connections.
# Prints `export` lines for ORGKIT_TEST_POSTGRES_URL and ORGKIT_TEST_POSTGRES_DIR; stop it with
# `bash .ci/postgres.sh stop "$ORGKIT_TEST_POSTGRES_DIR"`.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
as_postgres() { runuser -u postgres -- "$@"; }
if [ "${1:-}" = stop ]; then
  as_postgres "$bin/pg_ctl" -D "$2/data" -m fast stop >/dev/null
  rm -rf "$2"
  exit 0
fi
if [ -z "$bin" ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
port=${ORGKIT_TEST_POSTGRES_PORT:-55432}
dir=$(mktemp -d /tmp/orgkit-pg.XXXXXX)
chown postgres: "$dir"
as_postgres "$bin/initdb" -D "$dir/data" --auth=trust --username=postgres --encoding=UTF8 >/dev/null
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=200" >/dev/null
echo "export ORGKIT_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$port/postgres"
echo "export ORGKIT_TEST_POSTGRES_DIR=$dir"
