package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/mail"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// secretsWorld is two organizations on one database: Anne, the Admin of A
// ("Cabinet Martin"), is also a plain member of B, whose Admin is Bruno.
type secretsWorld struct {
	*mailEnv
	anne, bruno     string // session tokens
	anneID, brunoID string
	orgA, orgB      string
	anneInB         string // Anne's member ID in B
}

func newSecretsWorld(t *testing.T, st *store.Store, smtp bool) *secretsWorld {
	t.Helper()
	w := &secretsWorld{mailEnv: newMailEnv(t, st, smtp)}
	res := w.mustCall("setup.createWorkspace", "", workspace)
	info := res.Output.(SessionInfo)
	w.anne, w.anneID, w.orgA = res.Token, info.Account.ID, info.Organization.ID
	w.brunoID, w.bruno = addAccount(t, w.env, "bruno.durand@example.fr", "", true)
	var err error
	if w.orgB, err = orgOfSession(st, w.bruno); err != nil {
		t.Fatal(err)
	}
	w.anneInB = w.join(w.anneID, w.orgB, domain.MemberActive)
	return w
}

// join gives an account a membership of an organization, straight in the store.
func (w *secretsWorld) join(accountID, orgID, status string) string {
	w.t.Helper()
	now := time.Now().UTC()
	m := domain.Membership{ID: domain.NewID(), OrgID: orgID, AccountID: accountID, Status: status, CreatedAt: now, UpdatedAt: now}
	if err := w.st.Create(context.Background(), &m); err != nil {
		w.t.Fatal(err)
	}
	return m.ID
}

// stored is the last message of a kind to an address, as the database keeps
// it for the worker (with its link and code).
func (w *secretsWorld) stored(kind, to string) store.OutboxMessage {
	w.t.Helper()
	var m store.OutboxMessage
	if err := w.st.DB(context.Background()).Where("kind = ? AND to_addr = ?", kind, to).Order("created_at DESC, id DESC").Take(&m).Error; err != nil {
		w.t.Fatalf("no %s message to %s: %v", kind, to, err)
	}
	return m
}

// outboxItems is an admin's outbox screen as the console receives it (JSON).
func (w *secretsWorld) outboxItems(token string) []map[string]any {
	w.t.Helper()
	raw, err := json.Marshal(w.mustCall("outbox.list", token, `{}`).Output)
	if err != nil {
		w.t.Fatal(err)
	}
	var list struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		w.t.Fatal(err)
	}
	return list.Items
}

func itemOf(t *testing.T, items []map[string]any, id string) map[string]any {
	t.Helper()
	for _, it := range items {
		if it["id"] == id {
			return it
		}
	}
	t.Fatalf("message %s is not in the outbox (%d items)", id, len(items))
	return nil
}

// wantWithheld checks that an outbox item shows none of the message's
// secrets (nor its text, which carries them) and says why.
func wantWithheld(t *testing.T, it map[string]any, m store.OutboxMessage, reason string) {
	t.Helper()
	raw, _ := json.Marshal(it)
	for _, secret := range []string{m.Link, m.Code, tokenIn(m.Link)} {
		if secret != "" && strings.Contains(string(raw), secret) {
			t.Fatalf("the outbox shows a secret of the %s message: %s", m.Kind, raw)
		}
	}
	if it["text"] != "" || it["link"] != "" || it["code"] != "" {
		t.Fatalf("the outbox shows the %s message's content: %s", m.Kind, raw)
	}
	if it["withheld"] != reason {
		t.Fatalf("withheld = %v, want %q (%s)", it["withheld"], reason, raw)
	}
}

func tokenIn(link string) string {
	_, tok, _ := strings.Cut(link, "?token=")
	return tok
}

// noOperationReveals calls every operation that only reads, as the given
// session, and fails if any answer carries one of the secrets.
func (w *secretsWorld) noOperationReveals(token string, secrets ...string) {
	w.t.Helper()
	answered := 0
	for _, op := range w.reg.Operations() {
		if op.Writes || op.Session != NoSessionChange {
			continue
		}
		res, err := w.call(op.Name, token, `{}`)
		if err != nil {
			continue
		}
		answered++
		raw, _ := json.Marshal(res.Output)
		for _, s := range secrets {
			if s != "" && strings.Contains(string(raw), s) {
				w.t.Errorf("%s reveals a secret meant for someone else", op.Name)
			}
		}
	}
	if _, err := w.call("outbox.list", token, `{}`); err != nil || answered < 10 {
		w.t.Fatalf("only %d operations answered (%v): the walk proves nothing", answered, err)
	}
}

// A reset that an organization's admin sends to a member who also belongs
// to another organization never shows its link or code in the outbox (with
// or without SMTP, while it waits or sends), and no operation hands it out:
// else Bruno, Admin of B, would reset Anne's password and become the Admin
// of A. The outbox says why.
func TestOutboxWithholdsResetOfMemberOfAnotherOrganization(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		for _, smtp := range []bool{false, true} {
			t.Run(fmt.Sprintf("smtp=%v", smtp), func(t *testing.T) {
				w := newSecretsWorld(t, freshStore(t, st), smtp)
				w.mustCall("members.sendPasswordReset", w.bruno, fmt.Sprintf(`{"memberId":%q}`, w.anneInB))
				m := w.stored(mail.KindPasswordReset, "anne.martin@example.fr")
				if m.Link == "" || m.Code == "" {
					t.Fatalf("the reset has no link or code to protect: %+v", m)
				}
				wantWithheld(t, itemOf(t, w.outboxItems(w.bruno), m.ID), m, "other_organization")
				w.noOperationReveals(w.bruno, m.Link, m.Code, tokenIn(m.Link))
				if smtp {
					// It reaches Anne's own address.
					if got := w.lastTo("anne.martin@example.fr", "Réinitialisation"); got.Code() != m.Code {
						t.Fatalf("mailed code %q, stored %q", got.Code(), m.Code)
					}
				}
			})
		}
	})
}

// Without SMTP (a standalone desktop), an admin passes a reset on by hand
// to a member who belongs to their organization alone; once that account
// joins another organization (or is invited to one), the link is no longer
// shown, even for a reset sent before.
func TestOutboxShowsResetOfSoleMemberUntilItBelongsElsewhere(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newSecretsWorld(t, st, false)
		claireID, claireInB := seedMember(t, st, w.orgB, "claire.petit@example.fr", "Claire", "Petit", domain.MemberActive)
		w.mustCall("members.sendPasswordReset", w.bruno, fmt.Sprintf(`{"memberId":%q}`, claireInB))
		m := w.stored(mail.KindPasswordReset, "claire.petit@example.fr")
		it := itemOf(t, w.outboxItems(w.bruno), m.ID)
		if it["link"] != m.Link || it["code"] != m.Code || !strings.Contains(it["text"].(string), m.Code) || it["withheld"] != "" {
			t.Fatalf("the admin of Claire's only organization does not see her reset: %+v", it)
		}
		// The link passed on by hand works.
		w.mustCall("auth.resetPassword", "", fmt.Sprintf(`{"token":%q,"password":"un nouveau mot de passe sûr"}`, tokenIn(it["link"].(string))))

		// A disabled membership elsewhere still counts: the account is not
		// Bruno's organization's alone.
		w.mustCall("members.sendPasswordReset", w.bruno, fmt.Sprintf(`{"memberId":%q}`, claireInB))
		m = w.stored(mail.KindPasswordReset, "claire.petit@example.fr")
		inA := w.join(claireID, w.orgA, domain.MemberDisabled)
		wantWithheld(t, itemOf(t, w.outboxItems(w.bruno), m.ID), m, "other_organization")
		// Deleted from A: hers alone again.
		st.DB(context.Background()).Model(&domain.Membership{}).Where("id = ?", inA).Update("status", domain.MemberDeleted)
		if it := itemOf(t, w.outboxItems(w.bruno), m.ID); it["code"] != m.Code {
			t.Fatalf("a deleted membership elsewhere hides the reset: %+v", it)
		}
		// A pending invitation from A: she could soon join A as herself.
		w.mustCall("invitations.create", w.anne, `{"email":"claire.petit@example.fr","firstName":"Claire"}`)
		wantWithheld(t, itemOf(t, w.outboxItems(w.bruno), m.ID), m, "other_organization")
	})
}

// A self-service reset (auth.forgotPassword) never lands in an
// organization's outbox: it is mailed when SMTP is set, else kept nowhere.
func TestForgotPasswordNeverInAnOutbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		for _, smtp := range []bool{false, true} {
			t.Run(fmt.Sprintf("smtp=%v", smtp), func(t *testing.T) {
				w := newSecretsWorld(t, freshStore(t, st), smtp)
				// Anne worked in B last.
				w.mustCall("orgs.switch", w.anne, fmt.Sprintf(`{"orgId":%q}`, w.orgB))
				w.mustCall("auth.forgotPassword", "", `{"email":"anne.martin@example.fr"}`)
				w.mustCall("orgs.switch", w.anne, fmt.Sprintf(`{"orgId":%q}`, w.orgA))
				for _, admin := range []string{w.anne, w.bruno} {
					for _, it := range w.outboxItems(admin) {
						if it["kind"] == mail.KindPasswordReset {
							t.Fatalf("a self-service reset is in an organization's outbox: %+v", it)
						}
					}
				}
				var inOrgs int64
				w.st.DB(context.Background()).Model(&store.OutboxMessage{}).Where("kind = ? AND org_id IS NOT NULL", mail.KindPasswordReset).Count(&inOrgs)
				if inOrgs != 0 {
					t.Fatalf("%d self-service resets belong to an organization", inOrgs)
				}
				if smtp {
					if got := w.lastTo("anne.martin@example.fr", "Réinitialisation"); got.Link() == "" {
						t.Fatal("the reset was not mailed")
					}
				}
			})
		}
	})
}

// The other messages meant for a person (address change, deletion code,
// security alert) never show their content to an organization's admin who
// could not already act for that person; invitations stay visible to the
// inviting organization's admins, who pass them on by hand.
func TestOutboxWithholdsPersonalMessages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newSecretsWorld(t, st, false)
		w.mustCall("orgs.switch", w.anne, fmt.Sprintf(`{"orgId":%q}`, w.orgB))
		w.mustCall("account.requestEmailChange", w.anne, `{"newEmail":"anne@nouveau.fr","password":"un mot de passe solide"}`)
		change := w.stored(mail.KindEmailChange, "anne@nouveau.fr")
		if change.Link == "" {
			t.Fatal("no confirmation link")
		}
		w.mustCall("account.changePassword", w.anne, `{"currentPassword":"un mot de passe solide","newPassword":"un autre mot de passe très sûr"}`)
		if err := w.svc.Mail.BridgeAlerts(context.Background()); err != nil {
			t.Fatal(err)
		}
		alert := w.stored(mail.KindSecurityAlert, "anne.martin@example.fr")
		items := w.outboxItems(w.bruno)
		wantWithheld(t, itemOf(t, items, change.ID), change, "personal")
		if it := itemOf(t, items, alert.ID); it["text"] != "" || it["withheld"] != "personal" {
			t.Fatalf("Bruno reads Anne's security alert: %+v", it)
		}
		w.noOperationReveals(w.bruno, change.Link, change.Code, tokenIn(change.Link))

		w.mustCall("invitations.create", w.bruno, `{"email":"lea.roux@example.fr","firstName":"Léa"}`)
		inv := w.stored(mail.KindInvitation, "lea.roux@example.fr")
		if it := itemOf(t, w.outboxItems(w.bruno), inv.ID); it["link"] != inv.Link || it["code"] != inv.Code || it["withheld"] != "" {
			t.Fatalf("the inviting admin does not see the invitation: %+v", it)
		}
	})
}

// A deletion code proves that the person reads their mailbox: nobody sees
// it in an outbox, not even the admin of the person's only organization.
func TestOutboxWithholdsDeletionCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newSecretsWorld(t, st, true)
		seedMember(t, st, w.orgB, "claire.petit@example.fr", "Claire", "Petit", domain.MemberActive)
		claire := w.mustCall("auth.signIn", "", `{"email":"claire.petit@example.fr","password":"un mot de passe solide"}`).Token
		w.mustCall("account.requestDeletion", claire, `{}`)
		m := w.stored(mail.KindDeleteAccount, "claire.petit@example.fr")
		if m.Code == "" {
			t.Fatal("no deletion code")
		}
		for _, it := range w.outboxItems(w.bruno) {
			if it["id"] == m.ID {
				wantWithheld(t, it, m, "personal")
			}
		}
	})
}
