package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"atrium/backend/domain"
)

// Task statuses.
const (
	TaskOpen = "open"
	TaskDone = "done"
)

// How a task repeats: its next occurrence is created when it is completed.
const (
	RepeatNone      = "none"
	RepeatMonthly   = "monthly"
	RepeatQuarterly = "quarterly"
	RepeatYearly    = "yearly"
)

// Task is one to-do of an organization. Ownership is explicit: the creator
// and the assignee are accounts, so a later reassignment names them.
type Task struct {
	ID          string `gorm:"primaryKey"`
	OrgID       string
	Title       string
	DueDate     *string // YYYY-MM-DD, in the organization's calendar
	Status      string
	AssigneeID  *string
	CreatorID   *string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CompletedAt *time.Time
	// Recurrence is one of the Repeat values; RecurrenceDay the day of the
	// month the series falls on (0 when it does not repeat).
	Recurrence    string
	RecurrenceDay int
	// PreviousID is the occurrence whose completion created this one.
	PreviousID *string
}

// NextOccurrence finds the task created when the given one was completed, if any.
func (s *Store) NextOccurrence(ctx context.Context, orgID, previousID string) (Task, bool, error) {
	var out []Task
	err := s.DB(ctx).Where("org_id = ? AND previous_id = ?", orgID, previousID).Limit(1).Find(&out).Error
	if err != nil || len(out) == 0 {
		return Task{}, false, err
	}
	return out[0], true, nil
}

// TaskByID finds a task of the organization; another organization's task is not found.
func (s *Store) TaskByID(ctx context.Context, orgID, id string) (Task, error) {
	var t Task
	err := s.DB(ctx).Where("org_id = ? AND id = ?", orgID, id).Take(&t).Error
	return t, notFound(err, "task")
}

// UpdateTask writes the given columns of an organization's task.
func (s *Store) UpdateTask(ctx context.Context, orgID, id string, cols map[string]any) error {
	cols["updated_at"] = time.Now().UTC()
	return s.DB(ctx).Model(&Task{}).Where("org_id = ? AND id = ?", orgID, id).Updates(cols).Error
}

// TaskFilter narrows an organization's task list.
type TaskFilter struct {
	OrgID      string
	AssigneeID string // "" for any
	Unassigned bool
	Status     string // "" for any
	Offset     int
	Limit      int
}

// TaskRow is a task with the names of its assignee and creator.
type TaskRow struct {
	Task
	AssigneeFirstName string
	AssigneeLastName  string
	CreatorFirstName  string
	CreatorLastName   string
}

// taskDueKey orders tasks by due date, those without one last; the task
// indexes are built on this very expression (migration 00016).
const taskDueKey = "coalesce(due_date, '9999-12-31')"

// ListTasks returns one page of an organization's tasks by due date (those
// without one last, then by creation), and
// how many match in all. The total is read from task_counts (kept by
// triggers), never by counting the tasks; the page walks the index of its
// filter in order, from whichever end is nearer, so a page costs about the
// same with fifty or fifty thousand tasks.
func (s *Store) ListTasks(ctx context.Context, f TaskFilter) ([]TaskRow, int64, error) {
	q := func(db *gorm.DB) *gorm.DB {
		db = db.Where("org_id = ?", f.OrgID)
		switch {
		case f.Unassigned:
			db = db.Where("assignee_id IS NULL")
		case f.AssigneeID != "":
			db = db.Where("assignee_id = ?", f.AssigneeID)
		}
		if f.Status != "" {
			db = db.Where("status = ?", f.Status)
		}
		return db
	}
	counts := s.DB(ctx).Table("task_counts").Where("org_id = ?", f.OrgID)
	switch {
	case f.Unassigned:
		counts = counts.Where("assignee_key = ''")
	case f.AssigneeID != "":
		counts = counts.Where("assignee_key = ?", f.AssigneeID)
	}
	if f.Status != "" {
		counts = counts.Where("status = ?", f.Status)
	}
	var total int64
	if err := counts.Select("coalesce(sum(n), 0)").Scan(&total).Error; err != nil {
		return nil, 0, err
	}
	out := []TaskRow{}
	if total == 0 || f.Offset >= int(total) {
		return out, total, nil
	}
	offset, limit, order := pageFrom(f.Offset, f.Limit, total, taskDueKey+", id", taskDueKey+" DESC, id DESC")
	ids := q(s.DB(ctx).Table("tasks")).Select("id").Order(order).Offset(offset).Limit(limit)
	var page []Task
	if err := s.DB(ctx).Where("org_id = ? AND id IN (?)", f.OrgID, ids).Order(taskDueKey + ", id").Find(&page).Error; err != nil {
		return nil, 0, err
	}
	people := map[string]bool{}
	for _, t := range page {
		for _, id := range []*string{t.AssigneeID, t.CreatorID} {
			if id != nil {
				people[*id] = true
			}
		}
	}
	names := map[string][2]string{}
	if len(people) > 0 {
		list := make([]string, 0, len(people))
		for id := range people {
			list = append(list, id)
		}
		var accs []struct{ ID, FirstName, LastName string }
		if err := s.DB(ctx).Table("accounts").Select("id, first_name, last_name").Where("id IN ?", list).Scan(&accs).Error; err != nil {
			return nil, 0, err
		}
		for _, a := range accs {
			names[a.ID] = [2]string{a.FirstName, a.LastName}
		}
	}
	for _, t := range page {
		r := TaskRow{Task: t}
		if t.AssigneeID != nil {
			n := names[*t.AssigneeID]
			r.AssigneeFirstName, r.AssigneeLastName = n[0], n[1]
		}
		if t.CreatorID != nil {
			n := names[*t.CreatorID]
			r.CreatorFirstName, r.CreatorLastName = n[0], n[1]
		}
		out = append(out, r)
	}
	return out, total, nil
}

// Why a task's assignee may not (or no longer) see it: "" when they can.
const (
	AssigneeNoAccess = "no_access" // an active member without tasks.view
	AssigneeDisabled = "disabled"  // their membership is disabled
	AssigneeLeft     = "left"      // deleted from the organization, or never a member
)

// seesTasks is the condition that an active membership m holds tasks.view:
// through the Admin role, a role holding it, or a direct grant (RightsOf's
// rule, written once in SQL for lists).
var seesTasks = `(EXISTS (SELECT 1 FROM membership_roles mr JOIN roles r ON r.id = mr.role_id
		WHERE mr.membership_id = m.id AND mr.org_id = m.org_id
		  AND (r.is_admin OR EXISTS (SELECT 1 FROM role_rights rr WHERE rr.role_id = r.id AND rr.right_name = '` + string(domain.RightTasksView) + `')))
	OR EXISTS (SELECT 1 FROM membership_rights g WHERE g.membership_id = m.id AND g.org_id = m.org_id AND g.right_name = '` + string(domain.RightTasksView) + `'))`

// AssigneeStates tells, for each given account, whether it may be given a
// task of the organization: absent from the map when it may, else why not.
func (s *Store) AssigneeStates(ctx context.Context, orgID string, accountIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if len(accountIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		AccountID string
		Status    string
		Sees      bool
	}
	err := s.DB(ctx).Table("memberships m").Select("m.account_id, m.status, "+seesTasks+" AS sees").
		Where("m.org_id = ? AND m.account_id IN ?", orgID, accountIDs).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, id := range accountIDs {
		out[id] = AssigneeLeft
	}
	for _, r := range rows {
		switch {
		case r.Status == domain.MemberDisabled:
			out[r.AccountID] = AssigneeDisabled
		case r.Status != domain.MemberActive:
			out[r.AccountID] = AssigneeLeft
		case !r.Sees:
			out[r.AccountID] = AssigneeNoAccess
		default:
			delete(out, r.AccountID)
		}
	}
	return out, nil
}

// TaskAssignees lists the active members who can see the organization's
// tasks, by name, and counts the active members who cannot.
func (s *Store) TaskAssignees(ctx context.Context, orgID string) ([]MemberName, int64, error) {
	out := []MemberName{}
	err := s.DB(ctx).Table("memberships m").Joins("JOIN accounts a ON a.id = m.account_id").
		Where("m.org_id = ? AND m.status = ? AND "+seesTasks, orgID, domain.MemberActive).
		Select("a.id AS account_id, a.first_name, a.last_name").Order("a.last_name, a.first_name, a.id").
		Scan(&out).Error
	if err != nil {
		return nil, 0, err
	}
	var hidden int64
	err = s.DB(ctx).Table("memberships m").Where("m.org_id = ? AND m.status = ? AND NOT "+seesTasks, orgID, domain.MemberActive).
		Count(&hidden).Error
	return out, hidden, err
}
