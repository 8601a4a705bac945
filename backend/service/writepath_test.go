package service

import (
	"context"
	"testing"
	"time"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// selfWriteInputs gives the walk below an input for writing operations that
// act on the caller's own account (their cases in opcases_*_test.go have
// none: the rights walk does not need one), or that need more than their
// case's input to write anything.
var selfWriteInputs = map[string]func(f *fixture) string{
	"account.updateProfile": func(*fixture) string { return `{"firstName":"Anne","lastName":"Martin-Durand"}` },
	"account.setLanguage":   func(*fixture) string { return `{"language":"en"}` },
	"account.changePassword": func(*fixture) string {
		return `{"currentPassword":"un mot de passe solide","newPassword":"une toute nouvelle phrase"}`
	},
	"twoFactor.begin":       func(*fixture) string { return `{}` },
	"sessions.revokeOthers": func(*fixture) string { return `{}` },
	"notifications.set":     func(*fixture) string { return `{"category":"members","enabled":false}` },
	"orgs.create":           func(*fixture) string { return `{"name":"Boucherie Lefèvre","timezone":"Europe/Paris"}` },
	"orgs.switch":           func(f *fixture) string { return jsonOf(SwitchOrgInput{OrgID: anotherOrgOfA(f)}) },
	"auth.forgotPassword":   func(*fixture) string { return `{"email":"anne.martin@example.fr"}` },
	"account.requestEmailChange": func(*fixture) string {
		return `{"newEmail":"anne@cabinet-martin.fr","password":"un mot de passe solide"}`
	},
	"account.requestDeletion": func(f *fixture) string { f.withMail(); return `{}` },
	"orgs.requestDeletion":    func(f *fixture) string { f.withMail(); return `{}` },
}

// walkAs runs an operation as another caller than A's admin: A's last admin
// may not ask to delete their account; an invitation is joined by the
// account it was sent to.
var walkAs = map[string]func(f *fixture) string{
	"account.requestDeletion": func(f *fixture) string { return f.memberA },
	"account.delete":          func(f *fixture) string { return f.memberA },
	"invitations.join":        func(f *fixture) string { return f.adminB },
}

// withMail configures SMTP, without which a deletion is confirmed by the
// password and its request writes nothing.
func (f *fixture) withMail() {
	row := store.MailSettingsRow{Host: "smtp.example.fr", Port: 587, Security: "starttls", Sender: "atrium@example.fr"}
	if err := f.env.st.SaveMailSettings(context.Background(), row); err != nil {
		f.env.t.Fatal(err)
	}
}

// linkInputs give the walk an input for the writing operations reached from
// a link, a code or a second sign-in: each makes what it needs first.
var linkInputs = map[string]func(t *testing.T, f *fixture) string{
	"invitations.accept": func(t *testing.T, f *fixture) string {
		return jsonOf(AcceptInvitationInput{Token: f.invitationLink("lea.roux@example.fr"), FirstName: "Léa", LastName: "Roux",
			Password: "un mot de passe pour Léa"})
	},
	// Bruno, admin of B, joins A with the account he has.
	"invitations.join": func(t *testing.T, f *fixture) string {
		return jsonOf(InvitationTokenInput{Token: f.invitationLink("bruno.durand@example.fr")})
	},
	"auth.resetPassword": func(t *testing.T, f *fixture) string {
		return jsonOf(ResetPasswordInput{Token: f.mailToken(store.TokenPasswordReset, f.adminAID, ""), Password: "un tout nouveau mot de passe"})
	},
	"account.confirmEmailChange": func(t *testing.T, f *fixture) string {
		return jsonOf(ConfirmEmailInput{Token: f.mailToken(store.TokenEmailChange, f.adminAID, "anne@cabinet-martin.fr")})
	},
	// Claire, no admin, deletes her account; without SMTP her password confirms it.
	"account.delete": func(t *testing.T, f *fixture) string { return jsonOf(ConfirmDeletionInput{Password: annePass}) },
	"sessions.revoke": func(t *testing.T, f *fixture) string {
		f.env.mustCall("auth.signIn", "", signInJSON(anneEmail, annePass))
		for _, d := range f.env.mustCall("sessions.list", f.adminA, `{}`).Output.(DeviceSessions).Sessions {
			if !d.Current {
				return jsonOf(RevokeSessionInput{ID: d.ID})
			}
		}
		t.Fatal("no second session to revoke")
		return ""
	},
	"twoFactor.confirm": func(t *testing.T, f *fixture) string {
		enr := f.env.mustCall("twoFactor.begin", f.adminA, `{}`).Output.(TwoFactorEnrollment)
		return jsonOf(ConfirmTwoFactorInput{Code: realClock().code(enr.Secret)})
	},
	"twoFactor.disable": func(t *testing.T, f *fixture) string {
		secret, _ := enableTwoFactor(t, f.env, realClock(), &f.adminA)
		// A code of the next 30 seconds: the one confirming was just spent.
		clk := realClock()
		clk.Add(30 * time.Second)
		return jsonOf(DisableTwoFactorInput{Password: annePass, Code: clk.code(secret)})
	},
}

// mailToken makes a live link of kind for an account, as a mail carries it.
func (f *fixture) mailToken(kind, accountID, newEmail string) string {
	now := time.Now().UTC()
	token, hash := auth.NewToken()
	row := store.MailToken{ID: domain.NewID(), Kind: kind, TokenHash: hash, AccountID: &accountID, NewEmail: newEmail,
		CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := f.env.st.Create(context.Background(), &row); err != nil {
		f.env.t.Fatal(err)
	}
	return token
}

// prepareWrite puts A's workspace where the operation has something to
// change, before the walk counts its entries.
var prepareWrite = map[string]func(t *testing.T, f *fixture){
	"orgs.reopen":           func(t *testing.T, f *fixture) { f.env.mustCall("orgs.close", f.adminA, `{}`) },
	"sessions.revokeOthers": func(t *testing.T, f *fixture) { f.env.mustCall("auth.signIn", "", signInJSON(anneEmail, annePass)) },
	"security.setOrgPolicy": func(t *testing.T, f *fixture) {
		enableTwoFactor(t, f.env, realClock(), &f.adminA)
		f.env.mustCall("security.setOrgPolicy", f.adminA, `{"requireTwoFactor":true}`)
	},
}

// anotherOrgOfA creates a second organization of A's admin, to switch to.
func anotherOrgOfA(f *fixture) string {
	return f.env.mustCall("orgs.create", f.adminA, `{"name":"Boucherie Lefèvre","timezone":"Europe/Paris"}`).Output.(OrgSummary).ID
}

// writeCall is one writing operation as the walks below call it.
type writeCall struct {
	op *Operation
	in func(t *testing.T, f *fixture) string
}

// writeCalls lists every writing operation with its input: the rights
// walk's, selfWriteInputs' for what acts on the caller's own account, or
// linkInputs'. An operation without one fails the walk: a new writing
// operation gets its case before it lands. First run is walked apart, on an
// empty database (TestFirstRunLeavesChangeAndHistory).
func writeCalls(t *testing.T) []writeCall {
	var out []writeCall
	for _, op := range Describe().Operations() {
		if !op.Writes || op.Name == "setup.createWorkspace" {
			continue
		}
		var in func(t *testing.T, f *fixture) string
		if link, ok := linkInputs[op.Name]; ok {
			in = link
		} else if self, ok := selfWriteInputs[op.Name]; ok || op.Access != Member {
			if self != nil {
				in = func(_ *testing.T, f *fixture) string { return self(f) }
			}
		} else if c := opCases[op.Name].input; c != nil {
			in = func(_ *testing.T, f *fixture) string { return c(f) }
		}
		if in == nil {
			t.Errorf("the writing operation %s has no input for the write-path walks (writepath_test.go)", op.Name)
			continue
		}
		out = append(out, writeCall{op, in})
	}
	return out
}

// prepare puts f where the operation has something to change and returns
// who calls it and with what.
func (c writeCall) prepare(t *testing.T, f *fixture) (caller, input string) {
	t.Helper()
	if prepare := prepareWrite[c.op.Name]; prepare != nil {
		prepare(t, f)
	}
	input, caller = c.in(t, f), f.adminA
	if as := walkAs[c.op.Name]; as != nil {
		caller = as(f)
	}
	return caller, input
}

// TestEveryWriteLeavesChangeAndHistory walks every writing operation of the
// registry, run by organization A's admin: each leaves at least one
// change-log entry (what the sync and the live stream read) and one history
// entry, written in its own transaction. An operation written without the
// write path fails here.
func TestEveryWriteLeavesChangeAndHistory(t *testing.T) {
	for _, c := range writeCalls(t) {
		t.Run(c.op.Name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				f := newFixture(t, st)
				caller, input := c.prepare(t, f)
				changes, entries := count(t, st, "change_log"), count(t, st, "audit_events")
				if _, err := f.env.callIn(f.orgA, c.op.Name, caller, input); err != nil {
					t.Fatalf("%s: %v", c.op.Name, err)
				}
				if got := count(t, st, "change_log"); got <= changes {
					t.Errorf("%s left no change-log entry", c.op.Name)
				}
				if got := count(t, st, "audit_events"); got <= entries {
					t.Errorf("%s left no history entry", c.op.Name)
				}
			})
		})
	}
}

// First run, on an empty database, leaves its entries like every write.
func TestFirstRunLeavesChangeAndHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.setup()
		if count(t, st, "change_log") == 0 || count(t, st, "audit_events") == 0 {
			t.Error("first run left no change-log or no history entry")
		}
	})
}
