package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"atrium/backend/auth"
	"atrium/backend/service"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// client is a browser-like client: a cookie jar, and the CSRF header echoed
// from the cookie as the console does.
type client struct {
	t       testing.TB
	base    string
	http    *http.Client
	handler http.Handler // the router the test server runs
}

func newServer(t *testing.T, st *store.Store) *client {
	return newServerWith(t, st, auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16})
}

func newServerWith(t testing.TB, st *store.Store, hash auth.Params) *client {
	return newServerOpts(t, st, hash, nil)
}

// newServerOpts is newServerWith with options of the test's own (opts may be nil).
func newServerOpts(t testing.TB, st *store.Store, hash auth.Params, opts func(*Options)) *client {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sys, err := service.Start(t.Context(), service.Config{Deps: service.Deps{Store: st, Version: "test", Log: log, Password: hash}})
	if err != nil {
		t.Fatal(err)
	}
	reg := sys.Registry
	console := fstest.MapFS{"index.html": {Data: []byte("<title>Atrium</title>")}, "assets/app.js": {Data: []byte("1")}}
	o := Options{Registry: reg, Console: console, Version: "test", Log: log}
	if opts != nil {
		opts(&o)
	}
	h := New(o)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: srv.URL, http: &http.Client{Jar: jar}, handler: h}
}

func (c *client) cookie(name string) *http.Cookie {
	u, _ := url.Parse(c.base)
	for _, k := range c.http.Jar.Cookies(u) {
		if k.Name == name {
			return k
		}
	}
	return nil
}

func (c *client) get(path string) *http.Response {
	c.t.Helper()
	res, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	return res
}

// op posts an operation; csrf false leaves the header out.
func (c *client) op(name, body string, csrf bool, header ...string) (int, map[string]any, *http.Response) {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+"/api/ops/"+name, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if csrf {
		if k := c.cookie(CSRFCookie); k != nil {
			req.Header.Set(CSRFHeader, k.Value)
		}
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out, res
}

const workspace = `{"firstName":"Anne","lastName":"Martin","email":"anne@example.fr","password":"un mot de passe solide","organizationName":"Cabinet Martin","timezone":"Europe/Paris"}`

func TestBrowserSessionFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newServer(t, st)
		if res := c.get("/api/health"); res.StatusCode != 200 {
			t.Fatalf("health: %d", res.StatusCode)
		}
		if c.cookie(CSRFCookie) == nil {
			t.Fatal("no CSRF cookie handed out")
		}
		if code, body, _ := c.op("setup.createWorkspace", workspace, false); code != 403 || body["code"] != "forbidden" {
			t.Fatalf("write without CSRF header: %d %v", code, body)
		}
		if code, body, _ := c.op("setup.createWorkspace", workspace, true, "Origin", "http://evil.example"); code != 403 {
			t.Fatalf("cross-origin write: %d %v", code, body)
		}
		if code, _, _ := c.op("setup.status", "{}", true); code != 200 {
			t.Fatalf("setup.status: %d", code)
		}
		code, body, res := c.op("setup.createWorkspace", workspace, true)
		if code != 200 || body["isAdmin"] != true {
			t.Fatalf("setup: %d %v", code, body)
		}
		var sessionSet *http.Cookie
		for _, k := range res.Cookies() {
			if k.Name == SessionCookie {
				sessionSet = k
			}
		}
		if sessionSet == nil || !sessionSet.HttpOnly || sessionSet.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie must be HttpOnly and SameSite: %+v", sessionSet)
		}
		if strings.Contains(toJSON(body), sessionSet.Value) {
			t.Fatal("the session token leaked into the response body")
		}
		if code, body, _ := c.op("session.current", "", true); code != 200 || body["account"].(map[string]any)["email"] != "anne@example.fr" {
			t.Fatalf("session.current: %d %v", code, body)
		}
		code, body, _ = c.op("account.updateProfile", `{"mobilePhone":"0612"}`, true)
		if code != 422 || body["code"] != "validation" || body["fields"].(map[string]any)["mobilePhone"] != "invalid_phone" {
			t.Fatalf("invalid phone: %d %v", code, body)
		}
		if code, _, _ := c.op("auth.signOut", "{}", true); code != 200 {
			t.Fatalf("sign-out: %d", code)
		}
		if c.cookie(SessionCookie) != nil {
			t.Fatal("sign-out did not clear the session cookie")
		}
		if code, body, _ := c.op("session.current", "", true); code != 401 || body["code"] != "unauthenticated" {
			t.Fatalf("after sign-out: %d %v", code, body)
		}
		if code, body, _ := c.op("auth.signIn", `{"email":"anne@example.fr","password":"mauvais mot de passe"}`, true); code != 401 || body["code"] != "invalid_credentials" {
			t.Fatalf("wrong password: %d %v", code, body)
		}
	})
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestRefusals(t *testing.T) {
	c := newServer(t, storetest.SQLite(t))
	c.get("/api/health")
	big := `{"email":"` + strings.Repeat("a", MaxBody) + `"}`
	if code, body, _ := c.op("auth.signIn", big, true); code != 413 || body["code"] != "too_large" {
		t.Fatalf("oversized body: %d %v", code, body)
	}
	if code, body, _ := c.op("no.such", "{}", true); code != 404 || body["code"] != "not_found" {
		t.Fatalf("unknown op: %d %v", code, body)
	}
	if code, _, _ := c.op("setup.status", "{oops", true); code != 422 {
		t.Fatalf("malformed JSON: %d", code)
	}
	if res := c.get("/api/nothing"); res.StatusCode != 404 {
		t.Fatalf("unknown api path: %d", res.StatusCode)
	}
}

func TestConsoleAndDocs(t *testing.T) {
	c := newServer(t, storetest.SQLite(t))
	for _, p := range []string{"/", "/invitation/abc", "/assets/app.js"} {
		res := c.get(p)
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || len(b) == 0 {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
	}
	res := c.get("/api/operations")
	var ops []map[string]any
	json.NewDecoder(res.Body).Decode(&ops)
	served := 0 // the desktop's own operations are not the server's
	for _, op := range service.Describe().Operations() {
		if !op.Desktop {
			served++
		}
	}
	if len(ops) != served {
		t.Fatalf("operations doc lists %d of %d", len(ops), served)
	}
}

func TestDescribeUserAgent(t *testing.T) {
	name, platform := describeUserAgent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36")
	if name != "Chrome" || platform != "linux" {
		t.Fatalf("%s %s", name, platform)
	}
}
