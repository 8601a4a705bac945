package app

import "os"

// PrepareWebView sets how WebKitGTK draws the window, before Wails starts it.
//
// The console is drawn without the GPU (linux.WebviewGpuPolicyNever, main.go),
// so WebKit's DMA-BUF renderer, which hands GPU buffers from the page's process
// to the window's, brings nothing but its cost: it loads EGL, GBM and the
// graphics driver into the window's process (3.7 MiB of the desktop's idle
// memory under Xvfb, bench/desktop.sh), and it is the path behind the blank
// windows WebKitGTK shows with some proprietary drivers. The page is then
// shared through plain memory. A value set by the user wins.
func PrepareWebView() {
	if _, set := os.LookupEnv("WEBKIT_DISABLE_DMABUF_RENDERER"); !set {
		_ = os.Setenv("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
	}
}
