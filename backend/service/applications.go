package service

import (
	"context"

	"atrium/backend/audit"
	"atrium/backend/domain"
)

// Applications enables applications per organization and grants them per
// member (SPEC B7), and lists an account's own applications (SPEC A8).
type Applications struct{ Deps }

// AppUserRef is a member using an application.
type AppUserRef struct {
	MemberID  string `json:"memberId"`
	AccountID string `json:"accountId"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Status    string `json:"status"`
}

// offered lists the applications of the catalog that have an address, in
// the catalog's order: the only ones the console shows.
func (d Deps) offered() []domain.Application {
	var out []domain.Application
	for _, app := range domain.Applications {
		if d.AppAddresses[app.Key] != "" {
			out = append(out, app)
		}
	}
	return out
}

// isOffered reports whether an application of the catalog has an address.
func (d Deps) isOffered(key string) bool {
	return domain.KnownApplication(key) && d.AppAddresses[key] != ""
}

// OrgApplicationView is one application of the catalog in this organization.
type OrgApplicationView struct {
	Key         string       `json:"key"`
	Name        domain.Text  `json:"name"`
	Description domain.Text  `json:"description"`
	Enabled     bool         `json:"enabled"`
	Users       []AppUserRef `json:"users"`
}

// OrgApplications is the application catalog for the organization.
type OrgApplications struct {
	Applications []OrgApplicationView `json:"applications"`
}

// List returns every application offered (it has an address), whether it
// is enabled here, and which members use it.
func (s *Applications) List(ctx context.Context, a domain.Actor, _ Empty) (OrgApplications, error) {
	return s.list(ctx, a.OrgID)
}

func (s *Applications) list(ctx context.Context, orgID string) (OrgApplications, error) {
	enabled, err := s.Store.EnabledApplications(ctx, orgID)
	if err != nil {
		return OrgApplications{}, err
	}
	users, err := s.Store.ApplicationUsers(ctx, orgID)
	if err != nil {
		return OrgApplications{}, err
	}
	out := OrgApplications{Applications: []OrgApplicationView{}}
	for _, app := range s.offered() {
		_, on := enabled[app.Key]
		v := OrgApplicationView{Key: app.Key, Name: app.Name, Description: app.Description, Enabled: on, Users: []AppUserRef{}}
		for _, u := range users {
			if u.App == app.Key {
				v.Users = append(v.Users, AppUserRef{MemberID: u.MemberID, AccountID: u.AccountID, FirstName: u.FirstName, LastName: u.LastName, Status: u.Status})
			}
		}
		out.Applications = append(out.Applications, v)
	}
	return out, nil
}

// SetApplicationInput enables or disables an application.
type SetApplicationInput struct {
	Application string `json:"application"`
	Enabled     bool   `json:"enabled"`
}

// SetEnabled enables or disables an application for the organization.
// Disabling keeps who it was granted to, so enabling it again restores them.
// Only an application offered can be enabled; any can be disabled.
func (s *Applications) SetEnabled(ctx context.Context, a domain.Actor, in SetApplicationInput) (Empty, error) {
	if !domain.KnownApplication(in.Application) || (in.Enabled && !s.isOffered(in.Application)) {
		return Empty{}, domain.FieldErrors{"application": domain.FieldUnknownApplication}.Err()
	}
	return Empty{}, s.write(ctx, a, func(w *Write) error {
		changed, err := s.Store.SetApplicationEnabled(w.Ctx(), a.OrgID, in.Application, in.Enabled)
		if err != nil {
			return err
		}
		if !changed {
			w.Nothing()
			return nil
		}
		action := audit.ApplicationEnabled
		if !in.Enabled {
			action = audit.ApplicationDisabled
		}
		apps, err := s.list(w.Ctx(), a.OrgID)
		if err != nil {
			return err
		}
		for _, app := range apps.Applications {
			if app.Key == in.Application {
				if err := w.Changed(a.OrgID, "application", in.Application, "updated", app); err != nil {
					return err
				}
			}
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: action, SubjectType: "application", SubjectID: in.Application})
	})
}

// GrantApplicationInput gives or takes an application from a member.
type GrantApplicationInput struct {
	MemberID    string `json:"memberId"`
	Application string `json:"application"`
	Granted     bool   `json:"granted"`
}

// Grant gives or takes an application from a member. Only an enabled
// application can be given; a deleted member cannot be changed.
func (s *Applications) Grant(ctx context.Context, a domain.Actor, in GrantApplicationInput) (Empty, error) {
	if !domain.KnownApplication(in.Application) || (in.Granted && !s.isOffered(in.Application)) {
		return Empty{}, domain.FieldErrors{"application": domain.FieldUnknownApplication}.Err()
	}
	return Empty{}, s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		members := &Members{s.Deps}
		m, err := members.editable(ctx, a.OrgID, in.MemberID)
		if err != nil {
			return err
		}
		if in.Granted {
			enabled, err := s.Store.EnabledApplications(ctx, a.OrgID)
			if err != nil {
				return err
			}
			if _, on := enabled[in.Application]; !on {
				return domain.FieldErrors{"application": domain.FieldApplicationDisabled}.Err()
			}
		}
		changed, err := s.Store.SetMemberApplication(ctx, a.OrgID, m.ID, in.Application, in.Granted)
		if err != nil {
			return err
		}
		if !changed {
			w.Nothing()
			return nil
		}
		action := audit.ApplicationGranted
		if !in.Granted {
			action = audit.ApplicationRevoked
		}
		detail, err := members.detail(ctx, a, m.ID)
		if err != nil {
			return err
		}
		if err := w.Changed(a.OrgID, "membership", m.ID, "updated", detail); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: action, SubjectType: "membership", SubjectID: m.ID,
			Details: map[string]any{"application": in.Application, "accountId": m.AccountID}})
	})
}

// MyApplication is an application the signed-in account may use, and the
// address its tile opens.
type MyApplication struct {
	Key         string      `json:"key"`
	Name        domain.Text `json:"name"`
	Description domain.Text `json:"description"`
	URL         string      `json:"url"`
}

// MyOrgApplications is one organization's applications for the account.
type MyOrgApplications struct {
	OrgID        string          `json:"orgId"`
	OrgName      string          `json:"orgName"`
	Applications []MyApplication `json:"applications"`
}

// MyApplications lists the account's applications by organization.
type MyApplications struct {
	Organizations []MyOrgApplications `json:"organizations"`
}

// Mine returns the applications the signed-in account can use, per
// organization where it is an active member (SPEC A8).
func (s *Applications) Mine(ctx context.Context, a domain.Actor, _ Empty) (MyApplications, error) {
	rows, err := s.Store.ApplicationsOfAccount(ctx, a.AccountID)
	out := MyApplications{Organizations: []MyOrgApplications{}}
	for _, r := range rows {
		if !s.isOffered(r.App) {
			continue
		}
		n := len(out.Organizations)
		if n == 0 || out.Organizations[n-1].OrgID != r.OrgID {
			out.Organizations = append(out.Organizations, MyOrgApplications{OrgID: r.OrgID, OrgName: r.OrgName, Applications: []MyApplication{}})
			n++
		}
		for _, app := range domain.Applications {
			if app.Key == r.App {
				o := &out.Organizations[n-1]
				o.Applications = append(o.Applications, MyApplication{Key: app.Key, Name: app.Name, Description: app.Description,
					URL: s.AppAddresses[app.Key]})
			}
		}
	}
	return out, err
}
