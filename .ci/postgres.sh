#!/usr/bin/env bash
# A PostgreSQL server on loopback for the tests; prints the URL that HUANJIE_TEST_PG takes.
#
#   export HUANJIE_TEST_PG="$(.ci/postgres.sh)"     (or: eval "$(make -s pg)")
#
# Idempotent: a server already running is reused (same port, same role); one that is stopped is
# started on a free port. Installs Debian's postgresql when missing (as root), and leaves the
# server running. Its own data folder (not Debian's `main` cluster): $HUANJIE_PG_DIR, by default
# /var/lib/postgresql/huanjie-test as root, else ~/.cache/huanjie-pg. Durability is off (fsync):
# it holds nothing but test rows. Messages go to stderr; stdout is the URL alone.
set -euo pipefail

ROLE=huanjie
PASS=huanjie-test # loopback only, a throwaway cluster: a fixed password keeps the URL stable
DB=huanjie_test

if [ "$(id -u)" = 0 ]; then
	DIR=${HUANJIE_PG_DIR:-/var/lib/postgresql/huanjie-test}
	as_owner() { runuser -u postgres -- "$@"; }
else
	DIR=${HUANJIE_PG_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/huanjie-pg}
	as_owner() { "$@"; }
fi

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
	[ "$(id -u)" = 0 ] || { echo "postgres.sh: install Debian's postgresql package first" >&2; exit 1; }
	echo "postgres.sh: installing postgresql" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	apt-get install -y -q postgresql >&2
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

mkdir -p "$(dirname "$DIR")"
exec 9>"$DIR.lock" # two runs at once (two worktrees) must not both initdb or start
flock 9

if [ ! -s "$DIR/PG_VERSION" ]; then
	mkdir -p "$DIR"
	[ "$(id -u)" != 0 ] || chown postgres: "$DIR"
	chmod 700 "$DIR"
	as_owner "$BIN/initdb" -D "$DIR" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
		-E UTF8 --locale=C.UTF-8 >/dev/null
fi

if ! as_owner "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
	PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	# 9>&-: the server must not inherit (and so hold forever) the lock
	as_owner "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -s -w -t 60 start -o \
		"-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		>&2 9>&-
fi
PORT=$(sed -n 4p "$DIR/postmaster.pid") # postmaster.pid: pid, data dir, start time, port, ...
echo "postgres.sh: PostgreSQL $(cat "$DIR/PG_VERSION") on 127.0.0.1:$PORT, data in $DIR" >&2

"$BIN/psql" -h "$DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >&2 <<SQL
SELECT format('CREATE ROLE %I LOGIN CREATEDB', '$ROLE')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') \gexec
ALTER ROLE $ROLE PASSWORD '$PASS';
-- a test's DROP DATABASE ... WITH (FORCE) may have to end an autovacuum worker busy in its database
SELECT format('GRANT pg_signal_backend TO %I', '$ROLE')
 WHERE NOT pg_has_role('$ROLE', 'pg_signal_backend', 'MEMBER') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$DB', '$ROLE')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB') \gexec
SQL

echo "postgresql+psycopg://$ROLE:$PASS@127.0.0.1:$PORT/$DB"
