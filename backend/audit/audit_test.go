package audit_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"atrium/backend/audit"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

func appendN(tb testing.TB, rec *audit.Recorder, n int) {
	tb.Helper()
	start := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	for done := 0; done < n; {
		size := min(20000, n-done)
		batch := make([]audit.BulkEntry, size)
		for i := range batch {
			k := done + i
			batch[i] = audit.BulkEntry{At: start.Add(time.Duration(k) * time.Second), ActorID: fmt.Sprintf("acc-%d", k%50),
				Device: "Chrome (linux) · 127.0.0.1", Entry: audit.Entry{OrgID: "org-1", Action: audit.SignInSucceeded,
					SubjectType: "account", SubjectID: fmt.Sprintf("acc-%d", k%50), Details: map[string]any{"n": k}}}
		}
		if err := rec.AppendBulk(context.Background(), batch); err != nil {
			tb.Fatal(err)
		}
		done += size
	}
}

// Bulk appends chain exactly like Record: verify accepts both mixed.
func TestBulkAndRecordShareOneChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		rec := audit.New(st)
		appendN(t, rec, 30)
		if err := rec.Record(context.Background(), audit.Entry{Action: audit.SignOut}); err != nil {
			t.Fatal(err)
		}
		appendN(t, rec, 12_000) // more than one batch of Verify
		rep, err := rec.Verify(context.Background())
		if err != nil || !rep.OK || rep.Checked != 12_031 {
			t.Fatalf("%+v %v", rep, err)
		}
		storetest.DropHistoryGuards(t, st)
		st.DB(context.Background()).Exec("UPDATE audit_events SET details = '{\"n\":1}' WHERE seq = 11000")
		if rep, _ := rec.Verify(context.Background()); rep.OK || rep.BrokenSeq != 11000 || rep.Problem != audit.ProblemAltered {
			t.Fatalf("late alteration: %+v", rep)
		}
	})
}

// `go test -run '^$' -bench Verify -benchtime 1x ./backend/audit/` (100,000
// entries on SQLite; ATRIUM_BENCH_AUDIT_ENTRIES=1000000 for the target size).
func BenchmarkVerify(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("ATRIUM_BENCH_AUDIT_ENTRIES")); err == nil && v > 0 {
		n = v
	}
	st := storetest.SQLite(b)
	rec := audit.New(st)
	appendN(b, rec, n)
	b.ResetTimer()
	for b.Loop() {
		rep, err := rec.Verify(context.Background())
		if err != nil || !rep.OK {
			b.Fatal(rep, err)
		}
	}
}

// The organization's check against the full walk, on the same history:
// `go test -run '^$' -bench 'Verify' -benchtime 3x ./backend/audit/`
// (100,000 entries of one organization, then 50 of a small one; the small
// one's check reads its 50 entries and one per checkpoint).
func BenchmarkVerifyOrg(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("ATRIUM_BENCH_AUDIT_ENTRIES")); err == nil && v > 0 {
		n = v
	}
	st := storetest.SQLite(b)
	rec := audit.New(st)
	appendN(b, rec, n)
	small := make([]audit.BulkEntry, 50)
	for i := range small {
		small[i] = audit.BulkEntry{At: time.Now(), Entry: audit.Entry{OrgID: "org-small", Action: audit.SignOut}}
	}
	if err := rec.AppendBulk(context.Background(), small); err != nil {
		b.Fatal(err)
	}
	for _, org := range []string{"org-small", "org-1"} {
		b.Run(org, func(b *testing.B) {
			for b.Loop() {
				rep, err := rec.VerifyOrg(context.Background(), org, nil)
				if err != nil || !rep.OK {
					b.Fatal(rep, err)
				}
			}
		})
	}
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			rep, err := rec.Verify(context.Background())
			if err != nil || !rep.OK {
				b.Fatal(rep, err)
			}
		}
	})
}
