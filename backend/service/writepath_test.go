package service

import (
	"context"
	"testing"

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
// may not ask to delete their account.
var walkAs = map[string]func(f *fixture) string{
	"account.requestDeletion": func(f *fixture) string { return f.memberA },
}

// withMail configures SMTP, without which a deletion is confirmed by the
// password and its request writes nothing.
func (f *fixture) withMail() {
	row := store.MailSettingsRow{Host: "smtp.example.fr", Port: 587, Security: "starttls", Sender: "atrium@example.fr"}
	if err := f.env.st.SaveMailSettings(context.Background(), row); err != nil {
		f.env.t.Fatal(err)
	}
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
	in func(f *fixture) string
}

// writeCalls lists the writing operations the walks can call, with their
// inputs: the rights walk's, or selfWriteInputs' for what acts on the
// caller's own account.
func writeCalls() []writeCall {
	var out []writeCall
	for _, op := range Describe().Operations() {
		if !op.Writes {
			continue
		}
		in := opCases[op.Name].input
		if self, ok := selfWriteInputs[op.Name]; ok || op.Access != Member {
			in = self
		}
		if in != nil {
			out = append(out, writeCall{op, in})
		}
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
	input, caller = c.in(f), f.adminA
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
	for _, c := range writeCalls() {
		t.Run(c.op.Name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				f := newFixture(t, st)
				caller, input := c.prepare(t, f)
				changes, entries := count(t, st, "change_log"), count(t, st, "audit_events")
				if _, err := f.env.callIn(f.orgA, c.op.Name, caller, input); err != nil {
					t.Fatalf("%s by A's admin: %v", c.op.Name, err)
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
