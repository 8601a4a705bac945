package service

import (
	"fmt"
	"testing"

	"atrium/backend/store"
	"atrium/backend/storetest"
)

// The account's own timezone is its first organization's and stays so while
// it works in a dossier of another timezone; leaving that first one hands it
// to the next joined.
func TestAccountTimezoneIsTheFirstOrganizations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		zone := func() SessionInfo { return e.mustCall("session.current", f.adminA, `{}`).Output.(SessionInfo) }
		first := zone()
		if first.Timezone == "" || first.Timezone != first.Organization.Timezone {
			t.Fatalf("account timezone %q in %+v", first.Timezone, first.Organization)
		}
		ny := e.mustCall("orgs.create", f.adminA, `{"name":"Bakery NYC","timezone":"America/New_York"}`).Output.(OrgSummary)
		e.mustCall("orgs.switch", f.adminA, fmt.Sprintf(`{"orgId":%q}`, ny.ID))
		if s := zone(); s.Organization.Timezone != "America/New_York" || s.Timezone != first.Timezone {
			t.Fatalf("in New York: dossier %q, account %q", s.Organization.Timezone, s.Timezone)
		}
	})
}
