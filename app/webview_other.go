//go:build !linux

package app

// PrepareWebView has nothing to set outside Linux (see webview_linux.go).
func PrepareWebView() {}
