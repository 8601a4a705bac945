package store_test

import (
	"context"
	"fmt"
	"math/rand"
	"sync"
	"testing"
	"time"

	"atrium/backend/store"
	"atrium/backend/storetest"
)

// A reader that remembers the last position it read must never miss an
// entry: here a write takes its position, a second write starts while the
// first is still open, and the reader reads in between. On PostgreSQL
// positions are handed out before commit, so without the write order the
// second would take a later position, commit first, and the reader would
// move past the first one for good.
func TestChangeReaderNeverSkipsALateCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		firstIn, releaseFirst := make(chan struct{}), make(chan struct{})
		done := make(chan error, 2)
		go func() {
			done <- st.WriteTx(ctx, func(ctx context.Context) error {
				if err := st.AppendChange(ctx, store.Change{Entity: "task", EntityID: "first", Action: "created"}); err != nil {
					return err
				}
				close(firstIn)
				<-releaseFirst
				return nil
			})
		}()
		<-firstIn
		secondDone := make(chan error, 1)
		go func() {
			secondDone <- st.WriteTx(ctx, func(ctx context.Context) error {
				return st.AppendChange(ctx, store.Change{Entity: "task", EntityID: "second", Action: "created"})
			})
		}()
		// Give the second write every chance to commit before the first.
		time.Sleep(150 * time.Millisecond)
		var seen []string
		pos := int64(0)
		read := func() {
			last, err := st.LastChange(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ch, err := st.ChangesSince(ctx, pos, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range ch {
				if c.Seq > last {
					break
				}
				seen = append(seen, c.EntityID)
				pos = c.Seq
			}
		}
		read()
		close(releaseFirst)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if err := <-secondDone; err != nil {
			t.Fatal(err)
		}
		read()
		if fmt.Sprint(seen) != "[first second]" {
			t.Fatalf("the reader saw %v, want [first second]", seen)
		}
	})
}

// Many writers committing after random pauses, one reader polling from its
// last position: it ends with every entry, each once, in order.
func TestChangeReaderSeesEveryCommitOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		const writers, each = 6, 15
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewSource(int64(w)))
				for i := range each {
					err := st.WriteTx(ctx, func(ctx context.Context) error {
						if err := st.AppendChange(ctx, store.Change{Entity: "task", EntityID: fmt.Sprintf("%d-%d", w, i), Action: "created"}); err != nil {
							return err
						}
						time.Sleep(time.Duration(r.Intn(3)) * time.Millisecond)
						return nil
					})
					if err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		stop := make(chan struct{})
		go func() { wg.Wait(); close(stop) }()
		seen := map[string]int{}
		pos, finished := int64(0), false
		for !finished {
			select {
			case <-stop:
				finished = true // one last read after every writer is done
			case <-time.After(time.Millisecond):
			}
			last, err := st.LastChange(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ch, err := st.ChangesSince(ctx, pos, 1000)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range ch {
				if c.Seq > last {
					break
				}
				seen[c.EntityID]++
				pos = c.Seq
			}
		}
		if len(seen) != writers*each {
			t.Fatalf("the reader saw %d entries, want %d", len(seen), writers*each)
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("entry %s seen %d times", id, n)
			}
		}
	})
}

// A commit with changes wakes whoever waits for the next one.
func TestChangesAfterRingsOnCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		wake := st.ChangesAfter()
		_ = st.WriteTx(ctx, func(ctx context.Context) error { return nil })
		select {
		case <-wake:
			t.Fatal("a write without changes woke the readers")
		default:
		}
		if err := st.WriteTx(ctx, func(ctx context.Context) error {
			return st.AppendChange(ctx, store.Change{Entity: "task", EntityID: "t", Action: "created"})
		}); err != nil {
			t.Fatal(err)
		}
		select {
		case <-wake:
		case <-time.After(time.Second):
			t.Fatal("a commit with changes did not wake the readers")
		}
	})
}
