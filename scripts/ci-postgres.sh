#!/usr/bin/env bash
# Starts a local PostgreSQL server for the database tests and benchmarks (CI and developers).
# Installs Debian's `postgresql` package if no server binaries are present, starts a cluster that
# listens on 127.0.0.1:5432 only, creates role `mesh` (password `mesh`) and database `mesh_test`,
# and prints the one line to eval on stdout:
#   export DATABASE_URL=postgres://mesh:mesh@127.0.0.1:5432/mesh_test
# Usage: eval "$(bash scripts/ci-postgres.sh)"      (needs root; everything else goes to stderr)
set -euo pipefail

PORT=5432
ROLE=mesh
PASSWORD=mesh
DB=mesh_test

log() { echo "[ci-postgres] $*" >&2; }

server_bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

if [ "${MESH_PG_FORCE_INSTALL:-}" = 1 ] || ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(server_bindir)" ]; then
  log "installing postgresql from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

BINDIR=$(server_bindir)
VERSION=$(basename "$(dirname "$BINDIR")")
CLUSTER=main
log "PostgreSQL $VERSION ($BINDIR)"

if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$VERSION $CLUSTER"; then
  log "creating cluster $VERSION/$CLUSTER"
  pg_createcluster "$VERSION" "$CLUSTER" -p "$PORT" >&2
fi

CONF=/etc/postgresql/$VERSION/$CLUSTER/postgresql.conf
# loopback only, fixed port; later settings in the file win, so append
changed=0
if ! grep -q '^# mesh-ci settings' "$CONF"; then
  changed=1
  {
    echo "# mesh-ci settings"
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $PORT"
    echo "max_connections = 200"
  } >>"$CONF"
fi

status=$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}')
if [ "$status" != "online" ]; then
  log "starting cluster $VERSION/$CLUSTER"
  pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
elif [ "$changed" = 1 ]; then
  log "restarting cluster $VERSION/$CLUSTER to apply listen settings"
  pg_ctlcluster "$VERSION" "$CLUSTER" restart >&2
fi

# wait until it accepts connections
for _ in $(seq 1 60); do
  if su postgres -c "psql -p $PORT -h /var/run/postgresql -tAc 'SELECT 1'" >/dev/null 2>&1; then break; fi
  sleep 0.5
done

psql_admin() { su postgres -c "psql -p $PORT -h /var/run/postgresql -v ON_ERROR_STOP=1 -qtA $*"; }

if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'\"")" != "1" ]; then
  log "creating role $ROLE"
  psql_admin "-c \"CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'\"" >&2
else
  psql_admin "-c \"ALTER ROLE $ROLE LOGIN PASSWORD '$PASSWORD'\"" >&2
fi
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname = '$DB'\"")" != "1" ]; then
  log "creating database $DB"
  psql_admin "-c \"CREATE DATABASE $DB OWNER $ROLE\"" >&2
fi

# the tests terminate their own backends with pg_terminate_backend: same role, no superuser needed
log "ready on 127.0.0.1:$PORT"
echo "export DATABASE_URL=postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
