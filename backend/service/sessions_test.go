package service

import (
	"context"
	"fmt"
	"testing"
	"time"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

var firefox = domain.Device{Kind: domain.SessionBrowser, Name: "Firefox", Platform: "windows", IP: "198.51.100.7"}

// signInFrom opens a session of Anne's from a device and returns its token.
func signInFrom(t *testing.T, e *env, dev domain.Device) string {
	t.Helper()
	res, err := e.reg.Invoke(context.Background(), Call{Op: "auth.signIn", Input: []byte(signInJSON(anneEmail, annePass)), Device: dev})
	if err != nil || res.Token == "" {
		t.Fatalf("sign-in from %s: %v", dev.Kind, err)
	}
	return res.Token
}

func signedIn(e *env, token string) bool {
	_, err := e.call("session.current", token, "")
	return err == nil
}

// A session left unused ends after its idle time; one used all along ends at
// its absolute lifetime. A browser's are short, a desktop's long.
func TestSessionsExpire(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, clk, _ := secEnv(t, st)
		// The first run's session is dated by the real clock: out of the way.
		e.mustCall("auth.signOut", e.setup(), "")
		var desk string
		for _, c := range []struct {
			dev            domain.Device
			idle, absolute time.Duration
		}{
			{firefox, 12 * time.Hour, 7 * 24 * time.Hour},
			{desktop, 30 * 24 * time.Hour, 90 * 24 * time.Hour},
		} {
			// Idle: still signed in just before, out just after.
			tok := signInFrom(t, e, c.dev)
			clk.Add(c.idle - time.Minute)
			if !signedIn(e, tok) {
				t.Fatalf("%s: signed out before its idle time", c.dev.Kind)
			}
			clk.Add(c.idle - time.Minute)
			if !signedIn(e, tok) {
				t.Fatalf("%s: a call must restart the idle time", c.dev.Kind)
			}
			clk.Add(c.idle + time.Minute)
			if _, err := e.call("session.current", tok, ""); codeOf(err) != domain.CodeUnauthenticated {
				t.Fatalf("%s: idle past %s still signed in: %v", c.dev.Kind, c.idle, err)
			}
			// Absolute: used every little while, it still ends.
			tok = signInFrom(t, e, c.dev)
			start := clk.Now()
			for ended := false; !ended; {
				clk.Add(c.idle / 2)
				age := clk.Now().Sub(start)
				in := signedIn(e, tok)
				switch {
				case age < c.absolute && !in:
					t.Fatalf("%s: a session in use ended after %s", c.dev.Kind, age)
				case age > c.absolute && in:
					t.Fatalf("%s: %s old, past its absolute lifetime of %s, still signed in", c.dev.Kind, age, c.absolute)
				}
				ended = age > c.absolute
			}
			desk = signInFrom(t, e, desktop) // the listing's own session
		}
		// Ended sessions are not listed among the devices.
		list := e.mustCall("sessions.list", desk, "").Output.(DeviceSessions).Sessions
		if len(list) != 1 || !list[0].Current {
			t.Fatalf("sessions listed: %+v", list)
		}
	})
}

// A sign-in on a device that still sends a session replaces that session:
// its token stops working (a shared computer keeps no one else's session).
func TestSignInReplacesTheSessionItCarries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, clk, _ := secEnv(t, st)
		old := e.setup()
		if _, err := e.call("auth.signIn", old, signInJSON(anneEmail, "faux")); codeOf(err) != domain.CodeInvalidCredentials {
			t.Fatalf("wrong password: %v", err)
		}
		if !signedIn(e, old) {
			t.Fatal("a refused sign-in must leave the session alone")
		}
		res := e.mustCall("auth.signIn", old, signInJSON(anneEmail, annePass))
		if res.Token == "" || res.Token == old {
			t.Fatalf("sign-in token %q", res.Token)
		}
		if signedIn(e, old) {
			t.Fatal("the session sent with a sign-in still works")
		}
		if !signedIn(e, res.Token) {
			t.Fatal("the new session does not work")
		}
		// With two-step sign-in, at the second step.
		tok := res.Token
		secret, _ := enableTwoFactor(t, e, clk, &tok)
		pending := *e.mustCall("auth.signIn", tok, signInJSON(anneEmail, annePass)).Output.(SessionInfo).PendingTwoFactor
		if !signedIn(e, tok) {
			t.Fatal("the password step alone must leave the session alone")
		}
		clk.Add(30 * time.Second)
		res = e.mustCall("auth.verifyTwoFactor", tok, fmt.Sprintf(`{"pendingToken":%q,"code":%q}`, pending, clk.code(secret)))
		if res.Token == "" || signedIn(e, tok) || !signedIn(e, res.Token) {
			t.Fatalf("second step: new %v, old still signed in %v", signedIn(e, res.Token), signedIn(e, tok))
		}
	})
}

// Changing the password and turning two-step sign-in on or off give the
// session a new token: the old one, which may have been seen before, stops
// working; the session and its device stay the same.
func TestPrivilegeChangesRotateTheToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, clk, _ := secEnv(t, st)
		tok := e.setup()
		sessionOf := func(token string) string {
			s, err := st.SessionByTokenHash(context.Background(), auth.HashToken(token))
			if err != nil {
				t.Fatalf("session of a token: %v", err)
			}
			return s.ID
		}
		id := sessionOf(tok)
		rotated := func(what string, res Result, old string) string {
			t.Helper()
			if res.Token == "" || res.Token == old {
				t.Fatalf("%s: no new token (%q)", what, res.Token)
			}
			if signedIn(e, old) {
				t.Fatalf("%s: the old token still works", what)
			}
			if !signedIn(e, res.Token) || sessionOf(res.Token) != id {
				t.Fatalf("%s: the new token is not the same session", what)
			}
			return res.Token
		}
		// A refused change keeps the token.
		if res, err := e.call("account.changePassword", tok, `{"currentPassword":"faux","newPassword":"une toute nouvelle phrase"}`); err == nil || res.Token != "" || !signedIn(e, tok) {
			t.Fatalf("refused change: %v, token %q", err, res.Token)
		}
		tok = rotated("changing the password", e.mustCall("account.changePassword", tok,
			`{"currentPassword":"un mot de passe solide","newPassword":"une toute nouvelle phrase"}`), tok)
		enr := e.mustCall("twoFactor.begin", tok, "").Output.(TwoFactorEnrollment)
		tok = rotated("turning two-step sign-in on", e.mustCall("twoFactor.confirm", tok, fmt.Sprintf(`{"code":%q}`, clk.code(enr.Secret))), tok)
		clk.Add(time.Minute)
		tok = rotated("turning two-step sign-in off", e.mustCall("twoFactor.disable", tok,
			fmt.Sprintf(`{"password":"une toute nouvelle phrase","code":%q}`, clk.code(enr.Secret))), tok)
		if n := len(e.mustCall("sessions.list", tok, "").Output.(DeviceSessions).Sessions); n != 1 {
			t.Fatalf("%d sessions after rotations, want the one", n)
		}
	})
}
