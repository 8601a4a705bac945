package service

import (
	"context"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// Setup creates the first workspace on an empty database (SPEC B1).
type Setup struct{ Deps }

// SetupStatus tells the console whether to show the first-run screen.
type SetupStatus struct {
	NeedsSetup bool   `json:"needsSetup"`
	Version    string `json:"version"`
	// Connected is set (true) on a desktop working on a server's replica,
	// which is never set up here: signed out, the person signs in again on
	// the server. Absent elsewhere (a pointer, so the console's type says so).
	Connected *bool `json:"connected,omitempty"`
}

// Status reports whether the database has no account yet.
func (s *Setup) Status(ctx context.Context, _ domain.Actor, _ Empty) (SetupStatus, error) {
	if s.connected(ctx) {
		// Signed out by the server, the replica holds no account: the
		// person signs in again there, never sets up a new workspace.
		connected := true
		return SetupStatus{Version: s.Version, Connected: &connected}, nil
	}
	n, err := s.Store.CountAccounts(ctx)
	return SetupStatus{NeedsSetup: n == 0, Version: s.Version}, err
}

// CreateWorkspaceInput is the first-run form.
type CreateWorkspaceInput struct {
	FirstName        string `json:"firstName"`
	LastName         string `json:"lastName"`
	Email            string `json:"email"`
	Password         string `json:"password" text:"secret"`
	OrganizationName string `json:"organizationName"`
	Timezone         string `json:"timezone"`
	Language         string `json:"language"`
}

// AdminRoleName is the name of the default role holding every right: the
// word the console shows for it, in French like the organizations it serves
// (the console says "Administrator" in English).
const AdminRoleName = "Administrateur"

// adminRoleNames are the names a custom role may not take: the Admin role's,
// its English word, and the short name it had before.
var adminRoleNames = []string{AdminRoleName, "Administrator", "Admin"}

// CreateWorkspace registers the first account, creates its organization with
// the Admin role, makes the account its active Admin, and signs it in. It is
// refused once any account exists.
func (s *Setup) CreateWorkspace(ctx context.Context, _ domain.Actor, in CreateWorkspaceInput) (SessionInfo, error) {
	if s.connected(ctx) {
		return SessionInfo{}, domain.Errorf(domain.CodeSetupDone, "this desktop works on a server's replica")
	}
	errs := domain.FieldErrors{}
	first, last := domain.CleanText(in.FirstName), domain.CleanText(in.LastName)
	orgName := domain.CleanText(in.OrganizationName)
	domain.CheckText(errs, "firstName", first, true)
	domain.CheckText(errs, "lastName", last, true)
	email := domain.CheckEmail(errs, "email", in.Email)
	domain.CheckText(errs, "organizationName", orgName, true)
	if in.Timezone == "" {
		errs.Add("timezone", domain.FieldRequired)
	} else if !domain.ValidTimezone(in.Timezone) {
		errs.Add("timezone", domain.FieldInvalidTimezone)
	}
	lang := in.Language
	if lang == "" {
		lang = domain.Languages[0]
	} else if !domain.ValidLanguage(lang) {
		errs.Add("language", domain.FieldInvalidChoice)
	}
	now := s.now()
	var acc domain.Account
	var token string
	var org store.OrgRecord
	err := s.setPassword(ctx, domain.Actor{}, newPassword{Field: "password", Password: in.Password, Email: email, Errs: errs,
		Write: func(w *Write, hash string) error {
			ctx := w.Ctx()
			if err := s.Store.LockSetup(ctx); err != nil {
				return err
			}
			if n, err := s.Store.CountAccounts(ctx); err != nil || n > 0 {
				if err == nil {
					err = domain.Errorf(domain.CodeSetupDone, "the workspace already exists")
				}
				return err
			}
			acc = domain.Account{ID: domain.NewID(), Email: email, PasswordHash: hash, FirstName: first, LastName: last,
				Language: lang, CreatedAt: now, UpdatedAt: now}
			if err := s.Store.Create(ctx, &acc); err != nil {
				return err
			}
			if err := w.Changed("", "account", acc.ID, "created", accountView(acc)); err != nil {
				return err
			}
			var err error
			org, err = newOrganization(w, acc.ID, orgName, "", in.Timezone)
			if err != nil {
				return err
			}
			if err := s.Store.UpdateAccount(ctx, acc.ID, map[string]any{"last_org_id": org.ID}); err != nil {
				return err
			}
			w.As(domain.Actor{AccountID: acc.ID, OrgID: org.ID})
			if err := w.Record(audit.Entry{OrgID: org.ID, Action: audit.WorkspaceCreated,
				SubjectType: "organization", SubjectID: org.ID, Details: map[string]any{"name": org.Name, "timezone": org.Timezone}}); err != nil {
				return err
			}
			token, err = (&Auth{Deps: s.Deps}).newSession(w, acc.ID, org.ID)
			return err
		}})
	if err != nil {
		return SessionInfo{}, err
	}
	info, err := (&Auth{Deps: s.Deps}).sessionInfo(ctx, acc.ID, org.ID)
	info.token = token
	return info, err
}
