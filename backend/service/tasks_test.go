package service

import (
	"fmt"
	"testing"
	"time"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// A task goes only to a member who can see tasks: creating or editing it for
// anyone else is refused on the field, in words, and changes nothing. The
// picker offers only those members and says how many it leaves out. A member
// who loses tasks.view (or is disabled) keeps the tasks already theirs, and
// the list says that they can no longer see them.
func TestTaskAssigneeMustSeeTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		claire := f.memberOf(f.memberAID) // an active member with no right at all
		create := func(assignee string) (Result, error) {
			return e.call("tasks.create", f.adminA, jsonOf(TaskInput{Title: "Déclaration de TVA", DueDate: "2030-01-31", AssigneeID: assignee}))
		}
		picker := func() TaskAssignees { return out[TaskAssignees](t, e.mustCall("tasks.assignees", f.adminA, `{}`)) }
		if p := picker(); len(p.Items) != 1 || p.Items[0].ID != f.adminAID || p.Hidden != 1 {
			t.Fatalf("picker %+v, want the admin only and one member left out", p)
		}

		mine := out[Task](t, e.mustCall("tasks.create", f.adminA, jsonOf(TaskInput{Title: "Bilan", AssigneeID: f.adminAID})))
		before := snapshot(t, st)
		_, err := create(f.memberAID)
		wantField(t, err, "assigneeId", domain.FieldCannotSeeTasks)
		_, err = e.call("tasks.update", f.adminA, jsonOf(TaskInput{ID: mine.ID, Title: "Bilan", AssigneeID: f.memberAID}))
		wantField(t, err, "assigneeId", domain.FieldCannotSeeTasks)
		_, err = create(f.adminBID) // another organization's admin
		wantField(t, err, "assigneeId", domain.FieldInvalidMember)
		if snapshot(t, st) != before {
			t.Fatal("a refused assignment changed the database")
		}

		// Given the right, Claire is offered and may be given the task.
		e.mustCall("members.setRight", f.adminA, jsonOf(SetRightInput{MemberID: claire, Right: string(domain.RightTasksView), Granted: true}))
		if p := picker(); len(p.Items) != 2 || p.Hidden != 0 {
			t.Fatalf("picker after the grant %+v", p)
		}
		res, err := create(f.memberAID)
		if err != nil {
			t.Fatal(err)
		}
		task := out[Task](t, res)
		if task.Assignee == nil || task.Assignee.ID != f.memberAID || task.AssigneeAccess != "" {
			t.Fatalf("created %+v", task)
		}

		// The right taken back: the task stays hers, and the list says she
		// no longer sees it; it can still be edited without reassigning it.
		e.mustCall("members.setRight", f.adminA, jsonOf(SetRightInput{MemberID: claire, Right: string(domain.RightTasksView), Granted: false}))
		access := func() string {
			t.Helper()
			for _, it := range out[TaskPage](t, e.mustCall("tasks.list", f.adminA, `{"limit":100}`)).Items {
				if it.ID == task.ID {
					return it.AssigneeAccess
				}
			}
			t.Fatal("the task left the list")
			return ""
		}
		if got := access(); got != store.AssigneeNoAccess {
			t.Errorf("access after the right was taken: %q", got)
		}
		ed := out[Task](t, e.mustCall("tasks.update", f.adminA, jsonOf(TaskInput{ID: task.ID, Title: "Déclaration de TVA de janvier", DueDate: "2030-01-31", AssigneeID: f.memberAID})))
		if ed.Assignee == nil || ed.Assignee.ID != f.memberAID || ed.AssigneeAccess != store.AssigneeNoAccess {
			t.Errorf("edited %+v", ed)
		}
		f.setStatus(claire, domain.MemberDisabled)
		if got := access(); got != store.AssigneeDisabled {
			t.Errorf("access once disabled: %q", got)
		}
		_, err = create(f.memberAID)
		wantField(t, err, "assigneeId", domain.FieldInvalidMember)
	})
}

// Completing a repeating task creates its next occurrence in the same write,
// one period later on the series' day of the month (clamped to short months,
// leap years counted); never two, however often it is completed or reopened.
func TestTaskRepeats(t *testing.T) {
	for _, c := range []struct {
		due    string
		months int
		day    int
		want   string
	}{
		{"2027-01-31", 1, 31, "2027-02-28"},
		{"2028-01-31", 1, 31, "2028-02-29"}, // leap year
		{"2027-02-28", 1, 31, "2027-03-31"}, // the series of the 31st comes back
		{"2027-02-28", 1, 28, "2027-03-28"}, // a series of the 28th stays there
		{"2027-11-30", 3, 30, "2028-02-29"},
		{"2027-12-31", 3, 31, "2028-03-31"},
		{"2028-02-29", 12, 29, "2029-02-28"},
		{"2031-02-28", 12, 29, "2032-02-29"},
		{"2027-05-15", 12, 0, "2028-05-15"}, // no day recorded: the date's own
	} {
		if got := nextDue(c.due, c.months, c.day); got != c.want {
			t.Errorf("nextDue(%s, %d, %d) = %s, want %s", c.due, c.months, c.day, got, c.want)
		}
	}

	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		before := snapshot(t, st)
		_, err := e.call("tasks.create", f.adminA, `{"title":"TVA","dueDate":"","assigneeId":"","repeat":"monthly"}`)
		wantField(t, err, "dueDate", domain.FieldRepeatNeedsDueDate)
		_, err = e.call("tasks.create", f.adminA, `{"title":"TVA","dueDate":"2027-01-31","assigneeId":"","repeat":"weekly"}`)
		wantField(t, err, "repeat", domain.FieldInvalidChoice)
		if snapshot(t, st) != before {
			t.Fatal("a refused task changed the database")
		}

		tva := out[Task](t, e.mustCall("tasks.create", f.adminA, jsonOf(TaskInput{Title: "TVA de janvier", DueDate: "2027-01-31", AssigneeID: f.adminAID, Repeat: "monthly"})))
		if tva.Repeat != "monthly" {
			t.Fatalf("created %+v", tva)
		}
		open := func() []Task {
			return out[TaskPage](t, e.mustCall("tasks.list", f.adminA, `{"status":"open","limit":100}`)).Items
		}
		complete := func(id string) Task {
			return out[Task](t, e.mustCall("tasks.complete", f.adminA, jsonOf(TaskRefInput{ID: id})))
		}
		if done := complete(tva.ID); done.NextDueDate != "2027-02-28" {
			t.Errorf("completed %+v, want the next due date said", done)
		}
		next := open()
		if len(next) != 1 || next[0].DueDate != "2027-02-28" || next[0].Title != "TVA de janvier" || next[0].Repeat != "monthly" ||
			next[0].Assignee == nil || next[0].Assignee.ID != f.adminAID || next[0].ID == tva.ID {
			t.Fatalf("after completing, open tasks %+v", next)
		}
		d := lastDetails(t, st, audit.TaskCompleted)
		if n, _ := d["next"].(map[string]any); n["id"] != next[0].ID || n["dueDate"] != "2027-02-28" {
			t.Errorf("completion history %v", d)
		}
		if d := lastDetails(t, st, audit.TaskCreated); d["previousId"] != tva.ID || d["repeat"] != "monthly" || d["dueDate"] != "2027-02-28" {
			t.Errorf("next occurrence history %v", d)
		}

		// Completed again (nothing to do), reopened and completed again:
		// still one next occurrence.
		n := count(t, st, "tasks")
		complete(tva.ID)
		e.mustCall("tasks.reopen", f.adminA, jsonOf(TaskRefInput{ID: tva.ID}))
		complete(tva.ID)
		if count(t, st, "tasks") != n {
			t.Fatalf("%d tasks after completing twice, want %d", count(t, st, "tasks"), n)
		}
		// The series of the 31st: February clamps one occurrence only.
		complete(next[0].ID)
		if got := open(); len(got) != 1 || got[0].DueDate != "2027-03-31" {
			t.Fatalf("after February %+v", got)
		}

		// Leap year and quarterly; a task that does not repeat makes none.
		q := out[Task](t, e.mustCall("tasks.create", f.adminA, `{"title":"Acompte d'IS","dueDate":"2027-11-30","assigneeId":"","repeat":"quarterly"}`))
		complete(q.ID)
		once := out[Task](t, e.mustCall("tasks.create", f.adminA, `{"title":"Une fois","dueDate":"2027-11-30","assigneeId":""}`))
		n = count(t, st, "tasks")
		complete(once.ID)
		if count(t, st, "tasks") != n {
			t.Error("a task that does not repeat made another")
		}
		var dues []string
		for _, it := range open() {
			dues = append(dues, it.Title+" "+it.DueDate)
		}
		if fmt.Sprint(dues) != "[TVA de janvier 2027-03-31 Acompte d'IS 2028-02-29]" {
			t.Errorf("open tasks %v", dues)
		}

		// An edit that leaves the repetition out keeps it.
		kept := out[Task](t, e.mustCall("tasks.update", f.adminA, jsonOf(TaskInput{ID: q.ID, Title: "Acompte d'IS de novembre", DueDate: "2027-11-30"})))
		if kept.Repeat != "quarterly" {
			t.Errorf("edited without the repetition: %+v", kept)
		}

		// Editing the due date moves the series' day; clearing the repetition stops it.
		y := out[Task](t, e.mustCall("tasks.create", f.adminA, `{"title":"Liasse fiscale","dueDate":"2028-02-29","assigneeId":"","repeat":"yearly"}`))
		y = out[Task](t, e.mustCall("tasks.update", f.adminA, jsonOf(TaskInput{ID: y.ID, Title: y.Title, DueDate: "2028-05-03", Repeat: "yearly"})))
		complete(y.ID)
		if d := lastDetails(t, st, audit.TaskCreated); d["dueDate"] != "2029-05-03" {
			t.Errorf("yearly after an edit: %v", d)
		}
		stop := out[Task](t, e.mustCall("tasks.create", f.adminA, `{"title":"Stop","dueDate":"2028-01-10","assigneeId":"","repeat":"monthly"}`))
		e.mustCall("tasks.update", f.adminA, jsonOf(TaskInput{ID: stop.ID, Title: "Stop", DueDate: "2028-01-10", Repeat: "none"}))
		n = count(t, st, "tasks")
		complete(stop.ID)
		if count(t, st, "tasks") != n {
			t.Error("a task no longer repeating made another")
		}
	})
}

// The next occurrence goes to the same member only while they can see tasks:
// otherwise it is created unassigned, and the history says who was not kept.
func TestTaskRepeatDropsAnAssigneeWhoCannotSeeTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		claire := f.memberOf(f.memberAID)
		grantDirect(t, st, f.orgA, claire, domain.RightTasksView)
		task := out[Task](t, e.mustCall("tasks.create", f.adminA, jsonOf(TaskInput{Title: "TVA", DueDate: "2027-01-15", AssigneeID: f.memberAID, Repeat: "monthly"})))
		e.mustCall("members.setRight", f.adminA, jsonOf(SetRightInput{MemberID: claire, Right: string(domain.RightTasksView), Granted: false}))
		e.mustCall("tasks.complete", f.adminA, jsonOf(TaskRefInput{ID: task.ID}))
		d := lastDetails(t, st, audit.TaskCreated)
		if d["assigneeId"] != "" || d["assigneeNotKept"] != f.memberAID || d["dueDate"] != "2027-02-15" {
			t.Errorf("next occurrence %v", d)
		}
	})
}

// Late is counted in the dossier's calendar: at 23:30 UTC it is already the
// next day in Paris, so a task due on the UTC date is a day late there. A done
// task is never late. The list is sorted by due date, those without one last.
func TestTasksLateInTheDossierTimezone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		day := e.atHalfPastEleven()
		for _, c := range []struct{ title, due string }{
			{"Sans date", ""}, {"Demain à Paris", day(1)}, {"Aujourd'hui en UTC", day(0)}, {"Avant-hier", day(-2)}, {"Terminée", day(-5)},
		} {
			id := out[Task](t, e.mustCall("tasks.create", f.adminA, jsonOf(TaskInput{Title: c.title, DueDate: c.due}))).ID
			if c.title == "Terminée" {
				e.mustCall("tasks.complete", f.adminA, jsonOf(TaskRefInput{ID: id}))
			}
		}
		var got []string
		for _, it := range out[TaskPage](t, e.mustCall("tasks.list", f.adminA, `{"limit":100}`)).Items {
			got = append(got, fmt.Sprintf("%s/%d", it.Title, it.LateDays))
		}
		want := "[Terminée/0 Avant-hier/3 Aujourd'hui en UTC/1 Demain à Paris/0 Sans date/0]"
		if fmt.Sprint(got) != want {
			t.Errorf("list %v, want %s", got, want)
		}
	})
}

// atHalfPastEleven sets the clock to the next 23:30 UTC (the next, so the
// fixture's sessions still hold): already the next day in Paris, still the
// same one in the Americas. day(n) is the UTC date n days from then.
func (e *env) atHalfPastEleven() (day func(n int) string) {
	now := time.Now().UTC()
	at := time.Date(now.Year(), now.Month(), now.Day(), 23, 30, 0, 0, time.UTC)
	if at.Before(now) {
		at = at.AddDate(0, 0, 1)
	}
	e.clock.set(func() time.Time { return at })
	return func(n int) string { return at.AddDate(0, 0, n).Format(time.DateOnly) }
}
