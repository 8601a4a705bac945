#!/usr/bin/env bash
# Runs every test of Atrium, one step after another, and ends with the line
# "N passed, N failed" (N = steps). Exits non-zero when any step failed.
#
# PostgreSQL: a throwaway cluster on a free 127.0.0.1 port is started for the
# Go suite (and stopped on exit) unless ATRIUM_TEST_PG already names a server.
# FUZZTIME (default 10s) bounds each fuzz target.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

FUZZTIME=${FUZZTIME:-10s}
TMP=$(mktemp -d /tmp/atrium-test.XXXXXX)
PGDIR=""
cleanup() {
	[ -n "$PGDIR" ] && pg_stop "$PGDIR"
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

names=() results=() times=()
passed=0 failed=0
# step NAME COMMAND...: run one step, record its outcome and time.
step() {
	local name=$1 start end rc
	shift
	printf '\n\033[1m=== %s\033[0m\n' "$name"
	start=$(date +%s)
	"$@"
	rc=$?
	end=$(date +%s)
	names+=("$name") times+=("$((end - start))")
	if [ $rc = 0 ]; then
		results+=(ok) passed=$((passed + 1))
		printf '\033[32m--- ok     %s (%ds)\033[0m\n' "$name" "$((end - start))"
	else
		results+=(FAILED) failed=$((failed + 1))
		printf '\033[31m--- FAILED %s (%ds, exit %d)\033[0m\n' "$name" "$((end - start))" "$rc"
	fi
	return 0
}

# --- the steps -----------------------------------------------------------------
postgres_up() {
	if [ -n "${ATRIUM_TEST_PG:-}" ]; then
		echo "using ATRIUM_TEST_PG from the environment"
		return 0
	fi
	local port
	port=$(free_port) || return 1
	PGDIR=$(mktemp -d /tmp/atrium-pg.XXXXXX) || return 1
	ATRIUM_TEST_PG=$(pg_start "$PGDIR" "$port") || return 1
	export ATRIUM_TEST_PG
	echo "throwaway PostgreSQL on 127.0.0.1:$port"
}

frontend_build_step() { (cd frontend && npm run build --silent); }

go_test() {
	[ -n "${ATRIUM_TEST_PG:-}" ] || { echo "no PostgreSQL for the Go suite"; return 1; }
	go test ./...
}

# fuzz_targets prints "package target" for every Fuzz function.
fuzz_targets() {
	go test -list '^Fuzz' ./... 2>/dev/null | awk '
		/^Fuzz/ { pending[n++] = $1; next }
		/^ok[ \t]/ { for (i = 0; i < n; i++) print $2, pending[i]; n = 0 }'
}

# Go 1.26's fuzz coordinator can end a run bounded by time with a bare
# "context deadline exceeded" though nothing failed (go.dev/issue/75804, fixed
# in Go 1.27); a real finding always writes its failing input. Such a run is
# fuzzed once more; any other failure fails the step.
fuzz_one() {
	local log="$TMP/fuzz-$2.log"
	go test -run '^$' -fuzz "^$2\$" -fuzztime "$FUZZTIME" "$1" 2>&1 | tee "$log"
	[ "${PIPESTATUS[0]}" = 0 ] && return 0
	grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log" || return 1
	echo "the fuzz coordinator's end-of-time race, nothing found: fuzzing $2 once more"
	go test -run '^$' -fuzz "^$2\$" -fuzztime "$FUZZTIME" "$1"
}

# The server is headless: nothing GUI (Wails, GTK, WebKit) may be linked into it.
server_headless() {
	local gui
	gui=$(go list -deps ./cmd/atrium-server | grep -E 'wailsapp|gotk|webkit' || true)
	[ -z "$gui" ] || { echo "atrium-server imports GUI packages:"; echo "$gui"; return 1; }
	echo "atrium-server links no GUI package"
}

frontend_unit() { (cd frontend && npm test --silent); }

e2e() {
	go build -o "$TMP/atrium-server" ./cmd/atrium-server || return 1
	(cd e2e && ATRIUM_SERVER_BIN="$TMP/atrium-server" npx --no-install playwright test)
}

desktop() { "$ROOT/scripts/desktop-smoke.sh"; }

# The release workflow, linted at a pinned actionlint.
release_lint() { go run github.com/rhysd/actionlint/cmd/actionlint@v1.7.7 .github/workflows/*.yml; }

# --- run -----------------------------------------------------------------------
t0=$(date +%s)
step "postgresql: throwaway server" postgres_up
step "frontend: npm run build" frontend_build_step
step "go vet ./..." go vet ./...
step "go run ./cmd/atrium-gen -check" go run ./cmd/atrium-gen -check
step "go test ./... (SQLite + PostgreSQL)" go_test
step "atrium-server links no GUI library" server_headless
targets=$(fuzz_targets)
if [ -z "$targets" ]; then
	echo "no fuzz targets found"
fi
while read -r pkg target; do
	[ -n "$target" ] || continue
	step "fuzz $target ($FUZZTIME)" fuzz_one "$pkg" "$target"
done <<<"$targets"
step "frontend: npm test (vitest)" frontend_unit
step "e2e: Playwright journeys in Chromium against atrium-server" e2e
step "desktop: wails build + smoke test under Xvfb" desktop
step "desktop: connected to atrium-server, offline, back (Xvfb)" env SKIP_BUILD=1 "$ROOT/scripts/desktop-sync-smoke.sh"
step "windows: atrium.exe + installer cross-built (make windows)" "$ROOT/scripts/build-windows.sh"
step "release workflow: actionlint" release_lint

printf '\n\033[1m=== summary (%ds)\033[0m\n' "$(($(date +%s) - t0))"
for i in "${!names[@]}"; do
	printf '%-7s %4ss  %s\n' "${results[$i]}" "${times[$i]}" "${names[$i]}"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
