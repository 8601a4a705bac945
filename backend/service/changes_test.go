package service

import (
	"context"
	"fmt"
	"testing"

	"atrium/backend/store"
	"atrium/backend/storetest"
)

func init() {
	opCases["changes.pull"] = opCase{input: func(*fixture) string { return `{"after":0}` }}
}

func pull(t *testing.T, e *env, token string, after int64) ChangePage {
	t.Helper()
	return e.mustCall("changes.pull", token, fmt.Sprintf(`{"after":%d}`, after)).Output.(ChangePage)
}

func kinds(p ChangePage) map[string]int {
	out := map[string]int{}
	for _, c := range p.Items {
		out[c.Org+"/"+c.Entity]++
	}
	return out
}

// Each account reads only its own organizations' changes, each kind with the
// right that lists it; its position moves past what it may not read.
func TestPullChangesReadsOnlyWhatTheAccountMay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		from := pull(t, e, f.adminA, -1).Next
		if from == 0 {
			t.Fatal("the workspace's creation left no change")
		}
		e.mustCall("orgs.update", f.adminA, `{"website":"https://cabinet-martin.example.fr"}`)
		e.mustCall("tasks.create", f.adminA, `{"title":"Déclaration de TVA"}`)
		e.mustCall("members.update", f.adminA, fmt.Sprintf(`{"memberId":%q,"jobTitle":"Comptable"}`, f.memberOf(f.memberAID)))
		e.mustCall("orgs.update", f.adminB, `{"website":"https://durand.example.fr"}`)

		admin := pull(t, e, f.adminA, from)
		if k := kinds(admin); k[f.orgA+"/organization"] != 1 || k[f.orgA+"/task"] != 1 || k[f.orgA+"/membership"] != 1 || len(k) != 3 {
			t.Fatalf("admin of A read %v", k)
		}
		// Claire, member of A without rights: the organization, not the members nor the tasks.
		claire := pull(t, e, f.memberA, from)
		if k := kinds(claire); k[f.orgA+"/organization"] != 1 || len(k) != 1 {
			t.Fatalf("a member without rights read %v", k)
		}
		if claire.Next != admin.Next {
			t.Errorf("the position did not move past what she may not read: %d, want %d", claire.Next, admin.Next)
		}
		// B's admin reads B's change only.
		if k := kinds(pull(t, e, f.adminB, from)); k[f.orgB+"/organization"] != 1 || len(k) != 1 {
			t.Fatalf("admin of B read %v", k)
		}
		// Asked again from where it ended: nothing new.
		if again := pull(t, e, f.adminA, admin.Next); len(again.Items) != 0 || again.Next != admin.Next {
			t.Fatalf("a second pull from the end read %+v", again)
		}
		// Once disabled, Claire reads nothing of A any more.
		f.setStatus(f.memberOf(f.memberAID), "disabled")
		e.mustCall("orgs.update", f.adminA, `{"website":"https://martin.example.fr"}`)
		if _, err := e.call("changes.pull", f.memberA, fmt.Sprintf(`{"after":%d}`, admin.Next)); err == nil {
			if p := pull(t, e, f.memberA, admin.Next); len(p.Items) != 0 {
				t.Fatalf("a disabled member still reads %v", kinds(p))
			}
		}
	})
}

// A connected reader catching up on 10,000 changes of its organization, in
// pages as the stream reads them: changes served per second.
// `go test -bench PullChanges -run ^$ ./backend/service/`
func BenchmarkPullChanges(b *testing.B) {
	benchEachDatabase(b, func(b *testing.B, st *store.Store, sys *System, res Result) {
		ctx := context.Background()
		org := res.Output.(SessionInfo).Organization.ID
		const n = 10_000
		state := `{"id":"t","title":"Déclaration de TVA","status":"open"}`
		for i := 0; i < n; i += 500 {
			if err := st.WriteTx(ctx, func(ctx context.Context) error {
				for j := i; j < i+500; j++ {
					if err := st.AppendChange(ctx, store.Change{OrgID: &org, Entity: "task", EntityID: fmt.Sprint(j), Action: "updated", State: &state}); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
		served := 0
		for b.Loop() {
			for after := int64(0); ; {
				r, err := sys.Registry.Invoke(ctx, Call{Op: "changes.pull", Token: res.Token, Input: []byte(fmt.Sprintf(`{"after":%d}`, after))})
				if err != nil {
					b.Fatal(err)
				}
				page := r.Output.(ChangePage)
				served += len(page.Items)
				if page.Next == after {
					break
				}
				after = page.Next
			}
		}
		b.ReportMetric(float64(served)/b.Elapsed().Seconds(), "changes/s")
	})
}

// benchEachDatabase runs a benchmark on SQLite and on PostgreSQL (when
// ATRIUM_TEST_PG names one), each on a first-run workspace: res is its answer.
func benchEachDatabase(b *testing.B, fn func(b *testing.B, st *store.Store, sys *System, res Result)) {
	for _, db := range []struct {
		name string
		open func(testing.TB) *store.Store
	}{{"sqlite", storetest.SQLite}, {"postgres", storetest.Postgres}} {
		b.Run(db.name, func(b *testing.B) {
			st := db.open(b)
			sys := start(b, Deps{Store: st, Password: fastHash})
			res, err := sys.Registry.Invoke(context.Background(), Call{Op: "setup.createWorkspace", Input: []byte(workspace)})
			if err != nil {
				b.Fatal(err)
			}
			fn(b, st, sys, res)
		})
	}
}
