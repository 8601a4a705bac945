package service

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"atrium/backend/mail"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// messagesTo lists the subjects of the messages of a kind written to an account.
func messagesTo(t *testing.T, st *store.Store, accountID, kind string) []store.OutboxMessage {
	t.Helper()
	var out []store.OutboxMessage
	if err := st.DB(context.Background()).Where("account_id = ? AND kind = ?", accountID, kind).Order("created_at, id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// Each category of the Notifications tab sends what it says, to whom it
// says, in the recipient's language, and only while the recipient wants it;
// nobody is told of what they did themselves.
func TestNotificationsAreSent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		// Without a way to send mail, nothing is written for anyone.
		claire := f.memberOf(f.memberAID)
		e.mustCall("members.setRight", f.adminA, fmt.Sprintf(`{"memberId":%q,"right":"tasks.view","granted":true}`, claire))
		e.mustCall("tasks.create", f.adminA, fmt.Sprintf(`{"title":"Relevés bancaires","assigneeId":%q}`, f.memberAID))
		if n := count(t, st, "outbox"); n != 0 {
			t.Fatalf("without SMTP, %d notices were written", n)
		}
		f.withMail()

		// A task given to Claire tells her, in French, with its dossier and date.
		e.mustCall("tasks.create", f.adminA, fmt.Sprintf(`{"title":"Déclaration de TVA","dueDate":"2026-12-15","assigneeId":%q}`, f.memberAID))
		got := messagesTo(t, st, f.memberAID, mail.KindTaskAssigned)
		if len(got) != 1 || got[0].Subject != "Nouvelle tâche pour vous dans Cabinet Martin : Déclaration de TVA" ||
			!strings.Contains(got[0].TextBody, "Anne Martin vous a confié la tâche « Déclaration de TVA » dans l'organisation Cabinet Martin, à faire pour le 15/12/2026.") {
			t.Fatalf("task notice: %+v", got)
		}
		// Handed to her by an update too; not when Anne takes one herself.
		other := e.mustCall("tasks.create", f.adminA, `{"title":"Liasse fiscale"}`).Output.(Task)
		e.mustCall("tasks.update", f.adminA, fmt.Sprintf(`{"id":%q,"title":"Liasse fiscale","assigneeId":%q}`, other.ID, f.memberAID))
		e.mustCall("tasks.create", f.adminA, fmt.Sprintf(`{"title":"Bilan","assigneeId":%q}`, f.adminAID))
		if n := len(messagesTo(t, st, f.memberAID, mail.KindTaskAssigned)); n != 2 {
			t.Fatalf("Claire has %d task notices, want 2", n)
		}
		if n := len(messagesTo(t, st, f.adminAID, mail.KindTaskAssigned)); n != 0 {
			t.Fatalf("Anne was told of the task she took herself")
		}
		// Switched off, not sent.
		e.mustCall("notifications.set", f.memberA, `{"category":"tasks","enabled":false}`)
		e.mustCall("tasks.create", f.adminA, fmt.Sprintf(`{"title":"Paie","assigneeId":%q}`, f.memberAID))
		if n := len(messagesTo(t, st, f.memberAID, mail.KindTaskAssigned)); n != 2 {
			t.Fatalf("a switched-off category was sent (%d)", n)
		}

		// Her access suspended and restored: told to her, with the organization and whom to ask.
		if err := st.DB(context.Background()).Exec("UPDATE accounts SET language = 'en' WHERE id = ?", f.memberAID).Error; err != nil {
			t.Fatal(err)
		}
		e.mustCall("members.disable", f.adminA, fmt.Sprintf(`{"memberId":%q}`, claire))
		e.mustCall("members.enable", f.adminA, fmt.Sprintf(`{"memberId":%q}`, claire))
		if s := messagesTo(t, st, f.memberAID, mail.KindAccessSuspended); len(s) != 1 || s[0].Subject != "Your access to Cabinet Martin is suspended" ||
			!strings.Contains(s[0].TextBody, "ask Anne Martin or another administrator of Cabinet Martin") {
			t.Fatalf("suspension notice: %+v", s)
		}
		if r := messagesTo(t, st, f.memberAID, mail.KindAccessRestored); len(r) != 1 {
			t.Fatalf("restored notices: %d", len(r))
		}

		// Claire made admin: from then on she hears of rights changes and arrivals.
		e.mustCall("members.setRoles", f.adminA, fmt.Sprintf(`{"memberId":%q,"roleIds":[%q]}`, claire, adminRoleID(t, e, f.adminA)))
		token := f.invitationLink("lea.roux@example.fr")
		e.mustCall("invitations.accept", "", jsonOf(AcceptInvitationInput{Token: token, FirstName: "Léa", LastName: "Roux", Password: "un mot de passe pour Léa"}))
		for _, admin := range []string{f.adminAID, f.memberAID} {
			if j := messagesTo(t, st, admin, mail.KindMemberJoined); len(j) != 1 || !strings.Contains(j[0].Subject, "Léa Roux") {
				t.Fatalf("arrival notice to %s: %+v", admin, j)
			}
		}
		lea := ""
		st.DB(context.Background()).Model(&store.MemberRecord{}).Joins("JOIN accounts a ON a.id = memberships.account_id").
			Where("a.email = ?", "lea.roux@example.fr").Pluck("memberships.id", &lea)
		e.mustCall("members.setRight", f.adminA, fmt.Sprintf(`{"memberId":%q,"right":"tasks.view","granted":true}`, lea))
		if r := messagesTo(t, st, f.memberAID, mail.KindRightsChanged); len(r) != 2 || r[1].Subject != "Rights changed in Cabinet Martin: Léa Roux" {
			t.Fatalf("rights notices to Claire: %+v", r)
		}
		if r := messagesTo(t, st, f.adminAID, mail.KindRightsChanged); len(r) != 0 {
			t.Fatalf("Anne was told of the rights she changed herself")
		}
		// Nothing of A reaches B's admin.
		if n := count(t, st, "outbox WHERE account_id = '"+f.adminBID+"'"); n != 0 {
			t.Fatalf("B's admin got %d messages about A", n)
		}
	})
}

// The weekly digest is written on Monday from 07:00 in the account's
// timezone, once a week however often the programs look, only to those who
// switched it on.
func TestWeeklyDigestOncePerWeek(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		f.withMail()
		svcs := e.reg.svc
		paris, _ := time.LoadLocation("Europe/Paris")
		at := func(s string) {
			tm, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
			if err != nil {
				t.Fatal(err)
			}
			e.clock.set(func() time.Time { return tm })
		}
		e.mustCall("tasks.create", f.adminA, fmt.Sprintf(`{"title":"Déclaration de TVA","dueDate":"2026-12-03","assigneeId":%q}`, f.adminAID))
		send := func() int {
			n, err := svcs.SendWeeklyDigests(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		at("2026-12-07 09:00")
		if n := send(); n != 0 {
			t.Fatalf("%d digests to nobody who asked", n)
		}
		e.mustCall("notifications.set", f.adminA, `{"category":"weekly_digest","enabled":true}`)
		at("2026-12-07 06:30") // Monday, before seven
		if n := send(); n != 0 {
			t.Fatalf("%d digests before Monday 07:00", n)
		}
		at("2026-12-07 07:05")
		if n := send(); n != 1 {
			t.Fatalf("%d digests on Monday morning, want 1", n)
		}
		at("2026-12-09 15:00")
		if n := send(); n != 0 {
			t.Fatalf("%d more digests in the same week", n)
		}
		d := messagesTo(t, st, f.adminAID, mail.KindWeeklyDigest)
		if len(d) != 1 || !strings.Contains(d[0].TextBody, "• Cabinet Martin : 1 tâche en retard") {
			t.Fatalf("digest: %+v", d)
		}
		at("2026-12-14 07:00")
		if n := send(); n != 1 {
			t.Fatalf("%d digests the next Monday, want 1", n)
		}
	})
}

// The weekly digest reaches the mail server as every notice does: on Monday
// morning, to those who asked for it, and to nobody else.
func TestWeeklyDigestIsMailed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newMailEnv(t, st, true)
		admin := e.setup()
		orgID, _ := orgOfSession(st, admin)
		_, claire := addAccount(t, e.env, "claire.petit@example.fr", orgID, false)
		anne := e.mustCall("session.current", admin, `{}`).Output.(SessionInfo).Account.ID
		e.mustCall("tasks.create", admin, fmt.Sprintf(`{"title":"Déclaration de TVA","dueDate":"2026-12-03","assigneeId":%q}`, anne))
		e.mustCall("notifications.set", admin, `{"category":"weekly_digest","enabled":true}`)
		e.mustCall("notifications.set", claire, `{"category":"weekly_digest","enabled":false}`)
		paris, _ := time.LoadLocation("Europe/Paris")
		monday := time.Date(2026, 12, 7, 7, 5, 0, 0, paris)
		e.clock.set(func() time.Time { return monday })
		if n, err := e.svc.SendWeeklyDigests(context.Background()); err != nil || n != 1 {
			t.Fatalf("%d digests (%v), want 1", n, err)
		}
		m := e.lastTo("anne.martin@example.fr", "Votre semaine")
		if m.Subject != "Votre semaine sur Atrium" || !strings.Contains(m.Text, "Cabinet Martin : 1 tâche en retard") {
			t.Fatalf("digest mailed: subject %q, text %q", m.Subject, m.Text)
		}
		digests := 0
		for _, msg := range e.mp.Messages() {
			if strings.HasPrefix(msg.Subject, "Votre semaine") {
				digests++
			}
		}
		if digests != 1 {
			t.Fatalf("%d digests mailed, want Anne's alone", digests)
		}
	})
}
