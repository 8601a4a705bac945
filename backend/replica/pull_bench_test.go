package replica

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/service"
	"atrium/backend/storetest"
	"atrium/bench/members"
)

const anneEmail = "anne.martin@example.fr"

// benchServers runs fn with the server on SQLite and, when ATRIUM_TEST_PG is
// set, on PostgreSQL.
func benchServers(b *testing.B, fn func(b *testing.B, w *world)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, newWorld(b, storetest.SQLite(b))) })
	b.Run("postgres", func(b *testing.B) {
		if os.Getenv(storetest.EnvPG) == "" {
			b.Skip("ATRIUM_TEST_PG not set")
		}
		fn(b, newWorld(b, storetest.Postgres(b)))
	})
}

// The first sync of an organization of 100,000 members into an empty
// replica, by its admin (who reads everything): the server's snapshot over
// loopback HTTP, then one local transaction.
// `go test -bench FirstSync -run '^$' -benchtime 1x ./backend/replica/`
func BenchmarkFirstSync(b *testing.B) {
	benchServers(b, func(b *testing.B, w *world) {
		ctx := context.Background()
		if err := members.Generate(ctx, w.server.Store, w.org, "", 100_000); err != nil {
			b.Fatal(err)
		}
		anne := w.signIn(anneEmail, brunoPassword, "poste-bench")
		var took, cpu time.Duration
		rows := 0
		for b.Loop() {
			b.StopTimer()
			desk := startReplica(b)
			b.StartTimer()
			t0, c0 := time.Now(), cpuTime()
			rep, err := Pull(ctx, desk, anne, PullOptions{Progress: func(done, total int) { rows = total }})
			took, cpu = took+time.Since(t0), cpu+cpuTime()-c0
			if err != nil || rep.Organizations != 1 {
				b.Fatalf("first sync: %+v, %v", rep, err)
			}
			var n int64
			desk.Store.DB(ctx).Table("memberships").Count(&n)
			if n < 100_000 {
				b.Fatalf("%d members on the replica", n)
			}
		}
		b.ReportMetric(took.Seconds()/float64(b.N), "s/sync")
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/sync")
		b.ReportMetric(float64(rows)*float64(b.N)/took.Seconds(), "rows/s")
	})
}

// A replica pulling 10,000 changes made on the server since its last pull
// (task creations, in an organization of 1,000 members): reading the log,
// then rebuilding the organization they touched.
// `go test -bench PullChanges -run '^$' -benchtime 1x ./backend/replica/`
func BenchmarkPullChanges(b *testing.B) {
	benchServers(b, func(b *testing.B, w *world) {
		ctx := context.Background()
		if err := members.Generate(ctx, w.server.Store, w.org, "", 1_000); err != nil {
			b.Fatal(err)
		}
		anne := w.signIn(anneEmail, brunoPassword, "poste-bench")
		var took, cpu time.Duration
		changes := 0
		for b.Loop() {
			b.StopTimer()
			desk := startReplica(b)
			if _, err := Pull(ctx, desk, anne, PullOptions{}); err != nil {
				b.Fatal(err)
			}
			makeChanges(b, w, 10_000)
			b.StartTimer()
			t0, c0 := time.Now(), cpuTime()
			rep, err := Pull(ctx, desk, anne, PullOptions{})
			took, cpu = took+time.Since(t0), cpu+cpuTime()-c0
			if err != nil || rep.Changes < 10_000 {
				b.Fatalf("pull: %+v, %v", rep, err)
			}
			changes += rep.Changes
		}
		b.ReportMetric(float64(changes)/took.Seconds(), "changes/s")
		b.ReportMetric(float64(changes)/cpu.Seconds(), "changes/cpu-s")
	})
}

// cpuTime is the CPU time this process (the server and the desktop both)
// has used: on a machine shared with other work, the figure that does not
// depend on what else runs. The server's database on PostgreSQL is another
// process, outside it.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// makeChanges creates n tasks on the server, pushed in batches as desktops do.
func makeChanges(b testing.TB, w *world, n int) {
	b.Helper()
	for done := 0; done < n; done += service.MaxPush {
		ops := make([]service.PushedOperation, min(service.MaxPush, n-done))
		for i := range ops {
			ops[i] = service.PushedOperation{ID: domain.NewID(), Op: "tasks.create", Org: w.org,
				Input: json.RawMessage(fmt.Sprintf(`{"title":"Tâche %d"}`, done+i)), At: time.Now()}
		}
		res, err := w.server.Registry.Push(w.ctx, w.anne, domain.Device{Kind: domain.SessionDesktop, Name: "bench"}, ops)
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range res.Answers {
			if a.Outcome != service.PushAccepted {
				b.Fatalf("push: %+v", a)
			}
		}
	}
}
