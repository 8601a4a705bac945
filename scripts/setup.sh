#!/usr/bin/env bash
# Installs what Atrium needs on Debian 12, as root, skipping whatever is already
# there (a warm run takes a few seconds).
#
#   scripts/setup.sh desktop   build, package and open the desktop app (GTK/WebKit, rsvg-convert, NSIS, Node deps, Go modules)
#   scripts/setup.sh server    build and run atrium-server (Node deps, Go modules)
#   scripts/setup.sh test      everything `make test` uses (the above + Xvfb, Chromium, PostgreSQL, OCR)
#   scripts/setup.sh all       same as test (default)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

what=${1:-all}

APT_BUILD=(build-essential pkg-config curl)
APT_DESKTOP=(libgtk-3-dev libwebkit2gtk-4.1-dev)
# The packages' tools: the icon drawn from its SVG, the Windows installer.
APT_PACKAGE=(librsvg2-bin nsis)
APT_TEST=(xvfb xauth dbus-daemon xdotool x11-utils imagemagick chromium fonts-liberation postgresql sqlite3 tesseract-ocr tesseract-ocr-fra)

case $what in
desktop) pkgs=("${APT_BUILD[@]}" "${APT_DESKTOP[@]}" "${APT_PACKAGE[@]}"); npm_dirs=(frontend) ;;
server) pkgs=("${APT_BUILD[@]}"); npm_dirs=(frontend) ;;
test | all) pkgs=("${APT_BUILD[@]}" "${APT_DESKTOP[@]}" "${APT_PACKAGE[@]}" "${APT_TEST[@]}"); npm_dirs=(frontend e2e) ;;
*) die "usage: scripts/setup.sh [desktop|server|test|all]" ;;
esac

# --- Debian packages -------------------------------------------------------
missing=()
for p in "${pkgs[@]}"; do
	if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		die "missing Debian packages: ${missing[*]} — run as root, or: sudo apt-get install ${missing[*]}"
	fi
	say "installing Debian packages (a few minutes on a fresh machine): ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq "${missing[@]}" >/dev/null
	# Debian starts a "main" cluster on 5432 when it installs postgresql; the
	# tests start their own throwaway clusters and need nothing running.
fi

# --- toolchains that come with the machine -----------------------------------
command -v go >/dev/null || die "Go is not installed (expected in /usr/local/go/bin; see go.mod for the version)"
command -v node >/dev/null && command -v npm >/dev/null || die "Node.js 20+ and npm are not installed"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js $(node --version) is too old: the console's build needs Node.js 20 or later"

# --- npm packages: `npm ci` only when node_modules is missing or older than the
# lock file (npm writes node_modules/.package-lock.json at each install; a few
# seconds of slack so that a developer's own `npm install` is not redone).
for d in "${npm_dirs[@]}"; do
	dir="$ROOT/$d"
	hidden="$dir/node_modules/.package-lock.json"
	if [ -f "$hidden" ] && [ "$(stat -c %Y "$hidden")" -ge "$(($(stat -c %Y "$dir/package-lock.json") - 5))" ]; then
		continue
	fi
	say "npm ci in $d/"
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
done

# --- Go modules (the wails CLI is a module tool of go.mod) -------------------
(cd "$ROOT" && go mod download) || die "go mod download failed"

# --- the SMTP catcher the mail tests send to (no Debian package; a Go module) -
if [ "$what" = test ] || [ "$what" = all ]; then
	if [ ! -x "$ROOT/.bin/mailpit" ]; then
		say "installing mailpit into .bin/ (about a minute on a fresh machine)"
		(cd "$ROOT" && GOBIN="$ROOT/.bin" go install github.com/axllent/mailpit@v1.33.1) || die "mailpit install failed"
	fi
fi
