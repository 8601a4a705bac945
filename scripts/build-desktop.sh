#!/usr/bin/env bash
# Builds the desktop app with Wails into build/bin/atrium. The console is built
# here first (only when its sources changed), so wails skips its own npm steps.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
frontend_build

# The window's icon (windowicon.go embeds it under the desktopicon tag): the
# one icon, drawn from its SVG, since PNG files are not kept in git.
command -v rsvg-convert >/dev/null || die "rsvg-convert is missing: run scripts/setup.sh desktop"
rsvg-convert -w 256 -h 256 build/appicon.svg -o build/linux/atrium-256.png

say "wails build (build/bin/atrium)"
# -s: the console is built above; -m: leave go.mod alone (no `go mod tidy`);
# -skipbindings: the console calls window.go.app.Desktop.Invoke, which Wails
# injects at run time, so no generated wailsjs/ is needed; -trimpath: no build
# paths in the binary.
log=$(mktemp /tmp/atrium-wails-build.XXXXXX)
if ! go tool wails build -tags "webkit2_41 desktopicon" -trimpath -s -m -skipbindings -nocolour -nopackage >"$log" 2>&1; then
	cat "$log" >&2
	rm -f "$log"
	die "wails build failed"
fi
rm -f "$log"
ls -l build/bin/atrium | awk '{printf "built build/bin/atrium (%.1f MB)\n", $5/1e6}'
