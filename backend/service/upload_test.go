package service

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// The walks need a valid upload: a new organization each time.
func init() {
	selfWriteInputs["sync.upload"] = func(f *fixture) string { return jsonOf(sampleUpload(f.env.t)) }
	textBases["sync.upload"] = func(f *fixture) string { return jsonOf(sampleUpload(f.env.t)) }
	opCases["sync.upload"] = opCase{} // signed in: the caller's own new organization
	accountWrites["sync.upload"] = "a new organization: an id the server has already is refused"
}

// sampleUpload is a desktop's organization: its admin (the desktop's user,
// paul@poste.fr there), Claire (a member of the caller's organization on the
// server), Zoé (who has no account there), Bruno (who has one, in another
// organization), three tasks, Claire away with the admin standing in.
func sampleUpload(t *testing.T) UploadInput {
	t.Helper()
	id := func() string { return domain.NewID() }
	admin, accountant := id(), id()
	paul, claire, zoe := id(), id(), id()
	due := "2026-12-31"
	back := "2027-01-15"
	return UploadInput{
		Organization: UploadOrganization{ID: id(), Name: "Dossiers du poste", Timezone: "Europe/Paris", Status: domain.OrgActive},
		Company:      &CompanyProfile{LegalName: "Roche Conseil SARL", City: "Lyon", Country: "FR"},
		Roles: []UploadRole{{ID: admin, Name: AdminRoleName, IsAdmin: true, Rights: []string{}},
			{ID: accountant, Name: "Comptable", Rights: []string{string(domain.RightTasksView), string(domain.RightTasksManage)}}},
		Members: []UploadMember{
			{ID: paul, Self: true, Email: "paul@poste.fr", FirstName: "Paul", LastName: "Roche", Status: domain.MemberActive, Roles: []string{admin}, Rights: []string{}},
			{ID: claire, Email: "claire.petit@example.fr", FirstName: "Claire", LastName: "Petit", JobTitle: "Comptable", EmployeeRef: "E-12",
				Status: domain.MemberActive, Roles: []string{accountant}, Rights: []string{string(domain.RightMembersView)}},
			{ID: zoe, Email: "zoe.blanc@nouvelle.fr", FirstName: "Zoé", LastName: "Blanc", JobTitle: "Assistante", Status: domain.MemberActive,
				Roles: []string{accountant}, Rights: []string{}},
			// An account of the server, of someone its caller does not manage there.
			{ID: id(), Email: "bruno.durand@example.fr", FirstName: "Bruno", LastName: "Durand", Status: domain.MemberActive,
				Roles: []string{}, Rights: []string{}},
		},
		Tasks: []UploadTask{
			{ID: id(), Title: "Bilan 2026", DueDate: &due, Status: store.TaskOpen, Assignee: claire, Creator: paul},
			{ID: id(), Title: "Relance TVA", Status: store.TaskOpen, Assignee: zoe, Creator: paul},
			{ID: id(), Title: "Inventaire", Status: store.TaskDone, Assignee: paul, Creator: paul},
		},
		Absences: []UploadAbsence{{Member: claire, ReturnsOn: &back, Delegate: paul}},
	}
}

// An upload makes the organization on the server in one write: the caller
// its admin, Claire matched by her email with her role, job and reference,
// Zoé and Bruno (whom the caller does not manage: neither added without his
// consent nor his name shown) invitations prepared and not sent, the tasks with their assignees
// (Zoé's without one), Claire's absence, and "Dossier importé depuis un
// ordinateur" in its history. Sent again, it is refused and nothing is
// applied twice; so are a malformed one, a huge one, and one naming an
// organization the server has (another account's).
func TestUploadMakesTheDesktopsOrganizationOnTheServer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		in := sampleUpload(t)
		outbox := count(t, st, "outbox")
		out := f.env.mustCall("sync.upload", f.adminA, jsonOf(in)).Output.(Uploaded)
		if out.OrgID != in.Organization.ID || out.Members != 2 || out.Invited != 2 || out.Tasks != 3 {
			t.Fatalf("uploaded: %+v", out)
		}
		org := in.Organization.ID
		call := func(op, input string, v any) {
			t.Helper()
			res, err := f.env.callIn(org, op, f.adminA, input)
			if err != nil {
				t.Fatalf("%s in the uploaded organization: %v", op, err)
			}
			b, _ := json.Marshal(res.Output)
			if err := json.Unmarshal(b, v); err != nil {
				t.Fatal(err)
			}
		}
		var members MemberPage
		call("members.list", `{}`, &members)
		byEmail := map[string]MemberItem{}
		for _, m := range members.Items {
			byEmail[m.Email] = m
		}
		if len(members.Items) != 2 || byEmail["anne.martin@example.fr"].Status != domain.MemberActive ||
			byEmail["claire.petit@example.fr"].AccountID != f.memberAID {
			t.Fatalf("members: %+v", members.Items)
		}
		var claire MemberDetail
		call("members.get", jsonOf(map[string]string{"memberId": byEmail["claire.petit@example.fr"].ID}), &claire)
		if claire.Member.JobTitle != "Comptable" || claire.Member.EmployeeRef != "E-12" || len(claire.Member.Roles) != 1 ||
			claire.Member.Roles[0].Name != "Comptable" {
			t.Fatalf("Claire on the server: %+v", claire.Member)
		}
		var invs InvitationList
		call("invitations.list", `{}`, &invs)
		invited := map[string]InvitationItem{}
		for _, it := range invs.Items {
			invited[it.Email] = it
		}
		zoe := invited["zoe.blanc@nouvelle.fr"]
		if len(invs.Items) != 2 || !zoe.Unsent || zoe.Expired || !invited["bruno.durand@example.fr"].Unsent ||
			invited["bruno.durand@example.fr"].FirstName != "Bruno" {
			t.Fatalf("invitations: prepared and not sent (nor read as expired), got %+v", invs.Items)
		}
		if n := count(t, st, "outbox"); n != outbox {
			t.Fatalf("the upload queued %d messages: no mail leaves without the admin's say-so", n-outbox)
		}
		// The admin sends one: it is an invitation like any other, for its days.
		var sent InvitationItem
		call("invitations.resend", `{"invitationId":"`+zoe.ID+`"}`, &sent)
		if sent.Unsent || sent.Expired || sent.ExpiresAt.Sub(sent.SentAt) < 24*time.Hour || count(t, st, "outbox") != outbox+1 {
			t.Fatalf("the prepared invitation sent: %+v", sent)
		}
		var tasks TaskPage
		call("tasks.list", `{}`, &tasks)
		assigned := map[string]string{}
		for _, task := range tasks.Items {
			name := ""
			if task.Assignee != nil {
				name = task.Assignee.Name
			}
			assigned[task.Title] = name
		}
		if len(tasks.Items) != 3 || assigned["Bilan 2026"] != "Test claire.petit@example.fr" || assigned["Relance TVA"] != "" ||
			assigned["Inventaire"] != "Anne Martin" {
			t.Fatalf("tasks: %v (%d)", assigned, len(tasks.Items))
		}
		var company CompanyProfileView
		call("company.get", `{}`, &company)
		if company.LegalName != "Roche Conseil SARL" || company.City != "Lyon" {
			t.Fatalf("company: %+v", company)
		}
		var hist HistoryPage
		call("history.list", `{"action":"org.imported"}`, &hist)
		if len(hist.Entries) != 1 {
			t.Fatalf("history: %+v", hist.Entries)
		}
		var away int64
		st.DB(t.Context()).Table("member_absences").Where("org_id = ?", org).Count(&away)
		if away != 1 {
			t.Fatalf("%d absences", away)
		}

		// Nothing more is applied: sent again, malformed, huge, or another's.
		before := snapshot(t, st)
		refused := func(what string, in UploadInput, code domain.Code, field, fieldCode string) {
			t.Helper()
			_, err := f.env.call("sync.upload", f.adminA, jsonOf(in))
			var de *domain.Error
			if !asError(err, &de) || de.Code != code || (field != "" && de.Fields[field] != fieldCode) {
				t.Errorf("%s: %v, want %s %s=%s", what, err, code, field, fieldCode)
			}
		}
		refused("sent again", in, domain.CodeValidation, "organization", domain.FieldAlreadyOnServer)
		other := sampleUpload(t)
		other.Organization.ID = f.orgB
		refused("another account's organization", other, domain.CodeValidation, "organization", domain.FieldAlreadyOnServer)
		bad := sampleUpload(t)
		bad.Members[1].Roles = []string{domain.NewID()}
		refused("a role that is not in the upload", bad, domain.CodeValidation, "members", domain.FieldInvalidChoice)
		bad = sampleUpload(t)
		bad.Tasks[0].Assignee = domain.NewID()
		refused("a task of nobody", bad, domain.CodeValidation, "tasks", domain.FieldInvalidChoice)
		bad = sampleUpload(t)
		bad.Roles[1].Rights = []string{"everything"}
		refused("an unknown right", bad, domain.CodeValidation, "roles", domain.FieldInvalidChoice)
		bad = sampleUpload(t)
		bad.Organization.ID = "dossier-1"
		refused("an id that is not one", bad, domain.CodeValidation, "organization", domain.FieldInvalidChoice)
		huge := sampleUpload(t)
		for range maxUploadTasks {
			huge.Tasks = append(huge.Tasks, huge.Tasks[0])
		}
		refused("a huge one", huge, domain.CodeTooLarge, "", "")
		if _, err := f.env.call("sync.upload", f.adminA, `{"organization":{"id":1}}`); domain.CodeOf(err) != domain.CodeValidation {
			t.Errorf("malformed JSON: %v", err)
		}
		if _, err := f.env.call("sync.upload", "", jsonOf(sampleUpload(t))); domain.CodeOf(err) != domain.CodeUnauthenticated {
			t.Errorf("signed out: %v", err)
		}
		if snapshot(t, st) != before {
			t.Error("a refused upload changed the database")
		}
	})
}

func asError(err error, e **domain.Error) bool {
	de, ok := err.(*domain.Error)
	*e = de
	return ok
}

// An upload of a desktop's dossier of 1,000 members (none with an account on
// the server: 1,000 invitations prepared) and 10,000 tasks, in one write.
// `go test -bench Upload -run ^$ -benchtime 3x ./backend/service/` (ATRIUM_TEST_PG for PostgreSQL)
func BenchmarkUpload(b *testing.B) {
	dbs := map[string]func(testing.TB) *store.Store{"sqlite": storetest.SQLite, "postgres": storetest.Postgres}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) { benchUpload(b, dbs[name](b)) })
	}
}

func benchUpload(b *testing.B, st *store.Store) {
	{
		reg := start(b, Deps{Store: st, Password: fastHash}).Registry
		res, err := reg.Invoke(b.Context(), Call{Op: "setup.createWorkspace", Input: []byte(workspace)})
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			b.StopTimer()
			in := largeUpload(1000, 10000)
			body := []byte(jsonOf(in))
			b.StartTimer()
			if _, err := reg.Invoke(b.Context(), Call{Op: "sync.upload", Token: res.Token, Input: body}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func largeUpload(members, tasks int) UploadInput {
	admin := domain.NewID()
	in := UploadInput{Organization: UploadOrganization{ID: domain.NewID(), Name: "Grand dossier", Timezone: "Europe/Paris", Status: domain.OrgActive},
		Roles: []UploadRole{{ID: admin, Name: AdminRoleName, IsAdmin: true, Rights: []string{}}}}
	self := domain.NewID()
	in.Members = append(in.Members, UploadMember{ID: self, Self: true, Email: "paul@poste.fr", FirstName: "Paul", LastName: "Roche",
		Status: domain.MemberActive, Roles: []string{admin}})
	for i := range members {
		in.Members = append(in.Members, UploadMember{ID: domain.NewID(), Email: fmt.Sprintf("membre%05d@cabinet.fr", i), FirstName: "Membre",
			LastName: fmt.Sprintf("N°%d", i), JobTitle: "Comptable", Status: domain.MemberActive})
	}
	for i := range tasks {
		in.Tasks = append(in.Tasks, UploadTask{ID: domain.NewID(), Title: fmt.Sprintf("Tâche %d", i), Status: store.TaskOpen,
			Assignee: self, Creator: self})
	}
	return in
}
