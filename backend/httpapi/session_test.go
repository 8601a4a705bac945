package httpapi

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"atrium/backend/auth"
	"atrium/backend/storetest"
)

// A password change gives the browser's session a new token: the response
// sets the new cookie (and the CSRF token that goes with it), so the browser
// stays signed in, and the old cookie no longer opens anything.
func TestPasswordChangeSetsTheNewSessionCookie(t *testing.T) {
	c := newServer(t, storetest.SQLite(t))
	c.get("/api/health")
	if code, body, _ := c.op("setup.createWorkspace", workspace, true); code != 200 {
		t.Fatalf("setup: %d %v", code, body)
	}
	old, oldCSRF := c.cookie(SessionCookie).Value, c.cookie(CSRFCookie).Value
	code, body, _ := c.op("account.changePassword", `{"currentPassword":"un mot de passe solide","newPassword":"une toute nouvelle phrase"}`, true)
	if code != 200 {
		t.Fatalf("change: %d %v", code, body)
	}
	if c.cookie(SessionCookie).Value == old || c.cookie(CSRFCookie).Value == oldCSRF {
		t.Fatal("the response must set a new session cookie and its CSRF token")
	}
	if code, body, _ := c.op("session.current", "", true); code != 200 {
		t.Fatalf("with the new cookie: %d %v", code, body)
	}
	// A call that left with the old cookie just before the change is refused,
	// and its answer must not clear the browser's new cookie.
	req, _ := http.NewRequest("POST", c.base+"/api/ops/session.current", nil)
	req.AddCookie(&http.Cookie{Name: SessionCookie, Value: old})
	req.AddCookie(&http.Cookie{Name: CSRFCookie, Value: oldCSRF})
	req.Header.Set(CSRFHeader, oldCSRF)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Fatalf("old cookie: %d", res.StatusCode)
	}
	for _, k := range res.Cookies() {
		if k.Name == SessionCookie {
			t.Fatalf("a call refused with the old cookie set the session cookie: %+v", k)
		}
	}
	if code, body, _ := c.op("session.current", "", true); code != 200 {
		t.Fatalf("after a late call with the old cookie: %d %v", code, body)
	}
	// Someone who had copied the old cookie (and its CSRF token).
	u, _ := url.Parse(c.base)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: SessionCookie, Value: old, Path: "/"}, {Name: CSRFCookie, Value: oldCSRF, Path: "/"}})
	if code, body, _ := c.op("session.current", "", true); code != 401 || body["code"] != "unauthenticated" {
		t.Fatalf("with the old cookie: %d %v", code, body)
	}
}

// Behind a proxy that ends TLS (--public-url https://…), the cookies are
// Secure and carry the __Host- prefix (no subdomain can set them), and only
// the public origin may call.
func TestCookiesBehindATLSProxy(t *testing.T) {
	const public = "https://atrium.example.fr"
	c := newServerOpts(t, storetest.SQLite(t), auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16},
		func(o *Options) { o.PublicURL = public })
	jar := map[string]string{}
	call := func(op, body string, header ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", c.base+"/api/ops/"+op, strings.NewReader(body))
		for name, v := range jar {
			req.AddCookie(&http.Cookie{Name: name, Value: v})
		}
		req.Header.Set(CSRFHeader, jar["__Host-"+CSRFCookie])
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		for _, k := range res.Cookies() {
			if !k.Secure || !strings.HasPrefix(k.Name, "__Host-") || k.Path != "/" || k.Domain != "" {
				t.Fatalf("%s: cookie %q must be Secure, __Host-, Path=/ and without Domain: %+v", op, k.Name, k)
			}
			jar[k.Name] = k.Value
		}
		return res, string(b)
	}
	call("setup.status", "{}")
	if jar["__Host-"+CSRFCookie] == "" {
		t.Fatalf("no __Host- CSRF cookie: %v", jar)
	}
	for _, origin := range []string{"http://atrium.example.fr", strings.Replace(c.base, "http://", "https://", 1), c.base} {
		if res, body := call("setup.status", "{}", "Origin", origin); res.StatusCode != 403 {
			t.Fatalf("Origin %s with public URL %s: %d %s", origin, public, res.StatusCode, body)
		}
	}
	if res, body := call("setup.createWorkspace", workspace, "Origin", public); res.StatusCode != 200 {
		t.Fatalf("setup from the public origin: %d %s", res.StatusCode, body)
	}
	if jar["__Host-"+SessionCookie] == "" {
		t.Fatalf("no __Host- session cookie: %v", jar)
	}
	if res, body := call("session.current", "", "Origin", public); res.StatusCode != 200 {
		t.Fatalf("signed-in call: %d %s", res.StatusCode, body)
	}
}
