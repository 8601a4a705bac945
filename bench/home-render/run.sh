#!/usr/bin/env bash
# Figures of Accueil in Chromium for an accountant in 500 dossiers holding
# 50,000 tasks (bench/home, the data of the home.summary benchmark) for
# docs/PERFORMANCE.md: the click on "Se connecter" to the first task line,
# then over RELOADS page loads once signed in the reload to the first task
# line, the First Contentful Paint, home.summary as the browser sees it and
# the long tasks (> 50 ms). It runs the e2e check e2e/tests/home-scale.spec.ts
# with ATRIUM_HOME_FIGURES=1, which prints them.
#
#   bash bench/home-render/run.sh [RUNS] [RELOADS]      (defaults: 3 runs, 20 reloads)
#
# Needs the e2e packages (make setup-test). Builds frontend/dist when its
# sources changed; ATRIUM_SERVER_BIN may name an atrium-server already built.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
runs=${1:-3}
reloads=${2:-20}
[ -n "${ATRIUM_SERVER_BIN:-}" ] || frontend_build
for i in $(seq "$runs"); do
	echo "== run $i of $runs ($(uptime | sed 's/.*load/load/'))"
	(cd e2e && ATRIUM_HOME_FIGURES=1 ATRIUM_HOME_RELOADS="$reloads" npx --no-install playwright test tests/home-scale.spec.ts --reporter=list) |
		sed -n '/^home-render/,/calls a load/p'
done
