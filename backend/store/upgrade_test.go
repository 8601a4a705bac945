package store_test

import (
	"context"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// A database written before the member-search migrations (schema 6) keeps its
// members, and gains what the new version reads: folded keys, per-status
// counters, the role holders' sort keys and statuses. The migrations also go down and up
// again cleanly.
func TestUpgradeKeepsMembersAndFillsTheNewColumns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(st.MigrateTo(ctx, 6))
		now := time.Now().UTC()
		org := store.OrgRecord{ID: domain.NewID(), Name: "Cabinet", SearchName: "cabinet", Timezone: "Europe/Paris", Status: domain.OrgActive, CreatedAt: now, UpdatedAt: now}
		must(st.Create(ctx, &org))
		role := domain.Role{ID: domain.NewID(), OrgID: org.ID, Name: "Comptable", CreatedAt: now}
		must(st.Create(ctx, &role))
		people := []struct{ first, last, status string }{
			{"Émilie", "Écuyer", domain.MemberActive}, {"Zoé", "Zola", domain.MemberActive},
			{"Paul", "Martin", domain.MemberDisabled}, {"Hélène", "Œuvrard", domain.MemberInvited},
		}
		var ids []string
		for i, p := range people {
			a := domain.Account{ID: domain.NewID(), Email: p.first + "@example.fr", FirstName: p.first, LastName: p.last, Language: "fr", CreatedAt: now, UpdatedAt: now}
			must(st.Create(ctx, &a))
			m := domain.Membership{ID: domain.NewID(), OrgID: org.ID, AccountID: a.ID, Status: p.status, CreatedAt: now, UpdatedAt: now}
			must(st.Create(ctx, &m))
			if i != 2 {
				must(st.Create(ctx, &domain.MembershipRole{MembershipID: m.ID, RoleID: role.ID, OrgID: org.ID}))
			}
			ids = append(ids, m.ID)
		}

		must(st.MigrateTo(ctx, 9))
		names := func(f store.MemberFilter) []string {
			t.Helper()
			f.Limit = 10
			rows, err := st.ListMembers(ctx, org.ID, f)
			must(err)
			var out []string
			for _, r := range rows {
				out = append(out, r.LastName)
			}
			return out
		}
		same := func(got []string, want ...string) bool {
			if len(got) != len(want) {
				return false
			}
			for i := range got {
				if got[i] != want[i] {
					return false
				}
			}
			return true
		}
		// Folded: É sorts with E and "emilie" finds Émilie.
		if got := names(store.MemberFilter{}); !same(got, "Écuyer", "Martin", "Œuvrard", "Zola") {
			t.Fatalf("order after the upgrade: %v", got)
		}
		if got := names(store.MemberFilter{Query: "emilie"}); !same(got, "Écuyer") {
			t.Fatalf("search after the upgrade: %v", got)
		}
		// The role's holders, in name order, from membership_roles' sort keys.
		if got := names(store.MemberFilter{RoleID: role.ID}); !same(got, "Écuyer", "Œuvrard", "Zola") {
			t.Fatalf("role holders after the upgrade: %v", got)
		}
		for status, want := range map[string]int64{"": 4, domain.MemberActive: 2, domain.MemberDisabled: 1, domain.MemberInvited: 1} {
			n, capped, err := st.CountMembers(ctx, org.ID, store.MemberFilter{Status: status})
			must(err)
			if n != want || capped {
				t.Fatalf("counter for %q after the upgrade: %d, want %d", status, n, want)
			}
		}

		// The roles page counts the holders that are not deleted, also
		// after a holder's status changes.
		roleCount := func() int64 {
			t.Helper()
			roles, err := st.ListRoles(ctx, org.ID)
			must(err)
			for _, r := range roles {
				if r.ID == role.ID {
					return r.MemberCount
				}
			}
			t.Fatal("role not listed")
			return 0
		}
		if n := roleCount(); n != 3 {
			t.Fatalf("role members after the upgrade: %d, want 3", n)
		}
		must(st.UpdateMember(ctx, org.ID, ids[1], map[string]any{"status": domain.MemberDeleted}))
		if n := roleCount(); n != 2 {
			t.Fatalf("role members once one is deleted: %d, want 2", n)
		}
		if got := names(store.MemberFilter{RoleID: role.ID, Status: domain.MemberActive}); !same(got, "Écuyer") {
			t.Fatalf("active role holders: %v", got)
		}

		// Down and up again: the same answers.
		must(st.MigrateTo(ctx, 6))
		must(st.MigrateTo(ctx, 9))
		if got := names(store.MemberFilter{RoleID: role.ID, Query: "oeuv"}); !same(got, "Œuvrard") {
			t.Fatalf("after down and up: %v", got)
		}
	})
}

// The Admin role takes the word the console shows for it, except where a
// custom role of that name already exists.
func TestUpgradeNamesTheAdminRoleInWords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(st.MigrateTo(ctx, 13))
		now := time.Now().UTC()
		var admins []string
		for _, name := range []string{"Cabinet", "Boulangerie"} {
			org := store.OrgRecord{ID: domain.NewID(), Name: name, SearchName: name, Timezone: "Europe/Paris", Status: domain.OrgActive, CreatedAt: now, UpdatedAt: now}
			must(st.Create(ctx, &org))
			admin := domain.Role{ID: domain.NewID(), OrgID: org.ID, Name: "Admin", IsAdmin: true, CreatedAt: now}
			must(st.Create(ctx, &admin))
			admins = append(admins, admin.ID)
			if name == "Boulangerie" {
				must(st.Create(ctx, &domain.Role{ID: domain.NewID(), OrgID: org.ID, Name: "Administrateur", CreatedAt: now}))
			}
		}
		must(st.MigrateTo(ctx, 14))
		for i, want := range []string{"Administrateur", "Admin"} {
			var r domain.Role
			must(st.DB(ctx).Take(&r, "id = ?", admins[i]).Error)
			if r.Name != want {
				t.Errorf("admin role %d is named %q, want %q", i, r.Name, want)
			}
		}
	})
}
