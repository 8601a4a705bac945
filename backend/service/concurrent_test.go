package service

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// wantConflict checks err refuses an edit as a conflict on exactly these
// fields, each with both values.
func wantConflict(t *testing.T, err error, want ...domain.FieldConflict) {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeConflict {
		t.Fatalf("want a conflict, got %v", err)
	}
	if !reflect.DeepEqual(de.Conflicts, want) {
		t.Errorf("conflicts %+v, want %+v", de.Conflicts, want)
	}
	for _, c := range want {
		if de.Fields[c.Field] != domain.FieldChangedMeanwhile {
			t.Errorf("field %s: %q, want %q", c.Field, de.Fields[c.Field], domain.FieldChangedMeanwhile)
		}
	}
}

// Two people edit one member from what they both read: the later wins field
// by field where they changed different fields; where both changed the same
// field to different values, the later is refused with both values and
// nothing of it is applied.
func TestMemberEditsMeetFieldByField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		m := f.memberOf(f.memberAID)
		get := func() MemberItem {
			return out[MemberDetail](t, e.mustCall("members.get", f.adminA, `{"memberId":"`+m+`"}`)).Member
		}
		e.mustCall("members.update", f.adminA, `{"memberId":"`+m+`","firstName":"Claire","lastName":"Petit","employeeRef":"E-1","jobTitle":"Comptable"}`)

		// Different fields, from the same reading: both land.
		e.mustCall("members.update", f.adminA, `{"memberId":"`+m+`","jobTitle":"Comptable senior","base":{"jobTitle":"Comptable"}}`)
		e.mustCall("members.update", f.adminA, `{"memberId":"`+m+`","employeeRef":"E-2","base":{"employeeRef":"E-1"}}`)
		if got := get(); got.JobTitle != "Comptable senior" || got.EmployeeRef != "E-2" {
			t.Fatalf("after two edits of different fields: %q, %q", got.JobTitle, got.EmployeeRef)
		}

		// The same field, from the same reading, to another value: refused
		// whole (the employee reference with it is not applied either).
		changes, history := count(t, st, "change_log"), auditCount(t, st, string(audit.MemberUpdated))
		_, err := e.call("members.update", f.adminA, `{"memberId":"`+m+`","jobTitle":"Assistante","employeeRef":"E-3","base":{"jobTitle":"Comptable","employeeRef":"E-2"}}`)
		wantConflict(t, err, domain.FieldConflict{Field: "jobTitle", Mine: "Assistante", Theirs: "Comptable senior"})
		if got := get(); got.JobTitle != "Comptable senior" || got.EmployeeRef != "E-2" {
			t.Errorf("a refused edit changed the member: %q, %q", got.JobTitle, got.EmployeeRef)
		}
		if count(t, st, "change_log") != changes || auditCount(t, st, string(audit.MemberUpdated)) != history {
			t.Error("a refused edit left a change or a history entry")
		}

		// Both names changed in the meantime: each is listed, in the form's order.
		e.mustCall("members.update", f.adminA, `{"memberId":"`+m+`","firstName":"Claire-Marie","lastName":"Petit-Durand"}`)
		_, err = e.call("members.update", f.adminA, `{"memberId":"`+m+`","firstName":"Clara","lastName":"Petitot","base":{"firstName":"Claire","lastName":"Petit"}}`)
		wantConflict(t, err,
			domain.FieldConflict{Field: "firstName", Mine: "Clara", Theirs: "Claire-Marie"},
			domain.FieldConflict{Field: "lastName", Mine: "Petitot", Theirs: "Petit-Durand"})

		// The same new value is no conflict: there is nothing to do.
		history = auditCount(t, st, string(audit.MemberUpdated))
		e.mustCall("members.update", f.adminA, `{"memberId":"`+m+`","jobTitle":" Comptable senior ","base":{"jobTitle":"Comptable"}}`)
		if auditCount(t, st, string(audit.MemberUpdated)) != history {
			t.Error("an edit to the value stored already was recorded")
		}

		// A field sent as read (unchanged by the caller) leaves the newer value.
		e.mustCall("members.update", f.adminA, `{"memberId":"`+m+`","jobTitle":"Comptable","employeeRef":"E-9","base":{"jobTitle":"Comptable","employeeRef":"E-2"}}`)
		if got := get(); got.JobTitle != "Comptable senior" || got.EmployeeRef != "E-9" {
			t.Errorf("a field the caller did not change was written: %q, %q", got.JobTitle, got.EmployeeRef)
		}

		// Keeping one's own: sent again with the value now stored as its base.
		e.mustCall("members.update", f.adminA, `{"memberId":"`+m+`","jobTitle":"Assistante","base":{"jobTitle":"Comptable senior"}}`)
		if got := get(); got.JobTitle != "Assistante" {
			t.Errorf("kept mine: %q", got.JobTitle)
		}

		// Without a base, the last write wins as before.
		e.mustCall("members.update", f.adminA, `{"memberId":"`+m+`","jobTitle":"Gérante"}`)
		if got := get(); got.JobTitle != "Gérante" {
			t.Errorf("without a base: %q", got.JobTitle)
		}

		// The checks of the fields come first: an invalid value is a
		// validation error even when it also conflicts.
		_, err = e.call("members.update", f.adminA, `{"memberId":"`+m+`","lastName":"","base":{"lastName":"Petit"}}`)
		wantField(t, err, "lastName", domain.FieldRequired)
	})
}

// The company profile is saved whole from its form, with the profile it
// showed as its base: a field the caller did not change keeps what is saved
// now, so two people each changing one field both land.
func TestCompanyProfileEditsMeetFieldByField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		admin := e.setup()
		profile := `"siret":"","vat":"","address":"1 rue de la Paix","postalCode":"69001","country":"FR","mobilePhone":"","companyPhone":""`
		read := `"base":{"legalName":"Cabinet Martin","siret":"","vat":"","address":"1 rue de la Paix","postalCode":"69001","city":"Lyon","country":"FR","mobilePhone":"","companyPhone":""}`
		e.mustCall("company.update", admin, `{"legalName":"Cabinet Martin","city":"Lyon",`+profile+`}`)
		e.mustCall("company.update", admin, `{"legalName":"Cabinet Martin","city":"Villeurbanne",`+profile+`,`+read+`}`)
		got := out[CompanyProfileView](t, e.mustCall("company.update", admin, `{"legalName":"Cabinet Martin SARL","city":"Lyon",`+profile+`,`+read+`}`))
		if got.LegalName != "Cabinet Martin SARL" || got.City != "Villeurbanne" {
			t.Fatalf("after two edits of different fields: %q, %q", got.LegalName, got.City)
		}
		_, err := e.call("company.update", admin, `{"legalName":"Cabinet Martin","city":"Lyon 2e",`+profile+`,`+read+`}`)
		wantConflict(t, err, domain.FieldConflict{Field: "city", Mine: "Lyon 2e", Theirs: "Villeurbanne"})
		// Without a base the form is saved as sent.
		got = out[CompanyProfileView](t, e.mustCall("company.update", admin, `{"legalName":"Cabinet Martin","city":"Lyon",`+profile+`}`))
		if got.LegalName != "Cabinet Martin" || got.City != "Lyon" {
			t.Errorf("without a base: %q, %q", got.LegalName, got.City)
		}
	})
}

// The organization's card, a role and a task follow the same rule.
func TestOrgRoleAndTaskEditsMeetFieldByField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		admin := e.setup()

		e.mustCall("orgs.update", admin, `{"website":"cabinet-martin.fr","base":{"website":""}}`)
		org := out[OrgDetails](t, e.mustCall("orgs.update", admin, `{"name":"Cabinet Martin & associés","base":{"name":"Cabinet Martin"}}`))
		if org.Name != "Cabinet Martin & associés" || org.Website != "https://cabinet-martin.fr" {
			t.Fatalf("organization after two edits: %q, %q", org.Name, org.Website)
		}
		_, err := e.call("orgs.update", admin, `{"name":"Martin Conseil","website":"martin.fr","base":{"name":"Cabinet Martin","website":"https://cabinet-martin.fr"}}`)
		wantConflict(t, err, domain.FieldConflict{Field: "name", Mine: "Martin Conseil", Theirs: "Cabinet Martin & associés"})

		// A role: the name is one field, each right one too.
		role := out[RoleView](t, e.mustCall("roles.create", admin, `{"name":"Comptable","rights":["members.view"]}`))
		e.mustCall("roles.update", admin, `{"roleId":"`+role.ID+`","name":"Comptables","rights":["members.view"],"base":{"name":"Comptable","rights":["members.view"]}}`)
		got := out[RoleView](t, e.mustCall("roles.update", admin, `{"roleId":"`+role.ID+`","name":"Comptable","rights":["tasks.view"],"base":{"name":"Comptable","rights":["members.view"]}}`))
		if got.Name != "Comptables" || len(got.Rights) != 1 || got.Rights[0] != "tasks.view" {
			t.Fatalf("role after two edits: %q %v", got.Name, got.Rights)
		}
		got = out[RoleView](t, e.mustCall("roles.update", admin, `{"roleId":"`+role.ID+`","name":"Comptables","rights":["members.view"],"base":{"name":"Comptables","rights":[]}}`))
		if len(got.Rights) != 2 {
			t.Errorf("a right ticked from an older reading: %v", got.Rights)
		}
		_, err = e.call("roles.update", admin, `{"roleId":"`+role.ID+`","name":"Compta","rights":[],"base":{"name":"Comptable"}}`)
		wantConflict(t, err, domain.FieldConflict{Field: "name", Mine: "Compta", Theirs: "Comptables"})

		// A task.
		task := out[Task](t, e.mustCall("tasks.create", admin, `{"title":"Relance"}`))
		read := `"base":{"title":"Relance","dueDate":"","assigneeId":"","repeat":"none"}`
		e.mustCall("tasks.update", admin, `{"id":"`+task.ID+`","title":"Relance client","dueDate":"","assigneeId":"","repeat":"none",`+read+`}`)
		tk := out[Task](t, e.mustCall("tasks.update", admin, `{"id":"`+task.ID+`","title":"Relance","dueDate":"2027-01-15","assigneeId":"","repeat":"none",`+read+`}`))
		if tk.Title != "Relance client" || tk.DueDate != "2027-01-15" {
			t.Fatalf("task after two edits: %q, %q", tk.Title, tk.DueDate)
		}
		_, err = e.call("tasks.update", admin, `{"id":"`+task.ID+`","title":"Relance fournisseur","dueDate":"","assigneeId":"","repeat":"none",`+read+`}`)
		wantConflict(t, err, domain.FieldConflict{Field: "title", Mine: "Relance fournisseur", Theirs: "Relance client"})
	})
}

// An edit of a member's job title, as the member form sends it, with and
// without its base: the rule reads nothing more than the edit did (the
// member's current values), so the two cost the same.
// `go test -bench MemberEdit -run ^$ ./backend/service/`
func BenchmarkMemberEdit(b *testing.B) {
	for _, withBase := range []bool{false, true} {
		name := "without base"
		if withBase {
			name = "with base"
		}
		b.Run(name, func(b *testing.B) {
			st := storetest.SQLite(b)
			reg := start(b, Deps{Store: st, Password: fastHash}).Registry
			ctx := context.Background()
			res, err := reg.Invoke(ctx, Call{Op: "setup.createWorkspace", Input: []byte(workspace)})
			if err != nil {
				b.Fatal(err)
			}
			list, err := reg.Invoke(ctx, Call{Op: "members.list", Input: []byte(`{}`), Token: res.Token})
			if err != nil {
				b.Fatal(err)
			}
			m := list.Output.(MemberPage).Items[0].ID
			titles := []string{"Comptable", "Comptable senior"}
			edit := func(in string) {
				if _, err := reg.Invoke(ctx, Call{Op: "members.update", Input: []byte(in), Token: res.Token, Device: desktop}); err != nil {
					b.Fatal(err)
				}
			}
			edit(`{"memberId":"` + m + `","jobTitle":"` + titles[0] + `"}`)
			i := 0
			for b.Loop() {
				in := `{"memberId":"` + m + `","jobTitle":"` + titles[(i+1)%2] + `"`
				if withBase {
					in += `,"base":{"jobTitle":"` + titles[i%2] + `"}`
				}
				edit(in + "}")
				i++
			}
		})
	}
}
