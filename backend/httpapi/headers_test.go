package httpapi

import (
	"io"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"atrium/backend/auth"
	"atrium/backend/storetest"
)

var nonceInPolicy = regexp.MustCompile(`style-src 'self' 'nonce-([A-Za-z0-9_-]{22,})'`)

// The console is sent with a strict Content-Security-Policy: its own scripts
// only, its styles plus those the page marks with this response's nonce
// (Mantine writes its theme in <style> tags), no plugin, no <base>, never in
// a frame; and every response says not to guess types nor send a Referer
// (reset links carry their token in the address).
func TestSecurityHeaders(t *testing.T) {
	index := `<!doctype html><html><head><title>Atrium</title></head><body></body></html>`
	c := newServerOpts(t, storetest.SQLite(t), auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}, func(o *Options) {
		o.Console = fstest.MapFS{"index.html": {Data: []byte(index)}, "assets/app.js": {Data: []byte("1")}}
	})
	common := map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
	nonces := map[string]bool{}
	for _, p := range []string{"/", "/index.html", "/reset", "/", "/api/health", "/assets/app.js"} {
		res := c.get(p)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		for k, v := range common {
			if got := res.Header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", p, k, got, v)
			}
		}
		csp := res.Header.Get("Content-Security-Policy")
		for _, d := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "img-src 'self' data:"} {
			if !strings.Contains(csp, d+";") && !strings.HasSuffix(csp, d) {
				t.Errorf("%s: policy %q lacks %q", p, csp, d)
			}
		}
		if strings.Contains(csp, "unsafe") {
			t.Errorf("%s: policy %q allows inline code", p, csp)
		}
		if strings.HasPrefix(p, "/api") || strings.HasPrefix(p, "/assets") {
			continue
		}
		m := nonceInPolicy.FindStringSubmatch(csp)
		if m == nil {
			t.Fatalf("%s: no style nonce in %q", p, csp)
		}
		if !strings.Contains(string(body), `<meta property="csp-nonce" nonce="`+m[1]+`">`) {
			t.Fatalf("%s: the page does not carry its nonce: %s", p, body)
		}
		if nonces[m[1]] {
			t.Fatalf("%s: a nonce was sent twice", p)
		}
		nonces[m[1]] = true
		if res.Header.Get("Cache-Control") != "no-store" || res.Header.Get("ETag") != "" || res.Header.Get("Last-Modified") != "" {
			t.Errorf("%s: a page with a nonce must not be kept or revalidated: %v", p, res.Header)
		}
	}
}
