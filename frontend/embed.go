// Package frontend embeds the built console (frontend/dist, made by
// `npm run build`) so the desktop and the server ship the same files.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built console, index.html at its root.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a constant embedded path
	}
	return sub
}
