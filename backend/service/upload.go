package service

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// A standalone desktop that already holds dossiers may send them to the
// server it connects to (sync.upload): each becomes a server organization,
// the connecting account its admin. The desktop sends one organization as it
// holds it (UploadFromStore), never a password hash or a secret; the server
// writes it in one transaction through the write path. The organization
// keeps its id, so a second upload of it is refused (it is there already)
// and applies nothing twice; its roles, memberships and tasks take new ids.
//
// Members are matched to the server's accounts by email. The desktop's own
// user is the connecting account. A member whose account the caller already
// manages on the server (an active member of an organization the caller is
// the admin of) is added as a member. Anyone else becomes an invitation
// prepared but not sent, with their roles and rights: a member without an
// account cannot be given one (nobody chose a password for it), and an
// account of someone the caller does not manage is not put into an
// organization without their consent, nor its name shown (which would also
// tell who has an account). The admin sends the invitations from the
// invitations list when they choose (no mail leaves without the admin's
// say-so). Until accepted, their tasks stay without an assignee and their
// absences are not kept.

// Upload bounds: one organization of a desktop, not a bulk import.
const (
	maxUploadMembers = 5000
	maxUploadTasks   = 50000
	maxUploadRoles   = 200
)

// UploadInput is one organization as a desktop holds it.
type UploadInput struct {
	Organization     UploadOrganization `json:"organization"`
	Company          *CompanyProfile    `json:"company,omitempty"` // its base is not read
	RequireTwoFactor bool               `json:"requireTwoFactor"`
	Roles            []UploadRole       `json:"roles"`
	Members          []UploadMember     `json:"members"`
	Tasks            []UploadTask       `json:"tasks"`
	Absences         []UploadAbsence    `json:"absences"`
}

// UploadOrganization is the organization itself; ID is the desktop's.
type UploadOrganization struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Website   string    `json:"website"`
	Timezone  string    `json:"timezone"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"createdAt"`
}

// UploadRole is a role with its rights; ID is the desktop's, named by members.
type UploadRole struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	IsAdmin bool     `json:"isAdmin"`
	Rights  []string `json:"rights"`
}

// UploadMember is a membership with the person's name; ID is the desktop's,
// named by tasks and absences. Self marks the desktop's own user, who is the
// connecting account on the server.
type UploadMember struct {
	ID          string    `json:"id"`
	Self        bool      `json:"self"`
	Email       string    `json:"email"`
	FirstName   string    `json:"firstName"`
	LastName    string    `json:"lastName"`
	Language    string    `json:"language"`
	JobTitle    string    `json:"jobTitle"`
	EmployeeRef string    `json:"employeeRef"`
	Status      string    `json:"status"`
	Roles       []string  `json:"roles"`
	Rights      []string  `json:"rights"`
	CreatedAt   time.Time `json:"createdAt"`
}

// UploadTask is a task; Assignee and Creator name members of the upload.
type UploadTask struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	DueDate     *string    `json:"dueDate,omitempty"`
	Status      string     `json:"status"`
	Assignee    string     `json:"assignee,omitempty"`
	Creator     string     `json:"creator,omitempty"`
	Repeat      string     `json:"repeat"`
	RepeatDay   int        `json:"repeatDay"`
	CreatedAt   time.Time  `json:"createdAt"`
	UpdatedAt   time.Time  `json:"updatedAt"`
	CompletedAt *time.Time `json:"completedAt,omitempty"`
}

// UploadAbsence is a member away; Member and Delegate name members of the upload.
type UploadAbsence struct {
	Member    string    `json:"member"`
	ReturnsOn *string   `json:"returnsOn,omitempty"`
	Delegate  string    `json:"delegate,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
}

// Uploaded says what the server made of an upload.
type Uploaded struct {
	OrgID string `json:"orgId"`
	// Members matched to an account of the server (the connecting one included).
	Members int `json:"members"`
	// Invited: members without an account here, prepared as invitations not sent.
	Invited int `json:"invited"`
	Tasks   int `json:"tasks"`
}

// Upload is the server's side of a desktop sending its organizations.
type Upload struct {
	Deps
	members     *Members
	tasks       *Tasks
	invitations *Invitations
}

// Upload creates on the server the organization a desktop sends, the caller
// its admin, in one transaction. An organization the server has already
// (sent before, or anyone else's) is refused, and so is any input that is
// not a coherent organization: nothing is then applied.
func (s *Upload) Upload(ctx context.Context, a domain.Actor, in UploadInput) (Uploaded, error) {
	if s.connected(ctx) {
		// A connected desktop sends its dossiers; its replica never
		// receives one (the organization would be the desktop's alone).
		return Uploaded{}, domain.Errorf(domain.CodeForbidden, "a replica does not receive organizations")
	}
	plan, err := checkUpload(in)
	if err != nil {
		return Uploaded{}, err
	}
	out := Uploaded{OrgID: in.Organization.ID}
	err = s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		st := s.Store
		// Thousands of tasks and invitations: their rows, change-log and
		// history entries are written in bulk at the end. The rows read
		// back (memberships, for their records) are written at once.
		w.Batch()
		exists, err := st.OrganizationExists(ctx, in.Organization.ID)
		if err != nil {
			return err
		}
		if exists {
			return domain.FieldErrors{"organization": domain.FieldAlreadyOnServer}.Err()
		}
		me, err := st.AccountByID(ctx, a.AccountID)
		if err != nil {
			return err
		}
		now := s.now()
		o := in.Organization
		org := store.OrgRecord{ID: o.ID, Name: plan.name, SearchName: store.FoldName(plan.name), Website: plan.website,
			Timezone: o.Timezone, Status: o.Status, CreatedAt: orNow(o.CreatedAt, now), UpdatedAt: now}
		if o.Status == domain.OrgClosed {
			org.ClosedAt = &now
		}
		if err := st.Create(ctx, &org); err != nil {
			return err
		}
		oa := domain.Actor{AccountID: a.AccountID, OrgID: org.ID, SessionID: a.SessionID, IsAdmin: true}
		if err := w.Changed(org.ID, "organization", org.ID, "created",
			OrgDetails{ID: org.ID, Name: org.Name, Website: org.Website, Timezone: org.Timezone, Status: org.Status}); err != nil {
			return err
		}
		if in.Company != nil {
			p := profileOf(domain.FieldErrors{}, org.ID, *in.Company) // checked with the rest of the input
			p.UpdatedAt = now
			if err := st.SaveCompanyProfile(ctx, p); err != nil {
				return err
			}
			if err := w.Changed(org.ID, "company_profile", org.ID, "updated", companyView(p)); err != nil {
				return err
			}
		}
		if in.RequireTwoFactor {
			if err := st.SaveOrgSecurity(ctx, store.OrgSecurity{OrgID: org.ID, RequireTwoFactor: true, UpdatedAt: now}); err != nil {
				return err
			}
			if err := w.Changed(org.ID, "org_security", org.ID, "updated", map[string]any{"requireTwoFactor": true}); err != nil {
				return err
			}
		}

		// Roles, with new ids; the admin role is the one the caller holds.
		roleID := map[string]string{}
		adminRole := ""
		for _, r := range in.Roles {
			id := domain.NewIDIn(ctx)
			roleID[r.ID] = id
			if r.IsAdmin {
				adminRole = id
			}
			if err := st.Create(ctx, &domain.Role{ID: id, OrgID: org.ID, Name: domain.CleanText(r.Name), IsAdmin: r.IsAdmin, CreatedAt: now}); err != nil {
				return err
			}
			for _, right := range dedupe(r.Rights) {
				if err := st.Create(ctx, &domain.RoleRight{RoleID: id, RightName: domain.Right(right), OrgID: org.ID}); err != nil {
					return err
				}
			}
		}
		if adminRole == "" {
			adminRole = domain.NewIDIn(ctx)
			if err := st.Create(ctx, &domain.Role{ID: adminRole, OrgID: org.ID, Name: AdminRoleName, IsAdmin: true, CreatedAt: now}); err != nil {
				return err
			}
			roleID[""] = adminRole
		}

		// Members: the desktop's user is the caller; others by email.
		emails := make([]string, 0, len(in.Members))
		for _, m := range in.Members {
			emails = append(emails, plan.email[m.ID])
		}
		accounts, err := st.AccountsByEmail(ctx, emails)
		if err != nil {
			return err
		}
		ids := make([]string, 0, len(accounts))
		for _, acc := range accounts {
			ids = append(ids, acc.ID)
		}
		managed, err := st.ManagedBy(ctx, a.AccountID, ids)
		if err != nil {
			return err
		}
		account := map[string]string{} // upload member → server account
		names := map[string]domain.Account{me.ID: me}
		for _, acc := range accounts {
			names[acc.ID] = acc
		}
		taken := map[string]bool{}
		var memberIDs []string
		var invited []store.Invitation
		addMember := func(m UploadMember, accountID string, roles []string) error {
			id := domain.NewIDIn(ctx)
			status := m.Status
			if accountID == a.AccountID {
				status = domain.MemberActive // the admin is active in it
			}
			rec := store.MemberRecord{ID: id, OrgID: org.ID, AccountID: accountID, Status: status, EmployeeRef: domain.CleanText(m.EmployeeRef),
				JobTitle: domain.CleanText(m.JobTitle), CreatedAt: orNow(m.CreatedAt, now), UpdatedAt: now}
			if err := st.Create(ctx, &rec); err != nil {
				return err
			}
			for _, r := range roles {
				if err := st.Create(ctx, &domain.MembershipRole{MembershipID: id, RoleID: r, OrgID: org.ID}); err != nil {
					return err
				}
			}
			for _, right := range dedupe(m.Rights) {
				if err := st.Create(ctx, &domain.MembershipRight{MembershipID: id, RightName: domain.Right(right), OrgID: org.ID}); err != nil {
					return err
				}
			}
			taken[accountID] = true
			account[m.ID] = accountID
			memberIDs = append(memberIDs, id)
			return nil
		}
		serverRoles := func(m UploadMember) []string {
			out := []string{}
			for _, r := range dedupe(m.Roles) {
				out = append(out, roleID[r])
			}
			return out
		}
		// The caller first, so a member of the same email is not added twice.
		selfDone := false
		for _, m := range in.Members {
			if m.Self || plan.email[m.ID] == me.Email {
				if selfDone {
					continue
				}
				roles := serverRoles(m)
				if !contains(roles, adminRole) {
					roles = append(roles, adminRole)
				}
				if err := addMember(m, a.AccountID, roles); err != nil {
					return err
				}
				selfDone = true
			}
		}
		if !selfDone {
			if err := addMember(UploadMember{ID: "", Status: domain.MemberActive}, a.AccountID, []string{adminRole}); err != nil {
				return err
			}
		}
		for _, m := range in.Members {
			if m.Self || plan.email[m.ID] == me.Email {
				continue
			}
			if acc, ok := accounts[plan.email[m.ID]]; ok && managed[acc.ID] {
				if taken[acc.ID] {
					continue
				}
				if err := addMember(m, acc.ID, serverRoles(m)); err != nil {
					return err
				}
				continue
			}
			if m.Status != domain.MemberActive && m.Status != domain.MemberAway {
				continue // a former member, with no account here: nothing to invite
			}
			roles, rights := jsonList(serverRoles(m)), jsonList(dedupe(m.Rights))
			lang := m.Language
			if lang != "en" {
				lang = "fr"
			}
			by := a.AccountID
			inv := store.Invitation{ID: domain.NewIDIn(ctx), OrgID: org.ID, Email: plan.email[m.ID], FirstName: domain.CleanText(m.FirstName),
				LastName: domain.CleanText(m.LastName), JobTitle: domain.CleanText(m.JobTitle), EmployeeRef: domain.CleanText(m.EmployeeRef),
				RoleIDs: roles, Rights: rights, Language: lang, InvitedBy: &by, Status: store.InvitationPending}
			inv.Prepare(now) // not sent: the admin sends it from the list
			if err := w.insert(&inv); err != nil {
				return err
			}
			invited = append(invited, inv)
		}

		today, err := s.tasks.today(ctx, org.ID)
		if err != nil {
			return err
		}
		for _, t := range in.Tasks {
			id := domain.NewIDIn(ctx)
			rec := store.Task{ID: id, OrgID: org.ID, Title: domain.CleanText(t.Title), DueDate: t.DueDate, Status: t.Status,
				CreatedAt: orNow(t.CreatedAt, now), UpdatedAt: orNow(t.UpdatedAt, now), CompletedAt: t.CompletedAt,
				Recurrence: t.Repeat, RecurrenceDay: t.RepeatDay}
			if rec.Recurrence == "" {
				rec.Recurrence = store.RepeatNone
			}
			if acc, ok := account[t.Assignee]; ok && t.Assignee != "" {
				rec.AssigneeID = &acc
			}
			if acc, ok := account[t.Creator]; ok && t.Creator != "" {
				rec.CreatorID = &acc
			} else {
				rec.CreatorID = &a.AccountID
			}
			if err := w.insert(&rec); err != nil {
				return err
			}
			row := store.TaskRow{Task: rec}
			if rec.AssigneeID != nil {
				row.AssigneeFirstName, row.AssigneeLastName = names[*rec.AssigneeID].FirstName, names[*rec.AssigneeID].LastName
			}
			row.CreatorFirstName, row.CreatorLastName = names[*rec.CreatorID].FirstName, names[*rec.CreatorID].LastName
			if err := w.Changed(org.ID, "task", id, "created", taskView(row, today, nil)); err != nil {
				return err
			}
			out.Tasks++
		}
		for _, ab := range in.Absences {
			acc, ok := account[ab.Member]
			if !ok {
				continue // an absence of someone not a member here (invited)
			}
			mid, err := st.MembershipOf(ctx, org.ID, acc)
			if err != nil {
				return err
			}
			rec := store.Absence{MembershipID: mid, OrgID: org.ID, AccountID: acc, ReturnsOn: ab.ReturnsOn, CreatedAt: orNow(ab.CreatedAt, now)}
			if d, ok := account[ab.Delegate]; ok && ab.Delegate != "" && d != acc {
				rec.DelegateID = &d
			}
			if err := st.Create(ctx, &rec); err != nil {
				return err
			}
		}
		for _, r := range in.Roles {
			view := RoleView{ID: roleID[r.ID], Name: domain.CleanText(r.Name), IsAdmin: r.IsAdmin, Rights: nonNil(dedupe(r.Rights))}
			if err := w.Changed(org.ID, "role", view.ID, "created", view); err != nil {
				return err
			}
		}
		if err := s.members.statesChanged(w, oa, memberIDs); err != nil {
			return err
		}
		for _, inv := range invited {
			if err := s.invitations.changed(w, inv, "created", now); err != nil {
				return err
			}
		}
		out.Members, out.Invited = len(memberIDs), len(invited)
		return w.Record(audit.Entry{OrgID: org.ID, Action: audit.OrgImported, SubjectType: "organization", SubjectID: org.ID,
			Details: map[string]any{"name": org.Name, "members": out.Members, "invited": out.Invited, "tasks": out.Tasks,
				"roles": len(in.Roles)}})
	})
	if err != nil {
		return Uploaded{}, err
	}
	return out, nil
}

func jsonList(xs []string) string {
	b, _ := json.Marshal(nonNil(xs))
	return string(b)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func orNow(t, now time.Time) time.Time {
	if t.IsZero() || t.After(now) {
		return now
	}
	return t.UTC()
}

// uploadPlan is what checking an upload found: the cleaned values it writes.
type uploadPlan struct {
	name, website string
	email         map[string]string // member → normalised email
}

// checkUpload refuses an upload that is not one coherent organization:
// every id a UUID, every reference to a role or member of the upload, every
// right one of the catalog, the values the forms would accept.
func checkUpload(in UploadInput) (uploadPlan, error) {
	p := uploadPlan{email: map[string]string{}}
	if len(in.Members) > maxUploadMembers || len(in.Tasks) > maxUploadTasks || len(in.Roles) > maxUploadRoles ||
		len(in.Absences) > maxUploadMembers {
		return p, domain.Errorf(domain.CodeTooLarge, "the organization is too large to be sent at once")
	}
	errs := domain.FieldErrors{}
	o := in.Organization
	if !isUUID(o.ID) {
		errs.Add("organization", domain.FieldInvalidChoice)
	}
	p.name = domain.CleanText(o.Name)
	domain.CheckText(errs, "name", p.name, true)
	p.website = normalizeWebsite(errs, "website", o.Website)
	if !domain.ValidTimezone(o.Timezone) {
		errs.Add("timezone", domain.FieldInvalidTimezone)
	}
	if o.Status != domain.OrgActive && o.Status != domain.OrgClosed {
		errs.Add("status", domain.FieldInvalidStatus)
	}
	if in.Company != nil {
		profileOf(errs, "", *in.Company)
	}
	roles := map[string]bool{}
	admins := 0
	names := map[string]bool{}
	for _, r := range in.Roles {
		name := strings.ToLower(domain.CleanText(r.Name))
		if !isUUID(r.ID) || roles[r.ID] || names[name] {
			errs.Add("roles", domain.FieldInvalidChoice)
			continue
		}
		domain.CheckText(errs, "roles", r.Name, true)
		roles[r.ID], names[name] = true, true
		if r.IsAdmin {
			admins++
		}
		checkRights(errs, "roles", r.Rights)
	}
	if admins > 1 {
		errs.Add("roles", domain.FieldInvalidChoice)
	}
	members := map[string]bool{}
	emails := map[string]bool{}
	selves := 0
	for _, m := range in.Members {
		email, ok := domain.NormalizeEmail(m.Email)
		if !isUUID(m.ID) || members[m.ID] || !ok || emails[email] {
			errs.Add("members", domain.FieldInvalidChoice)
			continue
		}
		members[m.ID], emails[email], p.email[m.ID] = true, true, email
		if m.Self {
			selves++
		}
		for _, v := range []string{m.FirstName, m.LastName, m.JobTitle, m.EmployeeRef} {
			domain.CheckText(errs, "members", v, false)
		}
		if !contains(memberStatuses, m.Status) {
			errs.Add("members", domain.FieldInvalidStatus)
		}
		for _, r := range m.Roles {
			if !roles[r] {
				errs.Add("members", domain.FieldInvalidChoice)
			}
		}
		checkRights(errs, "members", m.Rights)
	}
	if selves > 1 {
		errs.Add("members", domain.FieldInvalidChoice)
	}
	tasks := map[string]bool{}
	for _, t := range in.Tasks {
		if !isUUID(t.ID) || tasks[t.ID] || (t.Assignee != "" && !members[t.Assignee]) || (t.Creator != "" && !members[t.Creator]) {
			errs.Add("tasks", domain.FieldInvalidChoice)
			continue
		}
		tasks[t.ID] = true
		domain.CheckText(errs, "tasks", domain.CleanText(t.Title), true)
		if t.Status != store.TaskOpen && t.Status != store.TaskDone {
			errs.Add("tasks", domain.FieldInvalidStatus)
		}
		if t.DueDate != nil && !validDay(*t.DueDate) {
			errs.Add("tasks", domain.FieldInvalidDate)
		}
		if t.Repeat != "" && !contains([]string{store.RepeatNone, store.RepeatMonthly, store.RepeatQuarterly, store.RepeatYearly}, t.Repeat) ||
			t.RepeatDay < 0 || t.RepeatDay > 31 {
			errs.Add("tasks", domain.FieldInvalidChoice)
		}
	}
	away := map[string]bool{}
	for _, ab := range in.Absences {
		if !members[ab.Member] || away[ab.Member] || (ab.Delegate != "" && !members[ab.Delegate]) {
			errs.Add("absences", domain.FieldInvalidChoice)
			continue
		}
		away[ab.Member] = true
		if ab.ReturnsOn != nil && !validDay(*ab.ReturnsOn) {
			errs.Add("absences", domain.FieldInvalidDate)
		}
	}
	return p, errs.Err()
}

func checkRights(errs domain.FieldErrors, field string, rights []string) {
	for _, r := range rights {
		if !domain.KnownRight(domain.Right(r)) {
			errs.Add(field, domain.FieldInvalidChoice)
		}
	}
}

func isUUID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}

func validDay(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// UploadFromStore reads organization orgID of a desktop's own file as an
// upload: accountID is the desktop's user sending it (Self). Password
// hashes and secrets are never read.
func UploadFromStore(ctx context.Context, st *store.Store, orgID, accountID string) (UploadInput, error) {
	x, err := st.OrganizationForUpload(ctx, orgID)
	if err != nil {
		return UploadInput{}, err
	}
	in := UploadInput{Organization: UploadOrganization{ID: x.Org.ID, Name: x.Org.Name, Website: x.Org.Website, Timezone: x.Org.Timezone,
		Status: x.Org.Status, CreatedAt: x.Org.CreatedAt}, RequireTwoFactor: x.Security.RequireTwoFactor,
		Roles: []UploadRole{}, Members: []UploadMember{}, Tasks: []UploadTask{}, Absences: []UploadAbsence{}}
	if c := x.Company; c != nil {
		in.Company = &CompanyProfile{LegalName: c.LegalName, SIRET: c.SIRET, VAT: c.VAT, Address: c.Address, PostalCode: c.PostalCode,
			City: c.City, Country: c.Country, MobilePhone: c.MobilePhone, CompanyPhone: c.CompanyPhone}
	}
	rights := map[string][]string{}
	for _, r := range x.RoleRights {
		rights[r.RoleID] = append(rights[r.RoleID], string(r.RightName))
	}
	for _, r := range x.Roles {
		in.Roles = append(in.Roles, UploadRole{ID: r.ID, Name: r.Name, IsAdmin: r.IsAdmin, Rights: nonNil(rights[r.ID])})
	}
	held, granted := map[string][]string{}, map[string][]string{}
	for _, r := range x.MemberRoles {
		held[r.MembershipID] = append(held[r.MembershipID], r.RoleID)
	}
	for _, r := range x.MemberRights {
		granted[r.MembershipID] = append(granted[r.MembershipID], string(r.RightName))
	}
	memberOf := map[string]string{} // account → membership
	for _, m := range x.Members {
		memberOf[m.AccountID] = m.ID
		in.Members = append(in.Members, UploadMember{ID: m.ID, Self: m.AccountID == accountID, Email: m.Email, FirstName: m.FirstName,
			LastName: m.LastName, Language: m.Language, JobTitle: m.JobTitle, EmployeeRef: m.EmployeeRef, Status: m.Status,
			Roles: nonNil(held[m.ID]), Rights: nonNil(granted[m.ID]), CreatedAt: m.CreatedAt})
	}
	ref := func(acc *string) string {
		if acc == nil {
			return ""
		}
		return memberOf[*acc]
	}
	for _, t := range x.Tasks {
		in.Tasks = append(in.Tasks, UploadTask{ID: t.ID, Title: t.Title, DueDate: t.DueDate, Status: t.Status, Assignee: ref(t.AssigneeID),
			Creator: ref(t.CreatorID), Repeat: t.Recurrence, RepeatDay: t.RecurrenceDay, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
			CompletedAt: t.CompletedAt})
	}
	for _, ab := range x.Absences {
		in.Absences = append(in.Absences, UploadAbsence{Member: ab.MembershipID, ReturnsOn: ab.ReturnsOn, Delegate: ref(ab.DelegateID),
			CreatedAt: ab.CreatedAt})
	}
	return in, nil
}
