#!/usr/bin/env bash
# `make run`: installs what is missing, builds the desktop app with Wails and
# opens it on its embedded SQLite database (data folder: ATRIUM_DATA_DIR, else
# ~/.config/Atrium on Linux).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

if ! have_display; then
	cat >&2 <<'MSG'

  Atrium's desktop app needs a graphical display, and this session has none
  ($DISPLAY and $WAYLAND_DISPLAY are both unset).

  To use the same console in a web browser instead, run:

      make serve

  It starts atrium-server and prints the address to open (http://127.0.0.1:8080 by default).
  (On a machine without a screen you can also reach it over SSH: ssh -L 8080:127.0.0.1:8080 ...)

MSG
	exit 2
fi

"$ROOT/scripts/setup.sh" desktop
"$ROOT/scripts/build-desktop.sh"
say "opening Atrium (data folder: ${ATRIUM_DATA_DIR:-${XDG_CONFIG_HOME:-$HOME/.config}/Atrium})"
exec "$ROOT/build/bin/atrium"
