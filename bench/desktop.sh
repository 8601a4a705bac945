#!/usr/bin/env bash
# Desktop figures for docs/PERFORMANCE.md, side by side with an empty Wails app
# built the same way in the same run: binary size, time from launch to a mapped
# window, and idle memory (PSS summed over the process tree) under Xvfb.
#
#   bash bench/desktop.sh [runs]      (needs `make run`'s packages; builds both apps)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== building Atrium and an empty Wails app (react-ts template)"
go build -o "$work/wails" github.com/wailsapp/wails/v2/cmd/wails
[ -x build/bin/atrium ] || go tool wails build -tags webkit2_41 >/dev/null
(cd "$work" && ./wails init -n empty -t react-ts >/dev/null 2>&1)
(cd "$work/empty" && go mod edit -go=1.26.8 && go mod tidy >/dev/null 2>&1 && ../wails build -tags webkit2_41 >/dev/null)

display=:$((100 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
sleep 1
export DISPLAY=$display

# pss_tree PID: PSS in KiB of PID and all its descendants.
pss_tree() {
  local total=0 c
  [ -r /proc/$1/smaps_rollup ] && total=$(awk '/^Pss:/{print $2}' /proc/$1/smaps_rollup)
  for c in $(pgrep -P "$1" || true); do total=$((total + $(pss_tree "$c"))); done
  echo "$total"
}

# breakdown PID: each process of the tree with its PSS.
breakdown() {
  printf '    %-18s %8s KiB\n' "$(cat /proc/$1/comm)" "$(awk '/^Pss:/{print $2}' /proc/$1/smaps_rollup)"
  for c in $(pgrep -P "$1" || true); do breakdown "$c"; done
}

# measure NAME BINARY TITLE: prints start ms (median) and idle PSS MiB (last run).
measure() {
  local name=$1 bin=$2 title=$3 times=() pss=0
  for i in $(seq "$runs"); do
    local data; data=$(mktemp -d -p "$work")
    local t0; t0=$(date +%s%N)
    ATRIUM_DATA_DIR=$data "$bin" >/dev/null 2>&1 &
    local pid=$!
    timeout 20 xdotool search --sync --onlyvisible --name "^${title}\$" >/dev/null
    times+=($(( ($(date +%s%N) - t0) / 1000000 )))
    if [ "$i" = "$runs" ]; then sleep 5; pss=$(pss_tree "$pid"); breakdown "$pid" >&2; fi
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  local median; median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  awk -v n="$name" -v s="$(stat -c %s "$bin")" -v m="$median" -v r="$runs" -v t="${times[*]}" -v p="$pss" \
    'BEGIN { printf "%-8s size %6.1f MB   window in %5d ms (median of %d: %s)   idle PSS %6.1f MiB\n", n, s/1e6, m, r, t, p/1024 }'
}

echo "== $(nproc) cores, $(uname -sr), $(date -u +%F)"
measure empty "$work/empty/build/bin/empty" empty
measure atrium build/bin/atrium Atrium
