package service

import (
	"context"
	"encoding/json"
	"time"

	"atrium/backend/audit"
	"atrium/backend/domain"
)

// DataExport gives a person a copy of what Atrium keeps about them (SPEC E3,
// the right of access and portability): one JSON file, read by other
// software as well as by people. It is the caller's own data only, across
// every organization they belong to or belonged to; an administrator
// exporting someone else's is not offered.
//
// What it holds is copied field by field into types of its own, which have
// no place for a password hash, a second-factor secret, recovery codes or a
// session's token; sessions and tasks are read by the columns named only
// (dataexport_test.go searches the file for every secret the database holds).
type DataExport struct{ s *Services }

// dataExportFormat and dataExportVersion head the file, for a program that
// reads it to know what it reads.
const (
	dataExportFormat  = "atrium.personal-data"
	dataExportVersion = 1
)

// dataExportSections are what the job counts: each section once read.
const dataExportSections = 7

// maxDataHistory bounds the history entries of one organization in the file.
const maxDataHistory = maxExport

// PersonalData is the file's content. Keys are English camelCase, times
// ISO 8601 (UTC), days YYYY-MM-DD.
type PersonalData struct {
	Format        string             `json:"format"`
	Version       int                `json:"version"`
	ExportedAt    time.Time          `json:"exportedAt"`
	Profile       DataProfile        `json:"profile"`
	TwoFactor     DataTwoFactor      `json:"twoFactor"`
	Notifications []DataNotification `json:"notifications"`
	Memberships   []DataMembership   `json:"memberships"`
	Devices       []DataDevice       `json:"devices"`
	Tasks         []DataTask         `json:"tasks"`
	History       []DataHistoryEntry `json:"history"`
	Counts        map[string]int     `json:"counts"`
}

// DataProfile is the account itself, without its password.
type DataProfile struct {
	ID                string     `json:"id"`
	Email             string     `json:"email"`
	Title             string     `json:"title"`
	FirstName         string     `json:"firstName"`
	LastName          string     `json:"lastName"`
	MobilePhone       string     `json:"mobilePhone"`
	JobTitle          string     `json:"jobTitle"`
	Language          string     `json:"language"`
	CreatedAt         time.Time  `json:"createdAt"`
	UpdatedAt         time.Time  `json:"updatedAt"`
	PasswordChangedAt *time.Time `json:"passwordChangedAt"`
}

// DataTwoFactor is whether the second factor is on and since when, never
// its secret nor its codes.
type DataTwoFactor struct {
	Enabled           bool       `json:"enabled"`
	EnabledAt         *time.Time `json:"enabledAt"`
	RecoveryCodesLeft int64      `json:"recoveryCodesLeft"`
}

// DataNotification is one category of mail and whether it is wanted.
type DataNotification struct {
	Category string `json:"category"`
	Enabled  bool   `json:"enabled"`
}

// DataMembership is the person in one organization.
type DataMembership struct {
	OrganizationID   string       `json:"organizationId"`
	OrganizationName string       `json:"organizationName"`
	Status           string       `json:"status"`
	Roles            []string     `json:"roles"`
	DirectRights     []string     `json:"directRights"`
	JobTitle         string       `json:"jobTitle"`
	EmployeeRef      string       `json:"employeeRef"`
	JoinedAt         time.Time    `json:"joinedAt"`
	LeftAt           *time.Time   `json:"leftAt"`
	Absence          *DataAbsence `json:"absence"`
}

// DataAbsence is a member's absence: since when, and the first day back.
type DataAbsence struct {
	Since     time.Time `json:"since"`
	ReturnsOn *string   `json:"returnsOn"`
}

// DataDevice is one sign-in on a device, without its token.
type DataDevice struct {
	Kind       string     `json:"kind"`
	DeviceName string     `json:"deviceName"`
	Platform   string     `json:"platform"`
	IP         string     `json:"ip"`
	CreatedAt  time.Time  `json:"createdAt"`
	LastSeenAt time.Time  `json:"lastSeenAt"`
	RevokedAt  *time.Time `json:"revokedAt"`
}

// DataTask is a task given to the person or created by them.
type DataTask struct {
	OrganizationName string     `json:"organizationName"`
	Title            string     `json:"title"`
	DueDate          *string    `json:"dueDate"`
	Status           string     `json:"status"`
	AssignedToMe     bool       `json:"assignedToMe"`
	CreatedByMe      bool       `json:"createdByMe"`
	CreatedAt        time.Time  `json:"createdAt"`
	CompletedAt      *time.Time `json:"completedAt"`
}

// DataHistoryEntry is a history entry where the person acts or is the
// subject, as the History shows it. Other people are not named: an entry
// says whether the person was its actor or its subject, and one about
// someone else leaves out the address its details hold (an invitation
// sent by the person).
type DataHistoryEntry struct {
	OrganizationName string         `json:"organizationName"` // "" for the account's own history
	At               time.Time      `json:"at"`
	Action           string         `json:"action"`
	ActionLabel      string         `json:"actionLabel"`
	ByMe             bool           `json:"byMe"`
	AboutMe          bool           `json:"aboutMe"`
	SubjectType      string         `json:"subjectType"`
	Device           string         `json:"device"`
	Details          map[string]any `json:"details"`
}

// Export returns the caller's data as one JSON file, as the job
// "account.exportData" counting its sections, and records it in the
// account's own history.
func (d *DataExport) Export(ctx context.Context, a domain.Actor, _ Empty) (ExportFile, error) {
	job := d.s.Accounts.jobs.start(a, "account.exportData", dataExportSections)
	f, err := d.export(ctx, a, job)
	job.End(err)
	return f, err
}

func (d *DataExport) export(ctx context.Context, a domain.Actor, job *Job) (ExportFile, error) {
	deps := &d.s.Accounts.Deps
	db := deps.Store.DB(ctx)
	me := a.AccountID
	lang := deps.language(ctx, a)
	out := PersonalData{Format: dataExportFormat, Version: dataExportVersion, ExportedAt: deps.now().Truncate(time.Second),
		Notifications: []DataNotification{}, Memberships: []DataMembership{}, Devices: []DataDevice{}, Tasks: []DataTask{},
		History: []DataHistoryEntry{}}

	// The profile.
	acc, err := deps.Store.AccountByID(ctx, me)
	if err != nil {
		return ExportFile{}, err
	}
	sec, err := deps.Store.SecurityOf(ctx, me)
	if err != nil {
		return ExportFile{}, err
	}
	out.Profile = DataProfile{ID: acc.ID, Email: acc.Email, Title: acc.Title, FirstName: acc.FirstName, LastName: acc.LastName,
		MobilePhone: acc.MobilePhone, JobTitle: acc.JobTitle, Language: acc.Language, CreatedAt: acc.CreatedAt, UpdatedAt: acc.UpdatedAt,
		PasswordChangedAt: sec.PasswordChangedAt}
	job.Add(1)

	// The second factor: on or off and since when.
	out.TwoFactor = DataTwoFactor{Enabled: sec.TOTPEnabled}
	if sec.TOTPEnabled {
		out.TwoFactor.EnabledAt = sec.EnabledAt
		if out.TwoFactor.RecoveryCodesLeft, err = deps.Store.RecoveryCodesLeft(ctx, me); err != nil {
			return ExportFile{}, err
		}
	}
	job.Add(1)

	// Notification preferences (defaults where never changed).
	prefs, err := d.s.Notifications.preferences(ctx, me)
	if err != nil {
		return ExportFile{}, err
	}
	for _, c := range prefs.Categories {
		out.Notifications = append(out.Notifications, DataNotification{Category: c.Category, Enabled: c.Enabled})
	}
	job.Add(1)

	// Memberships, with their roles, direct rights and absence.
	var ms []struct {
		ID, OrgID, OrgName, Status, JobTitle, EmployeeRef string
		CreatedAt, UpdatedAt                              time.Time
	}
	if err := db.Table("memberships m").Joins("JOIN organizations o ON o.id = m.org_id").
		Select("m.id, m.org_id, o.name AS org_name, m.status, m.job_title, m.employee_ref, m.created_at, m.updated_at").
		Where("m.account_id = ?", me).Order("o.name, m.id").Scan(&ms).Error; err != nil {
		return ExportFile{}, err
	}
	orgNames := map[string]string{}
	for _, m := range ms {
		orgNames[m.OrgID] = m.OrgName
		dm := DataMembership{OrganizationID: m.OrgID, OrganizationName: m.OrgName, Status: m.Status, JobTitle: m.JobTitle,
			EmployeeRef: m.EmployeeRef, JoinedAt: m.CreatedAt, Roles: []string{}, DirectRights: []string{}}
		if m.Status == domain.MemberDeleted {
			left := m.UpdatedAt
			dm.LeftAt = &left
		}
		roles, err := deps.Store.RoleNamesOf(ctx, m.OrgID, []string{m.ID})
		if err != nil {
			return ExportFile{}, err
		}
		for _, r := range roles[m.ID] {
			dm.Roles = append(dm.Roles, r.Name)
		}
		direct, err := deps.Store.DirectRightsOf(ctx, m.OrgID, m.ID)
		if err != nil {
			return ExportFile{}, err
		}
		for _, r := range direct {
			dm.DirectRights = append(dm.DirectRights, string(r))
		}
		if ab, ok, err := deps.Store.AbsenceOf(ctx, m.OrgID, m.ID); err != nil {
			return ExportFile{}, err
		} else if ok {
			dm.Absence = &DataAbsence{Since: ab.CreatedAt, ReturnsOn: ab.ReturnsOn}
		}
		out.Memberships = append(out.Memberships, dm)
	}
	job.Add(1)

	// Devices: the account's sessions, without their tokens.
	if err := db.Table("sessions").Select("kind, device_name, platform, ip, created_at, last_seen_at, revoked_at").
		Where("account_id = ?", me).Order("created_at, id").Scan(&out.Devices).Error; err != nil {
		return ExportFile{}, err
	}
	job.Add(1)

	// Tasks given to the person or created by them.
	var ts []struct {
		OrgID, Title, Status  string
		DueDate               *string
		AssigneeID, CreatorID *string
		CreatedAt             time.Time
		CompletedAt           *time.Time
	}
	if err := db.Table("tasks").Select("org_id, title, status, due_date, assignee_id, creator_id, created_at, completed_at").
		Where("assignee_id = ? OR creator_id = ?", me, me).Order("org_id, created_at, id").Scan(&ts).Error; err != nil {
		return ExportFile{}, err
	}
	for _, t := range ts {
		out.Tasks = append(out.Tasks, DataTask{OrganizationName: orgNames[t.OrgID], Title: t.Title, DueDate: t.DueDate, Status: t.Status,
			AssignedToMe: t.AssigneeID != nil && *t.AssigneeID == me, CreatedByMe: t.CreatorID != nil && *t.CreatorID == me,
			CreatedAt: t.CreatedAt, CompletedAt: t.CompletedAt})
	}
	job.Add(1)

	// The history: the account's own, then each organization's entries
	// where the person (their account, membership or invitations) acts or
	// is the subject.
	mine := map[string]bool{me: true}
	add := func(orgName string, f audit.Filter) error {
		var evs []audit.Event
		if _, err := deps.Audit.Each(ctx, f, maxDataHistory, func(e audit.Event) error { evs = append(evs, e); return nil }); err != nil {
			return err
		}
		for _, e := range evs {
			details := map[string]any{}
			_ = json.Unmarshal([]byte(e.Details), &details)
			aboutMe := mine[e.SubjectID]
			if !aboutMe {
				// Another person's address (an invitation the person sent,
				// a failed sign-in) is theirs, not the person's.
				delete(details, "email")
			}
			out.History = append(out.History, DataHistoryEntry{OrganizationName: orgName, At: e.At, Action: e.Action,
				ActionLabel: audit.ActionLabel(e.Action, lang), ByMe: e.ActorID != nil && mine[*e.ActorID],
				AboutMe: aboutMe, SubjectType: e.SubjectType, Device: e.Device, Details: details})
		}
		return nil
	}
	if err := add("", audit.Filter{OwnAccountID: me}); err != nil {
		return ExportFile{}, err
	}
	for _, m := range ms {
		ids, err := d.s.History.personIDs(ctx, m.OrgID, []string{me})
		if err != nil {
			return ExportFile{}, err
		}
		for _, id := range ids {
			mine[id] = true
		}
		if err := add(m.OrgName, audit.Filter{OrgID: m.OrgID, Concerning: ids}); err != nil {
			return ExportFile{}, err
		}
	}
	job.Add(1)

	out.Counts = map[string]int{"memberships": len(out.Memberships), "devices": len(out.Devices), "tasks": len(out.Tasks),
		"history": len(out.History)}
	content, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return ExportFile{}, err
	}
	rows := len(out.Memberships) + len(out.Devices) + len(out.Tasks) + len(out.History)
	if err := deps.Audit.Record(ctx, audit.Entry{By: a, Action: audit.PersonalDataExported, SubjectType: "account", SubjectID: me,
		Details: map[string]any{"entries": rows}}); err != nil {
		return ExportFile{}, err
	}
	loc := time.UTC
	if tz, err := deps.Store.AccountTimezone(ctx, me); err == nil && tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		}
	}
	name := "atrium-mes-donnees-" + deps.now().In(loc).Format("2006-01-02") + ".json"
	return ExportFile{Filename: name, ContentType: "application/json", Content: string(content) + "\n", Rows: rows}, nil
}
