package audit_test

import (
	"context"
	"fmt"
	"testing"

	"atrium/backend/audit"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// A free-text search reads at most audit.SearchWindow entries per page and
// goes on from where it stopped: paging to the end finds exactly the entries
// a full scan finds, newest first, and nothing of another organization.
func TestSearchPagesThroughWindows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		rec := audit.New(st)
		defer func(w int) { audit.SearchWindow = w }(audit.SearchWindow)
		audit.SearchWindow = 40
		appendN(t, rec, 150)
		for i := 0; i < 5; i++ { // another organization's entries match too
			if err := rec.Record(ctx, audit.Entry{OrgID: "org-2", Action: audit.SignOut, Details: map[string]any{"n": 7}}); err != nil {
				t.Fatal(err)
			}
		}
		appendN(t, rec, 150) // n 0..149 again, after org-2's entries

		check := func(f audit.Filter, windowed bool, want func(n int) bool) {
			t.Helper()
			var expected []string
			for batch := 1; batch >= 0; batch-- {
				for n := 149; n >= 0; n-- {
					if want(n) {
						expected = append(expected, fmt.Sprintf(`{"n":%d}`, n))
					}
				}
			}
			var got []string
			short := false
			f.OrgID, f.Limit = "org-1", 6 // more than a window of 40 holds for the first filter
			for pages := 0; ; pages++ {
				if pages > 200 {
					t.Fatal("paging does not end")
				}
				evs, next, err := rec.List(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range evs {
					got = append(got, e.Details)
				}
				if next == 0 {
					break
				}
				short = short || len(evs) < f.Limit
				f.BeforeSeq = next
			}
			if fmt.Sprint(got) != fmt.Sprint(expected) {
				t.Fatalf("%+v: pages give %v, want %v", f, got, expected)
			}
			if short != windowed {
				t.Fatalf("%+v: a page stopped at the window: %v, want %v", f, short, windowed)
			}
			f.BeforeSeq = 0
			var all []string
			if _, err := rec.Each(ctx, f, 1000, func(e audit.Event) error { all = append(all, e.Details); return nil }); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(all) != fmt.Sprint(expected) {
				t.Fatalf("%+v: export gives %v, want %v", f, all, expected)
			}
		}
		check(audit.Filter{Search: "7}"}, true, func(n int) bool { return n%10 == 7 })
		// The window counts the entries the other filters keep: six here.
		check(audit.Filter{Search: "7}", ActorID: "acc-7"}, false, func(n int) bool { return n%50 == 7 })
	})
}
