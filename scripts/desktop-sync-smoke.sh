#!/usr/bin/env bash
# Connected desktop smoke test: the real Wails binary under Xvfb, connected to
# a real atrium-server on 127.0.0.1, driven as a person would (keys and clicks
# on what the window shows, found by OCR). The desktop shows "Connecté", then
# "Hors ligne" once the server stops; a member edited then waits
# ("1 modification en attente"); once the server is back the change is sent,
# and the server's own API reads the new value back.
#
#   scripts/desktop-sync-smoke.sh              build (wails) then test
#   SKIP_BUILD=1 scripts/desktop-sync-smoke.sh test build/bin/atrium as it is
# Screenshots (and the OCR text of each) are kept in test-results/desktop-sync/
# (git-ignored).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

BIN="$ROOT/build/bin/atrium"
OUT="$ROOT/test-results/desktop-sync"
EMAIL="anne.martin@example.fr"
PASSWORD="un mot de passe solide"
JOB="Directrice administrative"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
	"$ROOT/scripts/build-desktop.sh"
fi
[ -x "$BIN" ] || die "$BIN is missing: run scripts/build-desktop.sh"
for t in Xvfb xdotool import convert tesseract dbus-daemon curl; do
	command -v "$t" >/dev/null || die "$t is missing: run scripts/setup.sh test"
done

TMP=$(mktemp -d /tmp/atrium-sync-smoke.XXXXXX)
rm -rf "$OUT"
mkdir -p "$OUT"
pids=()
server_pid=""
cleanup() {
	local p
	for p in "${pids[@]}" $server_pid; do kill "$p" 2>/dev/null || true; done
	sleep 0.3
	for p in "${pids[@]}" $server_pid; do kill -9 "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT
t_start=$(date +%s)

# --- the server ---------------------------------------------------------------
say "atrium-server on 127.0.0.1"
go build -o "$TMP/atrium-server" ./cmd/atrium-server
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
start_server() {
	"$TMP/atrium-server" --addr "127.0.0.1:$PORT" --db "$TMP/server.db" >>"$TMP/server.log" 2>&1 &
	server_pid=$!
	wait_http "$URL/api/health" 20 || { cat "$TMP/server.log" >&2; die "atrium-server did not answer on $URL"; }
}
stop_server() {
	kill "$server_pid"
	for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$server_pid" 2>/dev/null && die "atrium-server did not stop"
	server_pid=""
}
start_server

# api OP JSON: one call of the server's HTTP API, as the browser makes it
# (CSRF cookie and header, session cookie), as Anne once she has signed up.
JAR="$TMP/cookies"
ORG=""
api() {
	local csrf
	csrf=$(awk '$6 == "atrium_csrf" { print $7 }' "$JAR")
	curl -sS --fail-with-body -b "$JAR" -c "$JAR" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
		${ORG:+-H "X-Atrium-Org: $ORG"} --data "$2" "$URL/api/ops/$1"
}
# field NAME: the first string value of NAME in the JSON on standard input.
field() { grep -o "\"$1\":\"[^\"]*\"" | head -1 | sed 's/.*:"\(.*\)"/\1/'; }

curl -sS --fail -c "$JAR" "$URL/api/health" >/dev/null
created=$(api setup.createWorkspace "{\"firstName\":\"Anne\",\"lastName\":\"Martin\",\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\",\"organizationName\":\"Cabinet Martin\",\"timezone\":\"Europe/Paris\",\"language\":\"fr\"}") ||
	die "the workspace could not be created on the server: $created"
ORG=$(sed 's/.*"organization":{"id":"\([^"]*\)".*/\1/' <<<"$created")
[ -n "$ORG" ] && [ "$ORG" != "$created" ] || die "no organization in the server's answer: $created"
echo "server $URL: workspace of $EMAIL, organization $ORG"

# --- the desktop, under Xvfb ----------------------------------------------------
start_display

mkdir -p "$TMP/data"
ATRIUM_DATA_DIR="$TMP/data" "$BIN" >"$TMP/desktop.log" 2>&1 &
desktop=$!
pids+=("$desktop")
if ! timeout 20 xdotool search --sync --onlyvisible --name '^Atrium$' >"$TMP/win" 2>/dev/null; then
	cat "$TMP/desktop.log" >&2
	die "no window titled Atrium appeared within 20 s"
fi
win=$(head -1 "$TMP/win")
# The window at the screen's top left, so the screen's pixels are the window's.
xdotool windowmove "$win" 0 0 windowsize "$win" 1120 720
sleep 0.5

# shot NAME: a screenshot into $OUT/NAME.png and its OCR, as text
# ($OUT/NAME.txt) and as words with their places ($TMP/ocr.tsv).
SCALE=150 # OCR reads better from a grey, enlarged picture
LAST=""   # the screenshot the OCR words are of, until the next key or click
shot() {
	import -window root "$OUT/$1.png"
	convert "$OUT/$1.png" -crop 1120x720+0+0 +repage -colorspace Gray -resize "$SCALE%" "$TMP/ocr.png"
	tesseract "$TMP/ocr.png" "$TMP/ocr" -l fra txt tsv >/dev/null 2>&1 || true
	cp "$TMP/ocr.txt" "$OUT/$1.txt" 2>/dev/null || : >"$OUT/$1.txt"
	LAST=$1
}
# see NAME PATTERN [SECONDS]: wait until the window shows PATTERN (grep -E,
# case-insensitive), each try a screenshot NAME.
see() {
	local end=$(($(date +%s) + ${3:-15}))
	while :; do
		shot "$1"
		grep -qiE "$2" "$OUT/$1.txt" && return 0
		[ "$(date +%s)" -lt "$end" ] || break
		sleep 0.7
	done
	echo "--- OCR text of $OUT/$1.png ---" >&2
	cat "$OUT/$1.txt" >&2
	echo "--- desktop log ---" >&2
	tail -20 "$TMP/desktop.log" >&2
	die "the window does not show \"$2\" (screenshot: $OUT/$1.png)"
}
# where PHRASE: the centre, in screen pixels, of PHRASE's words on one line
# of the last screenshot's OCR (the first such line).
where() {
	awk -F'\t' -v phrase="$1" -v scale="$SCALE" '
		BEGIN { n = split(tolower(phrase), want, " ") }
		$1 == 5 {
			key = $3 "." $4 "." $5
			if (key != line) { line = key; k = 0 }
			w[++k] = tolower($12); x[k] = $7; y[k] = $8; ww[k] = $9; hh[k] = $10
			if (k >= n) {
				ok = 1
				for (i = 1; i <= n; i++) if (index(w[k - n + i], want[i]) != 1) { ok = 0; break }
				if (ok) {
					l = x[k - n + 1]; r = x[k] + ww[k]; t = y[k]; b = y[k] + hh[k]
					printf "%d %d\n", (l + r) * 50 / scale, (t + b) * 50 / scale; exit
				}
			}
		}' "$TMP/ocr.tsv"
}
# click NAME PHRASE: wait for PHRASE on screen and click on it.
click() {
	local end=$(($(date +%s) + 15)) at=""
	# The screen just read may already show it.
	[ "$LAST" = "$1" ] && at=$(where "$2")
	while [ -z "$at" ]; do
		shot "$1"
		at=$(where "$2")
		[ -n "$at" ] && break
		[ "$(date +%s)" -lt "$end" ] || { cat "$OUT/$1.txt" >&2; die "no \"$2\" to click on (screenshot: $OUT/$1.png)"; }
		sleep 0.7
	done
	# shellcheck disable=SC2086 # x and y
	xdotool mousemove $at click 1
	LAST=""
	sleep 0.4
}
# type_text TEXT: types into the field that has the focus; key KEY…: presses keys.
type_text() { xdotool type --delay 20 -- "$1"; LAST=""; }
key() { xdotool key --delay 60 "$@"; LAST=""; }

# read_part NAME GEOMETRY PATTERN [SECONDS]: wait until the part GEOMETRY
# (WxH+X+Y) of the screen reads PATTERN; a part alone is read, enlarged,
# which is quicker and surer than the whole screen for small text.
read_part() {
	local end=$(($(date +%s) + ${4:-15}))
	while :; do
		import -window root "$OUT/$1.png"
		convert "$OUT/$1.png" -crop "$2" +repage -colorspace Gray -resize 300% "$TMP/part.png"
		tesseract "$TMP/part.png" "$TMP/part" -l fra >/dev/null 2>&1 || true
		cp "$TMP/part.txt" "$OUT/$1.txt" 2>/dev/null || : >"$OUT/$1.txt"
		grep -qiE "$3" "$OUT/$1.txt" && return 0
		[ "$(date +%s)" -lt "$end" ] || break
		sleep 0.5
	done
	echo "--- OCR text of $2 in $OUT/$1.png ---" >&2
	cat "$OUT/$1.txt" >&2
	tail -20 "$TMP/desktop.log" >&2
	die "the window does not read \"$3\" (screenshot: $OUT/$1.png)"
}
# status NAME PATTERN [SECONDS]: wait until the sync indicator, in the
# window's top bar, reads PATTERN.
status() { read_part "$1" 1120x64+0+0 "$2" "${3:-15}"; }
lap() { echo "  ($(($(date +%s) - t_start)) s)"; }

# 1. Connect, from the first screen: the server's address, then the account.
see 1-first-run "Créer votre espace" 20
echo "first-run screen shown; connecting to $URL"; lap
xdotool mousemove 560 400
for _ in 1 2 3 4 5 6 7 8; do xdotool click 5; done # the link is below the form
sleep 0.5 # the page scrolls smoothly: read it once still
click 2-connect-link "Se connecter à un serveur Atrium"
see 3-connect-address "Adresse du serveur"
# Each step's first field has the focus: typed, then Enter, as a person does.
type_text "$URL"
key Return
see 4-connect-account "Serveur Atrium trouvé"
type_text "$EMAIL"
key Tab
type_text "$PASSWORD"
key Return
status 5-connected "Connecté à ?127" 30
grep -qiE "Dernière synchronisation" "$OUT/5-connected.txt" || die "connected, the indicator does not say when it last synced (screenshot: $OUT/5-connected.png)"
[ -f "$TMP/data/connection.json" ] && [ -n "$(ls "$TMP/data/servers/" 2>/dev/null)" ] || die "connected, but no connection.json or replica in ATRIUM_DATA_DIR"
echo "connected: the indicator reads \"Connecté à 127.0.0.1:$PORT\""; lap

# 2. The server stops: the desktop says it is offline.
stop_server
t0=$(date +%s)
status 6-offline "Hors ligne" 45
echo "server stopped: \"Hors ligne\" after $(($(date +%s) - t0)) s"; lap

# 3. Offline, a member is edited: the change is saved here and waits.
click 7-members "Utilisateurs"
see 7-members "1 membre"
click 7-members "Vous"
see 8-member "Fiche du membre"
# The drawer slides in: the field is found once it stands still.
sleep 1
LAST=""
click 8-member "Fonction"
type_text "$JOB"
key Return
sleep 0.5
key Escape
# The list shows the new job title under the member's name.
read_part 9-saved 860x70+240+404 "$JOB"
status 10-waiting "1 modification en attente" 15
grep -qiE "Hors ligne" "$OUT/10-waiting.txt" || die "the change waits but the indicator no longer says offline (screenshot: $OUT/10-waiting.png)"
echo "offline edit: \"1 modification en attente\""; lap
# The History shows it on top of the server's history, marked waiting.
click 11-history-offline "Historique"
# The table's first rows, under the filters.
read_part 11-history-offline 880x220+240+500 "En attente" 15
grep -qi "Champs modifi" "$OUT/11-history-offline.txt" || die "the History's waiting entry does not say what changed (screenshot: $OUT/11-history-offline.png)"
echo "the History shows the change as waiting"; lap
job_on_server() {
	api members.list '{}' | field jobTitle
}

# 4. The server is back: the change is sent, and the server holds it.
start_server
t0=$(date +%s)
# The desktop tries an unreachable server again after 2 s, then 4, 8… (at most 30 s).
status 12-back "Connecté à ?127" 45
status 12-back "Dernière synchronisation" 15
echo "server back: \"Connecté\", nothing waiting, after $(($(date +%s) - t0)) s"; lap
got=$(job_on_server)
[ "$got" = "$JOB" ] || die "the server reads the member's job title as \"$got\", not \"$JOB\""
echo "the server's API reads the member's new job title: \"$got\""
# The History, read again, is the server's: the change has its number there.
click 13-history-back "Accueil"
click 13-history-back "Historique"
read_part 13-history-back 880x220+240+500 "Champs modifi" 15
grep -qi "En attente" "$OUT/13-history-back.txt" && die "once sent, the History still shows the change as waiting (screenshot: $OUT/13-history-back.png)"
echo "the History, read again, no longer shows it waiting"

kill "$desktop"
for _ in $(seq 1 50); do kill -0 "$desktop" 2>/dev/null || break; sleep 0.1; done
echo "desktop sync smoke: ok ($(($(date +%s) - t_start)) s; screenshots in test-results/desktop-sync/)"
