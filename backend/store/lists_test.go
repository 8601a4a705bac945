package store_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// The lists read copies kept by triggers (memberships.org_key, task_counts):
// these tests change the data every way the application does and compare
// each page and total with what a plain query over the rows answers.

func listFixture(t *testing.T, st *store.Store) (ctx context.Context, acc func(name string) string, org func(name string) string, member func(orgID, accID, status string)) {
	ctx = context.Background()
	now := time.Now().UTC()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	acc = func(name string) string {
		a := domain.Account{ID: domain.NewID(), Email: name + "@example.fr", FirstName: name, LastName: name, Language: "fr", CreatedAt: now, UpdatedAt: now}
		must(st.Create(ctx, &a))
		return a.ID
	}
	org = func(name string) string {
		o := store.OrgRecord{ID: domain.NewID(), Name: name, SearchName: store.FoldName(name), Timezone: "Europe/Paris",
			Status: domain.OrgActive, CreatedAt: now, UpdatedAt: now}
		must(st.Create(ctx, &o))
		return o.ID
	}
	member = func(orgID, accID, status string) {
		must(st.Create(ctx, &domain.Membership{ID: domain.NewID(), OrgID: orgID, AccountID: accID, Status: status, CreatedAt: now, UpdatedAt: now}))
	}
	return ctx, acc, org, member
}

func TestOrganizationListFollowsNamesAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx, acc, org, member := listFixture(t, st)
		anne, paul := acc("anne"), acc("paul")
		names := map[string]string{}
		for _, n := range []string{"Société Générale", "alpha conseil", "Zèbre & Cie", "Boulangerie Dupont", "Ébénisterie", "Café 100%", "Garage_Sud"} {
			id := org(n)
			names[id] = n
			member(id, anne, domain.MemberActive)
		}
		other := org("Société Secrète") // Paul's only
		member(other, paul, domain.MemberActive)
		left := org("Société Ancienne") // Anne no longer active there
		member(left, anne, domain.MemberDisabled)

		// expected lists Anne's organizations whose folded name holds part, by folded name.
		expected := func(part string) []string {
			var ids []string
			for id, n := range names {
				if part == "" || contains(store.FoldName(n), part) {
					ids = append(ids, id)
				}
			}
			sort.Slice(ids, func(a, b int) bool {
				ka, kb := store.FoldName(names[ids[a]]), store.FoldName(names[ids[b]])
				return ka < kb || ka == kb && ids[a] < ids[b]
			})
			return ids
		}
		check := func(part string) {
			t.Helper()
			want := expected(part)
			for limit := 1; limit <= 4; limit++ {
				var got []string
				for off := 0; off < len(want)+limit; off += limit {
					items, total, err := st.ListOrganizations(ctx, store.OrgListFilter{AccountID: anne, Name: part, Offset: off, Limit: limit})
					if err != nil {
						t.Fatal(err)
					}
					if total != int64(len(want)) {
						t.Fatalf("filter %q: total %d, want %d", part, total, len(want))
					}
					for _, it := range items {
						if it.Name != names[it.ID] {
							t.Fatalf("item %s named %q, want %q", it.ID, it.Name, names[it.ID])
						}
						got = append(got, it.ID)
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("filter %q limit %d: pages %v, want %v", part, limit, got, want)
				}
			}
		}
		for _, part := range []string{"", "societe", "e", "100%", "e_s", "garage_", "secrete", "ancienne", "zzz"} {
			check(store.FoldName(part))
		}

		// A renamed organization moves in the list and in the filter.
		var renamed string
		for id, n := range names {
			if n == "alpha conseil" {
				renamed = id
			}
		}
		names[renamed] = "Wagon Société"
		if err := st.UpdateOrganization(ctx, renamed, map[string]any{"name": "Wagon Société", "search_name": store.FoldName("Wagon Société")}); err != nil {
			t.Fatal(err)
		}
		check("")
		check("societe")
		check("alpha")

		// A membership added later carries its organization's name.
		late := org("Atelier Été")
		names[late] = "Atelier Été"
		member(late, anne, domain.MemberActive)
		check("")
		check("ete")

		// The ID filter matches the start of the ID, among Anne's only.
		items, total, err := st.ListOrganizations(ctx, store.OrgListFilter{AccountID: anne, IDPrefix: late[:30], Limit: 10})
		if err != nil || total != 1 || len(items) != 1 || items[0].ID != late {
			t.Fatalf("ID filter: %v %d %v", items, total, err)
		}
		if _, total, _ := st.ListOrganizations(ctx, store.OrgListFilter{AccountID: anne, IDPrefix: other, Limit: 10}); total != 0 {
			t.Fatal("another account's organization found by ID")
		}
	})
}

func contains(s, part string) bool {
	return len(part) <= len(s) && (s[:len(part)] == part || contains(s[1:], part))
}

func TestTaskListTotalsFollowEveryChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx, acc, org, member := listFixture(t, st)
		anne, paul := acc("anne"), acc("paul")
		o1, o2 := org("Un"), org("Deux")
		member(o1, anne, domain.MemberActive)
		member(o1, paul, domain.MemberActive)
		member(o2, anne, domain.MemberActive)
		now := time.Now().UTC()
		var ids []string
		n := 0
		add := func(orgID string, assignee *string, status string) string {
			tk := store.Task{ID: domain.NewID(), OrgID: orgID, Title: "t", Status: status, AssigneeID: assignee, CreatorID: &anne, CreatedAt: now, UpdatedAt: now}
			if n++; n%4 != 0 { // every fourth without a due date; some days shared
				due := fmt.Sprintf("2030-01-%02d", 1+(n*7)%5)
				tk.DueDate = &due
			}
			if err := st.Create(ctx, &tk); err != nil {
				t.Fatal(err)
			}
			return tk.ID
		}
		for i := 0; i < 11; i++ {
			var who *string
			switch i % 3 {
			case 1:
				who = &anne
			case 2:
				who = &paul
			}
			status := store.TaskOpen
			if i%4 == 0 {
				status = store.TaskDone
			}
			ids = append(ids, add(o1, who, status))
		}
		add(o2, &anne, store.TaskOpen)
		add(o2, nil, store.TaskDone)

		check := func(step string) {
			t.Helper()
			for _, f := range []store.TaskFilter{{}, {Status: store.TaskOpen}, {Status: store.TaskDone}, {Unassigned: true},
				{AssigneeID: anne}, {AssigneeID: paul, Status: store.TaskOpen}, {Unassigned: true, Status: store.TaskDone}, {AssigneeID: "nobody"}} {
				f.OrgID = o1
				q := st.DB(ctx).Model(&store.Task{}).Where("org_id = ?", o1)
				switch {
				case f.Unassigned:
					q = q.Where("assignee_id IS NULL")
				case f.AssigneeID != "":
					q = q.Where("assignee_id = ?", f.AssigneeID)
				}
				if f.Status != "" {
					q = q.Where("status = ?", f.Status)
				}
				var want []string
				if err := q.Order("coalesce(due_date, '9999-12-31'), id").Pluck("id", &want).Error; err != nil { // by due date, none last
					t.Fatal(err)
				}
				for _, limit := range []int{1, 3, 25} {
					var got []string
					for off := 0; off < len(want)+limit; off += limit {
						f.Offset, f.Limit = off, limit
						rows, total, err := st.ListTasks(ctx, f)
						if err != nil {
							t.Fatal(err)
						}
						if total != int64(len(want)) {
							t.Fatalf("%s: %+v total %d, want %d", step, f, total, len(want))
						}
						for _, r := range rows {
							got = append(got, r.ID)
						}
					}
					if fmt.Sprint(got) != fmt.Sprint(want) {
						t.Fatalf("%s: %+v pages %v, want %v", step, f, got, want)
					}
				}
			}
		}
		check("created")
		for i, id := range ids[:6] {
			cols := map[string]any{"status": store.TaskDone}
			if i%2 == 1 {
				cols = map[string]any{"assignee_id": paul, "title": "u"}
			}
			if err := st.UpdateTask(ctx, o1, id, cols); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.UpdateTask(ctx, o1, ids[7], map[string]any{"title": "same status and assignee"}); err != nil {
			t.Fatal(err)
		}
		check("updated")
		if err := st.DB(ctx).Exec("DELETE FROM tasks WHERE id = ?", ids[8]).Error; err != nil {
			t.Fatal(err)
		}
		check("deleted")
		// A deleted account's tasks become unassigned.
		if err := st.DB(ctx).Exec("DELETE FROM accounts WHERE id = ?", paul).Error; err != nil {
			t.Fatal(err)
		}
		check("assignee deleted")
		// Another organization's tasks never count, and leave with it.
		if err := st.DB(ctx).Exec("DELETE FROM organizations WHERE id = ?", o2).Error; err != nil {
			t.Fatal(err)
		}
		check("other organization deleted")
		var left int64
		if err := st.DB(ctx).Table("task_counts").Where("org_id = ?", o2).Count(&left).Error; err != nil || left != 0 {
			t.Fatalf("%d counts left for a deleted organization (%v)", left, err)
		}
	})
}
