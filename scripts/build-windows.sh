#!/usr/bin/env bash
# Cross-builds the Windows desktop app on Linux: build/bin/atrium.exe
# (windows/amd64, Wails with cgo off: its WebView2 loader is pure Go) and
# build/bin/atrium-<version>-setup.exe, a per-user NSIS installer.
# build/windows/icon.ico is made by Wails from build/appicon.png, itself drawn
# from build/appicon.svg here (neither is kept in git).
# The installer carries Microsoft's WebView2 bootstrapper, as the Wails module
# ships it (build/windows/MicrosoftEdgeWebview2Setup.exe, when present, wins);
# without one it offers Microsoft's page instead.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
for t in rsvg-convert makensis; do
	command -v "$t" >/dev/null || die "$t is missing: run scripts/setup.sh desktop"
done
frontend_build

rsvg-convert -w 1024 -h 1024 build/appicon.svg -o build/appicon.png
rm -f build/windows/icon.ico # redrawn from appicon.png by wails

say "wails build (build/bin/atrium.exe)"
log=$(mktemp /tmp/atrium-wails-win.XXXXXX)
if ! CGO_ENABLED=0 go tool wails build -platform windows/amd64 -trimpath -s -m -skipbindings -nocolour -o atrium.exe >"$log" 2>&1; then
	cat "$log" >&2
	rm -f "$log"
	die "wails build for windows failed"
fi
rm -f "$log"

version=$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
setup="build/bin/atrium-$version-setup.exe"
args=(-V2 -INPUTCHARSET UTF8 -DVERSION="$version" -DEXE="$ROOT/build/bin/atrium.exe" -DOUT="$ROOT/$setup")
bootstrapper=build/windows/MicrosoftEdgeWebview2Setup.exe
if [ ! -f "$bootstrapper" ]; then
	wails=$(go list -m -f '{{.Dir}}' github.com/wailsapp/wails/v2 2>/dev/null || true)
	bootstrapper=$wails/internal/webview2runtime/MicrosoftEdgeWebview2Setup.exe
fi
if [ -f "$bootstrapper" ]; then
	args+=(-DWEBVIEW2_BOOTSTRAPPER="$(cd "$(dirname "$bootstrapper")" && pwd)/$(basename "$bootstrapper")")
fi
say "makensis ($setup)"
makensis "${args[@]}" build/windows/installer.nsi >/dev/null
ls -l build/bin/atrium.exe "$setup" | awk '{printf "built %s (%.1f MB)\n", $9, $5/1e6}'
