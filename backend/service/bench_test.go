package service

import (
	"context"
	"testing"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/storetest"
)

// Sign-in costs what argon2id with OWASP parameters costs, and little more:
// compare with BenchmarkVerifyOWASP in backend/auth.
// `go test -bench SignIn -run ^$ ./backend/service/`
func BenchmarkSignIn(b *testing.B) {
	st := storetest.SQLite(b)
	reg := start(b, Deps{Store: st, Password: auth.OWASP}).Registry
	ctx := context.Background()
	if _, err := reg.Invoke(ctx, Call{Op: "setup.createWorkspace", Input: []byte(workspace)}); err != nil {
		b.Fatal(err)
	}
	in := []byte(`{"email":"anne.martin@example.fr","password":"un mot de passe solide"}`)
	for b.Loop() {
		if _, err := reg.Invoke(ctx, Call{Op: "auth.signIn", Input: in, Device: desktop}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignInWrongPassword(b *testing.B) {
	st := storetest.SQLite(b)
	reg := start(b, Deps{Store: st, Password: auth.OWASP}).Registry
	ctx := context.Background()
	reg.Invoke(ctx, Call{Op: "setup.createWorkspace", Input: []byte(workspace)})
	for _, in := range []struct{ name, body string }{
		{"unknown-email", `{"email":"nobody@example.fr","password":"un mot de passe solide"}`},
		{"wrong-password", `{"email":"anne.martin@example.fr","password":"pas le bon"}`},
	} {
		b.Run(in.name, func(b *testing.B) {
			for b.Loop() {
				reg.Invoke(ctx, Call{Op: "auth.signIn", Input: []byte(in.body), Device: desktop})
			}
		})
	}
}

// The rights check of a call: the member's rights at the version read with the
// session (a cache hit, as on every call after the first), then authorize.
// Compare with the resolution from the database that a miss costs.
// `go test -bench Rights -run ^$ ./backend/service/`
func BenchmarkRightsCheck(b *testing.B) {
	st := storetest.SQLite(b)
	sys := start(b, Deps{Store: st, Password: fastHash})
	svc, reg := sys.Services, sys.Registry
	ctx := context.Background()
	res, err := reg.Invoke(ctx, Call{Op: "setup.createWorkspace", Input: []byte(workspace)})
	if err != nil {
		b.Fatal(err)
	}
	info := res.Output.(SessionInfo)
	orgID, accountID := info.Organization.ID, info.Account.ID
	op, _ := reg.Lookup("members.list")
	load := func(ctx context.Context) (memberAccess, error) {
		mr, err := st.RightsOf(ctx, orgID, accountID)
		return memberAccess{rights: mr}, err
	}
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			acc, err := svc.Auth.rights.access(ctx, orgID, accountID, 1, load)
			if err != nil {
				b.Fatal(err)
			}
			if err := authorize(op, domain.Actor{AccountID: accountID, OrgID: orgID, IsAdmin: acc.rights.IsAdmin, Rights: acc.rights.Rights}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("from-database", func(b *testing.B) {
		for b.Loop() {
			if _, err := load(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// A save of the company profile, as the console sends it: one write through
// the write path (checks, transaction, change-log entry with the profile's
// new state, history entry). Each call changes the legal name, so every one
// writes. `go test -bench CompanySave -run ^$ ./backend/service/`
func BenchmarkCompanySave(b *testing.B) {
	st := storetest.SQLite(b)
	reg := start(b, Deps{Store: st, Password: fastHash}).Registry
	ctx := context.Background()
	res, err := reg.Invoke(ctx, Call{Op: "setup.createWorkspace", Input: []byte(workspace)})
	if err != nil {
		b.Fatal(err)
	}
	names := [][]byte{[]byte(`{"legalName":"Pharmacie du Centre","siret":"73282932000074","city":"Lyon"}`),
		[]byte(`{"legalName":"Pharmacie du Centre SARL","siret":"73282932000074","city":"Lyon"}`)}
	i := 0
	for b.Loop() {
		if _, err := reg.Invoke(ctx, Call{Op: "company.update", Input: names[i%2], Token: res.Token, Device: desktop}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
