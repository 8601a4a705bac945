package service

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

func pushed(op, org, input string) PushedOperation {
	return PushedOperation{ID: domain.NewID(), Op: op, Org: org, Input: json.RawMessage(input),
		At: time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC)}
}

func mustPush(t *testing.T, e *env, token string, ops ...PushedOperation) []PushAnswer {
	t.Helper()
	res, err := e.reg.Push(context.Background(), token, desktop, ops)
	if err != nil {
		t.Fatalf("push: %v", err)
	}
	if len(res.Answers) != len(ops) {
		t.Fatalf("%d answers to %d operations", len(res.Answers), len(ops))
	}
	return res.Answers
}

func taskIDs(t *testing.T, st *store.Store, orgID string) []string {
	t.Helper()
	var ids []string
	if err := st.DB(context.Background()).Model(&store.Task{}).Where("org_id = ?", orgID).Order("id").Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	return ids
}

// A pushed operation is applied once, however often it arrives: sent again
// (its answer was lost), or twice at the same moment.
func TestPushAppliesEachOperationOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		op := pushed("tasks.create", f.orgA, `{"title":"Déclaration de TVA"}`)
		for i := 0; i < 2; i++ {
			if a := mustPush(t, e, f.adminA, op); a[0].Outcome != PushAccepted {
				t.Fatalf("push %d answered %+v", i+1, a[0])
			}
		}
		if ids := taskIDs(t, st, f.orgA); len(ids) != 1 {
			t.Fatalf("pushed twice, %d tasks", len(ids))
		}

		// Eight pushes of one operation at once: one applies it, all are told accepted.
		op = pushed("tasks.create", f.orgA, `{"title":"Liasse fiscale"}`)
		var wg sync.WaitGroup
		answers := make([]PushAnswer, 8)
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := e.reg.Push(context.Background(), f.adminA, desktop, []PushedOperation{op})
				if err != nil {
					t.Error(err)
					return
				}
				answers[i] = res.Answers[0]
			}()
		}
		wg.Wait()
		for i, a := range answers {
			if a.Outcome != PushAccepted {
				t.Errorf("concurrent push %d answered %+v", i, a)
			}
		}
		if ids := taskIDs(t, st, f.orgA); len(ids) != 2 {
			t.Fatalf("eight concurrent pushes of one operation left %d tasks, want 2", len(ids))
		}
	})
}

// The records a pushed operation creates have the ids the desktop gave them
// when it applied the operation on its replica, so a later operation on the
// same record, made offline too, names a record the server knows.
func TestPushedRecordsKeepTheReplicaIDs(t *testing.T) {
	replica := newFixture(t, storetest.SQLite(t))
	server := newFixture(t, storetest.SQLite(t))
	create := pushed("tasks.create", "", `{"title":"Déclaration de TVA"}`)
	local, err := replica.env.reg.Invoke(domain.WithIDSeed(context.Background(), create.ID, create.At),
		Call{Op: create.Op, Input: create.Input, Token: replica.adminA, Device: desktop})
	if err != nil {
		t.Fatal(err)
	}
	id := local.Output.(Task).ID
	create.Org = server.orgA
	rename := pushed("tasks.update", server.orgA, `{"id":"`+id+`","title":"TVA de novembre"}`)
	for i, a := range mustPush(t, server.env, server.adminA, create, rename) {
		if a.Outcome != PushAccepted {
			t.Fatalf("operation %d answered %+v", i, a)
		}
	}
	ids := taskIDs(t, server.env.st, server.orgA)
	if len(ids) != 1 || ids[0] != id {
		t.Fatalf("the server holds tasks %v, want the replica's %s", ids, id)
	}
	var title string
	server.env.st.DB(context.Background()).Model(&store.Task{}).Where("id = ?", id).Pluck("title", &title)
	if title != "TVA de novembre" {
		t.Errorf("the offline rename did not reach the task: %q", title)
	}
}

// A refusal is the operation's answer for good: pushed again it is refused
// the same, even once it would pass (the desktop shows it among the refused
// changes; retrying is a new operation). Nothing the refused operation
// attempted is applied.
func TestPushRefusesWithTheReason(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		op := pushed("tasks.create", f.orgA, `{"title":"Déclaration de TVA"}`)
		a := mustPush(t, e, f.memberA, op)[0]
		if a.Outcome != PushRefused || a.Refusal == nil || a.Refusal.Code != domain.CodeForbidden {
			t.Fatalf("a member without the right was answered %+v", a)
		}
		bad := pushed("tasks.create", f.orgA, `{"title":""}`)
		if a := mustPush(t, e, f.adminA, bad)[0]; a.Outcome != PushRefused || a.Refusal.Fields["title"] != domain.FieldRequired {
			t.Fatalf("an invalid operation was answered %+v", a)
		}
		if ids := taskIDs(t, st, f.orgA); len(ids) != 0 {
			t.Fatalf("refused operations left %d tasks", len(ids))
		}
		// Another account cannot take the operation's id, nor learn its answer.
		stolen := op
		stolen.Input = json.RawMessage(`{"title":"Autre"}`)
		if a := mustPush(t, e, f.adminA, stolen)[0]; a.Outcome != PushRefused || a.Refusal.Code != domain.CodeConflict {
			t.Fatalf("an operation id of another account was answered %+v", a)
		}
		if a := mustPush(t, e, f.memberA, op)[0]; a.Outcome != PushRefused || a.Refusal.Code != domain.CodeForbidden {
			t.Fatalf("pushed again, the refused operation was answered %+v", a)
		}
	})
}

// A push is applied many operations to a transaction, each in a savepoint:
// one refused in the middle, after its first write (which records the
// operation), is undone alone, its refusal kept; those before and after it
// are applied, once each, with their change-log and history entries.
func TestPushRefusedInTheMiddleOfABatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		ctx := context.Background()
		first := pushed("tasks.create", f.orgA, `{"title":"Déclaration de TVA"}`)
		// Refused inside its write: the task it names does not exist.
		missing := pushed("tasks.update", f.orgA, `{"id":"`+domain.NewID()+`","title":"Autre"}`)
		last := pushed("tasks.create", f.orgA, `{"title":"Liasse fiscale"}`)
		changes := func() (n int64) {
			st.DB(ctx).Model(&store.Change{}).Where("entity = ?", "task").Count(&n)
			return n
		}
		before := changes()
		for round := 0; round < 2; round++ {
			a := mustPush(t, e, f.adminA, first, missing, last)
			if a[0].Outcome != PushAccepted || a[2].Outcome != PushAccepted {
				t.Fatalf("round %d: the operations around the refused one were answered %+v, %+v", round, a[0], a[2])
			}
			if a[1].Outcome != PushRefused || a[1].Refusal == nil || a[1].Refusal.Code != domain.CodeNotFound {
				t.Fatalf("round %d: the middle operation was answered %+v", round, a[1])
			}
		}
		if ids := taskIDs(t, st, f.orgA); len(ids) != 2 {
			t.Fatalf("%d tasks, want 2", len(ids))
		}
		if n := changes() - before; n != 2 {
			t.Errorf("%d task changes logged, want 2", n)
		}
		rec, ok, err := st.Replayed(ctx, missing.ID)
		if err != nil || !ok || rec.Outcome != store.ReplayRefused {
			t.Errorf("the refused operation is recorded %+v (%v, %v)", rec, ok, err)
		}
	})
}

// Operations about signing in, passwords and second factors are never
// replayed; nor is anything into a closed organization; a push on an ended
// session is refused whole, so the desktop keeps its queue.
func TestPushRefusesWhatCannotBeReplayed(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	e := f.env
	for _, op := range []PushedOperation{
		pushed("account.changePassword", "", `{}`),
		pushed("tasks.list", f.orgA, `{}`),
		pushed("no.such", f.orgA, `{}`),
		{ID: "not-an-id", Op: "tasks.create", Org: f.orgA, Input: json.RawMessage(`{"title":"TVA"}`), At: time.Now()},
	} {
		if a := mustPush(t, e, f.adminA, op)[0]; a.Outcome != PushRefused || a.Refusal.Code != domain.CodeValidation {
			t.Errorf("%s answered %+v", op.Op, a)
		}
	}
	e.mustCall("orgs.close", f.adminB, `{}`)
	if a := mustPush(t, e, f.adminB, pushed("tasks.create", f.orgB, `{"title":"TVA"}`))[0]; a.Outcome != PushRefused || a.Refusal.Code != domain.CodeOrgClosed {
		t.Errorf("a task into a closed organization was answered %+v", a)
	}
	e.mustCall("auth.signOut", f.adminA, `{}`)
	if _, err := e.reg.Push(context.Background(), f.adminA, desktop, []PushedOperation{pushed("tasks.create", f.orgA, `{"title":"TVA"}`)}); domain.CodeOf(err) != domain.CodeUnauthenticated {
		t.Errorf("a push on an ended session: %v", err)
	}
}

// A desktop back online pushing its queue: 100 task creations per push, each
// replayed through the registry and recorded with its effects; and the same
// push sent again (a lost answer), answered from the records.
// `go test -bench PushQueue -run '^$' ./backend/service/`
func BenchmarkPushQueue(b *testing.B) {
	benchEachDatabase(b, func(b *testing.B, _ *store.Store, sys *System, res Result) {
		ctx := context.Background()
		org := res.Output.(SessionInfo).Organization.ID
		batch := func() []PushedOperation {
			ops := make([]PushedOperation, 100)
			for i := range ops {
				ops[i] = PushedOperation{ID: domain.NewID(), Op: "tasks.create", Org: org, Input: json.RawMessage(`{"title":"Déclaration de TVA"}`), At: time.Now()}
			}
			return ops
		}
		var fresh, again time.Duration
		pushed := 0
		for b.Loop() {
			ops := batch()
			t0 := time.Now()
			if _, err := sys.Registry.Push(ctx, res.Token, desktop, ops); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			if _, err := sys.Registry.Push(ctx, res.Token, desktop, ops); err != nil {
				b.Fatal(err)
			}
			fresh, again = fresh+t1.Sub(t0), again+time.Since(t1)
			pushed += len(ops)
		}
		b.ReportMetric(float64(pushed)/fresh.Seconds(), "applied/s")
		b.ReportMetric(float64(pushed)/again.Seconds(), "re-answered/s")
	})
}
