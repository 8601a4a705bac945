#!/usr/bin/env bash
# `make serve`: builds atrium-server and serves the console in a browser.
#   ADDR      address to listen on (default 127.0.0.1:8080)
#   ATRIUM_DB SQLite file or postgres:// URL (default .data/atrium-server.db)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

ADDR=${ADDR:-127.0.0.1:8080}
DB=${ATRIUM_DB:-$ROOT/.data/atrium-server.db}

"$ROOT/scripts/setup.sh" server
frontend_build
say "go build (build/bin/atrium-server)"
go build -o build/bin/atrium-server ./cmd/atrium-server
case $DB in
postgres://* | postgresql://*) shown="PostgreSQL" ;;
*) mkdir -p "$(dirname "$DB")"; shown=$DB ;;
esac
say "Atrium console: http://$ADDR/  (database: $shown; Ctrl-C stops it)"
exec build/bin/atrium-server --addr "$ADDR" --db "$DB"
