package service

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// The dossiers list of an account in several organizations: the columns that
// help choose one, each sortable, and never another account's organization.
func TestOrganizationListColumnsAndSorts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		e := f.env
		bakery := e.mustCall("orgs.create", f.adminA, `{"name":"Boulangerie Martin","timezone":"Europe/Paris"}`).Output.(OrgSummary)
		zoe := e.mustCall("orgs.create", f.adminA, `{"name":"Zoé Conseil","timezone":"America/Martinique"}`).Output.(OrgSummary)
		if err := st.SaveCompanyProfile(ctx, store.CompanyProfile{OrgID: bakery.ID, LegalName: "BOULANGERIE MARTIN SARL", SIRET: "44306184100047"}); err != nil {
			t.Fatal(err)
		}
		if err := st.UpdateOrganization(ctx, zoe.ID, map[string]any{"status": domain.OrgClosed}); err != nil {
			t.Fatal(err)
		}
		// Cabinet Martin (the session's): two members, two open tasks of
		// three, and the newest history entry.
		var tasks []Task
		for _, title := range []string{"TVA de mars", "Liasse fiscale", "Relance client"} {
			tasks = append(tasks, e.mustCall("tasks.create", f.adminA, fmt.Sprintf(`{"title":%q,"dueDate":"","assigneeId":""}`, title)).Output.(Task))
		}
		e.mustCall("tasks.complete", f.adminA, fmt.Sprintf(`{"id":%q}`, tasks[0].ID))

		list := func(token, in string) []OrgSummary {
			t.Helper()
			p := e.mustCall("orgs.list", token, in).Output.(OrgPage)
			if p.Total != int64(len(p.Items)) {
				t.Fatalf("%s: total %d for %d lines", in, p.Total, len(p.Items))
			}
			return p.Items
		}
		names := func(items []OrgSummary) string {
			var n []string
			for _, o := range items {
				n = append(n, o.Name)
			}
			return strings.Join(n, ", ")
		}
		items := list(f.adminA, `{}`)
		if got := names(items); got != "Boulangerie Martin, Cabinet Martin, Zoé Conseil" {
			t.Fatalf("by name: %s", got)
		}
		b, c, z := items[0], items[1], items[2]
		if b.LegalName != "BOULANGERIE MARTIN SARL" || b.SIRET != "44306184100047" || b.Members != 1 || b.OpenTasks != 0 ||
			strings.Join(b.Roles, ",") != AdminRoleName || b.Status != domain.OrgActive || b.Current {
			t.Errorf("bakery %+v", b)
		}
		if c.LegalName != "Cabinet Martin" || c.SIRET != "" || c.Members != 2 || c.OpenTasks != 2 || !c.Current {
			t.Errorf("cabinet %+v", c)
		}
		if z.Status != domain.OrgClosed || z.LegalName != "Zoé Conseil" || z.Timezone != "America/Martinique" {
			t.Errorf("closed one %+v", z)
		}
		var at [3]time.Time
		for i, o := range items {
			var err error
			if at[i], err = time.Parse(time.RFC3339, o.LastActivity); err != nil || time.Since(at[i]) > time.Hour {
				t.Errorf("%s: last activity %q (%v)", o.Name, o.LastActivity, err)
			}
		}
		if at[1].Before(at[0]) || at[1].Before(at[2]) {
			t.Errorf("Cabinet Martin's tasks are the newest activity: %v", at)
		}

		for in, want := range map[string]string{
			`{"sort":"name","desc":true}`:                         "Zoé Conseil, Cabinet Martin, Boulangerie Martin",
			`{"sort":"members","desc":true}`:                      "Cabinet Martin, Boulangerie Martin, Zoé Conseil",
			`{"sort":"members"}`:                                  "Boulangerie Martin, Zoé Conseil, Cabinet Martin",
			`{"sort":"openTasks","desc":true}`:                    "Cabinet Martin, Boulangerie Martin, Zoé Conseil",
			`{"sort":"status"}`:                                   "Boulangerie Martin, Cabinet Martin, Zoé Conseil",
			`{"sort":"status","desc":true}`:                       "Zoé Conseil, Boulangerie Martin, Cabinet Martin",
			`{"sort":"activity","desc":true}`:                     "Cabinet Martin, Zoé Conseil, Boulangerie Martin",
			`{"sort":"roles"}`:                                    "Boulangerie Martin, Cabinet Martin, Zoé Conseil",
			`{"sort":"members","desc":true,"offset":1,"limit":1}`: "Boulangerie Martin",
			`{"sort":"name","desc":true,"offset":2,"limit":1}`:    "Boulangerie Martin",
		} {
			p := e.mustCall("orgs.list", f.adminA, in).Output.(OrgPage)
			if got := names(p.Items); got != want || p.Total != 3 {
				t.Errorf("%s: %s (total %d), want %s", in, got, p.Total, want)
			}
		}
		_, err := e.call("orgs.list", f.adminA, `{"sort":"legal_name; DROP TABLE organizations"}`)
		wantFields(t, err, map[string]string{"sort": "invalid_choice"})

		// A member without a role sees their one dossier and no role; the other
		// account sees none of A's, in any order.
		if m := list(f.memberA, `{"sort":"roles"}`); len(m) != 1 || m[0].ID != f.orgA || len(m[0].Roles) != 0 || m[0].Members != 2 {
			t.Errorf("member's list %+v", m)
		}
		for _, sort := range store.OrgSorts {
			for _, o := range list(f.adminB, fmt.Sprintf(`{"sort":%q}`, sort)) {
				if o.ID != f.orgB {
					t.Errorf("B sees %s sorted by %s", o.Name, sort)
				}
			}
		}
	})
}

// A second dossier of the same name is refused until the form confirms it;
// another account's organizations do not count.
func TestCreateOrganizationWithADuplicateName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		before := snapshot(t, st)
		for _, name := range []string{"Cabinet Martin", "  cabinet   MARTIN ", "Cabinét Martin"} {
			_, err := e.call("orgs.create", f.adminA, fmt.Sprintf(`{"name":%q,"timezone":"Europe/Paris"}`, name))
			wantFields(t, err, map[string]string{"name": domain.FieldDuplicateName})
		}
		_, err := e.call("orgs.create", f.adminA, `{"name":"Cabinet Martin","timezone":"","confirmDuplicate":false}`)
		wantFields(t, err, map[string]string{"timezone": "required"})
		if snapshot(t, st) != before {
			t.Fatal("a refused duplicate changed the database")
		}
		again := e.mustCall("orgs.create", f.adminA, `{"name":"Cabinet Martin","timezone":"Europe/Paris","confirmDuplicate":true}`).Output.(OrgSummary)
		if again.ID == f.orgA || again.Name != "Cabinet Martin" {
			t.Fatalf("confirmed duplicate %+v", again)
		}
		if p := e.mustCall("orgs.list", f.adminA, `{"name":"cabinet martin"}`).Output.(OrgPage); p.Total != 2 {
			t.Errorf("two Cabinet Martin expected, %+v", p)
		}
		// B belongs to none of that name: nothing to flag, nothing told.
		e.mustCall("orgs.create", f.adminB, `{"name":"Cabinet Martin","timezone":"Europe/Paris"}`)
	})
}

// A SIRET given at creation follows the company page's rule and starts the
// company profile; a second dossier with a SIRET the account already has is
// refused until the form confirms it, and another account's do not count.
func TestCreateOrganizationWithADuplicateSIRET(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		e.mustCall("company.update", f.adminA, `{"legalName":"","siret":"732 829 320 00074","vat":"","address":"","postalCode":"","city":"","country":"","mobilePhone":"","companyPhone":""}`)
		before := snapshot(t, st)
		_, err := e.call("orgs.create", f.adminA, `{"name":"Martin Conseil","timezone":"Europe/Paris","siret":"73282932000075"}`)
		wantFields(t, err, map[string]string{"siret": domain.FieldSIRETCheck})
		_, err = e.call("orgs.create", f.adminA, `{"name":"Martin Conseil","timezone":"Europe/Paris","siret":"7328"}`)
		wantFields(t, err, map[string]string{"siret": domain.FieldInvalidSIRET})
		_, err = e.call("orgs.create", f.adminA, `{"name":"Martin Conseil","timezone":"Europe/Paris","siret":"732.829.320.00074"}`)
		wantFields(t, err, map[string]string{"siret": domain.FieldDuplicateSIRET})
		// Both at once are both said.
		_, err = e.call("orgs.create", f.adminA, `{"name":"cabinet martin","timezone":"Europe/Paris","siret":"73282932000074"}`)
		wantFields(t, err, map[string]string{"name": domain.FieldDuplicateName, "siret": domain.FieldDuplicateSIRET})
		if snapshot(t, st) != before {
			t.Fatal("a refused creation changed the database")
		}
		again := e.mustCall("orgs.create", f.adminA, `{"name":"Martin Conseil","timezone":"Europe/Paris","siret":"732 829 320 00074","confirmDuplicate":true}`).Output.(OrgSummary)
		if again.SIRET != "73282932000074" {
			t.Fatalf("created %+v", again)
		}
		items := e.mustCall("orgs.list", f.adminA, `{"name":"martin conseil"}`).Output.(OrgPage).Items
		if len(items) != 1 || items[0].SIRET != "73282932000074" {
			t.Errorf("the list shows %+v", items)
		}
		// A new SIRET is nothing to flag; B has none of A's.
		e.mustCall("orgs.create", f.adminA, `{"name":"Martin Immobilier","timezone":"Europe/Paris","siret":"443 061 841 00047"}`)
		e.mustCall("orgs.create", f.adminB, `{"name":"Autre","timezone":"Europe/Paris","siret":"73282932000074"}`)
	})
}
