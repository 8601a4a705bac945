# Atrium — the two commands of the README, and the steps they are made of.
# Every target installs what it is missing first (scripts/setup.sh, as root on Debian 12).
SHELL := /bin/bash

.PHONY: run serve test setup setup-desktop setup-test desktop deb windows server smoke e2e clean

## run: build the desktop app with Wails and open it (needs a display; else see `make serve`)
run:
	@scripts/run.sh

## serve: build atrium-server and serve the console at http://127.0.0.1:8080 (ADDR=, ATRIUM_DB=)
serve:
	@scripts/serve.sh

## test: install what is missing, then run every test; ends with "N passed, N failed"
test: setup-test
	@scripts/test.sh

setup: setup-test
setup-desktop:
	@scripts/setup.sh desktop
setup-test:
	@scripts/setup.sh test

## desktop: build build/bin/atrium only
desktop: setup-desktop
	@scripts/build-desktop.sh

## deb: build the desktop app and package it as build/bin/atrium_<version>_amd64.deb
deb: setup-desktop
	@scripts/build-deb.sh

## windows: cross-build build/bin/atrium.exe and its per-user installer atrium-<version>-setup.exe
windows: setup-desktop
	@scripts/build-windows.sh

## server: build build/bin/atrium-server only
server:
	@scripts/setup.sh server
	@. scripts/lib.sh && frontend_build && go build -o build/bin/atrium-server ./cmd/atrium-server

## smoke: the desktop smoke test under Xvfb
smoke: setup-test
	@scripts/desktop-smoke.sh

## e2e: the Playwright journeys (builds the server in the global setup)
e2e: setup-test
	@. scripts/lib.sh && frontend_build && cd e2e && npx --no-install playwright test

clean:
	rm -rf build/bin frontend/dist test-results e2e/test-results e2e/playwright-report e2e/screenshots
