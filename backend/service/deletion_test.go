package service

import (
	"context"
	"fmt"
	"testing"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// A9: deleting one's account needs the mailed 6-digit code, and is refused
// while the account is an organization's last admin.
func TestDeleteAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newMailEnv(t, st, true)
		admin := e.setup()
		_, err := e.call("account.requestDeletion", admin, `{}`)
		wantField(t, err, "account", "last_admin")

		orgID, _ := orgOfSession(st, admin)
		claireID, claire := addAccount(t, e.env, "claire.petit@example.fr", orgID, false)
		ch := e.mustCall("account.requestDeletion", claire, `{}`).Output.(DeletionChallenge)
		if ch.Method != "email" || ch.SentTo != "claire.petit@example.fr" {
			t.Fatalf("challenge %+v", ch)
		}
		code := e.lastTo("claire.petit@example.fr", "suppression de votre compte").Code()
		if len(code) != 6 {
			t.Fatalf("code %q", code)
		}
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		_, err = e.call("account.delete", claire, fmt.Sprintf(`{"code":%q}`, wrong))
		wantField(t, err, "code", "invalid_code")
		res := e.mustCall("account.delete", claire, fmt.Sprintf(`{"code":%q}`, code))
		if !res.EndsSession {
			t.Error("deletion should end the session")
		}
		if _, err := st.AccountByID(context.Background(), claireID); domain.CodeOf(err) != domain.CodeNotFound {
			t.Fatalf("account still there: %v", err)
		}
		if _, err := e.call("session.current", claire, ""); domain.CodeOf(err) != domain.CodeUnauthenticated {
			t.Fatal("session of a deleted account still works")
		}
		if auditCount(t, st, "account.deleted") != 1 {
			t.Error("not in the history")
		}
	})
}

// B6: deleting an organization removes its memberships, company data,
// tasks, roles and rights; it is recorded; without mail the password confirms.
func TestDeleteOrganization(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := newMailEnv(t, st, true)
		admin := e.setup()
		orgID, _ := orgOfSession(st, admin)
		addAccount(t, e.env, "claire.petit@example.fr", orgID, false)
		e.mustCall("tasks.create", admin, `{"title":"Relancer le client"}`)
		e.mustCall("roles.create", admin, `{"name":"Comptable","rights":["invoices.view"]}`)
		e.mustCall("invitations.create", admin, `{"email":"lea@example.fr"}`)
		_, err := e.call("orgs.delete", admin, `{"code":"123456"}`)
		wantField(t, err, "code", "invalid_code")
		e.mustCall("orgs.requestDeletion", admin, `{}`)
		code := e.lastTo("anne.martin@example.fr", "suppression de l'organisation").Code()
		out := e.mustCall("orgs.delete", admin, fmt.Sprintf(`{"code":%q}`, code)).Output.(OrgDeleted)
		if out.Name != "Cabinet Martin" {
			t.Fatalf("deleted %+v", out)
		}
		for _, table := range []string{"organizations", "memberships", "roles", "role_rights", "membership_roles", "tasks", "invitations"} {
			var n int64
			st.DB(ctx).Table(table).Count(&n)
			if n != 0 {
				t.Errorf("%s keeps %d rows", table, n)
			}
		}
		if auditCount(t, st, "org.deleted") != 1 {
			t.Error("not in the history")
		}
		if cur := e.mustCall("session.current", admin, "").Output.(SessionInfo); cur.Organization.ID != "" {
			t.Fatalf("session still in the deleted organization: %+v", cur.Organization)
		}

		// No mail configured: the password (and the second factor if on) confirms.
		f := newFixture(t, freshStore(t, st))
		ch := f.env.mustCall("orgs.requestDeletion", f.adminA, `{}`).Output.(DeletionChallenge)
		if ch.Method != "password" || ch.TwoFactor {
			t.Fatalf("challenge %+v", ch)
		}
		_, err = f.env.call("orgs.delete", f.adminA, `{"password":"faux"}`)
		wantField(t, err, "password", "wrong_password")
		f.env.mustCall("orgs.delete", f.adminA, `{"password":"un mot de passe solide"}`)
	})
}
