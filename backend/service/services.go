// Package service holds Atrium's operations. Each exported method of a service
// is one operation: it validates, writes through the store in one transaction,
// appends the change log and records the history. Nothing here knows about
// HTTP or Wails; every door calls the operations through the Registry.
package service

import (
	"log/slog"

	"atrium/backend/audit"
	"atrium/backend/auth"
	"atrium/backend/store"
)

// Deps are what the services need, passed in explicitly.
type Deps struct {
	Store    *store.Store
	Audit    *audit.Recorder
	Password auth.Params // argon2id cost; tests may lower it
	Version  string
	Log      *slog.Logger
}

// Services groups every service.
type Services struct {
	Setup    *Setup
	Auth     *Auth
	Accounts *Accounts
}

// New builds the services and their registry.
func New(d Deps) (*Services, *Registry) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Password == (auth.Params{}) {
		d.Password = auth.OWASP
	}
	s := &Services{
		Setup:    &Setup{d},
		Auth:     &Auth{Deps: d},
		Accounts: &Accounts{d},
	}
	return s, newRegistry(s, d.Log)
}

// Describe returns the registry alone, for tools that only read it (the
// TypeScript generator, the documentation).
func Describe() *Registry {
	return newRegistry(&Services{}, slog.Default())
}

func newRegistry(s *Services, log *slog.Logger) *Registry {
	r := &Registry{svc: s, ops: map[string]*Operation{}, log: log}
	add(r, Operation{Name: "setup.status", Access: Public}, s.Setup.Status)
	add(r, Operation{Name: "setup.createWorkspace", Access: Public, Writes: true, Session: StartsSession}, s.Setup.CreateWorkspace)
	add(r, Operation{Name: "auth.signIn", Access: Public, Session: StartsSession}, s.Auth.SignIn)
	add(r, Operation{Name: "auth.signOut", Access: SignedIn, Session: EndsSession}, s.Auth.SignOut)
	add(r, Operation{Name: "session.current", Access: SignedIn}, s.Auth.Current)
	add(r, Operation{Name: "account.updateProfile", Access: SignedIn, Writes: true}, s.Accounts.UpdateProfile)
	add(r, Operation{Name: "account.setLanguage", Access: SignedIn, Writes: true}, s.Accounts.SetLanguage)
	return r
}
