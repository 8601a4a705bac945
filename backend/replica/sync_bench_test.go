package replica

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
)

// A desktop back online with 1,000 operations it queued offline (task
// creations made on its replica): pushed to the server over loopback HTTP in
// batches, each replayed and acknowledged, the queue emptied.
// `go test -bench PushOffline -run '^$' -benchtime 3x ./backend/replica/`
func BenchmarkPushOffline(b *testing.B) {
	benchServers(b, func(b *testing.B, w *world) {
		w.give(domain.RightTasksView, true)
		w.give(domain.RightTasksManage, true)
		w.pull()
		token := w.localSession()
		var took, cpu time.Duration
		pushed := 0
		for b.Loop() {
			b.StopTimer()
			for i := range 1000 {
				w.queueTask(token, fmt.Sprintf("Hors ligne %d", i))
			}
			b.StartTimer()
			t0, c0 := time.Now(), cpuTime()
			rep, err := Push(w.ctx, w.desk.Store, w.client, time.Now)
			took, cpu = took+time.Since(t0), cpu+cpuTime()-c0
			if err != nil || rep.Accepted != 1000 || rep.Waiting != 0 {
				b.Fatalf("push: %+v, %v", rep, err)
			}
			pushed += rep.Accepted
		}
		var n int64
		w.server.Store.DB(w.ctx).Model(&store.Task{}).Where("org_id = ?", w.org).Count(&n)
		if int(n) != pushed {
			b.Fatalf("%d tasks on the server after %d pushed", n, pushed)
		}
		b.ReportMetric(took.Seconds()/float64(b.N), "s/1000ops")
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/1000ops")
		b.ReportMetric(float64(pushed)/took.Seconds(), "ops/s")
	})
}

// A change committed on the server (a task made in the browser), until
// another connected desktop has it on its replica: the server's change
// stream tells the desktop, which pulls, as the sync loop does. Each sample
// from the call on the server to the pull that brought the task in.
// `go test -bench ChangeToReplica -run '^$' -benchtime 100x ./backend/replica/`
func BenchmarkChangeToReplica(b *testing.B) {
	benchServers(b, func(b *testing.B, w *world) {
		w.give(domain.RightTasksView, true)
		w.pull()
		ctx, cancel := context.WithCancel(w.ctx)
		defer cancel()

		// The desktop's loop: the stream rings, the replica pulls; after each
		// pull the titles it holds are handed to whoever waits for one.
		ring := make(chan struct{}, 1)
		var mu sync.Mutex
		waiting := map[string]chan time.Time{}
		followed := make(chan struct{})
		go func() {
			close(followed)
			_ = w.client.Follow(ctx, func() {
				select {
				case ring <- struct{}{}:
				default:
				}
			})
		}()
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case <-ring:
				}
				if _, err := Pull(ctx, w.desk, w.client, PullOptions{}); err != nil {
					if ctx.Err() == nil {
						b.Error(err)
					}
					return
				}
				now := time.Now()
				var titles []string
				w.desk.Store.DB(ctx).Model(&store.Task{}).Where("org_id = ?", w.org).Pluck("title", &titles)
				mu.Lock()
				for _, t := range titles {
					if ch, ok := waiting[t]; ok {
						ch <- now
						delete(waiting, t)
					}
				}
				mu.Unlock()
			}
		}()
		<-followed
		time.Sleep(200 * time.Millisecond) // the stream is open

		var lat []time.Duration
		i := 0
		for b.Loop() {
			i++
			title := fmt.Sprintf("Du navigateur %d", i)
			ch := make(chan time.Time, 1)
			mu.Lock()
			waiting[title] = ch
			mu.Unlock()
			t0 := time.Now()
			w.asAnne("tasks.create", fmt.Sprintf(`{"title":%q}`, title))
			select {
			case at := <-ch:
				lat = append(lat, at.Sub(t0))
			case <-time.After(10 * time.Second):
				b.Fatalf("change %d never reached the replica", i)
			}
			b.StopTimer()
			time.Sleep(20 * time.Millisecond) // one change at a time, not a burst
			b.StartTimer()
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
		b.ReportMetric(q(0.5), "p50-ms")
		b.ReportMetric(q(0.95), "p95-ms")
		b.ReportMetric(q(1), "max-ms")
	})
}
