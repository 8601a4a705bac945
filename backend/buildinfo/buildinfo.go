// Package buildinfo tells which version of Atrium is running.
package buildinfo

// Version is set at link time (-ldflags "-X atrium/backend/buildinfo.Version=…").
var Version = "0.1.0-dev"
