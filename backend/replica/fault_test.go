package replica

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// Fault tests: a real atrium-server process (SQLite, and PostgreSQL when
// ATRIUM_TEST_PG is set) and a desktop's sync engine in a child process,
// one or the other killed (SIGKILL) at a random moment of a push, a pull or
// the server's replay, ATRIUM_TEST_KILLS times each (20 by default; the seed
// is printed, ATRIUM_TEST_SEED runs it again). After each kill, every
// operation queued is applied once on the server or still waiting on the
// desktop; after the next sync, all are applied once, the replica equals
// the server, and both databases are sound.

// brunoRights are what Bruno may do in the fault tests: read and edit
// members, read and manage tasks, read the history (so the replica holds
// all of these, and the comparison covers them).
var brunoRights = []domain.Right{domain.RightMembersView, domain.RightMembersEdit, domain.RightTasksView,
	domain.RightTasksManage, domain.RightAuditView}

// eachServerDB runs fn on a server on SQLite and, when ATRIUM_TEST_PG is
// set, on PostgreSQL.
func eachServerDB(t *testing.T, fn func(t *testing.T, pg bool)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, false) })
	if os.Getenv(storetest.EnvPG) != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, true) })
	}
}

// faultWorld is the server's process and Bruno's desktop, and every
// operation the desktop queued: a task's creation, by its unique title.
type faultWorld struct {
	t      *testing.T
	rng    *rand.Rand
	data   *serverData
	srv    *serverProc
	desk   *desktop
	proxy  *proxy            // between the desktop and the server, when there is one
	titles map[string]string // operation id → title
	// What the kills landed on, for the log: before any operation was
	// applied, after some, after all of them but before the answer was
	// filed, after the push was over.
	landed [4]int
}

func newFaultWorld(t *testing.T, pg bool, extra int) *faultWorld {
	t.Helper()
	return newFaultWorldVia(t, pg, extra, false)
}

// newFaultWorldVia is newFaultWorld, the desktop reaching the server
// through a proxy when viaProxy.
func newFaultWorldVia(t *testing.T, pg bool, extra int, viaProxy bool) *faultWorld {
	t.Helper()
	rng, _ := seed(t)
	w := &faultWorld{t: t, rng: rng, titles: map[string]string{}}
	w.data = newServerData(t, pg, extra, brunoRights...)
	w.srv = newServerProc(t, w.data)
	url := w.srv.url()
	if viaProxy {
		w.proxy = newProxy(t, w.srv.addr)
		url = w.proxy.url()
	}
	token := signInAt(t, url, brunoEmail, "poste-1")
	w.desk = newDesktop(t, "bruno", url, token, w.data.bruno, w.data.org)
	w.desk.must(w.desk.do("pull"))
	w.desk.sameAsServer()
	return w
}

// queue makes n tasks on the desktop, each queued for the server, and a
// change of a member's job title (queued too).
func (w *faultWorld) queue(prefix string, n int) []string {
	w.t.Helper()
	calls := make([]deskCall, n)
	titles := make([]string, n)
	for i := range calls {
		titles[i] = fmt.Sprintf("%s-%d", prefix, i)
		calls[i] = deskCall{Op: "tasks.create", Input: []byte(fmt.Sprintf(`{"title":%q}`, titles[i]))}
	}
	calls = append(calls, deskCall{Op: "members.update",
		Input: []byte(fmt.Sprintf(`{"memberId":%q,"jobTitle":%q}`, w.data.chloeM, prefix))})
	r := w.desk.must(w.desk.do("invoke", calls...))
	for i, id := range r.Queued {
		if id == "" {
			w.t.Fatalf("%s was not queued: %s", calls[i].Op, r.Codes[i])
		}
		if i < n {
			w.titles[id] = titles[i]
		}
	}
	return r.Queued
}

// settled checks the state after a kill, before anything else: each
// operation queued is still waiting on the desktop, or applied once on the
// server (an operation applied whose answer was lost waits too); none is
// applied twice, none refused. It tells where the kill landed.
func (w *faultWorld) settled(batch []string) (landed int) {
	w.t.Helper()
	q := w.desk.must(w.desk.do("queue"))
	waiting := map[string]bool{}
	for _, o := range q.Ops {
		if o.State != store.PendingWaiting {
			w.t.Fatalf("operation %s (%s) is %s: %s", o.ID, o.Op, o.State, o.Refusal)
		}
		waiting[o.ID] = true
	}
	w.appliedOnce(waiting)
	replayed := w.data.replayed(w.t)
	applied, left := 0, 0
	for _, id := range batch {
		if replayed[id].ID != "" {
			applied++
		}
		if waiting[id] {
			left++
		}
	}
	switch {
	case applied == 0:
		landed = 0
	case applied < len(batch):
		landed = 1
	case left > 0:
		landed = 2
	default:
		landed = 3
	}
	w.landed[landed]++
	return landed
}

// aim moves the window the kills land in after one landed: later when it
// fell before anything happened, sooner when it fell after everything, so
// that the kills keep landing inside the push whatever the load.
func aim(window time.Duration, landed int) time.Duration {
	switch landed {
	case 0:
		return window * 5 / 4
	case 3:
		return window * 4 / 5
	}
	return window
}

// appliedOnce checks every task operation queued so far against the
// server: applied (recorded accepted, the task there once, its creation
// once in the history) or, if still waiting, not applied or applied once.
func (w *faultWorld) appliedOnce(waiting map[string]bool) {
	w.t.Helper()
	var titles []string
	for _, title := range w.titles {
		titles = append(titles, title)
	}
	replayed := w.data.replayed(w.t)
	tasks, created := w.data.tasksTitled(w.t, titles)
	for id, title := range w.titles {
		rec, ok := replayed[id]
		n := tasks[title]
		switch {
		case ok && rec.Outcome != store.ReplayAccepted:
			w.t.Fatalf("the server refused %s (%s): %v", id, title, *rec.Refusal)
		case n > 1 || created[title] != n:
			w.t.Fatalf("%s: the server holds %d tasks and %d creations in its history", title, n, created[title])
		case ok != (n == 1):
			w.t.Fatalf("%s: recorded %v, yet the server holds %d tasks: its effects and its record parted", title, ok, n)
		case !ok && !waiting[id]:
			w.t.Fatalf("%s left the desktop's queue but the server never applied it: lost", title)
		}
	}
}

// recovered syncs the desktop (push, then pull) and checks that nothing
// waits any more, that every operation is applied once, and that the
// replica equals the server. (Whether the replica is sound is checked after
// each kill of the desktop, and at the end.)
func (w *faultWorld) recovered() time.Duration {
	w.t.Helper()
	t0 := time.Now()
	r := w.desk.must(w.desk.do("sync"))
	took := time.Since(t0)
	if r.Push.Refused != 0 || r.Push.Waiting != 0 {
		w.t.Fatalf("after the fault the push left %+v", *r.Push)
	}
	if q := w.desk.must(w.desk.do("queue")); len(q.Ops) != 0 {
		w.t.Fatalf("%d operations still queued after a sync", len(q.Ops))
	}
	w.appliedOnce(nil)
	w.desk.sameAsServer()
	return took
}

// calibrate times a push of a batch, undisturbed: the kills land at random
// within a little more than that.
func (w *faultWorld) calibrate() time.Duration {
	w.t.Helper()
	w.queue("calibrate", opsPerKill)
	t0 := time.Now()
	w.desk.must(w.desk.do("push"))
	took := time.Since(t0)
	w.recovered()
	w.t.Logf("a push of %d operations takes %v", opsPerKill, took)
	return took
}

// after waits a random moment within window.
func (w *faultWorld) after(window time.Duration) {
	time.Sleep(time.Duration(w.rng.Int64N(int64(window) + 1)))
}

func (w *faultWorld) report(what string, kills int) {
	w.t.Logf("%d %s: %d before any operation was applied, %d after some, %d after all before the answer was filed, %d after the push",
		kills, what, w.landed[0], w.landed[1], w.landed[2], w.landed[3])
}

// opsPerKill is how many operations each push carries in the fault tests.
const opsPerKill = 20

// The desktop killed during a push: the server applied none, some or all of
// the batch, the desktop filed none, some or all of the answers. Started
// again, it pushes what still waits; the server applies each once.
func TestKillDesktopDuringPush(t *testing.T) {
	eachServerDB(t, func(t *testing.T, pg bool) {
		w := newFaultWorld(t, pg, 0)
		kills := envCount(t, "ATRIUM_TEST_KILLS", 20)
		window := w.calibrate()
		for i := range kills {
			batch := w.queue(fmt.Sprintf("push-%d", i), opsPerKill)
			w.desk.begin(deskCommand{Cmd: "push"})
			w.after(window)
			w.desk.kill()
			w.desk.start()
			w.desk.sound()
			window = aim(window, w.settled(batch))
			w.recovered()
		}
		w.report("kills of the desktop during a push", kills)
		w.desk.sound()
		w.srv.verifyHistory()
	})
}

// The desktop killed during a pull (reading the change log, reading the
// snapshot, rebuilding the organization, re-applying the queue on top):
// started again, the replica is sound, its queue intact, and the next sync
// brings it to the server's truth.
func TestKillDesktopDuringPull(t *testing.T) {
	eachServerDB(t, func(t *testing.T, pg bool) {
		w := newFaultWorld(t, pg, 300)
		anne, err := NewClient(w.srv.url(), "test", "linux", "navigateur")
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if err := anne.Call(ctx, "auth.signIn", "", map[string]string{"email": anneEmail, "password": brunoPassword}, nil); err != nil {
			t.Fatal(err)
		}
		elsewhere := func(i int) { // a change on the server, so the pull has work
			if err := anne.Call(ctx, "members.update", w.data.org, map[string]string{"memberId": w.data.brunoM,
				"jobTitle": fmt.Sprintf("Comptable %d", i)}, nil); err != nil {
				t.Fatal(err)
			}
		}
		elsewhere(-1)
		t0 := time.Now()
		w.desk.must(w.desk.do("pull"))
		window := time.Since(t0)
		t.Logf("a pull rebuilding the organization takes %v", window)
		kills := envCount(t, "ATRIUM_TEST_KILLS", 20)
		rebuilt := 0 // kills after the rebuild's transaction committed
		for i := range kills {
			elsewhere(i)
			w.queue(fmt.Sprintf("pull-%d", i), 2)
			before := w.desk.must(w.desk.do("queue")).Position
			w.desk.begin(deskCommand{Cmd: "pull"})
			w.after(window)
			w.desk.kill()
			w.desk.start()
			w.desk.sound()
			// Kills keep landing about the rebuild's commit.
			if w.desk.must(w.desk.do("queue")).Position > before {
				rebuilt++
				window = window * 9 / 10
			} else {
				window = window * 11 / 10
			}
			w.settled(nil)
			w.recovered()
		}
		t.Logf("%d kills of the desktop during a pull: %d before the organization's rebuild committed, %d after",
			kills, kills-rebuilt, rebuilt)
		w.desk.sound()
		w.srv.verifyHistory()
	})
}

// The server killed while it replays a push: what it committed stays, what
// it had not is rolled back, the desktop keeps the batch waiting (the
// answer never came); when the server is back the desktop pushes it again
// and each operation is applied once. The server's database is sound.
func TestKillServerDuringReplay(t *testing.T) {
	eachServerDB(t, func(t *testing.T, pg bool) {
		w := newFaultWorld(t, pg, 0)
		kills := envCount(t, "ATRIUM_TEST_KILLS", 20)
		window := w.calibrate()
		for i := range kills {
			batch := w.queue(fmt.Sprintf("replay-%d", i), opsPerKill)
			w.desk.begin(deskCommand{Cmd: "push"})
			w.after(window)
			w.srv.kill()
			if r := w.desk.finish(); r.Err != "" && r.Kind != "offline" {
				t.Fatalf("the push, the server killed: %s (%s)", r.Err, r.Kind)
			}
			if p := w.data.integrity(t); p != "" {
				t.Fatalf("the server's database after a kill: %s", p)
			}
			w.srv.start()
			window = aim(window, w.settled(batch))
			w.recovered()
		}
		w.report("kills of the server during a replay", kills)
		t.Logf("the server started %d times, in %v on average", w.srv.starts, w.srv.starting/time.Duration(w.srv.starts))
		w.desk.sound()
		w.srv.verifyHistory()
	})
}

// The desktop killed while it makes operations (a burst of them, as a
// person working fast): each one's effects on the replica and its place in
// the queue are one transaction, so after the kill every task the replica
// holds of the burst is queued, and every one queued is there; the next
// sync applies each once on the server. The desktop's own side, so on one
// server (SQLite); ATRIUM_TEST_KILLS/2 kills.
func TestKillDesktopWhileQueueing(t *testing.T) {
	w := newFaultWorld(t, false, 0)
	kills := envCount(t, "ATRIUM_TEST_KILLS", 20) / 2
	t0 := time.Now()
	w.queue("calibrate", opsPerKill)
	window := time.Since(t0)
	w.recovered()
	partial := 0
	for i := range kills {
		prefix := fmt.Sprintf("burst-%d-", i)
		calls := make([]deskCall, opsPerKill)
		for k := range calls {
			calls[k] = deskCall{Op: "tasks.create", Input: jsonOf(map[string]string{"title": fmt.Sprintf("%s%d", prefix, k)})}
		}
		w.desk.begin(deskCommand{Cmd: "invoke", Calls: calls})
		w.after(window)
		w.desk.kill()
		w.desk.start()
		w.desk.sound()
		var queued, held []string
		for _, o := range w.desk.must(w.desk.do("queue")).Ops {
			var in struct{ Title string }
			json.Unmarshal(o.Input, &in)
			if o.Op == "tasks.create" && strings.HasPrefix(in.Title, prefix) {
				queued = append(queued, in.Title)
				w.titles[o.ID] = in.Title
			}
		}
		for _, task := range w.desk.must(w.desk.do("records")).Tasks {
			if strings.HasPrefix(task.Name, prefix) {
				held = append(held, task.Name)
			}
		}
		slices.Sort(queued)
		slices.Sort(held)
		if !slices.Equal(queued, held) {
			t.Fatalf("after a kill the replica holds the tasks %v, its queue %v", held, queued)
		}
		if len(held) > 0 && len(held) < opsPerKill {
			partial++
		}
		// The window follows: kills within the burst, not before or after.
		switch len(held) {
		case 0:
			window = window * 5 / 4
		case opsPerKill:
			window = window * 4 / 5
		}
		// A member's change too, so the pull rebuilds the organization
		// whole (TestTasksOnlyPullKeepsTheHistoryCopy).
		w.queue(prefix, 0)
		w.recovered()
	}
	t.Logf("%d kills of the desktop while it made %d operations: %d in the middle of the burst", kills, opsPerKill, partial)
	w.desk.sound()
	w.srv.verifyHistory()
}
