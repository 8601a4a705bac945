//go:build desktopicon

package main

import _ "embed"

// windowIcon is Atrium's icon for the window and the taskbar on Linux (GTK
// takes a PNG): build/appicon.svg drawn at 256 px by scripts/build-desktop.sh,
// which builds with this tag. PNG files are never kept in git, so a build
// without the tag (go build ./..., go vet) has no file to read.
//
//go:embed build/linux/atrium-256.png
var windowIcon []byte
