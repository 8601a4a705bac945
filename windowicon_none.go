//go:build !desktopicon

package main

// windowIcon is empty outside scripts/build-desktop.sh (see windowicon.go):
// the window then shows the desktop's generic icon.
var windowIcon []byte
