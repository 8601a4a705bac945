package httpapi

import (
	"net/http"
	"net/url"
	"testing"

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
