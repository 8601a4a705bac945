package store

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Task statuses.
const (
	TaskOpen = "open"
	TaskDone = "done"
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

// ListTasks returns one page of an organization's tasks, newest first, and
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
	offset, limit, order := pageFrom(f.Offset, f.Limit, total, "id DESC", "id")
	ids := q(s.DB(ctx).Table("tasks")).Select("id").Order(order).Offset(offset).Limit(limit)
	var page []Task
	if err := s.DB(ctx).Where("org_id = ? AND id IN (?)", f.OrgID, ids).Order("id DESC").Find(&page).Error; err != nil {
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
