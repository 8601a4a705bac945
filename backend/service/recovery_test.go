package service

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// A11, C5: the answer never tells whether an address has an account; the
// link is single-use, valid 1 hour, and ends every session; codes are
// throttled; an admin sends instructions but never chooses the password.
func TestPasswordReset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newMailEnv(t, st, true)
		admin := e.setup()
		other := e.mustCall("auth.signIn", "", `{"email":"anne.martin@example.fr","password":"un mot de passe solide"}`).Token

		unknown, errU := e.call("auth.forgotPassword", "", `{"email":"personne@example.fr"}`)
		known, errK := e.call("auth.forgotPassword", "", `{"email":"Anne.Martin@example.fr"}`)
		if errU != nil || errK != nil || fmt.Sprint(unknown) != fmt.Sprint(known) {
			t.Fatalf("answers differ: %v/%v %v/%v", unknown, errU, known, errK)
		}
		_, err := e.call("auth.forgotPassword", "", `{"email":"pas une adresse"}`)
		wantField(t, err, "email", "invalid_email")
		msg := e.lastTo("anne.martin@example.fr", "Réinitialisation")
		if len(e.mp.To("personne@example.fr")) != 0 {
			t.Fatal("a message went to an unknown address")
		}
		tok := tokenOf(t, msg.Link())
		if !strings.HasPrefix(msg.Link(), consoleURL+"/#/reset-password?token=") {
			t.Fatalf("link %q", msg.Link())
		}
		_, err = e.call("auth.resetPassword", "", fmt.Sprintf(`{"token":%q,"password":"court"}`, tok))
		wantField(t, err, "password", "password_too_short")
		e.mustCall("auth.resetPassword", "", fmt.Sprintf(`{"token":%q,"password":"un nouveau mot de passe sûr"}`, tok))
		for _, tk := range []string{admin, other} {
			if _, err := e.call("session.current", tk, ""); domain.CodeOf(err) != domain.CodeUnauthenticated {
				t.Fatalf("a session survived the reset: %v", err)
			}
		}
		_, err = e.call("auth.resetPassword", "", fmt.Sprintf(`{"token":%q,"password":"encore un autre mot de passe"}`, tok))
		wantField(t, err, "token", "link_used")
		admin = e.mustCall("auth.signIn", "", `{"email":"anne.martin@example.fr","password":"un nouveau mot de passe sûr"}`).Token

		// With the code, after an hour: expired.
		e.mustCall("auth.forgotPassword", "", `{"email":"anne.martin@example.fr"}`)
		msg2 := e.lastTo("anne.martin@example.fr", "Réinitialisation")
		if msg2.ID == msg.ID || msg2.Code() == "" {
			t.Fatalf("second reset message %+v", msg2)
		}
		e.clock.set(func() time.Time { return time.Now().Add(61 * time.Minute) })
		_, err = e.call("auth.resetPassword", "", fmt.Sprintf(`{"email":"anne.martin@example.fr","code":%q,"password":"un nouveau mot de passe 2"}`, msg2.Code()))
		wantField(t, err, "code", "link_expired")
		e.clock.set(nil)
		st.DB(context.Background()).Exec("DELETE FROM auth_throttle") // written an hour ahead by the moved clock
		_, err = e.call("auth.resetPassword", "", fmt.Sprintf(`{"email":"autre@example.fr","code":%q,"password":"un nouveau mot de passe 2"}`, msg2.Code()))
		wantField(t, err, "code", "link_invalid")
		e.mustCall("auth.resetPassword", "", fmt.Sprintf(`{"email":"anne.martin@example.fr","code":%q,"password":"un nouveau mot de passe 2"}`, msg2.Code()))

		// Codes are throttled.
		var last error
		for range 12 {
			_, last = e.call("auth.resetPassword", "", `{"email":"anne.martin@example.fr","code":"AAAAA-AAAAA","password":"un nouveau mot de passe 3"}`)
			if domain.CodeOf(last) == domain.CodeRateLimited {
				break
			}
		}
		if domain.CodeOf(last) != domain.CodeRateLimited {
			t.Fatalf("code guesses not throttled: %v", last)
		}

		// An admin sends the instructions to a member.
		admin = e.mustCall("auth.signIn", "", `{"email":"anne.martin@example.fr","password":"un nouveau mot de passe 2"}`).Token
		orgID, _ := orgOfSession(st, admin)
		_, _ = addAccount(t, e.env, "claire.petit@example.fr", orgID, false)
		page := e.mustCall("members.list", admin, `{"query":"claire"}`).Output.(MemberPage)
		e.mustCall("members.sendPasswordReset", admin, fmt.Sprintf(`{"memberId":%q}`, page.Items[0].ID))
		if m := e.lastTo("claire.petit@example.fr", "Réinitialisation"); m.Link() == "" {
			t.Fatal("no link for the member")
		}
		if auditCount(t, st, "password.reset") != 2 || auditCount(t, st, "password.reset_requested") != 3 {
			t.Error("history incomplete")
		}
		noSecretInChangeLog(t, st)
	})
}

// A2: the change happens only once the new address confirms; the old one is told.
func TestEmailChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newMailEnv(t, st, true)
		admin := e.setup()
		_, err := e.call("account.requestEmailChange", admin, `{"newEmail":"anne@nouveau.fr","password":"faux mot de passe"}`)
		wantField(t, err, "password", "wrong_password")
		_, err = e.call("account.requestEmailChange", admin, `{"newEmail":"anne.martin@example.fr","password":"un mot de passe solide"}`)
		wantField(t, err, "newEmail", "same_email")
		_, err = e.call("account.requestEmailChange", admin, `{"newEmail":"nope","password":"un mot de passe solide"}`)
		wantField(t, err, "newEmail", "invalid_email")
		e.mustCall("account.requestEmailChange", admin, `{"newEmail":"Anne@Nouveau.fr","password":"un mot de passe solide"}`)
		msg := e.lastTo("anne@nouveau.fr", "Confirmez")
		if cur := e.mustCall("session.current", admin, "").Output.(SessionInfo); cur.Account.Email != "anne.martin@example.fr" {
			t.Fatal("the address changed before confirmation")
		}
		tok := tokenOf(t, msg.Link())
		_, err = e.call("account.confirmEmailChange", "", `{"token":"forged"}`)
		wantField(t, err, "token", "link_invalid")
		out := e.mustCall("account.confirmEmailChange", "", fmt.Sprintf(`{"token":%q}`, tok)).Output.(EmailChanged)
		if out.Email != "anne@nouveau.fr" {
			t.Fatalf("confirmed %+v", out)
		}
		if cur := e.mustCall("session.current", admin, "").Output.(SessionInfo); cur.Account.Email != "anne@nouveau.fr" {
			t.Fatal("the address did not change")
		}
		told := e.lastTo("anne.martin@example.fr", "a changé")
		if !strings.Contains(told.Text, "anne@nouveau.fr") {
			t.Fatalf("old address message %q", told.Text)
		}
		_, err = e.call("account.confirmEmailChange", "", fmt.Sprintf(`{"token":%q}`, tok))
		wantField(t, err, "token", "link_used")
		e.mustCall("auth.signIn", "", `{"email":"anne@nouveau.fr","password":"un mot de passe solide"}`)
		noSecretInChangeLog(t, st)
	})
}
