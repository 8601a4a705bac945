package service

import (
	"context"
	"sort"
	"testing"
	"time"

	"atrium/backend/storetest"
	"atrium/bench/home"
)

// The home page of an account in 500 dossiers with 50,000 tasks (made by
// bench/home, as for the browser figures), as the console asks for it (a call
// through the registry, with its session): the figure is the p95 of the calls
// after the first, which loads each dossier's rights once. `go test -bench HomeSummary -run ^$ ./backend/service/`
func BenchmarkHomeSummary(b *testing.B) {
	st := storetest.SQLite(b)
	reg := start(b, Deps{Store: st, Password: fastHash}).Registry
	ctx := context.Background()
	res, err := reg.Invoke(ctx, Call{Op: "setup.createWorkspace", Input: []byte(workspace)})
	if err != nil {
		b.Fatal(err)
	}
	info := res.Output.(SessionInfo)
	if err := home.Generate(ctx, st, info.Account.ID, info.Organization.ID, AdminRoleName, 500, 50_000); err != nil {
		b.Fatal(err)
	}
	call := Call{Op: "home.summary", Input: []byte(`{}`), Token: res.Token, Device: desktop}
	first := time.Now()
	out, err := reg.Invoke(ctx, call)
	if err != nil {
		b.Fatal(err)
	}
	firstTook := time.Since(first)
	h := out.Output.(HomeSummary)
	if h.Dossiers != 500 || len(h.Tasks) != homeTaskLimit || h.Tasks[0].LateDays == 0 {
		b.Fatalf("dossiers %d, tasks %d", h.Dossiers, len(h.Tasks))
	}
	var took []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := reg.Invoke(ctx, call); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t0))
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(firstTook.Microseconds())/1000, "first-ms")
}
