package service

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// Without a mail server, sending and sending again answer that the message
// waits in the outbox, so the console never says it left.
func TestInvitationWithoutMailServerWaits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newMailEnv(t, st, false)
		admin := e.setup()
		inv := e.mustCall("invitations.create", admin, `{"email":"lea.roux@example.fr"}`).Output.(InvitationItem)
		if !inv.MailWaits {
			t.Error("an invitation sent without a mail server is not said to wait")
		}
		again := e.mustCall("invitations.resend", admin, fmt.Sprintf(`{"invitationId":%q}`, inv.ID)).Output.(InvitationItem)
		if !again.MailWaits {
			t.Error("an invitation sent again without a mail server is not said to wait")
		}
		if list := e.mustCall("invitations.list", admin, `{}`).Output.(InvitationList); len(list.Items) != 1 || list.Items[0].MailWaits {
			t.Errorf("the pending list carries the answer's flag: %+v", list.Items)
		}
	})
}

// C2-C4: invite, resend (the first link dies), accept with a new account,
// join with an existing one; bad addresses, reused, forged and expired links.
func TestInvitationJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newMailEnv(t, st, true)
		admin := e.setup()
		ctx := context.Background()

		_, err := e.call("invitations.create", admin, `{"email":"pas-une-adresse"}`)
		wantField(t, err, "email", "invalid_email")
		_, err = e.call("invitations.create", admin, `{"email":"Anne.Martin@example.fr"}`)
		wantField(t, err, "email", "already_member")

		roles := e.mustCall("roles.list", admin, `{}`).Output
		_ = roles
		var role domain.Role
		st.DB(ctx).Where("is_admin = ?", false).Take(&role)
		in := `{"email":"Lea.Roux@example.fr","firstName":"Léa","lastName":"Roux","jobTitle":"Comptable","employeeRef":"E-7","rights":["tasks.view"]}`
		inv := e.mustCall("invitations.create", admin, in).Output.(InvitationItem)
		if inv.MailWaits {
			t.Error("with a mail server set, the invitation is said to wait in the outbox")
		}
		_, err = e.call("invitations.create", admin, in)
		wantField(t, err, "email", "already_invited")
		list := e.mustCall("invitations.list", admin, `{}`).Output.(InvitationList)
		if len(list.Items) != 1 || list.Items[0].InvitedBy != "Anne Martin" || list.Items[0].Email != "lea.roux@example.fr" {
			t.Fatalf("pending list %+v", list)
		}
		if d := list.Items[0].ExpiresAt.Sub(list.Items[0].SentAt); d != 7*24*time.Hour {
			t.Fatalf("valid for %v", d)
		}
		first := e.deliver(1)[0]
		if first.To[0] != "lea.roux@example.fr" || !strings.Contains(first.Subject, "Cabinet Martin") || first.Code() == "" {
			t.Fatalf("invitation mail %+v", first)
		}
		tok1 := tokenOf(t, first.Link())

		// Resend: a new link; the first one fails.
		e.mustCall("invitations.resend", admin, fmt.Sprintf(`{"invitationId":%q}`, inv.ID))
		msgs := e.deliver(2)
		tok2 := tokenOf(t, msgs[1].Link())
		_, err = e.call("invitations.lookup", "", fmt.Sprintf(`{"token":%q}`, tok1))
		wantField(t, err, "token", "link_used")
		_, err = e.call("invitations.lookup", "", fmt.Sprintf(`{"code":%q}`, first.Code()))
		wantField(t, err, "code", "link_used")
		_, err = e.call("invitations.lookup", "", `{"token":"forged-token-forged-token-forged-token-123"}`)
		wantField(t, err, "token", "link_invalid")
		view := e.mustCall("invitations.lookup", "", fmt.Sprintf(`{"token":%q}`, tok2)).Output.(InvitationView)
		if view.FirstName != "Léa" {
			t.Fatalf("view %+v", view)
		}

		// Accept: a new account, signed in, in the organization, with the rights given.
		_, err = e.call("invitations.accept", "", fmt.Sprintf(`{"token":%q,"title":"mme","mobilePhone":"06 12 34 56 78","password":"court"}`, tok2))
		wantField(t, err, "password", "password_too_short")
		res := e.mustCall("invitations.accept", "", fmt.Sprintf(`{"token":%q,"title":"mme","mobilePhone":"06 12 34 56 78","password":"un mot de passe solide"}`, tok2))
		info := res.Output.(SessionInfo)
		if res.Token == "" || info.Organization.Name != "Cabinet Martin" || info.Account.FirstName != "Léa" || len(info.Rights) != 1 {
			t.Fatalf("accepted: %+v", info)
		}
		signIn := e.mustCall("auth.signIn", "", `{"email":"lea.roux@example.fr","password":"un mot de passe solide"}`).Output.(SessionInfo)
		if signIn.Organization.Name != "Cabinet Martin" {
			t.Fatalf("the invitee lands in %+v", signIn.Organization)
		}
		var m store.MemberRecord
		st.DB(ctx).Where("account_id = ?", info.Account.ID).Take(&m)
		if m.Status != domain.MemberActive || m.JobTitle != "Comptable" || m.EmployeeRef != "E-7" {
			t.Fatalf("membership %+v", m)
		}
		_, err = e.call("invitations.accept", "", fmt.Sprintf(`{"token":%q,"title":"mme","password":"un mot de passe solide"}`, tok2))
		wantField(t, err, "token", "link_used")
		if l := e.mustCall("invitations.list", admin, `{}`).Output.(InvitationList); len(l.Items) != 0 {
			t.Fatalf("accepted invitation still pending")
		}
		_, err = e.call("invitations.create", admin, `{"email":"lea.roux@example.fr"}`)
		wantField(t, err, "email", "already_member")

		// An existing account (another organization's admin) joins after signing in.
		_, bruno := addAccount(t, e.env, "bruno.durand@example.fr", "", true)
		e.mustCall("invitations.create", admin, `{"email":"bruno.durand@example.fr"}`)
		tok3 := tokenOf(t, e.lastTo("bruno.durand@example.fr", "vous invite").Link())
		_, err = e.call("invitations.accept", "", fmt.Sprintf(`{"token":%q,"title":"m","firstName":"Bruno","lastName":"Durand","password":"un mot de passe solide"}`, tok3))
		wantField(t, err, "token", "account_exists")
		_, err = e.call("invitations.join", res.Token, fmt.Sprintf(`{"token":%q}`, tok3))
		wantField(t, err, "token", "invitation_other_account")
		joined := e.mustCall("invitations.join", bruno, fmt.Sprintf(`{"token":%q}`, tok3)).Output.(SessionInfo)
		if joined.Organization.Name != "Cabinet Martin" {
			t.Fatalf("joined %+v", joined.Organization)
		}

		// Expiry, revoke.
		e.mustCall("invitations.create", admin, `{"email":"old@example.fr"}`)
		tokOld := tokenOf(t, e.lastTo("old@example.fr", "vous invite").Link())
		e.clock.set(func() time.Time { return time.Now().Add(7*24*time.Hour + time.Minute) })
		_, err = e.call("invitations.lookup", "", fmt.Sprintf(`{"token":%q}`, tokOld))
		wantField(t, err, "token", "link_expired")
		if l := e.mustCall("invitations.list", admin, `{}`).Output.(InvitationList); len(l.Items) != 1 || !l.Items[0].Expired {
			t.Fatalf("expired invitation %+v", l)
		}
		e.clock.set(nil)
		e.mustCall("invitations.revoke", admin, fmt.Sprintf(`{"invitationId":%q}`, e.mustCall("invitations.list", admin, `{}`).Output.(InvitationList).Items[0].ID))
		if l := e.mustCall("invitations.list", admin, `{}`).Output.(InvitationList); len(l.Items) != 0 {
			t.Fatal("revoked invitation listed")
		}
		// Its link and its code now say it was withdrawn, not that it served.
		_, err = e.call("invitations.lookup", "", fmt.Sprintf(`{"token":%q}`, tokOld))
		wantField(t, err, "token", "link_revoked")
		_, err = e.call("invitations.lookup", "", fmt.Sprintf(`{"code":%q}`, e.lastTo("old@example.fr", "vous invite").Code()))
		wantField(t, err, "code", "link_revoked")
		if auditCount(t, st, "invitation.accepted") != 2 || auditCount(t, st, "invitation.resent") != 1 || auditCount(t, st, "invitation.revoked") != 1 {
			t.Error("history incomplete")
		}
		noSecretInChangeLog(t, st)
	})
}

// Giving roles or rights with an invitation needs rights.edit.
func TestInvitationRightsNeedRightsEdit(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	m := f.memberOf(f.memberAID)
	if _, err := f.env.st.SetDirectRight(ctx, f.orgA, m, domain.RightMembersInvite, true); err != nil {
		t.Fatal(err)
	}
	_, err := f.env.call("invitations.create", f.memberA, `{"email":"x@example.fr","rights":["org.edit"]}`)
	if domain.CodeOf(err) != domain.CodeForbidden {
		t.Fatalf("inviter without rights.edit gave rights: %v", err)
	}
	f.env.mustCall("invitations.create", f.memberA, `{"email":"x@example.fr"}`)
}

// A closed organization takes no member through an invitation sent while it
// was open: the page says so, and neither path (new account, existing one)
// gets in; once reopened, the same link works.
func TestClosedOrganizationTakesNoMember(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		lea := f.invitationLink("lea.roux@example.fr")
		bruno := f.invitationLink("bruno.durand@example.fr")
		e.mustCall("orgs.close", f.adminA, `{}`)
		before := snapshot(t, st)
		accept := fmt.Sprintf(`{"token":%q,"firstName":"Léa","lastName":"Roux","password":"un mot de passe solide"}`, lea)
		for _, c := range []struct{ op, token, in string }{
			{"invitations.lookup", "", fmt.Sprintf(`{"token":%q}`, lea)},
			{"invitations.accept", "", accept},
			{"invitations.join", f.adminB, fmt.Sprintf(`{"token":%q}`, bruno)},
		} {
			if _, err := e.call(c.op, c.token, c.in); domain.CodeOf(err) != domain.CodeOrgClosed {
				t.Errorf("%s on a closed organization: %v", c.op, err)
			}
		}
		if snapshot(t, st) != before {
			t.Fatal("a closed organization was written into")
		}
		e.mustCall("orgs.reopen", f.adminA, `{}`)
		if info := e.mustCall("invitations.accept", "", accept).Output.(SessionInfo); info.Organization.ID != f.orgA {
			t.Errorf("accepted into %+v", info.Organization)
		}
		if info := e.mustCall("invitations.join", f.adminB, fmt.Sprintf(`{"token":%q}`, bruno)).Output.(SessionInfo); info.Organization.ID != f.orgA {
			t.Errorf("joined %+v", info.Organization)
		}
	})
}

// The public invitation page does not tell whether the invited address has
// an account: the lookup answers alike, and "create an account" gives the
// same errors for a form that is not complete and valid. Only a complete,
// valid form, after the same password work, is sent to sign in instead, and
// the existing account, the link and the organization are left as they were.
func TestInvitationDoesNotTellWhoHasAnAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		known := f.invitationLink("bruno.durand@example.fr") // adminB's address
		unknown := f.invitationLink("lea.roux@example.fr")
		keys := func(token string) string {
			out := e.mustCall("invitations.lookup", "", fmt.Sprintf(`{"token":%q}`, token)).Output
			b, _ := json.Marshal(out)
			m := map[string]any{}
			json.Unmarshal(b, &m)
			var k []string
			for name := range m {
				k = append(k, name)
			}
			sort.Strings(k)
			return strings.Join(k, ",")
		}
		if a, b := keys(known), keys(unknown); a != b || strings.Contains(a, "hasAccount") {
			t.Errorf("lookup answers %s for an address with an account and %s without", a, b)
		}
		before := snapshot(t, st)
		for _, form := range []string{`"password":"court"`, `"firstName":"Bruno","lastName":"","password":"un mot de passe solide"`,
			`"firstName":"Bruno","lastName":"Durand","mobilePhone":"12","password":"un mot de passe solide"`} {
			_, errKnown := e.call("invitations.accept", "", fmt.Sprintf(`{"token":%q,%s}`, known, form))
			_, errUnknown := e.call("invitations.accept", "", fmt.Sprintf(`{"token":%q,%s}`, unknown, form))
			if errKnown == nil || errUnknown == nil || errKnown.Error() != errUnknown.Error() {
				t.Errorf("form {%s}: %v with an account, %v without", form, errKnown, errUnknown)
			}
		}
		_, err := e.call("invitations.accept", "", fmt.Sprintf(`{"token":%q,"firstName":"Bruno","lastName":"Durand","password":"un autre mot de passe"}`, known))
		wantField(t, err, "token", "account_exists")
		if snapshot(t, st) != before {
			t.Fatal("a refused acceptance changed the database")
		}
		if info := e.mustCall("invitations.join", f.adminB, fmt.Sprintf(`{"token":%q}`, known)).Output.(SessionInfo); info.Organization.ID != f.orgA {
			t.Errorf("joined %+v", info.Organization)
		}
	})
}
