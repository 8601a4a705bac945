package service

import (
	"context"
	"time"
	"unicode/utf8"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// Tasks is the organization's task list (SPEC Concepts › tasks).
type Tasks struct{ Deps }

// MaxTaskTitleLen bounds a task's title.
const MaxTaskTitleLen = 200

// Task is a task as the console shows it.
type Task struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	DueDate     string     `json:"dueDate"` // YYYY-MM-DD or empty
	Status      string     `json:"status"`  // open or done
	Assignee    *PersonRef `json:"assignee"`
	Creator     *PersonRef `json:"creator"`
	CreatedAt   string     `json:"createdAt"`
	CompletedAt string     `json:"completedAt"`
}

func taskView(r store.TaskRow) Task {
	t := Task{ID: r.ID, Title: r.Title, Status: r.Status, CreatedAt: r.CreatedAt.UTC().Format(time.RFC3339)}
	if r.DueDate != nil {
		t.DueDate = *r.DueDate
	}
	if r.AssigneeID != nil {
		t.Assignee = personRef(*r.AssigneeID, r.AssigneeFirstName, r.AssigneeLastName)
	}
	if r.CreatorID != nil {
		t.Creator = personRef(*r.CreatorID, r.CreatorFirstName, r.CreatorLastName)
	}
	if r.CompletedAt != nil {
		t.CompletedAt = r.CompletedAt.UTC().Format(time.RFC3339)
	}
	return t
}

// ListTasksInput filters the task list. AssigneeID "none" lists unassigned tasks.
type ListTasksInput struct {
	AssigneeID string `json:"assigneeId"`
	Status     string `json:"status"`
	Offset     int    `json:"offset"`
	Limit      int    `json:"limit"`
}

// TaskPage is one page of tasks.
type TaskPage struct {
	Items []Task `json:"items"`
	Total int64  `json:"total"`
}

// List returns one page of the organization's tasks, newest first.
func (s *Tasks) List(ctx context.Context, a domain.Actor, in ListTasksInput) (TaskPage, error) {
	errs := domain.FieldErrors{}
	checkPage(errs, &in.Offset, &in.Limit)
	if in.Status != "" && in.Status != store.TaskOpen && in.Status != store.TaskDone {
		errs.Add("status", domain.FieldInvalidChoice)
	}
	if len(in.AssigneeID) > 64 {
		errs.Add("assigneeId", domain.FieldInvalidChoice)
	}
	if err := errs.Err(); err != nil {
		return TaskPage{}, err
	}
	f := store.TaskFilter{OrgID: a.OrgID, Status: in.Status, Offset: in.Offset, Limit: in.Limit}
	if in.AssigneeID == "none" {
		f.Unassigned = true
	} else {
		f.AssigneeID = in.AssigneeID
	}
	rows, total, err := s.Store.ListTasks(ctx, f)
	out := TaskPage{Items: make([]Task, 0, len(rows)), Total: total}
	for _, r := range rows {
		out.Items = append(out.Items, taskView(r))
	}
	return out, err
}

// Assignees lists the members a task can be given to.
func (s *Tasks) Assignees(ctx context.Context, a domain.Actor, _ Empty) (PersonList, error) {
	return activeMembers(ctx, s.Store, a.OrgID)
}

// TaskInput is the task form: create when ID is empty, else edit.
type TaskInput struct {
	ID         string `json:"id,omitempty"`
	Title      string `json:"title"`
	DueDate    string `json:"dueDate"`    // YYYY-MM-DD or empty
	AssigneeID string `json:"assigneeId"` // an active member's account ID, or empty
}

// checkTask validates the form fields into errs and returns the columns.
func (s *Tasks) checkTask(ctx context.Context, orgID string, in TaskInput) (title string, due, assignee *string, err error) {
	errs := domain.FieldErrors{}
	title = domain.CleanText(in.Title)
	if title == "" {
		errs.Add("title", domain.FieldRequired)
	} else if utf8.RuneCountInString(title) > MaxTaskTitleLen {
		errs.TooLong("title", MaxTaskTitleLen)
	}
	if in.DueDate != "" {
		d, perr := time.Parse(time.DateOnly, in.DueDate)
		if perr != nil || d.Year() < 1900 || d.Year() > 2999 {
			errs.Add("dueDate", domain.FieldInvalidDate)
		} else {
			v := d.Format(time.DateOnly)
			due = &v
		}
	}
	if in.AssigneeID != "" {
		ok, err := s.Store.IsActiveMember(ctx, orgID, in.AssigneeID)
		if err != nil {
			return "", nil, nil, err
		}
		if !ok {
			errs.Add("assigneeId", domain.FieldInvalidMember)
		} else {
			v := in.AssigneeID
			assignee = &v
		}
	}
	return title, due, assignee, errs.Err()
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Create adds a task to the organization; the caller is its creator.
func (s *Tasks) Create(ctx context.Context, a domain.Actor, in TaskInput) (Task, error) {
	if in.ID != "" {
		return Task{}, domain.FieldErrors{"id": domain.FieldInvalidChoice}.Err()
	}
	var id string
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		title, due, assignee, err := s.checkTask(ctx, a.OrgID, in)
		if err != nil {
			return err
		}
		now := s.now()
		creator := a.AccountID
		t := store.Task{ID: domain.NewIDIn(ctx), OrgID: a.OrgID, Title: title, DueDate: due, Status: store.TaskOpen,
			AssigneeID: assignee, CreatorID: &creator, CreatedAt: now, UpdatedAt: now}
		id = t.ID
		if err := s.Store.Create(ctx, &t); err != nil {
			return err
		}
		if err := s.changed(w, a.OrgID, t.ID, "created"); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.TaskCreated, SubjectType: "task", SubjectID: t.ID,
			Details: map[string]any{"title": title, "dueDate": str(due), "assigneeId": str(assignee)}})
	})
	if err != nil {
		return Task{}, err
	}
	return s.get(ctx, a.OrgID, id)
}

func (s *Tasks) get(ctx context.Context, orgID, id string) (Task, error) {
	t, err := s.Store.TaskByID(ctx, orgID, id)
	if err != nil {
		return Task{}, err
	}
	r := store.TaskRow{Task: t}
	for _, p := range []struct {
		id          *string
		first, last *string
	}{{t.AssigneeID, &r.AssigneeFirstName, &r.AssigneeLastName}, {t.CreatorID, &r.CreatorFirstName, &r.CreatorLastName}} {
		if p.id != nil {
			acc, err := s.Store.AccountByID(ctx, *p.id)
			if err != nil {
				return Task{}, err
			}
			*p.first, *p.last = acc.FirstName, acc.LastName
		}
	}
	return taskView(r), nil
}

// Update edits a task's title, due date and assignee.
func (s *Tasks) Update(ctx context.Context, a domain.Actor, in TaskInput) (Task, error) {
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		before, err := s.Store.TaskByID(ctx, a.OrgID, in.ID)
		if err != nil {
			return err
		}
		title, due, assignee, err := s.checkTask(ctx, a.OrgID, in)
		if err != nil {
			return err
		}
		cols, changes := map[string]any{}, map[string]any{}
		if title != before.Title {
			cols["title"], changes["title"] = title, fromTo(before.Title, title)
		}
		if str(due) != str(before.DueDate) {
			cols["due_date"], changes["dueDate"] = due, fromTo(str(before.DueDate), str(due))
		}
		if str(assignee) != str(before.AssigneeID) {
			cols["assignee_id"], changes["assigneeId"] = assignee, fromTo(str(before.AssigneeID), str(assignee))
		}
		if len(cols) == 0 {
			w.Nothing()
			return nil
		}
		return s.save(w, a.OrgID, before.ID, cols, audit.TaskUpdated, map[string]any{"changes": changes})
	})
	if err != nil {
		return Task{}, err
	}
	return s.get(ctx, a.OrgID, in.ID)
}

// save writes a task's changed columns, with its change-log and history entries.
func (s *Tasks) save(w *Write, orgID, id string, cols map[string]any, action string, details map[string]any) error {
	if err := s.Store.UpdateTask(w.Ctx(), orgID, id, cols); err != nil {
		return err
	}
	if err := s.changed(w, orgID, id, "updated"); err != nil {
		return err
	}
	return w.Record(audit.Entry{OrgID: orgID, Action: action, SubjectType: "task", SubjectID: id, Details: details})
}

// changed records the task as the console now shows it in the change log.
func (s *Tasks) changed(w *Write, orgID, id, action string) error {
	t, err := s.get(w.Ctx(), orgID, id)
	if err != nil {
		return err
	}
	return w.Changed(orgID, "task", id, action, t)
}

// TaskRefInput names a task of the organization.
type TaskRefInput struct {
	ID string `json:"id"`
}

// Complete marks a task done.
func (s *Tasks) Complete(ctx context.Context, a domain.Actor, in TaskRefInput) (Task, error) {
	return s.setStatus(ctx, a, in.ID, store.TaskDone)
}

// Reopen marks a done task open again.
func (s *Tasks) Reopen(ctx context.Context, a domain.Actor, in TaskRefInput) (Task, error) {
	return s.setStatus(ctx, a, in.ID, store.TaskOpen)
}

func (s *Tasks) setStatus(ctx context.Context, a domain.Actor, id, status string) (Task, error) {
	err := s.write(ctx, a, func(w *Write) error {
		before, err := s.Store.TaskByID(w.Ctx(), a.OrgID, id)
		if err != nil {
			return err
		}
		if before.Status == status {
			w.Nothing()
			return nil
		}
		cols := map[string]any{"status": status, "completed_at": nil}
		action := audit.TaskReopened
		if status == store.TaskDone {
			cols["completed_at"], action = s.now(), audit.TaskCompleted
		}
		return s.save(w, a.OrgID, id, cols, action, map[string]any{"status": fromTo(before.Status, status)})
	})
	if err != nil {
		return Task{}, err
	}
	return s.get(ctx, a.OrgID, id)
}
