package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
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

// testClock is a clock tests move by hand; safe for parallel calls.
type testClock struct{ t atomic.Int64 }

func newClock() *testClock {
	c := &testClock{}
	c.t.Store(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).UnixNano())
	return c
}

// realClock reads the time the services use when no test clock is given.
func realClock() *testClock {
	c := &testClock{}
	c.t.Store(time.Now().UnixNano())
	return c
}

func (c *testClock) Now() time.Time            { return time.Unix(0, c.t.Load()).UTC() }
func (c *testClock) Add(d time.Duration)       { c.t.Add(int64(d)) }
func (c *testClock) code(secret string) string { return auth.TOTPCode(secret, c.Now()) }

// secEnv is an env whose services use a clock the test moves.
func secEnv(t *testing.T, st *store.Store) (*env, *testClock, *Services) {
	clk := newClock()
	sys := start(t, Deps{Store: st, Password: fastHash, Version: "test", Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		CommonPasswords: testCommonPasswords, Clock: clk.Now})
	return &env{t: t, st: st, reg: sys.Registry, rec: sys.History}, clk, sys.Services
}

const (
	anneEmail = "anne.martin@example.fr"
	annePass  = "un mot de passe solide"
)

func signInJSON(email, password string) string {
	return fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)
}

func codeOf(err error) domain.Code { return domain.CodeOf(err) }

func retryAfter(err error) int {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.RetryAfter
	}
	return -1
}

func TestCommonPasswordList(t *testing.T) {
	n, err := testCommonPasswords.Loaded()
	if err != nil || n < 10_000 {
		t.Fatalf("breached-password list: %d entries, %v (run npm run build in frontend first)", n, err)
	}
	for _, p := range []string{"iloveyoubaby", "1234567891011", "MotDePasse12"} {
		errs := domain.FieldErrors{}
		domain.CheckPassword(errs, "p", p, "x@example.fr", testCommonPasswords.Contains)
		if errs["p"] != domain.FieldPasswordTooCommon {
			t.Errorf("%q: %v, want password_too_common", p, errs)
		}
	}
	errs := domain.FieldErrors{}
	domain.CheckPassword(errs, "p", "le chat boit du thé vert", "x@example.fr", testCommonPasswords.Contains)
	if len(errs) != 0 {
		t.Errorf("a good passphrase was refused: %v", errs)
	}
}

// Fifty wrong passwords at once from one source: exactly the free attempts
// are checked, the others are refused with a retry-after; the real password
// works again once the short delay is over.
func TestThrottleParallelWrongPasswords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, clk, _ := secEnv(t, st)
		e.setup()
		var wrong, limited, other atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := e.reg.Invoke(context.Background(), Call{Op: "auth.signIn", Input: []byte(signInJSON(anneEmail, fmt.Sprintf("mauvais %d", i))), Device: desktop})
				switch {
				case codeOf(err) == domain.CodeInvalidCredentials:
					wrong.Add(1)
				case codeOf(err) == domain.CodeRateLimited && retryAfter(err) > 0:
					limited.Add(1)
				default:
					other.Add(1)
					t.Errorf("attempt %d: %v", i, err)
				}
			}(i)
		}
		wg.Wait()
		if int(wrong.Load()) != ruleAccountSource.free || limited.Load() != 50-int32(ruleAccountSource.free) {
			t.Fatalf("checked %d passwords (limit %d), refused %d", wrong.Load(), ruleAccountSource.free, limited.Load())
		}
		var failed int64
		st.DB(context.Background()).Table("audit_events").Where("action = ?", audit.SignInFailed).Count(&failed)
		if failed != int64(ruleAccountSource.free) {
			t.Errorf("history has %d failed sign-ins", failed)
		}
		// Even the right password waits for the delay...
		_, err := e.call("auth.signIn", "", signInJSON(anneEmail, annePass))
		if codeOf(err) != domain.CodeRateLimited || retryAfter(err) != 2 {
			t.Fatalf("right password during the delay: %v (retry after %d)", err, retryAfter(err))
		}
		// ...which is short, and a success resets the count.
		clk.Add(2 * time.Second)
		e.mustCall("auth.signIn", "", signInJSON(anneEmail, annePass))
		for i := 0; i < ruleAccountSource.free; i++ {
			if _, err := e.call("auth.signIn", "", signInJSON(anneEmail, "encore faux")); codeOf(err) != domain.CodeInvalidCredentials {
				t.Fatalf("after a success the count should restart: attempt %d: %v", i, err)
			}
		}
	})
}

// Delays grow with each failure, are bounded, and are forgotten after a quiet window.
func TestThrottleGrowingDelays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, clk, _ := secEnv(t, st)
		e.setup()
		for i := 0; i < ruleAccountSource.free; i++ {
			e.call("auth.signIn", "", signInJSON(anneEmail, "faux"))
		}
		var waits []int
		for i := 0; i < 4; i++ {
			_, err := e.call("auth.signIn", "", signInJSON(anneEmail, "faux"))
			w := retryAfter(err)
			waits = append(waits, w)
			clk.Add(time.Duration(w) * time.Second)
			if _, err := e.call("auth.signIn", "", signInJSON(anneEmail, "faux")); codeOf(err) != domain.CodeInvalidCredentials {
				t.Fatalf("after waiting %ds the attempt should be checked: %v", w, err)
			}
		}
		if fmt.Sprint(waits) != "[2 4 8 16]" {
			t.Errorf("delays %v, want [2 4 8 16]", waits)
		}
		// The same email from elsewhere is only bound by the per-account rule.
		other := domain.Device{Kind: domain.SessionBrowser, Name: "Firefox", Platform: "linux", IP: "203.0.113.9"}
		if _, err := e.reg.Invoke(context.Background(), Call{Op: "auth.signIn", Input: []byte(signInJSON(anneEmail, annePass)), Device: other}); err != nil {
			t.Fatalf("the real user from another place is locked out: %v", err)
		}
		// Unknown emails are throttled alike (nothing tells whether an account exists).
		for i := 0; i < ruleAccountSource.free; i++ {
			e.call("auth.signIn", "", signInJSON("personne@example.fr", "faux"))
		}
		if _, err := e.call("auth.signIn", "", signInJSON("personne@example.fr", "faux")); codeOf(err) != domain.CodeRateLimited {
			t.Errorf("unknown email not throttled: %v", err)
		}
		clk.Add(throttleWindow + time.Second)
		if _, err := e.call("auth.signIn", "", signInJSON("personne@example.fr", "faux")); codeOf(err) != domain.CodeInvalidCredentials {
			t.Errorf("failures should be forgotten after the window: %v", err)
		}
	})
}

// enableTwoFactor turns two-step sign-in on from the session *tok, which it
// updates to the new token the session is given.
func enableTwoFactor(t *testing.T, e *env, clk *testClock, tok *string) (secret string, codes []string) {
	t.Helper()
	enr := e.mustCall("twoFactor.begin", *tok, "").Output.(TwoFactorEnrollment)
	if !strings.HasPrefix(enr.QRCode, "data:image/png;base64,") || enr.Secret == "" || !strings.Contains(enr.URL, "otpauth://totp/") {
		t.Fatalf("enrolment %+v", enr)
	}
	res := e.mustCall("twoFactor.confirm", *tok, fmt.Sprintf(`{"code":%q}`, clk.code(enr.Secret)))
	if res.Token != "" {
		*tok = res.Token
	}
	return enr.Secret, res.Output.(RecoveryCodes).Codes
}

func TestTwoFactor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, clk, _ := secEnv(t, st)
		tok := e.setup()
		// An enrolment never confirmed changes nothing.
		enr := e.mustCall("twoFactor.begin", tok, "").Output.(TwoFactorEnrollment)
		if _, err := e.call("twoFactor.confirm", tok, `{"code":"000000"}`); fieldsOf(t, err)["code"] != domain.FieldInvalidCode {
			t.Fatalf("wrong confirmation code: %v", err)
		}
		if res := e.mustCall("auth.signIn", "", signInJSON(anneEmail, annePass)); res.Token == "" {
			t.Fatal("an unconfirmed enrolment must not ask for a code")
		}
		_ = enr
		secret, codes := enableTwoFactor(t, e, clk, &tok)
		if len(codes) != 10 {
			t.Fatalf("%d recovery codes", len(codes))
		}
		var stored []string
		st.DB(context.Background()).Table("recovery_codes").Pluck("code_hash", &stored)
		for _, h := range stored {
			for _, c := range codes {
				if strings.Contains(h, strings.ReplaceAll(c, "-", "")) {
					t.Fatal("recovery codes must be stored hashed")
				}
			}
		}
		confirmCode := clk.code(secret)

		// Sign-in now stops after the password.
		res := e.mustCall("auth.signIn", "", signInJSON(anneEmail, annePass))
		info := res.Output.(SessionInfo)
		if res.Token != "" || info.PendingTwoFactor == nil || info.Account.ID != "" {
			t.Fatalf("sign-in with 2FA must not open a session yet: %+v token %q", info, res.Token)
		}
		pending := *info.PendingTwoFactor
		// The code used to confirm the enrolment is refused (replay).
		_, err := e.call("auth.verifyTwoFactor", "", fmt.Sprintf(`{"pendingToken":%q,"code":%q}`, pending, confirmCode))
		if fieldsOf(t, err)["code"] != domain.FieldInvalidCode {
			t.Fatalf("replayed code: %v", err)
		}
		clk.Add(30 * time.Second)
		code := clk.code(secret)
		res = e.mustCall("auth.verifyTwoFactor", "", fmt.Sprintf(`{"pendingToken":%q,"code":%q}`, pending, code))
		if res.Token == "" || res.Output.(SessionInfo).Account.Email != anneEmail {
			t.Fatalf("verified sign-in: %+v", res)
		}
		// A pending token opens one session only.
		if _, err := e.call("auth.verifyTwoFactor", "", fmt.Sprintf(`{"pendingToken":%q,"code":%q}`, pending, codes[0])); fieldsOf(t, err)["pendingToken"] != domain.FieldSignInExpired {
			t.Fatalf("pending token reused: %v", err)
		}
		// The same code is refused on a new sign-in within its window.
		pending = *e.mustCall("auth.signIn", "", signInJSON(anneEmail, annePass)).Output.(SessionInfo).PendingTwoFactor
		if _, err := e.call("auth.verifyTwoFactor", "", fmt.Sprintf(`{"pendingToken":%q,"code":%q}`, pending, code)); fieldsOf(t, err)["code"] != domain.FieldInvalidCode {
			t.Fatalf("same code accepted twice: %v", err)
		}
		// A recovery code works once, typed in any case and spacing.
		typed := strings.ToUpper(strings.ReplaceAll(codes[3], "-", " "))
		if res := e.mustCall("auth.verifyTwoFactor", "", fmt.Sprintf(`{"pendingToken":%q,"code":%q}`, pending, typed)); res.Token == "" {
			t.Fatal("recovery code refused")
		}
		pending = *e.mustCall("auth.signIn", "", signInJSON(anneEmail, annePass)).Output.(SessionInfo).PendingTwoFactor
		if _, err := e.call("auth.verifyTwoFactor", "", fmt.Sprintf(`{"pendingToken":%q,"code":%q}`, pending, codes[3])); fieldsOf(t, err)["code"] != domain.FieldInvalidCode {
			t.Fatalf("recovery code used twice: %v", err)
		}
		if st := e.mustCall("twoFactor.status", tok, "").Output.(TwoFactorStatus); !st.Enabled || st.RecoveryCodesLeft != 9 {
			t.Errorf("status %+v", st)
		}
		// A pending sign-in expires.
		clk.Add(pendingSignInTTL + time.Second)
		if _, err := e.call("auth.verifyTwoFactor", "", fmt.Sprintf(`{"pendingToken":%q,"code":%q}`, pending, clk.code(secret))); fieldsOf(t, err)["pendingToken"] != domain.FieldSignInExpired {
			t.Fatalf("expired pending sign-in: %v", err)
		}
		// Wrong codes are throttled like passwords.
		pending = *e.mustCall("auth.signIn", "", signInJSON(anneEmail, annePass)).Output.(SessionInfo).PendingTwoFactor
		for i := 0; i < ruleSecondFactor.free; i++ {
			e.call("auth.verifyTwoFactor", "", fmt.Sprintf(`{"pendingToken":%q,"code":"12345%d"}`, pending, i))
		}
		if _, err := e.call("auth.verifyTwoFactor", "", fmt.Sprintf(`{"pendingToken":%q,"code":%q}`, pending, clk.code(secret))); codeOf(err) != domain.CodeRateLimited {
			t.Fatalf("second factor not throttled: %v", err)
		}
		// Disabling needs the password and a code.
		clk.Add(time.Minute)
		if _, err := e.call("twoFactor.disable", tok, fmt.Sprintf(`{"password":"faux","code":%q}`, clk.code(secret))); fieldsOf(t, err)["password"] != domain.FieldWrongPassword {
			t.Fatalf("disable with a wrong password: %v", err)
		}
		if _, err := e.call("twoFactor.disable", tok, fmt.Sprintf(`{"password":%q,"code":"000000"}`, annePass)); fieldsOf(t, err)["code"] != domain.FieldInvalidCode {
			t.Fatalf("disable with a wrong code: %v", err)
		}
		clk.Add(5 * time.Second) // the wrong code above must wait its delay
		e.mustCall("twoFactor.disable", tok, fmt.Sprintf(`{"password":%q,"code":%q}`, annePass, clk.code(secret)))
		if res := e.mustCall("auth.signIn", "", signInJSON(anneEmail, annePass)); res.Token == "" {
			t.Fatal("after disabling, the password alone signs in")
		}
		var actions []string
		st.DB(context.Background()).Table("audit_events").Where("action IN ?", []string{audit.TwoFactorEnabled, audit.TwoFactorDisabled, audit.TwoFactorFailed}).Order("seq").Pluck("action", &actions)
		if len(actions) < 4 || actions[0] != audit.TwoFactorEnabled || actions[len(actions)-1] != audit.TwoFactorDisabled {
			t.Errorf("history of 2FA: %v", actions)
		}
		var alerts []string
		st.DB(context.Background()).Table("security_alerts").Order("created_at").Pluck("kind", &alerts)
		if !strings.Contains(strings.Join(alerts, ","), AlertTwoFactorEnabled) || !strings.Contains(strings.Join(alerts, ","), AlertTwoFactorDisabled) {
			t.Errorf("security alerts %v", alerts)
		}
	})
}

func TestChangePasswordSignsOthersOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, _, _ := secEnv(t, st)
		tok := e.setup()
		other := e.mustCall("auth.signIn", "", signInJSON(anneEmail, annePass)).Token
		cases := map[string][2]string{
			`{"currentPassword":"faux","newPassword":"une toute nouvelle phrase"}`:                {"currentPassword", domain.FieldWrongPassword},
			`{"currentPassword":"un mot de passe solide","newPassword":"court"}`:                  {"newPassword", domain.FieldPasswordTooShort},
			`{"currentPassword":"un mot de passe solide","newPassword":"iloveyoubaby"}`:           {"newPassword", domain.FieldPasswordTooCommon},
			`{"currentPassword":"un mot de passe solide","newPassword":"Anne.Martin@example.fr"}`: {"newPassword", domain.FieldPasswordLikeEmail},
			`{"currentPassword":"","newPassword":"une toute nouvelle phrase"}`:                    {"currentPassword", domain.FieldRequired},
		}
		before := count(t, st, "audit_events")
		for in, want := range cases {
			if _, err := e.call("account.changePassword", tok, in); fieldsOf(t, err)[want[0]] != want[1] {
				t.Errorf("%s: %v, want %s=%s", in, err, want[0], want[1])
			}
		}
		if count(t, st, "audit_events") != before {
			t.Error("a refused change was recorded")
		}
		res := e.mustCall("account.changePassword", tok, `{"currentPassword":"un mot de passe solide","newPassword":"une toute nouvelle phrase"}`)
		out := res.Output.(ChangePasswordResult)
		if res.Token != "" {
			tok = res.Token // this session goes on with a new token
		}
		if out.SignedOut != 1 {
			t.Errorf("signed out %d sessions, want 1", out.SignedOut)
		}
		if _, err := e.call("session.current", other, ""); codeOf(err) != domain.CodeUnauthenticated {
			t.Fatalf("the other session survived the change: %v", err)
		}
		e.mustCall("session.current", tok, "")
		if _, err := e.call("auth.signIn", "", signInJSON(anneEmail, annePass)); codeOf(err) != domain.CodeInvalidCredentials {
			t.Fatalf("old password still works: %v", err)
		}
		e.mustCall("auth.signIn", "", signInJSON(anneEmail, "une toute nouvelle phrase"))
	})
}

func TestSessionsAndDevices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		browser := domain.Device{Kind: domain.SessionBrowser, Name: "Firefox", Platform: "windows", IP: "198.51.100.7"}
		res, err := e.reg.Invoke(context.Background(), Call{Op: "auth.signIn", Input: []byte(signInJSON(anneEmail, annePass)), Device: browser})
		if err != nil {
			t.Fatal(err)
		}
		list := e.mustCall("sessions.list", f.adminA, "").Output.(DeviceSessions).Sessions
		if len(list) != 2 || !list[0].Current || list[1].IP != "198.51.100.7" || list[1].Kind != domain.SessionBrowser || list[1].Platform != "windows" {
			t.Fatalf("sessions %+v", list)
		}
		// Another account's session cannot be named.
		theirs := e.mustCall("sessions.list", f.adminB, "").Output.(DeviceSessions).Sessions[0].ID
		if _, err := e.call("sessions.revoke", f.adminA, `{"id":"`+theirs+`"}`); codeOf(err) != domain.CodeNotFound {
			t.Fatalf("revoking another account's session: %v", err)
		}
		e.mustCall("session.current", f.adminB, "")
		e.mustCall("sessions.revoke", f.adminA, `{"id":"`+list[1].ID+`"}`)
		if _, err := e.call("session.current", res.Token, ""); codeOf(err) != domain.CodeUnauthenticated {
			t.Fatalf("revoked browser still signed in: %v", err)
		}
		third := e.mustCall("auth.signIn", "", signInJSON(anneEmail, annePass)).Token
		if n := e.mustCall("sessions.revokeOthers", f.adminA, "").Output.(RevokedSessions).SignedOut; n != 1 {
			t.Errorf("revokeOthers signed out %d", n)
		}
		if _, err := e.call("session.current", third, ""); codeOf(err) != domain.CodeUnauthenticated {
			t.Fatal("revokeOthers left a session")
		}
		e.mustCall("session.current", f.adminA, "")
		// The new browser raised a new-device alert; the known desktop did not.
		var kinds []string
		st.DB(context.Background()).Table("security_alerts").Where("account_id = ?", f.adminAID).Pluck("kind", &kinds)
		if strings.Count(strings.Join(kinds, ","), AlertNewDevice) != 1 {
			t.Errorf("alerts %v", kinds)
		}
	})
}

func TestNotificationPreferences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e, _, svcs := secEnv(t, st)
		tok := e.setup()
		if _, err := e.call("notifications.set", tok, `{"category":"security","enabled":false}`); fieldsOf(t, err)["category"] != domain.FieldInvalidChoice {
			t.Fatalf("security alerts turned off: %v", err)
		}
		if _, err := e.call("notifications.set", tok, `{"category":"nope","enabled":false}`); fieldsOf(t, err)["category"] != domain.FieldInvalidChoice {
			t.Fatalf("unknown category: %v", err)
		}
		prefs := e.mustCall("notifications.set", tok, `{"category":"weekly_digest","enabled":true}`).Output.(NotificationPreferences)
		e.mustCall("notifications.set", tok, `{"category":"tasks","enabled":false}`)
		// Invoices are not offered while Atrium issues none.
		if _, err := e.call("notifications.set", tok, `{"category":"invoices","enabled":false}`); fieldsOf(t, err)["category"] != domain.FieldInvalidChoice {
			t.Fatalf("a category with nothing behind it: %v", err)
		}
		got := map[string]bool{}
		for _, p := range e.mustCall("notifications.preferences", tok, "").Output.(NotificationPreferences).Categories {
			got[p.Category] = p.Enabled
		}
		if len(prefs.Categories) != 6 || !got["weekly_digest"] || got["tasks"] || !got["security"] || !got["members"] {
			t.Fatalf("preferences %v", got)
		}
		acc := e.mustCall("session.current", tok, "").Output.(SessionInfo).Account.ID
		if ok, _ := svcs.Notifications.Wants(context.Background(), acc, NotifySecurityAlert); !ok {
			t.Error("security alerts must always be wanted")
		}
	})
}

func TestOrgRequiresTwoFactor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		if info := e.mustCall("session.current", f.memberA, "").Output.(SessionInfo); info.MustEnrollTwoFactor != nil {
			t.Fatal("no policy yet")
		}
		// Requiring it of others starts with having it.
		if _, err := e.call("security.setOrgPolicy", f.adminA, `{"requireTwoFactor":true}`); fieldsOf(t, err)["requireTwoFactor"] != domain.FieldTwoFactorEnableFirst {
			t.Fatalf("an admin without 2FA required it: %v", err)
		}
		enableTwoFactor(t, e, realClock(), &f.adminA)
		e.mustCall("security.setOrgPolicy", f.adminA, `{"requireTwoFactor":true}`)
		// Enforced by the backend: the member may only manage their own account.
		if _, err := e.call("orgs.current", f.memberA, "{}"); domain.CodeOf(err) != domain.CodeTwoFactorRequired {
			t.Fatalf("a member without 2FA reached the organization: %v", err)
		}
		e.mustCall("orgs.current", f.adminA, "{}")
		if info := e.mustCall("session.current", f.memberA, "").Output.(SessionInfo); info.MustEnrollTwoFactor == nil || !*info.MustEnrollTwoFactor {
			t.Fatal("a member without 2FA must be asked to enrol")
		}
		if info := e.mustCall("session.current", f.adminB, "").Output.(SessionInfo); info.MustEnrollTwoFactor != nil {
			t.Fatal("another organization's policy leaked")
		}
		if !e.mustCall("twoFactor.status", f.memberA, "").Output.(TwoFactorStatus).RequiredByOrg {
			t.Error("status should say the organization requires it")
		}
		enableTwoFactor(t, e, realClock(), &f.memberA)
		e.mustCall("orgs.current", f.memberA, "{}")
	})
}

func TestHistoryScreen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		e.call("auth.signIn", "", signInJSON(anneEmail, "faux"))
		enableTwoFactor(t, e, realClock(), &f.adminA)
		e.mustCall("security.setOrgPolicy", f.adminA, `{"requireTwoFactor":true}`)
		q := func(person, action, from, to, search string) string {
			return fmt.Sprintf(`{"person":%q,"action":%q,"from":%q,"to":%q,"search":%q,"before":0,"limit":2}`, person, action, from, to, search)
		}
		page := e.mustCall("history.list", f.adminA, q("", "", "", "", "")).Output.(HistoryPage)
		if len(page.Entries) != 2 || page.Next == 0 || page.Timezone != "Europe/Paris" || page.Entries[0].Action != audit.OrgSecurityChanged {
			t.Fatalf("first page %+v", page)
		}
		if page.Entries[0].ActorName != "Anne Martin" || page.Entries[0].Device == "" {
			t.Errorf("entry %+v", page.Entries[0])
		}
		next := e.mustCall("history.list", f.adminA, fmt.Sprintf(`{"person":"","action":"","from":"","to":"","search":"","before":%d,"limit":50}`, page.Next)).Output.(HistoryPage)
		for _, en := range next.Entries {
			if en.Seq >= page.Next {
				t.Fatalf("paging went back: %d >= %d", en.Seq, page.Next)
			}
		}
		// Org B's entries never show in org A's history.
		all := append(page.Entries, next.Entries...)
		for _, en := range all {
			if en.ActorID == f.adminBID {
				t.Fatal("another organization's entry is visible")
			}
		}
		failed := e.mustCall("history.list", f.adminA, q("", audit.SignInFailed, "", "", "")).Output.(HistoryPage)
		for _, en := range failed.Entries {
			if en.Action != audit.SignInFailed {
				t.Fatalf("action filter: %+v", en)
			}
		}
		mine := e.mustCall("history.list", f.adminA, q(f.memberAID, "", "", "", "")).Output.(HistoryPage)
		if len(mine.Entries) == 0 || mine.Entries[0].ActorID != f.memberAID {
			t.Fatalf("person filter: %+v", mine.Entries)
		}
		today := time.Now().In(mustLoc("Europe/Paris")).Format("2006-01-02")
		if p := e.mustCall("history.list", f.adminA, q("", "", "2000-01-01", "2000-01-02", "")).Output.(HistoryPage); len(p.Entries) != 0 {
			t.Errorf("date filter let through %d entries", len(p.Entries))
		}
		if p := e.mustCall("history.list", f.adminA, q("", "", today, today, "")).Output.(HistoryPage); len(p.Entries) != 2 {
			t.Errorf("today's entries: %d", len(p.Entries))
		}
		if p := e.mustCall("history.list", f.adminA, q("", "", "", "", "requireTwoFactor")).Output.(HistoryPage); len(p.Entries) != 1 {
			t.Errorf("search: %d entries", len(p.Entries))
		}
		before := count(t, st, "audit_events")
		if _, err := e.call("history.list", f.adminA, q("", "", "2026-05-02", "2026-05-01", "")); fieldsOf(t, err)["to"] != domain.FieldDateRange {
			t.Errorf("impossible range: %v", err)
		}
		if _, err := e.call("history.list", f.adminA, q("", "", "2026-02-30", "", "")); fieldsOf(t, err)["from"] != domain.FieldInvalidDate {
			t.Errorf("impossible date: %v", err)
		}
		if count(t, st, "audit_events") != before {
			t.Error("a refused query was recorded")
		}
		csv := e.mustCall("history.export", f.adminA, `{}`).Output.(ExportFile)
		if !strings.HasPrefix(csv.Content, "\ufeff"+strings.Join(audit.ExportHeader("fr"), ";")+"\r\n") || !strings.Contains(csv.Content, audit.OrgSecurityChanged) || strings.Contains(csv.Content, "bruno.durand") {
			t.Fatalf("csv %q", csv.Content)
		}
		clk := realClock()
		e.clock.set(clk.Now)
		verify := func(input string) (HistoryVerification, error) {
			t.Helper()
			clk.Add(time.Minute) // past the wait between two checks
			res, err := e.call("history.verify", f.adminA, input)
			if err != nil {
				return HistoryVerification{}, err
			}
			return res.Output.(HistoryVerification), nil
		}
		if v, err := verify(`{}`); err != nil || !v.OK || v.Checked == 0 {
			t.Fatalf("verify %+v %v", v, err)
		}
		headFile := e.mustCall("history.exportHead", f.adminA, `{}`).Output.(ExportFile)
		if !strings.Contains(headFile.Content, `"mac"`) || !strings.Contains(headFile.Content, f.orgA) {
			t.Fatalf("exported head %s", headFile.Content)
		}
		if v, err := verify(`{"head":` + headFile.Content + `}`); err != nil || !v.OK {
			t.Fatalf("verify with the head just exported: %+v %v", v, err)
		}
		forged := strings.Replace(headFile.Content, `"seq": `, `"seq": 1`, 1)
		if _, err := verify(`{"head":` + forged + `}`); fieldsOf(t, err)["head"] != domain.FieldInvalidHead {
			t.Fatalf("an edited head file was trusted: %v", err)
		}
		// Tamper with an entry: verify names it by its number in the
		// organization's history.
		storetest.DropHistoryGuards(t, st)
		db := st.DB(context.Background())
		db.Exec("UPDATE audit_events SET details = '{\"x\":1}' WHERE seq = 3")
		var number int64
		db.Table("audit_events").Where("org_id = ? AND seq <= 3", f.orgA).Count(&number)
		if v, err := verify(`{}`); err != nil || v.OK || v.BrokenSeq != number || v.Problem != audit.ProblemAltered || v.BrokenAt == nil {
			t.Fatalf("tampering not found: %+v %v", v, err)
		}
		// Cut the tail and rewrite the head row to match: the head is keyed,
		// so this is found without the exported head.
		var last audit.Event
		db.Where("seq = 2").Take(&last)
		db.Exec("DELETE FROM audit_events WHERE seq > 2")
		db.Exec("UPDATE audit_head SET seq = 2, hash = ? WHERE id = 1", last.Hash)
		if v, err := verify(`{}`); err != nil || v.OK {
			t.Fatalf("cut tail with a rewritten head row: %+v %v", v, err)
		}
		// My own history lists my own account-level actions.
		e.mustCall("account.setLanguage", f.memberA, `{"language":"en"}`)
		own := e.mustCall("history.mine", f.memberA, `{"before":0,"limit":20}`).Output.(HistoryPage)
		if len(own.Entries) == 0 || own.Entries[0].Action != audit.LanguageChanged {
			t.Fatalf("own history %+v", own.Entries)
		}
	})
}

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}
