#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the server test suite and prints
# the line to export:   eval "$(.ci/postgres.sh)"   then   npx vitest run test/server
#
# Installs Debian's postgresql when absent (needs root), runs initdb and pg_ctl
# as the `postgres` user into a temporary directory, listens on a free loopback
# port only (no `service`, no system cluster), and creates a database.
# Stop it later with:  su postgres -c "pg_ctl -D <dir printed on stderr> stop"
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

find_bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

if ! BIN=$(find_bin_dir); then
  log "installing postgresql (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y postgresql >&2
  BIN=$(find_bin_dir)
fi

RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
  RUN_AS=(runuser -u postgres --)
fi

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})' 2>/dev/null ||
    python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

PORT=${PGPORT_FOR_TESTS:-$(free_port)}
DIR=$(mktemp -d /tmp/updateservice-pg.XXXXXX)
chmod 755 "$DIR"
[ "${#RUN_AS[@]}" -gt 0 ] && chown postgres "$DIR"
DB=updateservice_test
PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')

log "data directory $DIR, port $PORT"
printf '%s\n' "$PASSWORD" >"$DIR/.pwfile"
[ "${#RUN_AS[@]}" -gt 0 ] && chown postgres "$DIR/.pwfile"
"${RUN_AS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres --pwfile="$DIR/.pwfile" -A scram-sha-256 >/dev/null
rm -f "$DIR/.pwfile"
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR -c max_connections=200 -c fsync=off" start >&2
PGPASSWORD=$PASSWORD "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q \
  -c "CREATE DATABASE $DB" postgres >&2

log "stop with: ${RUN_AS[*]} $BIN/pg_ctl -D $DIR/data stop"
echo "export TEST_DATABASE_URL=postgres://postgres:$PASSWORD@127.0.0.1:$PORT/$DB"
