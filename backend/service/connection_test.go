package service

import (
	"context"
	"fmt"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// Discarding a change the server refused records it in the organization's
// history, with what was attempted and why it was refused; only its author
// may, once.
func TestDiscardARefusedChangeIsInTheHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		id := refusedOnServer(f.env, f.adminAID, f.orgA, "tasks.create")
		if _, err := f.env.callIn(f.orgA, "sync.discard", f.memberA, fmt.Sprintf(`{"id":%q}`, id)); domain.CodeOf(err) != domain.CodeNotFound {
			t.Fatalf("another member discarding it: %v", err)
		}
		f.env.mustCall("sync.discard", f.adminA, fmt.Sprintf(`{"id":%q}`, id))
		got := f.env.mustCall("history.list", f.adminA, `{"action":"sync.discarded"}`).Output.(HistoryPage).Entries
		if len(got) != 1 {
			t.Fatalf("%d discard entries in the history", len(got))
		}
		if d := got[0].Details; d["operation"] != "tasks.create" || d["reason"] != "validation" || got[0].SubjectID != id || got[0].ActorID != f.adminAID {
			t.Errorf("the entry says %+v", got[0])
		}

		// On a replica the refused change leaves the queue in the same write.
		org := f.orgA
		q := store.NewQueued(store.PendingOperation{ID: domain.NewID(), Op: "tasks.create", OrgID: &org, Input: `{"title":""}`,
			AccountID: f.adminAID, MadeAt: time.Now()})
		ctx := context.Background()
		if err := st.WriteTx(store.WithQueued(ctx, q), func(context.Context) error { return nil }); err != nil {
			t.Fatal(err)
		}
		ops, _ := st.PendingOperations(ctx)
		if err := st.OperationRefused(ctx, ops[0].ID, `{"code":"forbidden","message":""}`, time.Now()); err != nil {
			t.Fatal(err)
		}
		f.env.mustCall("sync.discard", f.adminA, fmt.Sprintf(`{"id":%q}`, ops[0].ID))
		if left, _ := st.PendingOperations(ctx); len(left) != 0 {
			t.Errorf("the discarded change is still queued: %+v", left)
		}
		if _, err := f.env.call("sync.discard", f.adminA, fmt.Sprintf(`{"id":%q}`, ops[0].ID)); domain.CodeOf(err) != domain.CodeNotFound {
			t.Errorf("discarded twice: %v", err)
		}
	})
}
