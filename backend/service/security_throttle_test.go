package service

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"atrium/backend/audit"
	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// browserAt is a browser calling from the address ip.
func browserAt(ip string) domain.Device {
	return domain.Device{Kind: domain.SessionBrowser, Name: "Firefox", Platform: "linux", IP: ip}
}

// attackerAt is the i-th address of an attacker spread over many.
func attackerAt(i int) domain.Device { return browserAt(fmt.Sprintf("203.0.113.%d", i+1)) }

func (e *env) callFrom(dev domain.Device, op, input string) (Result, error) {
	e.t.Helper()
	return e.reg.Invoke(context.Background(), Call{Op: op, Input: []byte(input), Device: dev})
}

// Thirty addresses guessing Anne's password for two and a half minutes, each
// trying again as soon as it may: Anne, from her own office with her right
// password, gets in every time, and the guesses stay slowed down.
func TestThrottleManySourcesDoNotKeepTheOwnerOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, clk, _ := secEnv(t, st)
		e.setup()
		office := browserAt("198.51.100.7")
		const sources, ticks, step = 30, 50, 3 * time.Second
		checked := 0
		for tick := 0; tick < ticks; tick++ {
			for i := 0; i < sources; i++ {
				_, err := e.callFrom(attackerAt(i), "auth.signIn", signInJSON(anneEmail, fmt.Sprintf("essai %d-%d", tick, i)))
				switch codeOf(err) {
				case domain.CodeInvalidCredentials:
					checked++
				case domain.CodeRateLimited:
				default:
					t.Fatalf("guess %d-%d: %v", tick, i, err)
				}
			}
			res, err := e.callFrom(office, "auth.signIn", signInJSON(anneEmail, annePass))
			if err != nil || res.Token == "" {
				t.Fatalf("%s into the attack, Anne with her right password from her office: %v", time.Duration(tick)*step, err)
			}
			clk.Add(step)
		}
		// Each address gets its first guess on the account; after that the
		// account's delay (a minute at most) holds all of them back.
		t.Logf("%d guesses checked in %s", checked, ticks*step)
		if limit := sources + int(ticks*step/ruleAccount.max) + 1; checked > limit {
			t.Errorf("%d guesses checked in %s, want at most %d", checked, ticks*step, limit)
		}
	})
}

// Anne signing in does not free the addresses that were guessing her
// password: they still wait the account's delay.
func TestThrottleAttackerSourcesStayLimited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, clk, _ := secEnv(t, st)
		e.setup()
		guess := func(round int) (checked, limited int) {
			for i := 0; i < 30; i++ {
				_, err := e.callFrom(attackerAt(i), "auth.signIn", signInJSON(anneEmail, fmt.Sprintf("essai %d-%d", round, i)))
				switch codeOf(err) {
				case domain.CodeInvalidCredentials:
					checked++
				case domain.CodeRateLimited:
					limited++
				default:
					t.Fatalf("guess %d-%d: %v", round, i, err)
				}
			}
			return checked, limited
		}
		for round := 0; round < 3; round++ {
			guess(round)
			clk.Add(5 * time.Second)
		}
		clk.Add(ruleAccount.max)
		if _, err := e.callFrom(browserAt("198.51.100.7"), "auth.signIn", signInJSON(anneEmail, annePass)); err != nil {
			t.Fatalf("Anne from her office: %v", err)
		}
		if checked, limited := guess(3); checked > 1 || limited < 29 {
			t.Fatalf("after Anne's sign-in the attack got %d guesses checked at once (%d refused), want at most 1", checked, limited)
		}
		// A new address gets one guess in while the account waits, even
		// with fifty sent at once: the first counts it as a failing source.
		var wrong, refused atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := e.callFrom(browserAt("192.0.2.77"), "auth.signIn", signInJSON(anneEmail, fmt.Sprintf("en parallèle %d", i)))
				switch codeOf(err) {
				case domain.CodeInvalidCredentials:
					wrong.Add(1)
				case domain.CodeRateLimited:
					refused.Add(1)
				default:
					t.Errorf("parallel guess %d: %v", i, err)
				}
			}(i)
		}
		wg.Wait()
		if wrong.Load() != 1 || refused.Load() != 49 {
			t.Fatalf("fifty guesses at once from a new address: %d checked, %d refused; want 1 and 49", wrong.Load(), refused.Load())
		}
	})
}

// One address signing in to its own account between guesses on other
// accounts gains nothing: its own success does not reset what the address
// failed, and it is refused once past the per-source limit.
func TestThrottleOwnSuccessDoesNotResetTheSource(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, _, _ := secEnv(t, st)
		e.setup()
		attacker := browserAt("203.0.113.50")
		checked := 0
		for i := 0; i < 100; i++ {
			// Anne's account plays the attacker's own: its password is known.
			if _, err := e.callFrom(attacker, "auth.signIn", signInJSON(anneEmail, annePass)); err != nil && codeOf(err) != domain.CodeRateLimited {
				t.Fatalf("round %d, own sign-in: %v", i, err)
			}
			_, err := e.callFrom(attacker, "auth.signIn", signInJSON(fmt.Sprintf("cible%d@example.fr", i), "essai"))
			if codeOf(err) == domain.CodeRateLimited {
				break
			}
			if codeOf(err) != domain.CodeInvalidCredentials {
				t.Fatalf("round %d, guess: %v", i, err)
			}
			checked++
		}
		if checked != ruleSource.free {
			t.Fatalf("%d guesses checked from one address, want %d (the per-source limit)", checked, ruleSource.free)
		}
		// People who only sign in from a shared address are not counted as failures.
		office := browserAt("198.51.100.8")
		for i := 0; i < 3*ruleSource.free; i++ {
			if _, err := e.callFrom(office, "auth.signIn", signInJSON(anneEmail, annePass)); err != nil {
				t.Fatalf("sign-in %d from a shared office address: %v", i, err)
			}
		}
	})
}

// Someone who knows Anne's password, typing wrong codes from many addresses,
// does not keep Anne out of her second step either.
func TestTwoFactorManySourcesDoNotKeepTheOwnerOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, clk, _ := secEnv(t, st)
		tok := e.setup()
		secret, _ := enableTwoFactor(t, e, clk, &tok)
		pendingFrom := func(dev domain.Device) string {
			t.Helper()
			res, err := e.callFrom(dev, "auth.signIn", signInJSON(anneEmail, annePass))
			if err != nil || res.Output.(SessionInfo).PendingTwoFactor == nil {
				t.Fatalf("password step from %s: %v", dev.IP, err)
			}
			return *res.Output.(SessionInfo).PendingTwoFactor
		}
		codeJSON := func(pending, code string) string {
			return fmt.Sprintf(`{"pendingToken":%q,"code":%q}`, pending, code)
		}
		checked := 0
		guess := func(round int) {
			for i := 0; i < 30; i++ {
				code := fmt.Sprintf("%06d", 100000+round*30+i)
				if auth.MatchTOTP(secret, code, clk.Now(), 0) != 0 {
					code = fmt.Sprintf("%06d", 900000+round*30+i) // a guess must be wrong
				}
				_, err := e.callFrom(attackerAt(i), "auth.verifyTwoFactor", codeJSON(pendingFrom(attackerAt(i)), code))
				switch {
				case codeOf(err) == domain.CodeRateLimited:
				case codeOf(err) == domain.CodeValidation:
					checked++
				default:
					t.Fatalf("code guess %d-%d: %v", round, i, err)
				}
			}
		}
		const rounds = 10
		for round := 0; round < rounds; round++ {
			clk.Add(30 * time.Second) // a new time-step: Anne's code is a fresh one
			guess(round)
			office := browserAt("198.51.100.7")
			res, err := e.callFrom(office, "auth.verifyTwoFactor", codeJSON(pendingFrom(office), clk.code(secret)))
			if err != nil || res.Token == "" {
				t.Fatalf("round %d: Anne with her password and code from her office: %v", round, err)
			}
		}
		// Each address got its first code checked; after that the account's
		// delay holds them back.
		t.Logf("%d codes checked in %d rounds", checked, rounds)
		if limit := 30 + ruleSecondFactor.free + rounds; checked > limit {
			t.Errorf("%d codes checked, want at most %d", checked, limit)
		}
	})
}

// A server already hashing as many passwords as it may answers rate_limited
// at once, with a short retry-after. Nothing was checked, so nothing is
// written: no failed sign-in in the history, no count against the account or
// the source, no workspace half-created.
func TestPasswordWorkSaturated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, _, _ := secEnv(t, st)
		restore := auth.SetConcurrency(0, 0)
		defer restore()
		if _, err := e.call("setup.createWorkspace", "", workspace); codeOf(err) != domain.CodeRateLimited || retryAfter(err) != 1 {
			t.Fatalf("setup while saturated: %v", err)
		}
		if n := count(t, st, "accounts"); n != 0 {
			t.Fatalf("a refused setup wrote %d accounts", n)
		}
		restore()
		tok := e.setup()
		restore = auth.SetConcurrency(0, 0)
		for i := 0; i < 2*ruleSource.free; i++ {
			for _, in := range []string{signInJSON(anneEmail, annePass), signInJSON(anneEmail, "faux"), signInJSON("personne@example.fr", "faux")} {
				if _, err := e.call("auth.signIn", "", in); codeOf(err) != domain.CodeRateLimited || retryAfter(err) != 1 {
					t.Fatalf("sign-in %d while saturated: %v", i, err)
				}
			}
		}
		change := `{"currentPassword":"un mot de passe solide","newPassword":"un autre mot de passe solide"}`
		for i := 0; i < 2*rulePasswordCheck.free; i++ {
			if _, err := e.call("account.changePassword", tok, change); codeOf(err) != domain.CodeRateLimited || retryAfter(err) != 1 {
				t.Fatalf("password change %d while saturated: %v", i, err)
			}
		}
		restore()
		e.mustCall("account.changePassword", tok, change)
		const newPass = "un autre mot de passe solide"
		var failed int64
		st.DB(context.Background()).Table("audit_events").Where("action = ?", audit.SignInFailed).Count(&failed)
		if failed != 0 {
			t.Errorf("%d failed sign-ins recorded for attempts never checked", failed)
		}
		if _, err := e.call("auth.signIn", "", signInJSON(anneEmail, newPass)); err != nil {
			t.Fatalf("right password after the burst: %v", err)
		}
		for i := 0; i < ruleAccountSource.free; i++ {
			if _, err := e.call("auth.signIn", "", signInJSON(anneEmail, "faux")); codeOf(err) != domain.CodeInvalidCredentials {
				t.Fatalf("wrong password %d after the burst: %v (the refused attempts were counted)", i, err)
			}
		}
	})
}
