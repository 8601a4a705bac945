package httpapi

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"testing"

	"atrium/backend/storetest"
)

// An origin is a scheme and a host: a page served over https is another
// origin than this http server, even on the same host name.
func TestOriginMustMatchScheme(t *testing.T) {
	c := newServer(t, storetest.SQLite(t))
	c.get("/api/health")
	u, _ := url.Parse(c.base)
	if code, body, _ := c.op("setup.status", "{}", true, "Origin", "https://"+u.Host); code != 403 || body["code"] != "forbidden" {
		t.Fatalf("Origin https://%s on an http server: %d %v", u.Host, code, body)
	}
	if code, body, _ := c.op("setup.status", "{}", true, "Origin", "http://"+u.Host); code != 200 {
		t.Fatalf("the server's own origin: %d %v", code, body)
	}
}

// A signed-in call needs the CSRF token issued for its session: a cookie and
// header pair made up by someone else (who could write a cookie) is refused.
func TestCSRFTokenBoundToSession(t *testing.T) {
	c := newServer(t, storetest.SQLite(t))
	c.get("/api/health")
	pre := c.cookie(CSRFCookie).Value
	if code, body, _ := c.op("setup.createWorkspace", workspace, true); code != 200 {
		t.Fatalf("setup: %d %v", code, body)
	}
	if c.cookie(CSRFCookie).Value == pre {
		t.Fatal("opening a session must hand out a CSRF token of that session")
	}
	if code, body, _ := c.op("session.current", "", true); code != 200 {
		t.Fatalf("with the token issued for the session: %d %v", code, body)
	}

	b := make([]byte, 32)
	rand.Read(b)
	forged := base64.RawURLEncoding.EncodeToString(b)
	u, _ := url.Parse(c.base)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: CSRFCookie, Value: forged, Path: "/"}})
	if code, body, _ := c.op("session.current", "", true); code != 403 || body["code"] != "forbidden" {
		t.Fatalf("a forged cookie and header pair: %d %v", code, body)
	}
	// The next response hands the session's own token back.
	c.get("/api/health")
	if code, body, _ := c.op("session.current", "", true); code != 200 {
		t.Fatalf("after the token is handed back: %d %v", code, body)
	}
}
