package service

import (
	"fmt"
	"testing"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// The home page gathers the account's open tasks across its dossiers, late
// ones first, counted late in each dossier's own calendar; the dossiers it is
// responsible for; and what waits in each one, each part only where the
// account may read it.
func TestHomeSummary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		day := e.atHalfPastEleven() // already the next day in Paris, the dossier's timezone
		// Claire sees tasks while she is given one, then no longer does.
		claire := f.memberOf(f.memberAID)
		grantDirect(t, st, f.orgA, claire, domain.RightTasksView)
		task := func(title, due, assignee string) {
			e.mustCall("tasks.create", f.adminA, fmt.Sprintf(`{"title":%q,"dueDate":%q,"assigneeId":%q}`, title, due, assignee))
		}
		task("Sans date", "", f.adminAID)
		task("Bilan à déposer", day(4), f.adminAID)
		task("TVA de mai", day(0), f.adminAID)
		task("Liasse fiscale", day(-2), f.adminAID)
		task("Relancer le client", day(2), f.memberAID)
		task("Plus tard", day(50), "")
		e.mustCall("members.setRight", f.adminA, fmt.Sprintf(`{"memberId":%q,"right":"tasks.view","granted":false}`, claire))
		e.mustCall("invitations.create", f.adminA, `{"email":"nouvelle@example.fr","firstName":"Léa","lastName":"Roux","jobTitle":"Comptable"}`)
		e.mustCall("orgs.update", f.adminA, fmt.Sprintf(`{"responsibleId":%q}`, f.adminAID))

		home := e.mustCall("home.summary", f.adminA, `{}`).Output.(HomeSummary)
		var got []string
		for _, tk := range home.Tasks {
			got = append(got, fmt.Sprintf("%s/%d", tk.Title, tk.LateDays))
			if tk.Dossier.ID != f.orgA || tk.Dossier.Name != "Cabinet Martin" {
				t.Errorf("task %s in dossier %+v", tk.Title, tk.Dossier)
			}
		}
		want := "[Liasse fiscale/3 TVA de mai/1 Bilan à déposer/0 Sans date/0]"
		if fmt.Sprint(got) != want || home.TasksTotal != 4 || home.Dossiers != 1 {
			t.Fatalf("tasks %v (total %d, dossiers %d), want %s", got, home.TasksTotal, home.Dossiers, want)
		}
		if len(home.Responsible) != 1 || home.Responsible[0].ID != f.orgA {
			t.Errorf("responsible %+v", home.Responsible)
		}
		if len(home.Waiting) != 1 {
			t.Fatalf("waiting %+v", home.Waiting)
		}
		w := home.Waiting[0]
		// Due in Paris's coming week: the bilan (the member's task is theirs).
		if w.Dossier.ID != f.orgA || w.PendingInvitations == nil || *w.PendingInvitations != 1 || w.DueThisWeek == nil || *w.DueThisWeek != 1 {
			t.Errorf("waiting %+v", w)
		}

		// The admin of another organization sees none of it.
		other := e.mustCall("home.summary", f.adminB, `{}`).Output.(HomeSummary)
		if len(other.Tasks) != 0 || other.TasksTotal != 0 || other.Dossiers != 1 || len(other.Responsible) != 0 || len(other.Waiting) != 0 {
			t.Errorf("another organization's admin sees %+v", other)
		}
		// A member without tasks.view sees no task, not even one assigned to
		// them, and no invitation count without members.view.
		member := e.mustCall("home.summary", f.memberA, `{}`).Output.(HomeSummary)
		if len(member.Tasks) != 0 || member.TasksTotal != 0 || len(member.Waiting) != 0 || member.Dossiers != 1 {
			t.Errorf("member without tasks.view sees %+v", member)
		}

		// Closing the dossier puts it among those waiting, for every member.
		e.mustCall("orgs.close", f.adminA, `{}`)
		member = e.mustCall("home.summary", f.memberA, `{}`).Output.(HomeSummary)
		if len(member.Waiting) != 1 || !member.Waiting[0].Dossier.Closed || member.Waiting[0].DueThisWeek != nil || member.Waiting[0].PendingInvitations != nil {
			t.Errorf("closed dossier for the member: %+v", member.Waiting)
		}
	})
}

// The first tasks listed are the most urgent in each dossier's own calendar,
// even where two dossiers' calendars disagree on what is late: at 23:30 UTC
// a task due that day is late in Paris, where it is already the next day, and
// not in Pago Pago, where it is midday.
func TestHomeFirstTasksFollowEachDossiersCalendar(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		day := e.atHalfPastEleven()
		pago := e.mustCall("orgs.create", f.adminA, `{"name":"Pago Pago Traders","timezone":"Pacific/Pago_Pago"}`).Output.(OrgSummary)
		task := func(org, title, due string) {
			_, err := e.callIn(org, "tasks.create", f.adminA, fmt.Sprintf(`{"title":%q,"dueDate":%q,"assigneeId":%q}`, title, due, f.adminAID))
			if err != nil {
				t.Fatal(err)
			}
		}
		// Made first, so that among the tasks due that day it comes first by id.
		task(pago.ID, "Pago, dû aujourd'hui", day(0))
		task(f.orgA, "Paris, dû hier", day(0))
		task(pago.ID, "Pago, dû hier", day(-1))
		task(f.orgA, "Paris, dû demain", day(1))
		task(f.orgA, "Paris, plus tard", day(5))
		defer func(n int) { homeTaskLimit = n }(homeTaskLimit)
		homeTaskLimit = 2
		home := e.mustCall("home.summary", f.adminA, `{}`).Output.(HomeSummary)
		var got []string
		for _, tk := range home.Tasks {
			got = append(got, fmt.Sprintf("%s/%d", tk.Title, tk.LateDays))
		}
		if want := "[Pago, dû hier/1 Paris, dû hier/1]"; fmt.Sprint(got) != want || home.TasksTotal != 5 {
			t.Fatalf("first tasks %v (of %d), want %s of 5", got, home.TasksTotal, want)
		}
		due := map[string]int64{}
		for _, w := range home.Waiting {
			if w.DueThisWeek != nil {
				due[w.Dossier.Name] = *w.DueThisWeek
			}
		}
		// This week: from today in each dossier's calendar.
		if due["Cabinet Martin"] != 2 || due["Pago Pago Traders"] != 1 {
			t.Fatalf("due this week %v", due)
		}
	})
}
