package service

import (
	"context"
	"fmt"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
)

// Cases for the walk of TestEveryOperationChecksRights: mail, outbox,
// invitations, recovery and deletion.
func init() {
	for _, name := range []string{"invitations.lookup", "invitations.accept", "invitations.join", "auth.forgotPassword",
		"auth.resetPassword", "account.requestEmailChange", "account.confirmEmailChange", "account.requestDeletion", "account.delete"} {
		opCases[name] = opCase{}
	}
	opCases["mail.settings"] = opCase{input: func(*fixture) string { return `{}` }}
	opCases["mail.saveSettings"] = opCase{input: func(*fixture) string {
		return `{"host":"smtp.example.fr","port":587,"security":"starttls","username":"atrium","password":"secret","sender":"Atrium <atrium@example.fr>"}`
	}}
	opCases["mail.sendTest"] = opCase{input: func(*fixture) string { return `{}` }}
	opCases["outbox.list"] = opCase{input: func(*fixture) string { return `{}` }}
	opCases["outbox.retry"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"messageId":%q}`, f.failedMessage())
	}}
	opCases["invitations.list"] = opCase{input: func(*fixture) string { return `{}` }}
	opCases["invitations.create"] = opCase{input: func(*fixture) string {
		return `{"email":"nouvelle@example.fr","firstName":"Léa","lastName":"Roux","jobTitle":"Comptable"}`
	}, selfInput: func(f *fixture) string { // an accomplice invited with what the inviter lacks
		return fmt.Sprintf(`{"email":"complice@example.fr","firstName":"Léa","lastName":"Roux","jobTitle":"","roleIds":[%q],"rights":["org.delete","audit.view"]}`, f.customRole(""))
	}}
	opCases["invitations.resend"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"invitationId":%q}`, f.invitation())
	}}
	opCases["invitations.revoke"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"invitationId":%q}`, f.invitation())
	}}
	opCases["members.sendPasswordReset"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"memberId":%q}`, f.memberOf(f.memberAID))
	}}
	opCases["orgs.requestDeletion"] = opCase{input: func(*fixture) string { return `{}` }}
	// No mail configured: the password confirms.
	opCases["orgs.delete"] = opCase{input: func(*fixture) string { return `{"password":"un mot de passe solide"}` }}
}

// invitation creates a pending invitation of organization A in the store.
func (f *fixture) invitation() string {
	now := time.Now().UTC()
	inv := store.Invitation{ID: domain.NewID(), OrgID: f.orgA, Email: "invitee@example.fr", RoleIDs: "[]", Rights: "[]", Language: "fr",
		Status: store.InvitationPending, CreatedAt: now, SentAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := f.env.st.Create(context.Background(), &inv); err != nil {
		f.env.t.Fatal(err)
	}
	return inv.ID
}

// failedMessage creates a failed outbox message of organization A.
func (f *fixture) failedMessage() string {
	now := time.Now().UTC()
	m := store.OutboxMessage{ID: domain.NewID(), OrgID: &f.orgA, ToAddr: "x@example.fr", Language: "fr", Kind: "test", Subject: "s",
		Status: store.OutboxFailed, NextAt: now, CreatedAt: now}
	if err := f.env.st.Create(context.Background(), &m); err != nil {
		f.env.t.Fatal(err)
	}
	return m.ID
}
