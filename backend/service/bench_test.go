package service

import (
	"context"
	"testing"

	"atrium/backend/audit"
	"atrium/backend/auth"
	"atrium/backend/storetest"
)

// Sign-in costs what argon2id with OWASP parameters costs, and little more:
// compare with BenchmarkVerifyOWASP in backend/auth.
// `go test -bench SignIn -run ^$ ./backend/service/`
func BenchmarkSignIn(b *testing.B) {
	st := storetest.SQLite(b)
	_, reg := New(Deps{Store: st, Audit: audit.New(st), Password: auth.OWASP})
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
	_, reg := New(Deps{Store: st, Audit: audit.New(st), Password: auth.OWASP})
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
