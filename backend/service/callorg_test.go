package service

import (
	"context"
	"testing"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// callIn invokes an operation on the organization org, as a tab showing that
// dossier does.
func (e *env) callIn(org, op, token, input string) (Result, error) {
	e.t.Helper()
	return e.reg.Invoke(context.Background(), Call{Op: op, Input: []byte(input), Token: token, Org: org, Device: desktop})
}

// An accountant opens dossier A in one tab and switches to B in another: a
// save made in the first tab lands in A, whichever dossier the session
// remembers last.
func TestWriteLandsInTheOrganizationTheCallNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		token := e.setup()
		orgA := e.mustCall("session.current", token, `{}`).Output.(SessionInfo).Organization.ID
		created := e.mustCall("orgs.create", token, `{"name":"Boucherie Lefèvre","timezone":"Europe/Paris"}`).Output.(OrgSummary)
		orgB := created.ID
		if orgB == "" || orgB == orgA {
			t.Fatalf("second organization: %+v", created)
		}
		// The second tab switches the session to B.
		e.mustCall("orgs.switch", token, jsonOf(SwitchOrgInput{OrgID: orgB}))

		// The first tab still shows A and saves there.
		if _, err := e.callIn(orgA, "company.update", token, `{"legalName":"Pharmacie du Centre"}`); err != nil {
			t.Fatal(err)
		}
		if _, err := e.callIn(orgB, "company.update", token, `{"legalName":"Boucherie Lefèvre SARL"}`); err != nil {
			t.Fatal(err)
		}
		for org, want := range map[string]string{orgA: "Pharmacie du Centre", orgB: "Boucherie Lefèvre SARL"} {
			res, err := e.callIn(org, "company.get", token, `{}`)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Output.(CompanyProfileView).LegalName; got != want {
				t.Errorf("organization %s: legal name %q, want %q", org, got, want)
			}
		}
		// Without a named organization, the call acts on the remembered one.
		if got := e.mustCall("company.get", token, `{}`).Output.(CompanyProfileView).LegalName; got != "Boucherie Lefèvre SARL" {
			t.Errorf("remembered organization: legal name %q", got)
		}
		// The session tells each tab about the dossier it names.
		if res, _ := e.callIn(orgA, "session.current", token, `{}`); res.Output.(SessionInfo).Organization.ID != orgA {
			t.Errorf("session.current named A, answered %+v", res.Output)
		}
	})
}

// A call naming an organization its account is no member of acts on none:
// nothing of that organization is read or written, and it tells nothing of
// whether it exists.
func TestCallNamingAnotherOrganizationReachesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		before := snapshot(t, st)
		for _, org := range []string{f.orgB, "no-such-organization"} {
			_, err := e.callIn(org, "company.update", f.adminA, `{"legalName":"Pris"}`)
			if code := domain.CodeOf(err); code != domain.CodeForbidden {
				t.Errorf("company.update naming %s: %v, want forbidden", org, err)
			}
			if _, err := e.callIn(org, "company.get", f.adminA, `{}`); domain.CodeOf(err) != domain.CodeForbidden {
				t.Errorf("company.get naming %s: %v, want forbidden", org, err)
			}
			res, err := e.callIn(org, "session.current", f.adminA, `{}`)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Output.(SessionInfo).Organization; got.ID != "" {
				t.Errorf("session.current naming %s answered organization %+v", org, got)
			}
		}
		if snapshot(t, st) != before {
			t.Error("calls naming a foreign organization changed data")
		}
		if _, err := e.callIn(string(make([]byte, 100)), "company.get", f.adminA, `{}`); domain.CodeOf(err) != domain.CodeValidation {
			t.Errorf("malformed organization reference: %v, want validation", err)
		}
	})
}
