package service

import (
	"log/slog"

	"atrium/backend/domain"
)

// newRegistry declares every operation once, grouped by area. An area's
// comment says why its access rules are what they are; rules finer than a
// right (the Admin role, the last admin, giving roles while inviting) are
// checked in the operations themselves.
func newRegistry(s *Services, log *slog.Logger) *Registry {
	r := &Registry{svc: s, ops: map[string]*Operation{}, log: log}

	// First run and signing in: nobody is signed in yet, so these are public.
	// The first run refuses once any account exists; the second factor is
	// answered with the short-lived token of the password step.
	add(r, Operation{Name: "setup.status", Access: Public}, s.Setup.Status)
	add(r, Operation{Name: "setup.createWorkspace", Access: Public, Writes: true, Session: StartsSession}, s.Setup.CreateWorkspace)
	add(r, Operation{Name: "auth.signIn", Access: Public, Session: StartsSession}, s.Auth.SignIn)
	add(r, Operation{Name: "auth.verifyTwoFactor", Access: Public, Session: StartsSession}, s.Auth.VerifyTwoFactor)
	add(r, Operation{Name: "auth.signOut", Access: SignedIn, Session: EndsSession}, s.Auth.SignOut)
	add(r, Operation{Name: "session.current", Access: SignedIn}, s.Auth.Current)

	// The person's own account: signed in is enough, in any organization or
	// none, because these act only on the caller's account.
	add(r, Operation{Name: "account.updateProfile", Access: SignedIn, Writes: true}, s.Accounts.UpdateProfile)
	add(r, Operation{Name: "account.setLanguage", Access: SignedIn, Writes: true}, s.Accounts.SetLanguage)
	add(r, Operation{Name: "notifications.preferences", Access: SignedIn}, s.Notifications.Preferences)
	add(r, Operation{Name: "notifications.set", Access: SignedIn, Writes: true}, s.Notifications.SetPreference)
	add(r, Operation{Name: "account.exportData", Access: SignedIn}, (&DataExport{s}).Export)

	// Security and sessions: a person's password, second factor and devices
	// are theirs alone (signed in; the password change asks for the current
	// one). An organization's two-factor policy is read by every member, who
	// must know what it requires of them, and set with org.edit.
	add(r, Operation{Name: "account.changePassword", Access: SignedIn, Writes: true}, s.Security.ChangePassword)
	add(r, Operation{Name: "twoFactor.status", Access: SignedIn}, s.Security.TwoFactorStatus)
	add(r, Operation{Name: "twoFactor.begin", Access: SignedIn, Writes: true}, s.Security.BeginTwoFactor)
	add(r, Operation{Name: "twoFactor.confirm", Access: SignedIn, Writes: true}, s.Security.ConfirmTwoFactor)
	add(r, Operation{Name: "twoFactor.disable", Access: SignedIn, Writes: true}, s.Security.DisableTwoFactor)
	add(r, Operation{Name: "sessions.list", Access: SignedIn}, s.Sessions.List)
	add(r, Operation{Name: "sessions.revoke", Access: SignedIn, Writes: true}, s.Sessions.Revoke)
	add(r, Operation{Name: "sessions.revokeOthers", Access: SignedIn, Writes: true}, s.Sessions.RevokeOthers)
	add(r, Operation{Name: "security.orgPolicy", Access: Member}, s.Security.OrgPolicy)
	add(r, Operation{Name: "security.setOrgPolicy", Access: Member, Right: domain.RightOrgEdit, Writes: true}, s.Security.SetOrgPolicy)

	// Organizations: an account lists, opens and creates its own dossiers
	// (signed in; one it is not an active member of is not found). Changing
	// one, and choosing its responsible among its members, is org.edit;
	// reopening is the one write a closed organization takes.
	add(r, Operation{Name: "orgs.list", Access: SignedIn}, s.Orgs.List)
	add(r, Operation{Name: "orgs.switch", Access: SignedIn, Writes: true}, s.Orgs.Switch)
	add(r, Operation{Name: "orgs.create", Access: SignedIn, Writes: true}, s.Orgs.Create)
	add(r, Operation{Name: "orgs.current", Access: Member}, s.Orgs.Current)
	add(r, Operation{Name: "orgs.members", Access: Member, Right: domain.RightOrgEdit}, s.Orgs.Members)
	add(r, Operation{Name: "orgs.update", Access: Member, Right: domain.RightOrgEdit, Writes: true}, s.Orgs.Update)
	add(r, Operation{Name: "orgs.close", Access: Member, Right: domain.RightOrgEdit, Writes: true}, s.Orgs.Close)
	add(r, Operation{Name: "orgs.reopen", Access: Member, Right: domain.RightOrgEdit, Writes: true, AllowClosed: true}, s.Orgs.Reopen)

	// Company profile: every member works for the company and may read it;
	// changing it is org.edit, like the organization itself.
	add(r, Operation{Name: "company.get", Access: Member}, s.Company.Get)
	add(r, Operation{Name: "company.update", Access: Member, Right: domain.RightOrgEdit, Writes: true}, s.Company.Update)

	// Members: reading the list is members.view; keeping a member's record
	// up to date (members.edit, marking them away too) and locking them out or letting them back in
	// (members.disable) are separate rights, as they are different trusts.
	add(r, Operation{Name: "members.list", Access: Member, Right: domain.RightMembersView}, s.Members.List)
	add(r, Operation{Name: "members.get", Access: Member, Right: domain.RightMembersView}, s.Members.Get)
	add(r, Operation{Name: "members.export", Access: Member, Right: domain.RightMembersView}, s.Members.Export)
	add(r, Operation{Name: "members.update", Access: Member, Right: domain.RightMembersEdit, Writes: true}, s.Members.Update)
	add(r, Operation{Name: "members.setAway", Access: Member, Right: domain.RightMembersEdit, Writes: true}, s.Members.SetAway)
	add(r, Operation{Name: "members.endAway", Access: Member, Right: domain.RightMembersEdit, Writes: true}, s.Members.EndAway)
	add(r, Operation{Name: "members.disable", Access: Member, Right: domain.RightMembersDisable, Writes: true}, s.Members.Disable)
	add(r, Operation{Name: "members.enable", Access: Member, Right: domain.RightMembersDisable, Writes: true}, s.Members.Enable)
	add(r, Operation{Name: "members.succession", Access: Member, Right: domain.RightMembersDelete}, s.Members.Succession)
	add(r, Operation{Name: "members.delete", Access: Member, Right: domain.RightMembersDelete, Writes: true}, s.Members.Delete)

	// Roles and rights: who may do what is itself a right, rights.edit,
	// whether through a role or a right given directly; reading roles goes
	// with reading members, and the catalog is the same for everyone. The
	// Admin role is further guarded in the operations.
	add(r, Operation{Name: "rights.catalog", Access: Member}, s.Roles.Catalog)
	add(r, Operation{Name: "roles.list", Access: Member, Right: domain.RightMembersView}, s.Roles.List)
	add(r, Operation{Name: "roles.create", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Roles.Create)
	add(r, Operation{Name: "roles.update", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Roles.Update)
	add(r, Operation{Name: "roles.delete", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Roles.Delete)
	add(r, Operation{Name: "members.setRoles", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Members.SetRoles)
	add(r, Operation{Name: "members.removeRole", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Members.RemoveRole)
	add(r, Operation{Name: "members.setRight", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Members.SetRight)

	// Applications: the list names which members use each one, so it is read
	// with members.view; turning one on and granting it is
	// applications.manage. A person's own applications, across their
	// organizations, need only to be signed in.
	add(r, Operation{Name: "applications.list", Access: Member, Right: domain.RightMembersView}, s.Applications.List)
	add(r, Operation{Name: "applications.setEnabled", Access: Member, Right: domain.RightApplicationsManage, Writes: true}, s.Applications.SetEnabled)
	add(r, Operation{Name: "applications.grant", Access: Member, Right: domain.RightApplicationsManage, Writes: true}, s.Applications.Grant)
	add(r, Operation{Name: "account.applications", Access: SignedIn}, s.Applications.Mine)

	// Tasks: seeing the organization's tasks and changing them are two
	// rights, so that some members can follow the work without editing it.
	add(r, Operation{Name: "tasks.list", Access: Member, Right: domain.RightTasksView}, s.Tasks.List)
	add(r, Operation{Name: "tasks.assignees", Access: Member, Right: domain.RightTasksView}, s.Tasks.Assignees)
	add(r, Operation{Name: "tasks.create", Access: Member, Right: domain.RightTasksManage, Writes: true}, s.Tasks.Create)
	add(r, Operation{Name: "tasks.update", Access: Member, Right: domain.RightTasksManage, Writes: true}, s.Tasks.Update)
	add(r, Operation{Name: "tasks.complete", Access: Member, Right: domain.RightTasksManage, Writes: true}, s.Tasks.Complete)
	add(r, Operation{Name: "tasks.reopen", Access: Member, Right: domain.RightTasksManage, Writes: true}, s.Tasks.Reopen)

	// Invitations: pending invitations are read with the members
	// (members.view); sending, resending and revoking them is
	// members.invite (and rights.edit to give roles or rights, checked in
	// the operation). The invited person holds only the link: looking it up
	// and accepting it with a new account are public, joining with an
	// existing account needs it signed in.
	add(r, Operation{Name: "invitations.list", Access: Member, Right: domain.RightMembersView}, s.Invitations.List)
	add(r, Operation{Name: "invitations.create", Access: Member, Right: domain.RightMembersInvite, Writes: true}, s.Invitations.Create)
	add(r, Operation{Name: "invitations.resend", Access: Member, Right: domain.RightMembersInvite, Writes: true}, s.Invitations.Resend)
	add(r, Operation{Name: "invitations.revoke", Access: Member, Right: domain.RightMembersInvite, Writes: true}, s.Invitations.Revoke)
	// The member import invites (members.invite); the rows that give roles
	// or change members need rights.edit and members.edit, checked in the
	// operation (members_import.go).
	add(r, Operation{Name: "members.importCheck", Access: Member, Right: domain.RightMembersInvite}, s.Import.Check)
	add(r, Operation{Name: "members.import", Access: Member, Right: domain.RightMembersInvite, Writes: true}, s.Import.Import)
	// How far the caller's long work is: their own, so no right is needed
	// beyond being signed in (jobs.go).
	add(r, Operation{Name: "jobs.progress", Access: SignedIn}, s.Jobs.Progress)
	add(r, Operation{Name: "members.importProgress", Access: Member, Right: domain.RightMembersInvite}, s.Import.Progress)
	add(r, Operation{Name: "invitations.lookup", Access: Public}, s.Invitations.Lookup)
	add(r, Operation{Name: "invitations.accept", Access: Public, Writes: true, Session: StartsSession}, s.Invitations.Accept)
	add(r, Operation{Name: "invitations.join", Access: SignedIn, Writes: true}, s.Invitations.Join)

	// Recovery and deletion: a person who forgot their password cannot sign
	// in, and a confirmation link may be opened where they are not, so these
	// are public and held by the mailed link or code. An admin may send a
	// member the reset instructions (members.edit) but never chooses the
	// password. A person deletes their own account (signed in, with a mailed
	// code); deleting an organization is org.delete, and is allowed on a
	// closed one too: read-only stops changes to its records, not its end.
	add(r, Operation{Name: "auth.forgotPassword", Access: Public, Writes: true}, s.Recovery.ForgotPassword)
	add(r, Operation{Name: "auth.resetPassword", Access: Public, Writes: true}, s.Recovery.ResetPassword)
	add(r, Operation{Name: "members.sendPasswordReset", Access: Member, Right: domain.RightMembersEdit, Writes: true}, s.Recovery.SendReset)
	add(r, Operation{Name: "account.requestEmailChange", Access: SignedIn, Writes: true}, s.Recovery.RequestEmailChange)
	add(r, Operation{Name: "account.confirmEmailChange", Access: Public, Writes: true}, s.Recovery.ConfirmEmailChange)
	add(r, Operation{Name: "account.requestDeletion", Access: SignedIn, Writes: true}, s.Deletion.RequestAccount)
	add(r, Operation{Name: "account.delete", Access: SignedIn, Writes: true, Session: EndsSession}, s.Deletion.DeleteAccount)
	add(r, Operation{Name: "orgs.requestDeletion", Access: Member, Right: domain.RightOrgDelete, Writes: true, AllowClosed: true}, s.Deletion.RequestOrg)
	add(r, Operation{Name: "orgs.delete", Access: Member, Right: domain.RightOrgDelete, Writes: true, AllowClosed: true}, s.Deletion.DeleteOrg)

	// Mail and outbox: the SMTP settings are the organization's setup, and
	// the outbox shows the links and codes an admin passes on by hand when
	// there is no SMTP: both are org.edit (what each message shows is
	// narrowed further by who it was meant for).
	add(r, Operation{Name: "mail.settings", Access: Member, Right: domain.RightOrgEdit}, s.Mail.Settings)
	add(r, Operation{Name: "mail.saveSettings", Access: Member, Right: domain.RightOrgEdit, Writes: true}, s.Mail.SaveSettings)
	add(r, Operation{Name: "mail.sendTest", Access: Member, Right: domain.RightOrgEdit, Writes: true}, s.Mail.SendTest)
	add(r, Operation{Name: "outbox.list", Access: Member, Right: domain.RightOrgEdit}, s.Mail.Outbox)
	add(r, Operation{Name: "outbox.retry", Access: Member, Right: domain.RightOrgEdit, Writes: true}, s.Mail.Retry)

	// History: the organization's history names everyone's actions, so it
	// is audit.view, reading, exporting and checking the chain alike; a
	// person's own history (what they did, what was done to their account)
	// is theirs to read when signed in.
	add(r, Operation{Name: "history.list", Access: Member, Right: domain.RightAuditView}, s.History.List)
	add(r, Operation{Name: "history.export", Access: Member, Right: domain.RightAuditView}, s.History.Export)
	add(r, Operation{Name: "history.verify", Access: Member, Right: domain.RightAuditView}, s.History.Verify)
	add(r, Operation{Name: "history.exportHead", Access: Member, Right: domain.RightAuditView}, s.History.ExportHead)
	add(r, Operation{Name: "history.checkExport", Access: Member, Right: domain.RightAuditView}, s.History.CheckExport)
	add(r, Operation{Name: "history.mine", Access: SignedIn}, s.History.Mine)

	// What changed, across the account's organizations: each kind of record
	// only where the account holds the right that lists it.
	add(r, Operation{Name: "changes.pull", Access: SignedIn}, s.Changes.Pull)
	// A connected desktop's replica: which organizations the account reads
	// now (signed in), and one organization's rows as it may read them (every
	// member reads its own part; the rest is cut by its rights inside, as
	// changes.pull cuts the log).
	add(r, Operation{Name: "sync.state", Access: SignedIn}, s.Changes.SyncState)
	add(r, Operation{Name: "sync.snapshot", Access: Member}, s.Changes.Snapshot)
	// A standalone desktop connecting sends its own organizations: signed
	// in, as creating an organization is; the caller becomes its admin.
	add(r, Operation{Name: "sync.upload", Access: SignedIn, Writes: true}, s.Upload.Upload)

	// The home page: signed in, about the account across its organizations;
	// each organization's part is read only where the operation that lists
	// it (tasks.list, invitations.list) would be allowed.
	add(r, Operation{Name: "home.summary", Access: SignedIn}, s.Home.Summary)

	// The desktop's backups, registered only where the desktop's start gives
	// the services its dependencies (a server has `atrium-server backup` and
	// pg_dump, and its registry has none of these). Each copies or replaces
	// the whole database, every organization and account on the desktop, so
	// each is the desktop's administrator's alone, checked in the operation
	// (Backups.mayManage) rather than by one organization's right. None goes
	// through the write path: a restore replaces the file whole and reopens
	// it (Result.Reopen), and no record is changed in place.
	if s.Backups != nil {
		add(r, Operation{Name: "backups.list", Access: SignedIn, Desktop: true}, s.Backups.List)
		add(r, Operation{Name: "backups.create", Access: SignedIn, Desktop: true}, s.Backups.Create)
		add(r, Operation{Name: "backups.export", Access: SignedIn, Desktop: true}, s.Backups.Export)
		add(r, Operation{Name: "backups.restore", Access: SignedIn, Session: EndsSession, Desktop: true}, s.Backups.Restore)
		add(r, Operation{Name: "backups.restoreFile", Access: SignedIn, Session: EndsSession, Desktop: true}, s.Backups.RestoreFile)
	}

	// A connected desktop's link to its server (sync.go), in the desktop's
	// registry alone. Its state, the address check and the connection are
	// public: a desktop set up for nobody yet connects from its first
	// screen, and nothing of the desktop's own data is read or changed. The
	// connection opens a session on the replica; disconnecting ends it.
	// Refused changes are the caller's own (signed in). Discarding one is an
	// act of the organization's history, replayed on the server: any member
	// may discard their own refused change there, in a closed organization
	// too (its closing is often why the change was refused).
	if s.Sync.conn != nil {
		add(r, Operation{Name: "sync.status", Access: Public, Desktop: true}, s.Sync.Status)
		add(r, Operation{Name: "sync.probe", Access: Public, Desktop: true}, s.Sync.Probe)
		add(r, Operation{Name: "sync.connect", Access: Public, Session: StartsSession, Desktop: true}, s.Sync.Connect)
		add(r, Operation{Name: "sync.disconnect", Access: SignedIn, Session: EndsSession, Desktop: true}, s.Sync.Disconnect)
		add(r, Operation{Name: "sync.refused", Access: SignedIn, Desktop: true}, s.Sync.Refused)
		// The desktop's own dossiers its user may send to the server when
		// connecting: those they are the admin of (checked inside).
		add(r, Operation{Name: "sync.localDossiers", Access: SignedIn, Desktop: true}, s.Sync.LocalDossiers)
		add(r, Operation{Name: "sync.retry", Access: SignedIn, Desktop: true}, s.Sync.Retry)
	}
	add(r, Operation{Name: "sync.discard", Access: Member, Writes: true, AllowClosed: true}, s.Sync.Discard)
	return r
}
