package httpapi

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"atrium/backend/auth"
	"atrium/backend/storetest"
)

// Requests per second of the server's door, on SQLite, with keep-alive
// clients in parallel: `go test -bench . -run ^$ ./backend/httpapi/`.
func BenchmarkHealth(b *testing.B) {
	c := newServerB(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := c.http.Get(c.base + "/api/health")
			if err != nil || res.StatusCode != 200 {
				b.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkProfileRead is a signed-in session.current: cookie → session →
// rights → account and organization.
func BenchmarkProfileRead(b *testing.B) {
	c := newServerB(b)
	c.get("/api/health")
	if code, body, _ := c.op("setup.createWorkspace", workspace, true); code != 200 {
		b.Fatalf("setup: %d %v", code, body)
	}
	csrf := c.cookie(CSRFCookie).Value
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("POST", c.base+"/api/ops/session.current", strings.NewReader("{}"))
			req.Header.Set(CSRFHeader, csrf)
			res, err := c.http.Do(req)
			if err != nil || res.StatusCode != 200 {
				b.Fatal(err, res.StatusCode)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

func newServerB(b *testing.B) *client {
	c := newServerWith(b, storetest.SQLite(b), auth.OWASP)
	c.http.Transport = &http.Transport{MaxIdleConnsPerHost: 64}
	return c
}
