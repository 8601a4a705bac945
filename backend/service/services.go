// Package service holds Atrium's operations. Each exported method of a service
// is one operation: it validates, and writes through the write path (write.go),
// which records the change log and the history in the same transaction. Nothing here knows about
// HTTP or Wails; every door calls the operations through the Registry.
package service

import (
	"context"
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
	// AppAddresses is where each application of the catalog is reached
	// (the operator's setting, by application key). An application without
	// an address is not offered: it could be switched on but lead nowhere.
	AppAddresses map[string]string
	// Desktop is given by the desktop alone: with it the services include
	// the desktop's own operations (backups, with its file dialogs).
	Desktop *DesktopDeps

	// jobs are the long work running in this process, shared by every
	// service (jobs.go); newServices makes them.
	jobs *Jobs
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

// language is the caller's interface language, which files and words made
// for them are written in: French unless their account says English.
func (d *Deps) language(ctx context.Context, a domain.Actor) string {
	if acc, err := d.Store.AccountByID(ctx, a.AccountID); err == nil && acc.Language == "en" {
		return "en"
	}
	return "fr"
}

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
	Import       *MemberImport
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
	// What changed, for the live refresh and connected desktops.
	Changes *Changes
	// The account's home page, across its organizations.
	Home *Home
	// The desktop's backups: nil on the server, whose registry then has no
	// backups.* operation at all.
	Backups *Backups
	// A connected desktop's link to its server (the desktop's own sync.*
	// operations when conn is set), and the discard of a refused change.
	Sync *Sync
	// How far the caller's long work is (jobs.progress).
	Jobs *JobsService
	// A standalone desktop's organizations sent to the server it connects to.
	Upload *Upload

	digests digests // when the outbox worker last looked for weekly digests due
}

// newServices builds the services and their registry; programs, tests and
// benchmarks call Start, which builds what they stand on first.
func newServices(d Deps) (*Services, *Registry) {
	d.defaults()
	d.jobs = newJobs(d.Clock)
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
	s.Import = &MemberImport{Deps: d, inv: s.Invitations, members: s.Members}
	s.Recovery = &Recovery{Deps: d, auth: s.Auth, mail: s.Mail}
	s.Deletion = &Deletion{Deps: d, auth: s.Auth, mail: s.Mail}
	s.Changes = &Changes{Deps: d, auth: s.Auth}
	s.Home = &Home{Deps: d, auth: s.Auth}
	if d.Desktop != nil {
		s.Backups = &Backups{Deps: d, dialogs: d.Desktop.Dialogs}
	}
	s.Sync = &Sync{Deps: d}
	s.Jobs = &JobsService{d}
	s.Upload = &Upload{Deps: d, members: s.Members, tasks: s.Tasks, invitations: s.Invitations}
	if d.Desktop != nil {
		s.Sync.conn = d.Desktop.Connection
	}
	r := newRegistry(s, d.Log)
	s.Home.reg = r
	return s, r
}

// Describe returns the registry alone, for tools that only read it (the
// TypeScript generator, the documentation, the registry walks): every
// operation, the desktop's own included.
func Describe() *Registry {
	return newRegistry(&Services{Backups: &Backups{}, Sync: &Sync{conn: describeOnly{}}, Jobs: &JobsService{}}, slog.Default())
}
