package service

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// Orgs manages the organizations of an account (SPEC B2, B3, B4, B9).
type Orgs struct{ Deps }

// MaxWebsiteLen bounds a website address.
const MaxWebsiteLen = 200

// newOrganization creates an organization with its Admin role and makes the
// account its active Admin, with their change-log entries. It runs inside the
// caller's write; first run and "create an organization" both use it.
func newOrganization(w *Write, accountID, name, website, timezone string) (store.OrgRecord, error) {
	ctx, st := w.Ctx(), w.deps.Store
	acc, err := st.AccountByID(ctx, accountID)
	if err != nil {
		return store.OrgRecord{}, err
	}
	now := w.deps.now()
	org := store.OrgRecord{ID: domain.NewIDIn(ctx), Name: name, SearchName: store.FoldName(name), Website: website,
		Timezone: timezone, Status: domain.OrgActive, CreatedAt: now, UpdatedAt: now}
	role := domain.Role{ID: domain.NewIDIn(ctx), OrgID: org.ID, Name: AdminRoleName, IsAdmin: true, CreatedAt: now}
	mem := domain.Membership{ID: domain.NewIDIn(ctx), OrgID: org.ID, AccountID: accountID, Status: domain.MemberActive,
		CreatedAt: now, UpdatedAt: now}
	for _, row := range []any{&org, &role, &mem,
		&domain.MembershipRole{MembershipID: mem.ID, RoleID: role.ID, OrgID: org.ID}} {
		if err := st.Create(ctx, row); err != nil {
			return org, err
		}
	}
	admin := RoleRef{ID: role.ID, Name: role.Name, IsAdmin: true}
	for _, c := range []struct {
		entity, id string
		state      any
	}{
		{"organization", org.ID, OrgDetails{ID: org.ID, Name: org.Name, Website: org.Website, Timezone: org.Timezone, Status: org.Status}},
		{"role", role.ID, RoleView{ID: role.ID, Name: role.Name, IsAdmin: true, Rights: []string{}, MemberCount: 1}},
		{"membership", mem.ID, MemberItem{ID: mem.ID, AccountID: accountID, FirstName: acc.FirstName, LastName: acc.LastName,
			Email: acc.Email, Status: mem.Status, Roles: []RoleRef{admin}}},
	} {
		if err := w.Changed(org.ID, c.entity, c.id, "created", c.state); err != nil {
			return org, err
		}
	}
	return org, nil
}

// normalizeWebsite accepts an address typed with or without its scheme
// ("exemple.fr" becomes "https://exemple.fr"); only http and https are
// accepted, with a host. Empty means none.
func normalizeWebsite(errs domain.FieldErrors, field, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if utf8.RuneCountInString(s) > MaxWebsiteLen {
		errs.TooLong(field, MaxWebsiteLen)
		return s
	}
	if !strings.Contains(s, "://") && !strings.Contains(s, ":") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		strings.ContainsAny(s, " \t\r\n") || !strings.Contains(u.Hostname(), ".") && u.Hostname() != "localhost" {
		errs.Add(field, domain.FieldInvalidURL)
		return s
	}
	return u.String()
}

// OrgSummary is one line of the organization list: what helps an account in
// many dossiers choose one.
type OrgSummary struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Timezone  string `json:"timezone"`
	Status    string `json:"status"`
	Current   bool   `json:"current"`
	LegalName string `json:"legalName"` // the company profile's, else the name
	SIRET     string `json:"siret"`     // 14 digits, "" when none was given
	Members   int64  `json:"members"`   // active members
	// The account's roles there, Admin first.
	Roles        []string `json:"roles"`
	OpenTasks    int64    `json:"openTasks"`
	LastActivity string   `json:"lastActivity"` // RFC 3339 of the newest history entry, "" when none
}

// ListOrgsInput filters and orders the account's organizations.
type ListOrgsInput struct {
	Name   string `json:"name"`
	ID     string `json:"id"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
	// Sort is one of name (the default), status, members, roles, openTasks,
	// activity; Desc reverses it.
	Sort *string `json:"sort,omitempty"`
	Desc *bool   `json:"desc,omitempty"`
}

// OrgPage is one page of organizations.
type OrgPage struct {
	Items []OrgSummary `json:"items"`
	Total int64        `json:"total"`
}

// Paging bounds.
const (
	DefaultPageSize = 25
	MaxPageSize     = 100
)

func checkPage(errs domain.FieldErrors, offset, limit *int) {
	if *offset < 0 {
		errs.Add("offset", domain.FieldInvalidChoice)
	}
	switch {
	case *limit == 0:
		*limit = DefaultPageSize
	case *limit < 0 || *limit > MaxPageSize:
		errs.Add("limit", domain.FieldInvalidChoice)
	}
}

// List returns the organizations the account is an active member of, by name.
func (s *Orgs) List(ctx context.Context, a domain.Actor, in ListOrgsInput) (OrgPage, error) {
	errs := domain.FieldErrors{}
	checkPage(errs, &in.Offset, &in.Limit)
	name, id := store.FoldName(in.Name), strings.ToLower(strings.TrimSpace(in.ID))
	if utf8.RuneCountInString(name) > domain.MaxNameLen {
		errs.TooLong("name", domain.MaxNameLen)
	}
	if len(id) > 64 {
		errs.TooLong("id", 64)
	}
	if err := errs.Err(); err != nil {
		return OrgPage{}, err
	}
	f := store.OrgListFilter{AccountID: a.AccountID, Name: name, IDPrefix: id, Offset: in.Offset, Limit: in.Limit}
	if in.Sort != nil && *in.Sort != "" {
		f.Sort = *in.Sort
		if !slices.Contains(store.OrgSorts, f.Sort) {
			return OrgPage{}, domain.FieldErrors{"sort": domain.FieldInvalidChoice}.Err()
		}
	}
	f.Desc = in.Desc != nil && *in.Desc
	rows, total, err := s.Store.ListOrganizations(ctx, f)
	out := OrgPage{Items: make([]OrgSummary, 0, len(rows)), Total: total}
	for _, r := range rows {
		o := OrgSummary{ID: r.ID, Name: r.Name, Timezone: r.Timezone, Status: r.Status, Current: r.ID == a.OrgID,
			LegalName: r.LegalName, SIRET: r.SIRET, Members: r.Members, Roles: r.Roles, OpenTasks: r.OpenTasks}
		if o.LegalName == "" {
			o.LegalName = r.Name
		}
		if r.LastActivity != nil {
			o.LastActivity = r.LastActivity.UTC().Format(time.RFC3339)
		}
		out.Items = append(out.Items, o)
	}
	return out, err
}

// SwitchOrgInput names the organization to work in.
type SwitchOrgInput struct {
	OrgID string `json:"orgId"`
}

// Switch makes the session work in another organization of the account, and
// remembers it for the next sign-in. An organization the account is not an
// active member of is not found, whether it exists or not.
func (s *Orgs) Switch(ctx context.Context, a domain.Actor, in SwitchOrgInput) (SessionInfo, error) {
	if in.OrgID == "" {
		return SessionInfo{}, domain.FieldErrors{"orgId": domain.FieldRequired}.Err()
	}
	err := s.write(ctx, a, func(w *Write) error {
		ok, err := s.Store.IsActiveMember(w.Ctx(), in.OrgID, a.AccountID)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.CodeNotFound, "organization not found")
		}
		// The session's own choice is where it opens next: bookkeeping of the
		// session, not data the console shows.
		if err := s.Store.SetSessionOrg(w.Ctx(), a.SessionID, in.OrgID); err != nil {
			return err
		}
		acc, err := s.Store.AccountByID(w.Ctx(), a.AccountID)
		if err != nil {
			return err
		}
		if acc.LastOrgID != nil && *acc.LastOrgID == in.OrgID {
			w.Nothing()
			return nil
		}
		if err := s.Store.UpdateAccount(w.Ctx(), a.AccountID, map[string]any{"last_org_id": in.OrgID}); err != nil {
			return err
		}
		if err := w.Changed("", "account", a.AccountID, "updated", accountView(acc)); err != nil {
			return err
		}
		// The account's own history: which dossier it opens first is a
		// preference of the person, not an event of the organization.
		from := ""
		if acc.LastOrgID != nil {
			from = *acc.LastOrgID
		}
		return w.Record(audit.Entry{Action: audit.OrgSwitched, SubjectType: "organization", SubjectID: in.OrgID,
			Details: map[string]any{"orgId": fromTo(from, in.OrgID)}})
	})
	if err != nil {
		return SessionInfo{}, err
	}
	return (&Auth{Deps: s.Deps}).sessionInfo(ctx, a.AccountID, in.OrgID)
}

// CreateOrgInput is the "Create an organization" form (SPEC B3).
type CreateOrgInput struct {
	Name     string `json:"name"`
	Website  string `json:"website"`
	Timezone string `json:"timezone"`
	// SIRET is optional (spaces and dots accepted); given, it starts the
	// company profile, so a second dossier of the same company is seen.
	SIRET string `json:"siret"`
	// ConfirmDuplicate creates it even though the account already belongs to
	// an organization of the same name (folded) or the same SIRET: without
	// it, such a name is refused with duplicate_name and such a SIRET with
	// duplicate_siret, so the form can warn and ask first.
	ConfirmDuplicate bool `json:"confirmDuplicate"`
}

// Create makes a new organization whose Admin is the caller.
func (s *Orgs) Create(ctx context.Context, a domain.Actor, in CreateOrgInput) (OrgSummary, error) {
	errs := domain.FieldErrors{}
	name := domain.CleanText(in.Name)
	domain.CheckText(errs, "name", name, true)
	website := normalizeWebsite(errs, "website", in.Website)
	if in.Timezone == "" {
		errs.Add("timezone", domain.FieldRequired)
	} else if !domain.ValidTimezone(in.Timezone) {
		errs.Add("timezone", domain.FieldInvalidTimezone)
	}
	// The company page's rule, so a SIRET given here is one it would keep.
	domain.CheckCompanyIDs(errs, "siret", "", in.SIRET, "")
	siret, _ := domain.NormalizeSIRET(in.SIRET)
	if err := errs.Err(); err != nil {
		return OrgSummary{}, err
	}
	var org store.OrgRecord
	err := s.write(ctx, a, func(w *Write) error {
		// Checked in the write, so two forms sent at once cannot both pass.
		if !in.ConfirmDuplicate {
			if err := s.duplicates(w.Ctx(), a.AccountID, name, siret); err != nil {
				return err
			}
		}
		var err error
		if org, err = newOrganization(w, a.AccountID, name, website, in.Timezone); err != nil {
			return err
		}
		details := map[string]any{"name": name, "website": website, "timezone": in.Timezone}
		if siret != "" {
			p := store.CompanyProfile{OrgID: org.ID, SIRET: siret}
			if err := s.Store.SaveCompanyProfile(w.Ctx(), p); err != nil {
				return err
			}
			if err := w.Changed(org.ID, "company_profile", org.ID, "updated", companyView(p)); err != nil {
				return err
			}
			details["siret"] = siret
		}
		return w.Record(audit.Entry{OrgID: org.ID, Action: audit.OrgCreated, SubjectType: "organization",
			SubjectID: org.ID, Details: details})
	})
	return OrgSummary{ID: org.ID, Name: org.Name, Timezone: org.Timezone, Status: org.Status, LegalName: org.Name,
		SIRET: siret, Members: 1, Roles: []string{AdminRoleName}}, err
}

// duplicates refuses a name (folded, as the member search folds it) or a
// SIRET that one of the account's active dossiers already has: a second
// dossier of the same client is most often a slip, so the form warns first.
func (s *Orgs) duplicates(ctx context.Context, accountID, name, siret string) error {
	errs := domain.FieldErrors{}
	same, err := s.Store.OrgNamedForAccount(ctx, accountID, store.FoldName(name))
	if err != nil {
		return err
	}
	if same != "" {
		errs.Add("name", domain.FieldDuplicateName)
	}
	if siret != "" {
		same, err := s.Store.OrgWithSIRETForAccount(ctx, accountID, siret)
		if err != nil {
			return err
		}
		if same != "" {
			errs.Add("siret", domain.FieldDuplicateSIRET)
		}
	}
	return errs.Err()
}

// PersonRef names a member of the organization.
type PersonRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func personRef(id, first, last string) *PersonRef {
	return &PersonRef{ID: id, Name: domain.Account{FirstName: first, LastName: last}.FullName()}
}

// OrgDetails is the organization's information page.
type OrgDetails struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Website     string     `json:"website"`
	Timezone    string     `json:"timezone"`
	Status      string     `json:"status"`
	ClosedAt    string     `json:"closedAt"` // RFC 3339, empty when open
	Responsible *PersonRef `json:"responsible"`
	// ResponsibleAway: the responsible is away; its delegate is the acting
	// responsible (members_away.go).
	ResponsibleAway *MemberAway `json:"responsibleAway"`
}

func (s *Orgs) details(ctx context.Context, orgID string) (OrgDetails, error) {
	o, err := s.Store.OrgRecordByID(ctx, orgID)
	if err != nil {
		return OrgDetails{}, err
	}
	d := OrgDetails{ID: o.ID, Name: o.Name, Website: o.Website, Timezone: o.Timezone, Status: o.Status}
	if o.ClosedAt != nil {
		d.ClosedAt = o.ClosedAt.UTC().Format(time.RFC3339)
	}
	if o.ResponsibleID != nil {
		acc, err := s.Store.AccountByID(ctx, *o.ResponsibleID)
		if err != nil {
			return OrgDetails{}, err
		}
		d.Responsible = personRef(acc.ID, acc.FirstName, acc.LastName)
		if d.ResponsibleAway, err = s.responsibleAway(ctx, orgID, acc.ID); err != nil {
			return OrgDetails{}, err
		}
	}
	return d, nil
}

// Current returns the information of the session's organization.
func (s *Orgs) Current(ctx context.Context, a domain.Actor, _ Empty) (OrgDetails, error) {
	return s.details(ctx, a.OrgID)
}

// PersonList is a list of the organization's active members, by name.
type PersonList struct {
	Items []PersonRef `json:"items"`
}

// Members lists the organization's active members, for choosing its responsible.
func (s *Orgs) Members(ctx context.Context, a domain.Actor, _ Empty) (PersonList, error) {
	return activeMembers(ctx, s.Store, a.OrgID)
}

func activeMembers(ctx context.Context, st *store.Store, orgID string) (PersonList, error) {
	rows, err := st.ActiveMembers(ctx, orgID)
	out := PersonList{Items: make([]PersonRef, 0, len(rows))}
	for _, r := range rows {
		out.Items = append(out.Items, *personRef(r.AccountID, r.FirstName, r.LastName))
	}
	return out, err
}

// UpdateOrgInput is the information card (SPEC B4). A field left out is not
// changed. The timezone can never change: sending another one is refused.
type UpdateOrgInput struct {
	Name          *string `json:"name,omitempty"`
	Website       *string `json:"website,omitempty"`
	Timezone      *string `json:"timezone,omitempty"`
	ResponsibleID *string `json:"responsibleId,omitempty"` // "" clears it
	// Base holds the fields as the caller last read them (see concurrent.go).
	Base *Base `json:"base,omitempty"`
}

// Update changes the organization's name, website or responsible member.
func (s *Orgs) Update(ctx context.Context, a domain.Actor, in UpdateOrgInput) (OrgDetails, error) {
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		before, err := s.Store.OrgRecordByID(ctx, a.OrgID)
		if err != nil {
			return err
		}
		errs := domain.FieldErrors{}
		check := checkAgainst(in.Base)
		cols := map[string]any{}
		changes := map[string]any{}
		if in.Name != nil {
			name := domain.CleanText(*in.Name)
			domain.CheckText(errs, "name", name, true)
			if name = check.value("name", before.Name, name, domain.CleanText); name != before.Name {
				cols["name"], cols["search_name"] = name, store.FoldName(name)
				changes["name"] = fromTo(before.Name, name)
			}
		}
		if in.Website != nil {
			w := normalizeWebsite(errs, "website", *in.Website)
			asRead := func(b string) string { return normalizeWebsite(domain.FieldErrors{}, "website", b) }
			if w = check.value("website", before.Website, w, asRead); w != before.Website {
				cols["website"] = w
				changes["website"] = fromTo(before.Website, w)
			}
		}
		if in.Timezone != nil && *in.Timezone != before.Timezone {
			errs.Add("timezone", domain.FieldTimezoneImmutable)
		}
		if in.ResponsibleID != nil {
			var cur string
			if before.ResponsibleID != nil {
				cur = *before.ResponsibleID
			}
			if id := check.value("responsibleId", cur, *in.ResponsibleID, nil); id != cur {
				if id == "" {
					cols["responsible_id"] = nil
				} else if ok, err := s.Store.IsActiveMember(ctx, a.OrgID, id); err != nil {
					return err
				} else if !ok {
					errs.Add("responsibleId", domain.FieldInvalidMember)
				} else {
					cols["responsible_id"] = id
				}
				// Account IDs only: a person's name is not written into the history.
				changes["responsibleId"] = fromTo(cur, id)
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		if err := check.err(); err != nil {
			return err
		}
		if len(cols) == 0 {
			w.Nothing()
			return nil
		}
		if err := s.Store.UpdateOrganization(ctx, a.OrgID, cols); err != nil {
			return err
		}
		if err := s.changedOrg(w, a.OrgID); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.OrgUpdated, SubjectType: "organization",
			SubjectID: a.OrgID, Details: map[string]any{"changes": changes}})
	})
	if err != nil {
		return OrgDetails{}, err
	}
	return s.details(ctx, a.OrgID)
}

func fromTo(from, to any) map[string]any { return map[string]any{"from": from, "to": to} }

// Close makes the organization read-only (SPEC B9).
func (s *Orgs) Close(ctx context.Context, a domain.Actor, _ Empty) (OrgDetails, error) {
	return s.setStatus(ctx, a, domain.OrgClosed)
}

// Reopen makes a closed organization writable again.
func (s *Orgs) Reopen(ctx context.Context, a domain.Actor, _ Empty) (OrgDetails, error) {
	return s.setStatus(ctx, a, domain.OrgActive)
}

func (s *Orgs) setStatus(ctx context.Context, a domain.Actor, status string) (OrgDetails, error) {
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		before, err := s.Store.OrgRecordByID(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if before.Status == status {
			w.Nothing()
			return nil
		}
		cols := map[string]any{"status": status, "closed_at": nil}
		action := audit.OrgReopened
		if status == domain.OrgClosed {
			cols["closed_at"], action = s.now(), audit.OrgClosedAction
		}
		if err := s.Store.UpdateOrganization(ctx, a.OrgID, cols); err != nil {
			return err
		}
		if err := s.changedOrg(w, a.OrgID); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: action, SubjectType: "organization",
			SubjectID: a.OrgID, Details: map[string]any{"status": fromTo(before.Status, status)}})
	})
	if err != nil {
		return OrgDetails{}, err
	}
	return s.details(ctx, a.OrgID)
}

// changedOrg records the organization's new information in the change log.
func (s *Orgs) changedOrg(w *Write, orgID string) error {
	d, err := s.details(w.Ctx(), orgID)
	if err != nil {
		return err
	}
	return w.Changed(orgID, "organization", orgID, "updated", d)
}
