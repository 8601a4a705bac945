package service

import (
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
