package service

import (
	"context"
	"testing"
	"time"

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
