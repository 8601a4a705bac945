#!/usr/bin/env bash
# Builds build/bin/atrium_<version>_amd64.deb from the Wails desktop build.
# nfpm runs as a Go program at a pinned version, so the package is the same
# on every machine and needs nothing beyond Go.
#   SKIP_BUILD=1 scripts/build-deb.sh   package build/bin/atrium as it is
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

NFPM_VERSION=v2.48.0
if [ "${SKIP_BUILD:-0}" != 1 ]; then
	scripts/build-desktop.sh
fi
[ -x build/bin/atrium ] || die "build/bin/atrium is missing: run scripts/build-desktop.sh"

tools="$ROOT/.cache/tools/nfpm-$NFPM_VERSION"
if [ ! -x "$tools/nfpm" ]; then
	say "installing nfpm $NFPM_VERSION"
	GOBIN="$tools" GOFLAGS=-mod=mod go install "github.com/goreleaser/nfpm/v2/cmd/nfpm@$NFPM_VERSION"
fi

# One version for the app everywhere: wails.json's productVersion.
ATRIUM_VERSION=$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
[ -n "$ATRIUM_VERSION" ] || die "no productVersion in wails.json"
export ATRIUM_VERSION
rm -f build/bin/atrium_*.deb
say "nfpm (build/bin/atrium_${ATRIUM_VERSION}_amd64.deb)"
"$tools/nfpm" package --config build/linux/nfpm.yaml --packager deb --target build/bin/ >/dev/null
deb=$(ls build/bin/atrium_*.deb)
ls -l "$deb" | awk '{printf "built %s (%.1f MB)\n", $9, $5/1e6}'
