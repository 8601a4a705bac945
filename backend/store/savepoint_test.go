package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// Several operations share one writing transaction, each in a savepoint: one
// that fails, even by a statement the database refuses (which spoils a
// PostgreSQL transaction), is undone alone, with the operation it recorded;
// the others are kept, each recorded with its effects, told so once the
// transaction commits.
func TestSavepointUndoesOnePartOfAWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		replay := func() *store.Replay {
			return store.NewReplay(store.ReplayedOperation{ID: domain.NewID(), AccountID: domain.NewID(), Op: "tasks.create", At: time.Now().UTC()})
		}
		kept, undone, quiet := replay(), replay(), replay()
		change := func(ctx context.Context, id string) error {
			return st.WriteTx(ctx, func(ctx context.Context) error {
				return st.AppendChange(ctx, store.Change{Entity: "task", EntityID: id, Action: "created"})
			})
		}
		refused := errors.New("refused")
		err := st.WriteTx(ctx, func(ctx context.Context) error {
			recorded, err := st.Savepoint(ctx, func(ctx context.Context) error {
				return change(store.WithReplay(ctx, kept), "kept")
			})
			if err != nil || !recorded {
				t.Errorf("the first part: recorded %v, %v", recorded, err)
			}
			_, err = st.Savepoint(ctx, func(ctx context.Context) error {
				if err := change(store.WithReplay(ctx, undone), "undone"); err != nil {
					return err
				}
				// A second record of one id: the database refuses it.
				if err := st.DB(ctx).Create(&store.ReplayedOperation{ID: undone.Record().ID, AccountID: "x", Op: "x", At: time.Now()}).Error; err == nil {
					t.Error("a duplicate record was accepted")
				}
				return refused
			})
			if !errors.Is(err, refused) {
				t.Errorf("the failed part returned %v", err)
			}
			// The transaction goes on: a part that writes nothing records nothing.
			recorded, err = st.Savepoint(store.WithReplay(ctx, quiet), func(ctx context.Context) error { return nil })
			if err != nil || recorded {
				t.Errorf("a part without writes: recorded %v, %v", recorded, err)
			}
			return change(ctx, "after")
		})
		if err != nil {
			t.Fatal(err)
		}
		if !kept.Recorded() || undone.Recorded() || quiet.Recorded() {
			t.Errorf("recorded: kept %v, undone %v, quiet %v", kept.Recorded(), undone.Recorded(), quiet.Recorded())
		}
		for id, want := range map[string]bool{kept.Record().ID: true, undone.Record().ID: false, quiet.Record().ID: false} {
			if _, ok, err := st.Replayed(ctx, id); err != nil || ok != want {
				t.Errorf("operation %s recorded %v (%v), want %v", id, ok, err, want)
			}
		}
		var ids []string
		st.DB(ctx).Model(&store.Change{}).Order("seq").Pluck("entity_id", &ids)
		if len(ids) != 2 || ids[0] != "kept" || ids[1] != "after" {
			t.Errorf("change log %v, want [kept after]", ids)
		}
	})
}
