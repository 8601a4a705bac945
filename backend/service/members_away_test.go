package service

import (
	"context"
	"strings"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// at sets the services' clock to a fixed UTC time.
func (e *env) at(s string) {
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		e.t.Fatal(err)
	}
	e.clock.set(func() time.Time { return tm })
}

func (e *env) sweep() int {
	e.t.Helper()
	n, err := e.reg.svc.Members.sweepAbsences(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// awayFixture is newFixture on 20/03/2026 (Paris), with Claire's and Anne's memberships.
func awayFixture(t *testing.T, st *store.Store) (f *fixture, e *env, claire, anne string) {
	f = newFixture(t, st)
	f.env.at("2026-03-20T10:00:00Z")
	f.seesTasks(f.memberOf(f.memberAID)) // only those who see tasks are given one
	return f, f.env, f.memberOf(f.memberAID), f.memberOf(f.adminAID)
}

// seesTasks gives a member of A the right to see tasks, without which no
// task can be given to them.
func (f *fixture) seesTasks(memberID string) {
	f.env.mustCall("members.setRight", f.adminA, jsonOf(SetRightInput{MemberID: memberID, Right: string(domain.RightTasksView), Granted: true}))
}

func memberStatus(t *testing.T, e *env, token, memberID string) MemberItem {
	t.Helper()
	return out[MemberDetail](t, e.mustCall("members.get", token, jsonOf(MemberRef{MemberID: memberID}))).Member
}

// C7: Claire is away until 29/03/2026 and Anne takes her new work: a task
// given to Claire goes to Anne "in the place of" Claire, on create and on
// update; the dossier Claire is responsible for shows Anne acting; the list
// shows Claire away until then, and filters by it; Accueil lists her; Claire
// still signs in and keeps her rights.
func TestAwayReassignsNewWork(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f, e, claire, anne := awayFixture(t, st)
		ctx := context.Background()
		st.DB(ctx).Table("organizations").Where("id = ?", f.orgA).Update("responsible_id", f.memberAID)
		before := out[Task](t, e.mustCall("tasks.create", f.adminA, jsonOf(TaskInput{Title: "Bilan 2025", AssigneeID: f.memberAID})))

		d := out[MemberDetail](t, e.mustCall("members.setAway", f.adminA, jsonOf(AwayInput{MemberID: claire, ReturnsOn: "2026-03-29", DelegateID: anne})))
		if d.Member.Status != domain.MemberAway || d.Member.Away == nil || d.Member.Away.ReturnsOn != "2026-03-29" ||
			d.Member.Away.Delegate == nil || d.Member.Away.Delegate.ID != f.adminAID || !d.Active {
			t.Fatalf("after setAway: %+v %+v", d.Member, d.Member.Away)
		}
		// The same again changes nothing.
		n := auditCount(t, st, "member.away")
		e.mustCall("members.setAway", f.adminA, jsonOf(AwayInput{MemberID: claire, ReturnsOn: "2026-03-29", DelegateID: anne}))
		if n != 1 || auditCount(t, st, "member.away") != 1 {
			t.Fatalf("history of the absence: %d", auditCount(t, st, "member.away"))
		}

		// A new task for Claire goes to Anne, saying for whom.
		task := out[Task](t, e.mustCall("tasks.create", f.adminA, jsonOf(TaskInput{Title: "TVA de mars", AssigneeID: f.memberAID})))
		if task.Assignee == nil || task.Assignee.ID != f.adminAID || task.InsteadOf == nil || task.InsteadOf.ID != f.memberAID {
			t.Fatalf("task for an away member: %+v %+v", task.Assignee, task.InsteadOf)
		}
		// Her work from before stays hers; given to her now, it goes to Anne.
		list := out[TaskPage](t, e.mustCall("tasks.list", f.adminA, `{}`))
		for _, x := range list.Items {
			if x.ID == before.ID && (x.Assignee.ID != f.memberAID || x.InsteadOf != nil) {
				t.Fatalf("earlier task %+v", x)
			}
			if x.ID == task.ID && x.InsteadOf == nil {
				t.Fatal("the list does not say for whom")
			}
		}
		// Editing a task she already had leaves it with her.
		kept := out[Task](t, e.mustCall("tasks.update", f.adminA, jsonOf(TaskInput{ID: before.ID, Title: "Bilan 2025 (liasse)", AssigneeID: f.memberAID})))
		if kept.Assignee == nil || kept.Assignee.ID != f.memberAID || kept.InsteadOf != nil {
			t.Fatalf("edited task of an away member %+v %+v", kept.Assignee, kept.InsteadOf)
		}
		other := out[Task](t, e.mustCall("tasks.create", f.adminA, jsonOf(TaskInput{Title: "Relances"})))
		moved := out[Task](t, e.mustCall("tasks.update", f.adminA, jsonOf(TaskInput{ID: other.ID, Title: "Relances", AssigneeID: f.memberAID})))
		if moved.Assignee == nil || moved.Assignee.ID != f.adminAID || moved.InsteadOf == nil {
			t.Fatalf("updated task %+v %+v", moved.Assignee, moved.InsteadOf)
		}
		// Given to someone directly, it no longer says it.
		danID, _ := addAccount(t, e, "dan.morel@example.fr", f.orgA, false)
		f.seesTasks(f.memberOf(danID))
		direct := out[Task](t, e.mustCall("tasks.update", f.adminA, jsonOf(TaskInput{ID: other.ID, Title: "Relances", AssigneeID: danID})))
		if direct.InsteadOf != nil {
			t.Fatalf("task given directly still says %+v", direct.InsteadOf)
		}

		// The dossier shows Anne acting for Claire.
		org := out[OrgDetails](t, e.mustCall("orgs.current", f.adminA, `{}`))
		if org.Responsible == nil || org.Responsible.ID != f.memberAID || org.ResponsibleAway == nil ||
			org.ResponsibleAway.Delegate == nil || org.ResponsibleAway.Delegate.ID != f.adminAID || org.ResponsibleAway.ReturnsOn != "2026-03-29" {
			t.Fatalf("dossier %+v %+v", org.Responsible, org.ResponsibleAway)
		}

		// The list: Claire away; the filters part away from active.
		page := out[MemberPage](t, e.mustCall("members.list", f.adminA, `{"status":"away","withTotal":true}`))
		if len(page.Items) != 1 || page.Items[0].ID != claire || page.Total != 1 || page.Items[0].Away == nil {
			t.Fatalf("away filter %+v", page)
		}
		page = out[MemberPage](t, e.mustCall("members.list", f.adminA, `{"status":"active","withTotal":true}`))
		if len(page.Items) != 2 || page.Total != 2 {
			t.Fatalf("active filter %+v", page)
		}
		for _, it := range page.Items {
			if it.ID == claire {
				t.Fatal("an away member listed as active")
			}
		}
		page = out[MemberPage](t, e.mustCall("members.list", f.adminA, `{"status":"away","query":"claire","withTotal":true}`))
		if len(page.Items) != 1 || page.Total != 1 {
			t.Fatalf("away filter with a search %+v", page)
		}

		// With a role filter too (the role's own index).
		admins := adminRoleID(t, e, f.adminA)
		for status, want := range map[string]int{"away": 0, "active": 1} {
			page = out[MemberPage](t, e.mustCall("members.list", f.adminA, jsonOf(ListMembersInput{Status: status, RoleID: admins, WithTotal: true})))
			if len(page.Items) != want || page.Total != int64(want) {
				t.Fatalf("%s admins: %+v", status, page)
			}
		}
		if err := st.Create(ctx, &domain.MembershipRole{MembershipID: claire, RoleID: admins, OrgID: f.orgA}); err != nil {
			t.Fatal(err)
		}
		page = out[MemberPage](t, e.mustCall("members.list", f.adminA, jsonOf(ListMembersInput{Status: "away", RoleID: admins, Query: "claire", WithTotal: true})))
		if len(page.Items) != 1 || page.Total != 1 {
			t.Fatalf("away admins named claire: %+v", page)
		}

		// The export says it as the list does.
		file := out[ExportFile](t, e.mustCall("members.export", f.adminA, `{"status":"away"}`))
		if file.Rows != 1 || !strings.Contains(file.Content, ";Absent\r\n") {
			t.Fatalf("export of the away members: %q", file.Content)
		}

		// Accueil: Anne sees Claire away in the dossier, until when.
		home := out[HomeSummary](t, e.mustCall("home.summary", f.adminA, `{}`))
		if len(home.Waiting) != 1 || home.Waiting[0].Away == nil || len(*home.Waiting[0].Away) != 1 || (*home.Waiting[0].Away)[0].ReturnsOn != "2026-03-29" {
			t.Fatalf("home %+v", home.Waiting)
		}

		// Claire signs in, and keeps her rights.
		res := e.mustCall("auth.signIn", "", `{"email":"claire.petit@example.fr","password":"un mot de passe solide"}`)
		if info := res.Output.(SessionInfo); info.Organization.ID != f.orgA {
			t.Fatalf("an away member signs in to %+v", info.Organization)
		}
		e.mustCall("tasks.list", res.Token, `{}`)
		if h := out[HomeSummary](t, e.mustCall("home.summary", res.Token, `{}`)); h.Dossiers != 1 {
			t.Fatalf("away member's home %+v", h)
		}
	})
}

// The delegate is an active member, not away, who can be given tasks, and
// not the member going away; the return date is after today. A refused
// absence changes nothing.
func TestAwayRefusesABadDelegateOrDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f, e, claire, anne := awayFixture(t, st)
		danID, _ := addAccount(t, e, "dan.morel@example.fr", f.orgA, false)
		eveID, _ := addAccount(t, e, "eve.roux@example.fr", f.orgA, false)
		dan, eve := f.memberOf(danID), f.memberOf(eveID)
		grantDirect(t, st, f.orgA, eve, domain.RightTasksView)
		f.setAway(eve, f.adminAID)
		before := snapshot(t, st)
		for _, c := range []struct {
			in          AwayInput
			field, code string
		}{
			{AwayInput{MemberID: claire, DelegateID: claire}, "delegateId", domain.FieldDelegateSelf},
			{AwayInput{MemberID: claire, DelegateID: dan}, "delegateId", domain.FieldDelegateNoTasks},
			{AwayInput{MemberID: claire, DelegateID: eve}, "delegateId", domain.FieldDelegateAway},
			{AwayInput{MemberID: claire, DelegateID: "nobody"}, "delegateId", domain.FieldInvalidMember},
			{AwayInput{MemberID: claire, ReturnsOn: "2026-03-20"}, "returnsOn", domain.FieldReturnDatePast},
			{AwayInput{MemberID: claire, ReturnsOn: "2026-02-30"}, "returnsOn", domain.FieldInvalidDate},
		} {
			_, err := e.call("members.setAway", f.adminA, jsonOf(c.in))
			wantField(t, err, c.field, c.code)
		}
		f.setStatus(dan, domain.MemberDisabled)
		grantDirect(t, st, f.orgA, dan, domain.RightTasksView)
		before = snapshot(t, st)
		_, err := e.call("members.setAway", f.adminA, jsonOf(AwayInput{MemberID: claire, DelegateID: dan}))
		wantField(t, err, "delegateId", domain.FieldInvalidMember)
		_, err = e.call("members.setAway", f.adminA, jsonOf(AwayInput{MemberID: dan}))
		wantField(t, err, "memberId", domain.FieldInvalidStatus)
		if snapshot(t, st) != before {
			t.Fatal("a refused absence changed the database")
		}
		// Tomorrow is fine; without a date and a delegate too.
		e.mustCall("members.setAway", f.adminA, jsonOf(AwayInput{MemberID: claire, ReturnsOn: "2026-03-21", DelegateID: anne}))
		e.mustCall("members.setAway", f.adminA, jsonOf(AwayInput{MemberID: claire}))
		if m := memberStatus(t, e, f.adminA, claire); m.Status != domain.MemberAway || m.Away.ReturnsOn != "" || m.Away.Delegate != nil {
			t.Fatalf("away without date %+v", m.Away)
		}
		// Without a delegate, her tasks stay hers.
		task := out[Task](t, e.mustCall("tasks.create", f.adminA, jsonOf(TaskInput{Title: "TVA", AssigneeID: f.memberAID})))
		if task.Assignee.ID != f.memberAID || task.InsteadOf != nil {
			t.Fatalf("task without delegate %+v", task)
		}
	})
}

// The absence ends by itself on the return date, at midnight in the
// organization's timezone, across both changes of time in Europe/Paris:
// every reader treats it as ended at once, the sweep removes it and records
// the return, and a start after the date (a desktop closed that day) ends it.
func TestAwayEndsAtTheReturnDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f, e, claire, anne := awayFixture(t, st)
		for _, c := range []struct{ set, returns, lastAway, back string }{
			// Paris goes from UTC+1 to UTC+2 on 29/03/2026: midnight is 23:00 UTC the day before.
			{"2026-03-20T10:00:00Z", "2026-03-29", "2026-03-28T22:59:59Z", "2026-03-28T23:00:00Z"},
			// and back to UTC+1 on 25/10/2026, at 01:00 UTC: midnight is still 22:00 UTC the day before.
			{"2026-10-20T10:00:00Z", "2026-10-25", "2026-10-24T21:59:59Z", "2026-10-24T22:00:00Z"},
		} {
			e.at(c.set)
			e.mustCall("members.setAway", f.adminA, jsonOf(AwayInput{MemberID: claire, ReturnsOn: c.returns, DelegateID: anne}))
			e.at(c.lastAway)
			if n := e.sweep(); n != 0 {
				t.Fatalf("%s: swept %d the evening before", c.returns, n)
			}
			if m := memberStatus(t, e, f.adminA, claire); m.Status != domain.MemberAway {
				t.Fatalf("%s: not away on the last evening: %s", c.returns, m.Status)
			}
			e.at(c.back)
			// Before any sweep, the readers see her back and give her her tasks.
			if m := memberStatus(t, e, f.adminA, claire); m.Status != domain.MemberActive || m.Away != nil {
				t.Fatalf("%s: still away at midnight: %+v", c.returns, m)
			}
			task := out[Task](t, e.mustCall("tasks.create", f.adminA, jsonOf(TaskInput{Title: "Retour", AssigneeID: f.memberAID})))
			if task.Assignee.ID != f.memberAID || task.InsteadOf != nil {
				t.Fatalf("%s: a task for a returned member went to %+v", c.returns, task.Assignee)
			}
			returned := auditCount(t, st, "member.returned")
			if n := e.sweep(); n != 1 {
				t.Fatalf("%s: swept %d at midnight", c.returns, n)
			}
			if e.sweep() != 0 || auditCount(t, st, "member.returned") != returned+1 || count(t, st, "member_absences") != 0 {
				t.Fatalf("%s: the sweep did not end it once", c.returns)
			}
		}

		// The desktop was closed on the return date: its next start ends it.
		e.at("2026-11-02T09:00:00Z")
		e.mustCall("members.setAway", f.adminA, jsonOf(AwayInput{MemberID: claire, ReturnsOn: "2026-11-09", DelegateID: anne}))
		later := time.Date(2026, 11, 12, 8, 0, 0, 0, time.UTC)
		start(t, Deps{Store: st, Audit: e.rec, Password: fastHash, Clock: func() time.Time { return later }})
		if count(t, st, "member_absences") != 0 {
			t.Fatal("a start after the return date left the absence")
		}
	})
}

// Ending an absence early is one click, recorded; a second click changes nothing.
func TestEndAwayEarly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f, e, claire, anne := awayFixture(t, st)
		e.mustCall("members.setAway", f.adminA, jsonOf(AwayInput{MemberID: claire, ReturnsOn: "2026-04-10", DelegateID: anne}))
		d := out[MemberDetail](t, e.mustCall("members.endAway", f.adminA, jsonOf(MemberRef{MemberID: claire})))
		if d.Member.Status != domain.MemberActive || d.Member.Away != nil {
			t.Fatalf("after endAway %+v", d.Member)
		}
		if auditCount(t, st, "member.returned") != 1 {
			t.Fatal("the return is not in the history")
		}
		before := snapshot(t, st)
		e.mustCall("members.endAway", f.adminA, jsonOf(MemberRef{MemberID: claire}))
		if snapshot(t, st) != before {
			t.Fatal("ending no absence changed the database")
		}
		task := out[Task](t, e.mustCall("tasks.create", f.adminA, jsonOf(TaskInput{Title: "TVA", AssigneeID: f.memberAID})))
		if task.Assignee.ID != f.memberAID {
			t.Fatalf("a returned member's task went to %+v", task.Assignee)
		}
	})
}

// The hourly sweep a program runs ends an absence whose date comes while it runs.
func TestAbsenceSweepRuns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f, e, claire, anne := awayFixture(t, st)
		e.mustCall("members.setAway", f.adminA, jsonOf(AwayInput{MemberID: claire, ReturnsOn: "2026-03-21", DelegateID: anne}))
		e.at("2026-03-21T08:00:00Z")
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			(&AbsenceSweep{members: e.reg.svc.Members, Every: 10 * time.Millisecond}).Run(ctx)
			close(done)
		}()
		for deadline := time.Now().Add(10 * time.Second); count(t, st, "member_absences") != 0 && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		<-done
		if count(t, st, "member_absences") != 0 || auditCount(t, st, "member.returned") != 1 {
			t.Fatal("the running sweep did not end the absence once")
		}
	})
}
