package service

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// Asking to move to an address that already has an account answers exactly
// as for a free one, with nothing in the requester's outbox either way: the
// address's owner is told instead, and no link that could take it is sent.
// The confirm step still refuses an address that came into use meanwhile.
func TestEmailChangeDoesNotTellWhetherAnAddressIsTaken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newMailEnv(t, st, true)
		admin := e.setup()
		orgID, _ := orgOfSession(st, admin)
		addAccount(t, e.env, "lea.roux@example.fr", orgID, false)

		taken, errT := e.call("account.requestEmailChange", admin, `{"newEmail":"Lea.Roux@example.fr","password":"un mot de passe solide"}`)
		free, errF := e.call("account.requestEmailChange", admin, `{"newEmail":"anne@nouveau.fr","password":"un mot de passe solide"}`)
		if errT != nil || errF != nil {
			t.Fatalf("a taken address is refused: %v / %v", errT, errF)
		}
		if taken.Output.(EmailChangeRequested).SentTo != "lea.roux@example.fr" || free.Output.(EmailChangeRequested).SentTo != "anne@nouveau.fr" {
			t.Fatalf("answers %+v / %+v", taken.Output, free.Output)
		}
		if items := e.mustCall("outbox.list", admin, `{}`).Output.(OutboxList).Items; len(items) != 0 {
			t.Fatalf("the requester's outbox tells the two apart: %+v", items)
		}
		notice := e.lastTo("lea.roux@example.fr", "proposée pour un autre compte")
		if notice.Link() != "" || notice.Code() != "" || !strings.Contains(notice.Text, "déjà") {
			t.Fatalf("the owner of the taken address got %q: %s", notice.Subject, notice.Text)
		}
		if cur := e.mustCall("session.current", admin, "").Output.(SessionInfo); cur.Account.Email != "anne.martin@example.fr" {
			t.Fatalf("the address changed: %s", cur.Account.Email)
		}

		// The free address's link, once someone else holds the address, is refused.
		confirm := e.lastTo("anne@nouveau.fr", "Confirmez")
		addAccount(t, e.env, "anne@nouveau.fr", orgID, false)
		before := snapshot(t, st)
		_, err := e.call("account.confirmEmailChange", "", fmt.Sprintf(`{"token":%q}`, tokenOf(t, confirm.Link())))
		wantField(t, err, "token", domain.FieldEmailTaken)
		if snapshot(t, st) != before {
			t.Fatal("a refused confirmation wrote to the database")
		}
		if cur := e.mustCall("session.current", admin, "").Output.(SessionInfo); cur.Account.Email != "anne.martin@example.fr" {
			t.Fatalf("a confirmation took an address in use: %s", cur.Account.Email)
		}
	})
}

// An account may ask for a few address changes an hour, not mail any
// number of addresses: then rate_limited with when to try again.
func TestEmailChangeIsThrottledPerAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newMailEnv(t, st, false)
		clk := realClock()
		e.clock.set(clk.Now)
		admin := e.setup()
		var last error
		sent := 0
		for i := range 6 {
			_, last = e.call("account.requestEmailChange", admin, fmt.Sprintf(`{"newEmail":"anne%d@nouveau.fr","password":"un mot de passe solide"}`, i))
			if last != nil {
				break
			}
			sent++
		}
		if codeOf(last) != domain.CodeRateLimited || retryAfter(last) <= 0 || sent != 3 {
			t.Fatalf("after %d requests: %v (retry after %d s)", sent, last, retryAfter(last))
		}
		// A wrong password does not use the allowance up (nor get past it).
		_, err := e.call("account.requestEmailChange", admin, `{"newEmail":"x@nouveau.fr","password":"pas le bon"}`)
		wantField(t, err, "password", "wrong_password")
		clk.Add(time.Duration(retryAfter(last)) * time.Second)
		e.mustCall("account.requestEmailChange", admin, `{"newEmail":"later@nouveau.fr","password":"un mot de passe solide"}`)
		if _, err := e.call("account.requestEmailChange", admin, `{"newEmail":"again@nouveau.fr","password":"un mot de passe solide"}`); codeOf(err) != domain.CodeRateLimited {
			t.Fatalf("the allowance came back whole: %v", err)
		}
	})
}

// A known and an unknown address take the same time to answer
// "forgotten password" (the median of interleaved calls, printed), and the
// requests are throttled per address and per source alike for both.
func TestForgotPasswordTakesTheSameTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newMailEnv(t, st, true)
		e.setup()
		ctx := context.Background()
		const rounds = 11
		var known, unknown []time.Duration
		for range rounds {
			for _, c := range []struct {
				email string
				into  *[]time.Duration
			}{{"anne.martin@example.fr", &known}, {"personne@example.fr", &unknown}} {
				st.DB(ctx).Exec("DELETE FROM auth_throttle")
				start := time.Now()
				e.mustCall("auth.forgotPassword", "", fmt.Sprintf(`{"email":%q}`, c.email))
				*c.into = append(*c.into, time.Since(start))
			}
		}
		// The fastest answers are compared, relatively: other tests and
		// programs on the machine only ever delay an answer (a timer also
		// wakes up to a millisecond late), whichever address was asked,
		// while the work itself makes a known address three times slower
		// when nothing hides it.
		fk, fu := slices.Min(known), slices.Min(unknown)
		t.Logf("forgotPassword on %s, %d calls each: known fastest %v (median %v), unknown fastest %v (median %v)",
			st.Dialect(), rounds, fk, median(known), fu, median(unknown))
		if diff := fk - fu; diff > max(fk, fu)/50 || -diff > max(fk, fu)/50 {
			t.Fatalf("a known address answers in %v at best, an unknown one in %v", fk, fu)
		}
		if n, _ := st.CountOutbox(ctx, store.OutboxPending); n != rounds {
			t.Fatalf("%d resets queued, want %d", n, rounds)
		}

		// Per address: the same answer for a known and an unknown one.
		st.DB(ctx).Exec("DELETE FROM auth_throttle")
		for _, email := range []string{"anne.martin@example.fr", "personne@example.fr"} {
			var last error
			for range 4 {
				_, last = e.call("auth.forgotPassword", "", fmt.Sprintf(`{"email":%q}`, email))
			}
			if codeOf(last) != domain.CodeRateLimited || retryAfter(last) <= 0 {
				t.Fatalf("%s: the 4th request in a row is not throttled: %v", email, last)
			}
		}
		// Per source, whatever the addresses tried.
		st.DB(ctx).Exec("DELETE FROM auth_throttle")
		var wg sync.WaitGroup
		var mu2 sync.Mutex
		limited := 0
		for i := range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := e.call("auth.forgotPassword", "", fmt.Sprintf(`{"email":"inconnu%d@example.fr"}`, i))
				if codeOf(err) == domain.CodeRateLimited {
					mu2.Lock()
					limited++
					mu2.Unlock()
				}
			}()
		}
		wg.Wait()
		if limited == 0 {
			t.Fatal("30 addresses tried from one source in a row, none throttled")
		}
	})
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
