package service

import (
	"context"
	"strings"
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
	InsteadOf   *PersonRef `json:"insteadOf"` // the away member the assignee took it for (members_away.go)
	Creator     *PersonRef `json:"creator"`
	CreatedAt   string     `json:"createdAt"`
	CompletedAt string     `json:"completedAt"`
	Repeat      string     `json:"repeat"` // none, monthly, quarterly or yearly
	// LateDays is how many days past its due date the open task is in the
	// dossier's calendar (lateDays); 0 when it is not late.
	LateDays int `json:"lateDays"`
	// AssigneeAccess says why the assignee can no longer see the task:
	// no_access (tasks.view taken), disabled or left; "" when they can.
	// The task stays theirs until someone reassigns it.
	AssigneeAccess string `json:"assigneeAccess"`
	// NextDueDate is the due date of the occurrence this one's completion
	// created: given by tasks.complete only, so the console can say it.
	NextDueDate string `json:"nextDueDate,omitempty"`
}

// lateDays is the one rule of lateness, for the task list and the home page:
// an open task is late from the day after its due date, that day counted in
// its dossier's timezone (today is dayIn's date there). 0 when it is done,
// has no due date or is not late.
func lateDays(due *string, status string, today time.Time) int {
	if due == nil || status != store.TaskOpen {
		return 0
	}
	day, err := time.Parse(time.DateOnly, *due)
	if err != nil || !day.Before(today) {
		return 0
	}
	return int(today.Sub(day).Hours() / 24)
}

// taskView is the task as the console shows it on the dossier's date today,
// with the reasons its assignee may not see it (store.AssigneeStates).
func taskView(r store.TaskRow, today time.Time, access map[string]string) Task {
	t := Task{ID: r.ID, Title: r.Title, Status: r.Status, CreatedAt: r.CreatedAt.UTC().Format(time.RFC3339),
		Repeat: r.Recurrence, LateDays: lateDays(r.DueDate, r.Status, today)}
	if t.Repeat == "" {
		t.Repeat = store.RepeatNone
	}
	if r.DueDate != nil {
		t.DueDate = *r.DueDate
	}
	if r.AssigneeID != nil {
		t.Assignee = personRef(*r.AssigneeID, r.AssigneeFirstName, r.AssigneeLastName)
		t.AssigneeAccess = access[*r.AssigneeID]
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

// List returns one page of the organization's tasks by due date, those
// without one last.
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
	if err != nil {
		return TaskPage{}, err
	}
	today, err := s.today(ctx, a.OrgID)
	if err != nil {
		return TaskPage{}, err
	}
	var people []string
	for _, r := range rows {
		if r.AssigneeID != nil {
			people = append(people, *r.AssigneeID)
		}
	}
	access, err := s.Store.AssigneeStates(ctx, a.OrgID, people)
	out := TaskPage{Items: make([]Task, 0, len(rows)), Total: total}
	for _, r := range rows {
		out.Items = append(out.Items, taskView(r, today, access))
	}
	if err == nil {
		err = s.withStandIns(ctx, a.OrgID, out.Items)
	}
	return out, err
}

// today is the organization's date now, in its timezone (dayIn).
func (s *Tasks) today(ctx context.Context, orgID string) (time.Time, error) {
	o, err := s.Store.OrgRecordByID(ctx, orgID)
	return dayIn(s.now(), o.Timezone), err
}

// TaskAssignees is who a task can be given to: the active members who can
// see tasks. Hidden counts the other active members, so the picker can say
// why they are missing.
type TaskAssignees struct {
	Items  []PersonRef `json:"items"`
	Hidden int64       `json:"hidden"`
}

// Assignees lists the members a task can be given to.
func (s *Tasks) Assignees(ctx context.Context, a domain.Actor, _ Empty) (TaskAssignees, error) {
	rows, hidden, err := s.Store.TaskAssignees(ctx, a.OrgID)
	out := TaskAssignees{Items: make([]PersonRef, 0, len(rows)), Hidden: hidden}
	for _, r := range rows {
		out.Items = append(out.Items, *personRef(r.AccountID, r.FirstName, r.LastName))
	}
	return out, err
}

// assignee is the one place a task's assignee is decided, for a task created,
// edited or repeated: an active member who can see the organization's tasks
// (a task nobody can see is nobody's work). It returns the account to store,
// or the field error code saying why this one cannot be given the task.
func (s *Tasks) assignee(ctx context.Context, orgID, accountID string) (*string, string, error) {
	if accountID == "" {
		return nil, "", nil
	}
	states, err := s.Store.AssigneeStates(ctx, orgID, []string{accountID})
	switch {
	case err != nil:
		return nil, "", err
	case states[accountID] == store.AssigneeNoAccess:
		return nil, domain.FieldCannotSeeTasks, nil
	case states[accountID] != "":
		return nil, domain.FieldInvalidMember, nil
	}
	return &accountID, "", nil
}

// TaskInput is the task form: create when ID is empty, else edit.
type TaskInput struct {
	ID         string `json:"id,omitempty"`
	Title      string `json:"title"`
	DueDate    string `json:"dueDate"`    // YYYY-MM-DD or empty
	AssigneeID string `json:"assigneeId"` // an active member's account ID, or empty
	Repeat     string `json:"repeat"`     // none, monthly, quarterly, yearly; empty: none, or unchanged in an edit
	// Base holds an edit's fields as the caller last read them: one it did
	// not change keeps what is saved now, one changed by both is refused
	// (see concurrent.go). Without it the form is saved as sent.
	Base *Base `json:"base,omitempty"`
}

// repeatMonths is how far each repetition moves the due date.
var repeatMonths = map[string]int{store.RepeatMonthly: 1, store.RepeatQuarterly: 3, store.RepeatYearly: 12}

// taskFields is a checked task form.
type taskFields struct {
	title         string
	due, assignee *string
	repeat        string
}

// checkTask validates the form. before is the task being edited (nil for a
// new one): an assignee it already has stays, even one who can no longer see
// tasks, until someone gives the task to another (the list says so).
func (s *Tasks) checkTask(ctx context.Context, orgID string, in TaskInput, before *store.Task) (taskFields, error) {
	var v taskFields
	errs := domain.FieldErrors{}
	title := domain.CleanText(in.Title)
	v.title = title
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
			day := d.Format(time.DateOnly)
			v.due = &day
		}
	}
	v.repeat = in.Repeat
	switch {
	case v.repeat == "" && before != nil: // left out of an edit: kept
		v.repeat = before.Recurrence
	case v.repeat == "":
		v.repeat = store.RepeatNone
	}
	if _, ok := repeatMonths[v.repeat]; !ok && v.repeat != store.RepeatNone {
		errs.Add("repeat", domain.FieldInvalidChoice)
	} else if v.repeat != store.RepeatNone && in.DueDate == "" {
		errs.Add("dueDate", domain.FieldRepeatNeedsDueDate)
	}
	if before != nil && in.AssigneeID != "" && in.AssigneeID == str(before.AssigneeID) {
		v.assignee = before.AssigneeID
	} else {
		who, refused, err := s.assignee(ctx, orgID, in.AssigneeID)
		if err != nil {
			return v, err
		}
		if refused != "" {
			errs.Add("assigneeId", refused)
		}
		v.assignee = who
	}
	return v, errs.Err()
}

// repeatDay is the day of the month a repeating series falls on: its due date's.
func repeatDay(repeat string, due *string) int {
	if repeat == store.RepeatNone || due == nil {
		return 0
	}
	d, _ := time.Parse(time.DateOnly, *due)
	return d.Day()
}

// nextDue moves a due date on by months, on the series' day of the month,
// clamped to the month's last day: 31/01 → 28/02 (29/02 in a leap year), and
// a series of the 31st comes back to 31/03 after February.
func nextDue(due string, months, day int) string {
	d, err := time.Parse(time.DateOnly, due)
	if err != nil {
		return due
	}
	if day <= 0 {
		day = d.Day()
	}
	first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, months, 0)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(day, last)-1).Format(time.DateOnly)
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
		v, err := s.checkTask(ctx, a.OrgID, in, nil)
		if err != nil {
			return err
		}
		creator := a.AccountID
		t := store.Task{ID: domain.NewIDIn(ctx), OrgID: a.OrgID, Title: v.title, DueDate: v.due, AssigneeID: v.assignee,
			CreatorID: &creator, Recurrence: v.repeat, RecurrenceDay: repeatDay(v.repeat, v.due)}
		id = t.ID
		if t.AssigneeID, err = s.forAbsent(ctx, a.OrgID, t.ID, nil, v.assignee); err != nil {
			return err
		}
		return s.insert(w, &t, map[string]any{})
	})
	if err != nil {
		return Task{}, err
	}
	return s.get(ctx, a.OrgID, id)
}

// insert writes a new open task with its change-log and history entries
// (details says more than the task's own fields).
func (s *Tasks) insert(w *Write, t *store.Task, details map[string]any) error {
	now := s.now()
	t.Status, t.CreatedAt, t.UpdatedAt = store.TaskOpen, now, now
	if err := s.Store.Create(w.Ctx(), t); err != nil {
		return err
	}
	if err := s.changed(w, t.OrgID, t.ID, "created"); err != nil {
		return err
	}
	details["title"], details["dueDate"], details["assigneeId"] = t.Title, str(t.DueDate), str(t.AssigneeID)
	if t.Recurrence != store.RepeatNone {
		details["repeat"] = t.Recurrence
	}
	return w.Record(audit.Entry{OrgID: t.OrgID, Action: audit.TaskCreated, SubjectType: "task", SubjectID: t.ID, Details: details})
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
	today, err := s.today(ctx, orgID)
	if err != nil {
		return Task{}, err
	}
	var access map[string]string
	if t.AssigneeID != nil {
		if access, err = s.Store.AssigneeStates(ctx, orgID, []string{*t.AssigneeID}); err != nil {
			return Task{}, err
		}
	}
	one := []Task{taskView(r, today, access)}
	err = s.withStandIns(ctx, orgID, one)
	return one[0], err
}

// Update edits a task's title, due date, assignee and repetition.
func (s *Tasks) Update(ctx context.Context, a domain.Actor, in TaskInput) (Task, error) {
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		before, err := s.Store.TaskByID(ctx, a.OrgID, in.ID)
		if err != nil {
			return err
		}
		v, err := s.checkTask(ctx, a.OrgID, in, &before)
		if err != nil {
			return err
		}
		if v.assignee, err = s.forAbsent(ctx, a.OrgID, before.ID, before.AssigneeID, v.assignee); err != nil {
			return err
		}
		if err := mergeTask(checkAgainst(in.Base), before, &v); err != nil {
			return err
		}
		cols, changes := map[string]any{}, map[string]any{}
		if v.title != before.Title {
			cols["title"], changes["title"] = v.title, fromTo(before.Title, v.title)
		}
		if str(v.due) != str(before.DueDate) {
			cols["due_date"], changes["dueDate"] = v.due, fromTo(str(before.DueDate), str(v.due))
		}
		if str(v.assignee) != str(before.AssigneeID) {
			cols["assignee_id"], changes["assigneeId"] = v.assignee, fromTo(str(before.AssigneeID), str(v.assignee))
		}
		if v.repeat != before.Recurrence {
			cols["recurrence"], changes["repeat"] = v.repeat, fromTo(before.Recurrence, v.repeat)
		}
		_, moved := cols["due_date"]
		if _, changed := cols["recurrence"]; moved || changed { // the series now falls on the new date's day
			cols["recurrence_day"] = repeatDay(v.repeat, v.due)
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

// mergeTask applies the rule of concurrent edits to each field of the
// checked form v, against the task saved (before).
func mergeTask(c *baseCheck, before store.Task, v *taskFields) error {
	orNil := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	v.title = c.value("title", before.Title, v.title, domain.CleanText)
	v.due = orNil(c.value("dueDate", str(before.DueDate), str(v.due), strings.TrimSpace))
	v.assignee = orNil(c.value("assigneeId", str(before.AssigneeID), str(v.assignee), nil))
	v.repeat = c.value("repeat", before.Recurrence, v.repeat, nil)
	return c.err()
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

// Complete marks a task done. A repeating one gets its next occurrence in the
// same write: same title, assignee and repetition, due one period later. It
// gets only one, however often the task is reopened and completed again.
func (s *Tasks) Complete(ctx context.Context, a domain.Actor, in TaskRefInput) (Task, error) {
	t, err := s.setStatus(ctx, a, in.ID, store.TaskDone)
	if err != nil || t.Repeat == store.RepeatNone {
		return t, err
	}
	next, ok, err := s.Store.NextOccurrence(ctx, a.OrgID, t.ID)
	if ok {
		t.NextDueDate = str(next.DueDate)
	}
	return t, err
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
		details := map[string]any{"status": fromTo(before.Status, status)}
		if status == store.TaskDone {
			cols["completed_at"], action = s.now(), audit.TaskCompleted
			next, err := s.repeat(w, before)
			if err != nil {
				return err
			}
			if next != nil {
				details["next"] = map[string]any{"id": next.ID, "dueDate": str(next.DueDate)}
			}
		}
		return s.save(w, a.OrgID, id, cols, action, details)
	})
	if err != nil {
		return Task{}, err
	}
	return s.get(ctx, a.OrgID, id)
}

// repeat creates the next occurrence of a repeating task being completed,
// unless it already has one (completed before, then reopened): nil when none
// is made. Its assignee goes through assignee like any other: one who can no
// longer see tasks is not given the new one, and its history says so.
func (s *Tasks) repeat(w *Write, prev store.Task) (*store.Task, error) {
	months := repeatMonths[prev.Recurrence]
	if months == 0 || prev.DueDate == nil {
		return nil, nil
	}
	ctx := w.Ctx()
	if _, exists, err := s.Store.NextOccurrence(ctx, prev.OrgID, prev.ID); err != nil || exists {
		return nil, err
	}
	due := nextDue(*prev.DueDate, months, prev.RecurrenceDay)
	next := store.Task{ID: domain.NewIDIn(ctx), OrgID: prev.OrgID, Title: prev.Title, DueDate: &due, CreatorID: prev.CreatorID,
		Recurrence: prev.Recurrence, RecurrenceDay: prev.RecurrenceDay, PreviousID: &prev.ID}
	details := map[string]any{"previousId": prev.ID}
	if prev.AssigneeID != nil {
		who, refused, err := s.assignee(ctx, prev.OrgID, *prev.AssigneeID)
		if err != nil {
			return nil, err
		}
		if refused != "" {
			details["assigneeNotKept"] = *prev.AssigneeID
		}
		next.AssigneeID = who
	}
	return &next, s.insert(w, &next, details)
}
