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
	"orgs.switch":           func(f *fixture) string { return jsonOf(SwitchOrgInput{OrgID: f.orgA}) },
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

// notOnTheWritePathYet lists the writing operations still assembling their
// transaction by hand, which leave no change-log or no history entry: each
// moves to the write path (Deps.write) and leaves this list. It must end empty.
var notOnTheWritePathYet = map[string]bool{
	"orgs.reopen": true, "orgs.switch": true, "security.setOrgPolicy": true,
	"sessions.revokeOthers": true, "twoFactor.begin": true,
}

// TestEveryWriteLeavesChangeAndHistory walks every writing operation of the
// registry, run by organization A's admin: each leaves at least one
// change-log entry (what the sync and the live stream read) and one history
// entry, written in its own transaction. An operation written without the
// write path fails here.
func TestEveryWriteLeavesChangeAndHistory(t *testing.T) {
	for _, op := range Describe().Operations() {
		if !op.Writes {
			continue
		}
		in := opCases[op.Name].input
		if self, ok := selfWriteInputs[op.Name]; ok || op.Access != Member {
			in = self
		}
		if in == nil || notOnTheWritePathYet[op.Name] {
			continue
		}
		t.Run(op.Name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				f := newFixture(t, st)
				input := in(f)
				changes, entries := count(t, st, "change_log"), count(t, st, "audit_events")
				caller := f.adminA
				if as := walkAs[op.Name]; as != nil {
					caller = as(f)
				}
				if _, err := f.env.callIn(f.orgA, op.Name, caller, input); err != nil {
					t.Fatalf("%s by A's admin: %v", op.Name, err)
				}
				if got := count(t, st, "change_log"); got <= changes {
					t.Errorf("%s left no change-log entry", op.Name)
				}
				if got := count(t, st, "audit_events"); got <= entries {
					t.Errorf("%s left no history entry", op.Name)
				}
			})
		})
	}
}
