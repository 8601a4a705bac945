#!/usr/bin/env bash
# Figures of the member list in Chromium at 100,000 members (SPEC C1)
# for docs/PERFORMANCE.md: time from the click on "Utilisateurs" to the first
# rows, long tasks (> 50 ms) while scrolling and searching, frame time of a
# fast scroll, rows in the DOM, JS heap (after a collection) once ROWS rows
# have been scrolled through. It runs the e2e check
# e2e/tests/members-scale.spec.ts with ATRIUM_MEMBERS_FIGURES=1, which prints
# them (and ATRIUM_MEMBERS_PROFILE=FILE.cpuprofile records the main thread).
#
#   bash bench/members-render/run.sh [ROWS] [RUNS]      (defaults: 5000 rows, 3 runs)
#
# Needs the e2e packages (make setup-test). Builds frontend/dist when its
# sources changed; ATRIUM_SERVER_BIN may name an atrium-server already built.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
rows=${1:-5000}
runs=${2:-3}
[ -n "${ATRIUM_SERVER_BIN:-}" ] || frontend_build
for i in $(seq "$runs"); do
	echo "== run $i of $runs"
	(cd e2e && ATRIUM_MEMBERS_FIGURES=1 ATRIUM_MEMBERS_ROWS="$rows" npx --no-install playwright test tests/members-scale.spec.ts --reporter=list) |
		sed -n '/^members-render/,/JS heap/p'
done
