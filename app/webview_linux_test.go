package app

import (
	"os"
	"testing"
)

// The DMA-BUF renderer is turned off unless the user chose otherwise.
func TestPrepareWebView(t *testing.T) {
	const name = "WEBKIT_DISABLE_DMABUF_RENDERER"
	t.Setenv(name, "")
	os.Unsetenv(name)
	PrepareWebView()
	if v := os.Getenv(name); v != "1" {
		t.Fatalf("%s=%q, want 1", name, v)
	}

	t.Setenv(name, "0") // the user's own choice
	PrepareWebView()
	if v := os.Getenv(name); v != "0" {
		t.Fatalf("the user's %s was replaced by %q", name, v)
	}
}
