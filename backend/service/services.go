// Package service holds Atrium's operations. Each exported method of a service
// is one operation: it validates, writes through the store in one transaction,
// appends the change log and records the history. Nothing here knows about
// HTTP or Wails; every door calls the operations through the Registry.
package service

import (
	"log/slog"
	"time"

	"atrium/backend/audit"
	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// Deps are what the services need, passed in explicitly.
type Deps struct {
	Store    *store.Store
	Audit    *audit.Recorder
	Password auth.Params // argon2id cost; tests may lower it
	// CommonPasswords is the breached-password list new passwords are checked
	// against; nil checks only the short built-in list.
	CommonPasswords *auth.CommonPasswords
	Version         string
	Log             *slog.Logger
	// Mail: SMTP settings from flags or environment, the console's public
	// address for links, and the outbox worker's wake-up.
	Mail MailDeps
	// Clock is where every service reads the time (default the system's);
	// tests give one they move instead of sleeping.
	Clock func() time.Time
}

func (d *Deps) defaults() {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Password == (auth.Params{}) {
		d.Password = auth.OWASP
	}
	if d.Clock == nil {
		d.Clock = time.Now
	}
}

// now is the services' clock, in UTC.
func (d *Deps) now() time.Time { return d.Clock().UTC() }

// Services groups every service.
type Services struct {
	Setup    *Setup
	Auth     *Auth
	Accounts *Accounts
	Orgs     *Orgs
	Company  *Company
	Tasks    *Tasks
	// Members, roles and applications.
	Members      *Members
	Roles        *Roles
	Applications *Applications
	// Account security and history.
	Security      *Security
	Sessions      *Sessions
	History       *History
	Notifications *Notifications
	// Mail, invitations and recovery.
	Mail        *Mail
	Invitations *Invitations
	Recovery    *Recovery
	Deletion    *Deletion
}

// newServices builds the services and their registry; programs, tests and
// benchmarks call Start, which builds what they stand on first.
func newServices(d Deps) (*Services, *Registry) {
	d.defaults()
	s := &Services{
		Setup:        &Setup{d},
		Auth:         &Auth{Deps: d, rights: newRightsCache()},
		Accounts:     &Accounts{d},
		Orgs:         &Orgs{d},
		Company:      &Company{d},
		Tasks:        &Tasks{d},
		Members:      &Members{d},
		Roles:        &Roles{d},
		Applications: &Applications{d},
	}
	// Account security and history share Auth's throttling and sessions.
	s.Security, s.Sessions = &Security{Deps: d, auth: s.Auth}, &Sessions{Deps: d, auth: s.Auth}
	s.History, s.Notifications = &History{Deps: d, auth: s.Auth}, &Notifications{Deps: d, auth: s.Auth}
	s.Mail = &Mail{Deps: d, auth: s.Auth}
	s.Invitations = &Invitations{Deps: d, auth: s.Auth, mail: s.Mail}
	s.Recovery = &Recovery{Deps: d, auth: s.Auth, mail: s.Mail}
	s.Deletion = &Deletion{Deps: d, auth: s.Auth, mail: s.Mail}
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
	// Account security and history.
	add(r, Operation{Name: "auth.verifyTwoFactor", Access: Public, Session: StartsSession}, s.Auth.VerifyTwoFactor)
	add(r, Operation{Name: "account.changePassword", Access: SignedIn, Writes: true}, s.Security.ChangePassword)
	add(r, Operation{Name: "twoFactor.status", Access: SignedIn}, s.Security.TwoFactorStatus)
	add(r, Operation{Name: "twoFactor.begin", Access: SignedIn, Writes: true}, s.Security.BeginTwoFactor)
	add(r, Operation{Name: "twoFactor.confirm", Access: SignedIn, Writes: true}, s.Security.ConfirmTwoFactor)
	add(r, Operation{Name: "twoFactor.disable", Access: SignedIn, Writes: true}, s.Security.DisableTwoFactor)
	add(r, Operation{Name: "security.orgPolicy", Access: Member}, s.Security.OrgPolicy)
	add(r, Operation{Name: "security.setOrgPolicy", Access: Member, Right: domain.RightOrgEdit, Writes: true}, s.Security.SetOrgPolicy)
	add(r, Operation{Name: "sessions.list", Access: SignedIn}, s.Sessions.List)
	add(r, Operation{Name: "sessions.revoke", Access: SignedIn, Writes: true}, s.Sessions.Revoke)
	add(r, Operation{Name: "sessions.revokeOthers", Access: SignedIn, Writes: true}, s.Sessions.RevokeOthers)
	add(r, Operation{Name: "notifications.preferences", Access: SignedIn}, s.Notifications.Preferences)
	add(r, Operation{Name: "notifications.set", Access: SignedIn, Writes: true}, s.Notifications.SetPreference)
	add(r, Operation{Name: "history.list", Access: Member, Right: domain.RightAuditView}, s.History.List)
	add(r, Operation{Name: "history.export", Access: Member, Right: domain.RightAuditView}, s.History.Export)
	add(r, Operation{Name: "history.verify", Access: Member, Right: domain.RightAuditView}, s.History.Verify)
	add(r, Operation{Name: "history.exportHead", Access: Member, Right: domain.RightAuditView}, s.History.ExportHead)
	add(r, Operation{Name: "history.mine", Access: SignedIn}, s.History.Mine)
	// Members, roles, rights and applications. Reading members and
	// roles needs members.view; changing roles and rights needs rights.edit;
	// the Admin role is further guarded in the operations themselves.
	add(r, Operation{Name: "rights.catalog", Access: Member}, s.Roles.Catalog)
	add(r, Operation{Name: "roles.list", Access: Member, Right: domain.RightMembersView}, s.Roles.List)
	add(r, Operation{Name: "roles.create", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Roles.Create)
	add(r, Operation{Name: "roles.update", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Roles.Update)
	add(r, Operation{Name: "roles.delete", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Roles.Delete)
	add(r, Operation{Name: "members.list", Access: Member, Right: domain.RightMembersView}, s.Members.List)
	add(r, Operation{Name: "members.get", Access: Member, Right: domain.RightMembersView}, s.Members.Get)
	add(r, Operation{Name: "members.update", Access: Member, Right: domain.RightMembersEdit, Writes: true}, s.Members.Update)
	add(r, Operation{Name: "members.setRoles", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Members.SetRoles)
	add(r, Operation{Name: "members.removeRole", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Members.RemoveRole)
	add(r, Operation{Name: "members.setRight", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Members.SetRight)
	add(r, Operation{Name: "members.disable", Access: Member, Right: domain.RightMembersDisable, Writes: true}, s.Members.Disable)
	add(r, Operation{Name: "members.enable", Access: Member, Right: domain.RightMembersDisable, Writes: true}, s.Members.Enable)
	add(r, Operation{Name: "applications.list", Access: Member, Right: domain.RightMembersView}, s.Applications.List)
	add(r, Operation{Name: "applications.setEnabled", Access: Member, Right: domain.RightApplicationsManage, Writes: true}, s.Applications.SetEnabled)
	add(r, Operation{Name: "applications.grant", Access: Member, Right: domain.RightApplicationsManage, Writes: true}, s.Applications.Grant)
	add(r, Operation{Name: "account.applications", Access: SignedIn}, s.Applications.Mine)
	// Organizations, company profile and tasks.
	add(r, Operation{Name: "orgs.list", Access: SignedIn}, s.Orgs.List)
	add(r, Operation{Name: "orgs.switch", Access: SignedIn, Writes: true}, s.Orgs.Switch)
	add(r, Operation{Name: "orgs.create", Access: SignedIn, Writes: true}, s.Orgs.Create)
	add(r, Operation{Name: "orgs.current", Access: Member}, s.Orgs.Current)
	add(r, Operation{Name: "orgs.members", Access: Member, Right: domain.RightOrgEdit}, s.Orgs.Members)
	add(r, Operation{Name: "orgs.update", Access: Member, Right: domain.RightOrgEdit, Writes: true}, s.Orgs.Update)
	add(r, Operation{Name: "orgs.close", Access: Member, Right: domain.RightOrgEdit, Writes: true}, s.Orgs.Close)
	add(r, Operation{Name: "orgs.reopen", Access: Member, Right: domain.RightOrgEdit, Writes: true, AllowClosed: true}, s.Orgs.Reopen)
	add(r, Operation{Name: "company.get", Access: Member}, s.Company.Get)
	add(r, Operation{Name: "company.update", Access: Member, Right: domain.RightOrgEdit, Writes: true}, s.Company.Update)
	add(r, Operation{Name: "tasks.list", Access: Member, Right: domain.RightTasksView}, s.Tasks.List)
	add(r, Operation{Name: "tasks.assignees", Access: Member, Right: domain.RightTasksView}, s.Tasks.Assignees)
	add(r, Operation{Name: "tasks.create", Access: Member, Right: domain.RightTasksManage, Writes: true}, s.Tasks.Create)
	add(r, Operation{Name: "tasks.update", Access: Member, Right: domain.RightTasksManage, Writes: true}, s.Tasks.Update)
	add(r, Operation{Name: "tasks.complete", Access: Member, Right: domain.RightTasksManage, Writes: true}, s.Tasks.Complete)
	add(r, Operation{Name: "tasks.reopen", Access: Member, Right: domain.RightTasksManage, Writes: true}, s.Tasks.Reopen)
	// Mail, invitations and recovery. SMTP settings and the outbox
	// need org.edit; inviting needs members.invite (and rights.edit to give
	// roles or rights, checked in the operation).
	add(r, Operation{Name: "mail.settings", Access: Member, Right: domain.RightOrgEdit}, s.Mail.Settings)
	add(r, Operation{Name: "mail.saveSettings", Access: Member, Right: domain.RightOrgEdit, Writes: true}, s.Mail.SaveSettings)
	add(r, Operation{Name: "mail.sendTest", Access: Member, Right: domain.RightOrgEdit, Writes: true}, s.Mail.SendTest)
	add(r, Operation{Name: "outbox.list", Access: Member, Right: domain.RightOrgEdit}, s.Mail.Outbox)
	add(r, Operation{Name: "outbox.retry", Access: Member, Right: domain.RightOrgEdit, Writes: true}, s.Mail.Retry)
	add(r, Operation{Name: "invitations.list", Access: Member, Right: domain.RightMembersView}, s.Invitations.List)
	add(r, Operation{Name: "invitations.create", Access: Member, Right: domain.RightMembersInvite, Writes: true}, s.Invitations.Create)
	add(r, Operation{Name: "invitations.resend", Access: Member, Right: domain.RightMembersInvite, Writes: true}, s.Invitations.Resend)
	add(r, Operation{Name: "invitations.revoke", Access: Member, Right: domain.RightMembersInvite, Writes: true}, s.Invitations.Revoke)
	add(r, Operation{Name: "invitations.lookup", Access: Public}, s.Invitations.Lookup)
	add(r, Operation{Name: "invitations.accept", Access: Public, Writes: true, Session: StartsSession}, s.Invitations.Accept)
	add(r, Operation{Name: "invitations.join", Access: SignedIn, Writes: true}, s.Invitations.Join)
	add(r, Operation{Name: "auth.forgotPassword", Access: Public, Writes: true}, s.Recovery.ForgotPassword)
	add(r, Operation{Name: "auth.resetPassword", Access: Public, Writes: true}, s.Recovery.ResetPassword)
	add(r, Operation{Name: "members.sendPasswordReset", Access: Member, Right: domain.RightMembersEdit, Writes: true}, s.Recovery.SendReset)
	add(r, Operation{Name: "account.requestEmailChange", Access: SignedIn, Writes: true}, s.Recovery.RequestEmailChange)
	add(r, Operation{Name: "account.confirmEmailChange", Access: Public, Writes: true}, s.Recovery.ConfirmEmailChange)
	add(r, Operation{Name: "account.requestDeletion", Access: SignedIn, Writes: true}, s.Deletion.RequestAccount)
	add(r, Operation{Name: "account.delete", Access: SignedIn, Writes: true, Session: EndsSession}, s.Deletion.DeleteAccount)
	add(r, Operation{Name: "orgs.requestDeletion", Access: Member, Right: domain.RightOrgDelete, Writes: true, AllowClosed: true}, s.Deletion.RequestOrg)
	add(r, Operation{Name: "orgs.delete", Access: Member, Right: domain.RightOrgDelete, Writes: true, AllowClosed: true}, s.Deletion.DeleteOrg)
	return r
}
