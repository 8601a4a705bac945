# Shared helpers for Atrium's scripts. Source it: . "$(dirname "$0")/lib.sh"
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/usr/local/go/bin:$PATH"
# The browser tests launch Debian's Chromium; never let Playwright download one.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
PG_BIN=/usr/lib/postgresql/15/bin

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
warn() { printf '\033[33m!! %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mxx %s\033[0m\n' "$*" >&2; exit 1; }

# free_port prints a TCP port that nothing listens on at 127.0.0.1.
free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$(( 20000 + RANDOM % 30000 ))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# free_display prints an X display number with no server on it.
free_display() {
	local n
	for n in $(seq 90 199); do
		if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then
			echo "$n"
			return 0
		fi
	done
	return 1
}

# start_display: a private X server and a private D-Bus session bus for a
# desktop under test (Wails' single-instance lock lives on the session bus),
# exported as DISPLAY and DBUS_SESSION_BUS_ADDRESS. Their processes are added
# to the caller's pids array, to stop at exit; $TMP holds Xvfb's log.
start_display() {
	local n dbus_out
	n=$(free_display) || die "no free X display"
	Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$TMP/xvfb.log" 2>&1 &
	pids+=($!)
	export DISPLAY=":$n"
	for _ in $(seq 1 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done
	xdotool getdisplaygeometry >/dev/null 2>&1 || { cat "$TMP/xvfb.log" >&2; die "Xvfb did not start on :$n"; }
	dbus_out=$(dbus-daemon --session --fork --print-address=1 --print-pid=1) || die "dbus-daemon did not start a session bus"
	DBUS_SESSION_BUS_ADDRESS=$(sed -n 1p <<<"$dbus_out")
	pids+=("$(sed -n 2p <<<"$dbus_out")")
	[ -n "$DBUS_SESSION_BUS_ADDRESS" ] || die "dbus-daemon gave no bus address"
	export DBUS_SESSION_BUS_ADDRESS
	unset WAYLAND_DISPLAY
	export NO_AT_BRIDGE=1 # no accessibility bus to look for
}

# wait_http URL SECONDS: wait until URL answers 2xx.
wait_http() {
	local url=$1 secs=${2:-30} i
	for i in $(seq 1 $(( secs * 5 ))); do
		if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
		sleep 0.2
	done
	return 1
}

# have_display: a desktop session to open a window on.
have_display() { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }

# pg_start DIR PORT: a throwaway PostgreSQL cluster owned by the postgres user,
# listening on 127.0.0.1:PORT only, its socket inside DIR. Prints its URL.
pg_start() {
	local dir=$1 port=$2
	[ -x "$PG_BIN/initdb" ] || die "PostgreSQL 15 is not installed (run scripts/setup.sh test)"
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then
		chown postgres:postgres "$dir"
		su postgres -c "$PG_BIN/initdb -D '$dir/data' -U postgres --auth=trust -E UTF8 --no-locale >'$dir/initdb.log' 2>&1 && $PG_BIN/pg_ctl -D '$dir/data' -l '$dir/server.log' -o '-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off' -w start >/dev/null" \
			|| { cat "$dir"/*.log >&2; return 1; }
	else
		"$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 &&
			"$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" -w start >/dev/null \
			|| { cat "$dir"/*.log >&2; return 1; }
	fi
	echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
}

# pg_stop DIR: stop the cluster started by pg_start and remove it.
pg_stop() {
	local dir=$1
	[ -d "$dir/data" ] || { rm -rf "$dir"; return 0; }
	if [ "$(id -u)" = 0 ]; then
		su postgres -c "$PG_BIN/pg_ctl -D '$dir/data' -m immediate -w stop" >/dev/null 2>&1 || true
	else
		"$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

# frontend_build: build frontend/dist (which the Go binaries embed) when its
# sources are newer than the last build, or always with FORCE=1.
frontend_build() {
	local stamp="$ROOT/frontend/dist/index.html"
	if [ "${FORCE:-0}" != 1 ] && [ -f "$stamp" ] &&
		[ -z "$(find "$ROOT/frontend/src" "$ROOT/frontend/index.html" "$ROOT/frontend/public" \
			"$ROOT/frontend/package-lock.json" "$ROOT/frontend/vite.config.ts" -newer "$stamp" -print -quit 2>/dev/null)" ]; then
		return 0
	fi
	(cd "$ROOT/frontend" && npm run build --silent)
}
