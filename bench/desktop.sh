#!/usr/bin/env bash
# Desktop figures for docs/PERFORMANCE.md, side by side with an empty Wails app
# built the same way in the same run: binary size, time from launch to a mapped
# window, and idle memory (PSS summed over the process tree) under Xvfb.
#
#   IDLE=15 bash bench/desktop.sh [runs]      (needs `make run`'s packages; builds both apps)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
idle=${IDLE:-15}  # seconds of idle before memory is read
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== building Atrium and an empty Wails app (react-ts template)"
go build -o "$work/wails" github.com/wailsapp/wails/v2/cmd/wails
scripts/build-desktop.sh >/dev/null
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

# median: the middle of the numbers given as arguments.
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

# measure NAME BINARY TITLE: binary size, median time to a mapped window, and
# median idle PSS of the whole process tree after IDLE seconds.
measure() {
  local name=$1 bin=$2 title=$3 times=() pss=()
  for i in $(seq "$runs"); do
    local data; data=$(mktemp -d -p "$work")
    local t0; t0=$(date +%s%N)
    ATRIUM_DATA_DIR=$data "$bin" >/dev/null 2>&1 &
    local pid=$!
    # xdotool fails with BadWindow when a window vanishes while it looks: ask again.
    local tries=0
    until timeout 20 xdotool search --sync --onlyvisible --name "^${title}\$" >/dev/null 2>&1; do
      tries=$((tries + 1)); [ "$tries" -lt 5 ] || { echo "no $title window" >&2; exit 1; }
    done
    times+=($(( ($(date +%s%N) - t0) / 1000000 )))
    sleep "$idle"
    pss+=($(pss_tree "$pid"))
    [ "$i" = "$runs" ] && breakdown "$pid" >&2
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  awk -v n="$name" -v s="$(stat -c %s "$bin")" -v m="$(median "${times[@]}")" -v t="${times[*]}" \
      -v p="$(median "${pss[@]}")" -v ps="${pss[*]}" \
    'BEGIN { printf "%-8s size %5.1f MB   window in %4d ms (runs: %s)   idle PSS %5.1f MiB (runs, KiB: %s)\n", n, s/1e6, m, t, p/1024, ps }'
}

echo "== $(nproc) cores, $(uname -sr), $(date -u +%F)"
measure empty "$work/empty/build/bin/empty" empty
measure atrium build/bin/atrium Atrium
