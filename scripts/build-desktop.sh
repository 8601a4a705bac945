#!/usr/bin/env bash
# Builds the desktop app with Wails into build/bin/atrium. The console is built
# here first (only when its sources changed), so wails skips its own npm steps.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
frontend_build

# The phone-number library without its geocoder. nyaruka/phonenumbers keeps
# GetGeocodingForNumber (a number's town, which Atrium never asks for) in one
# file, geocoding.go; importing it links golang.org/x/text/language/display,
# whose init keeps every language's region names, and the geocoder's own data:
# 2.3 MB of a 23 MB binary, and as much idle memory (docs/PERFORMANCE.md). The
# desktop is built against a copy of the pinned version without that file,
# through its own go.mod (-modfile) that replaces the module by the copy; the
# tests and the server use the library as published. Nothing else changes:
# the guard below fails the build if the language names are linked again.
phone=github.com/nyaruka/phonenumbers
modfile=$ROOT/.cache/desktop-build/go.mod
go mod download "$phone"
version=$(go list -m -f '{{.Version}}' "$phone")
copy=$ROOT/.cache/desktop-build/phonenumbers@$version
if [ ! -f "$copy/go.mod" ]; then
	rm -rf "$copy" "$copy.tmp"
	mkdir -p "$(dirname "$copy")"
	cp -r "$(go list -m -f '{{.Dir}}' "$phone")" "$copy.tmp"
	chmod -R u+w "$copy.tmp"
	rm "$copy.tmp/geocoding.go"
	mv "$copy.tmp" "$copy"
fi
cp go.mod "$modfile"
cp go.sum "${modfile%.mod}.sum"
go mod edit -modfile="$modfile" -replace="$phone=$copy"
if go list -modfile="$modfile" -deps -tags desktop,production,webkit2_41 . | grep -qx 'golang.org/x/text/language/display'; then
	die "the desktop build links golang.org/x/text/language/display again: see scripts/build-desktop.sh"
fi
# Wails runs other go commands that refuse -modfile, so the flag goes to its
# `go build` alone, through the compiler command it is given.
compiler=$ROOT/.cache/desktop-build/go
printf '#!/bin/sh\nif [ "$1" = build ]; then shift; exec go build -modfile=\047%s\047 "$@"; fi\nexec go "$@"\n' "$modfile" >"$compiler"
chmod +x "$compiler"

say "wails build (build/bin/atrium)"
# -s: the console is built above; -m: leave go.mod alone (no `go mod tidy`);
# -skipbindings: the console calls window.go.app.Desktop.Invoke, which Wails
# injects at run time, so no generated wailsjs/ is needed; -trimpath: no build
# paths in the binary.
log=$(mktemp /tmp/atrium-wails-build.XXXXXX)
if ! go tool wails build -compiler "$compiler" -tags webkit2_41 -trimpath -s -m -skipbindings -nocolour -nopackage >"$log" 2>&1; then
	cat "$log" >&2
	rm -f "$log"
	die "wails build failed"
fi
rm -f "$log"
ls -l build/bin/atrium | awk '{printf "built build/bin/atrium (%.1f MB)\n", $5/1e6}'
