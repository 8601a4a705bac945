package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Change is one entry of the change log: what the offline sync and the live
// stream read to apply a write elsewhere.
type Change struct {
	Seq      int64 `gorm:"primaryKey;autoIncrement"`
	OrgID    *string
	Entity   string
	EntityID string
	Action   string
	// State is the entity's new state as JSON, as the console reads it; nil
	// when it was deleted, or when it holds a secret that never travels
	// (sessions, tokens): a reader then reads the entity by its id.
	State *string
	At    time.Time
}

func (Change) TableName() string { return "change_log" }

// A reader of the change log remembers the last position it read and asks for
// what follows. That is only sound if positions are handed out in the order
// their transactions commit: otherwise a reader could see position 11,
// committed, move past it, and never see position 10, committed a moment
// later. SQLite has one writer at a time, so its order is the commit order.
// On PostgreSQL every write takes changeOrderLock first and holds it until it
// commits, so writes that change data follow one another as on SQLite. Taken
// first, before any row is touched, it cannot deadlock with row locks.
const changeOrderLock = 0x41747269756d // "Atrium"

// ChangesChannel is the PostgreSQL channel a commit with changes notifies, so
// every server process on the database wakes its readers.
const ChangesChannel = "atrium_changes"

// writeTx marks a transaction opened by WriteTx: the only kind the change
// log may be appended to.
type writeTx struct {
	changed bool
	// marks are the operations recorded with their effects in this
	// transaction (one, or each of a push's operations): told committed
	// once it commits.
	marks []opMark
	// savepoints counts the savepoints taken, to name them; broken is set
	// when rolling back to one failed, and fails the transaction.
	savepoints int
	broken     error
}

type writeTxKey struct{}

// mark records the operation ctx runs for, by the first write of it in this
// transaction, before that write touches anything.
func (w *writeTx) mark(ctx context.Context, s *Store) error {
	m, ok := ctx.Value(opMarkKey{}).(opMark)
	if !ok || m.done() || slices.Contains(w.marks, m) {
		return nil
	}
	if err := m.record(ctx, s); err != nil {
		return err
	}
	w.marks = append(w.marks, m)
	return nil
}

// WriteTx runs fn as one writing transaction: the one kind of transaction
// that may append to the change log. When it commits with changes, readers
// in this process are woken at once and, on PostgreSQL, those of the other
// processes through a notification sent with the commit.
//
// A WriteTx inside another joins it; the operation its context runs for (a
// pushed operation replayed, or one queued on a connected desktop) is
// recorded by its first write in the transaction, so several operations may
// share one transaction, each recorded with its own effects (Savepoint).
func (s *Store) WriteTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if InTx(ctx) {
		w, ok := ctx.Value(writeTxKey{}).(*writeTx)
		if !ok {
			return errors.New("store: a write inside another kind of transaction")
		}
		if err := w.mark(ctx, s); err != nil {
			return err
		}
		return fn(ctx)
	}
	w := &writeTx{}
	err := s.Tx(context.WithValue(ctx, writeTxKey{}, w), func(ctx context.Context) error {
		if s.dialect == Postgres {
			if err := s.DB(ctx).Exec("SELECT pg_advisory_xact_lock(?)", changeOrderLock).Error; err != nil {
				return err
			}
		}
		if err := w.mark(ctx, s); err != nil {
			return err
		}
		if err := fn(ctx); err != nil {
			return err
		}
		return w.broken
	})
	if err == nil {
		for _, m := range w.marks {
			m.committed()
		}
	}
	if err == nil && w.changed {
		s.changes.ring()
	}
	return err
}

// Savepoint runs fn as one part of the writing transaction ctx carries:
// when fn fails, what it wrote is undone (the operation it recorded too)
// and the transaction goes on without it. recorded reports whether fn's
// writes recorded the operation its context runs for.
func (s *Store) Savepoint(ctx context.Context, fn func(ctx context.Context) error) (recorded bool, err error) {
	w, ok := ctx.Value(writeTxKey{}).(*writeTx)
	if !ok || !InTx(ctx) {
		return false, errors.New("store: a savepoint outside a writing transaction")
	}
	if w.broken != nil {
		return false, w.broken
	}
	db := s.DB(ctx)
	w.savepoints++
	name := fmt.Sprintf("part%d", w.savepoints)
	if err := db.Exec("SAVEPOINT " + name).Error; err != nil {
		w.broken = err
		return false, err
	}
	marks, changed := len(w.marks), w.changed
	if err := fn(ctx); err != nil {
		// On PostgreSQL a failed statement spoils the transaction until this.
		if rerr := db.Exec("ROLLBACK TO SAVEPOINT " + name).Error; rerr != nil {
			w.broken = fmt.Errorf("store: rolling back to a savepoint: %w", rerr)
			return false, errors.Join(err, w.broken)
		}
		// A notification sent in the part is undone with it.
		w.marks, w.changed = w.marks[:marks], changed
		if rerr := db.Exec("RELEASE SAVEPOINT " + name).Error; rerr != nil {
			w.broken = rerr
		}
		return false, err
	}
	if err := db.Exec("RELEASE SAVEPOINT " + name).Error; err != nil {
		w.broken = err
		return false, err
	}
	return len(w.marks) > marks, nil
}

// AppendChange records a write in the change log. It must run inside the
// WriteTx of the write it describes, so the log never disagrees with the data
// and its positions follow the commits.
func (s *Store) AppendChange(ctx context.Context, c Change) error {
	w, ok := ctx.Value(writeTxKey{}).(*writeTx)
	if !ok || !InTx(ctx) {
		return errors.New("store: AppendChange outside a writing transaction")
	}
	if c.At.IsZero() {
		c.At = time.Now().UTC()
	}
	if err := s.DB(ctx).Create(&c).Error; err != nil {
		return err
	}
	if !w.changed && s.dialect == Postgres {
		// Delivered when, and only if, the transaction commits.
		if err := s.DB(ctx).Exec("SELECT pg_notify(?, '')", ChangesChannel).Error; err != nil {
			return err
		}
	}
	w.changed = true
	return nil
}

// AppendChanges appends many change-log entries at once, in their order, in
// the writing transaction: the first through AppendChange (its checks, the
// commit's notification), the rest in batched inserts.
func (s *Store) AppendChanges(ctx context.Context, cs []Change) error {
	if len(cs) == 0 {
		return nil
	}
	if err := s.AppendChange(ctx, cs[0]); err != nil {
		return err
	}
	rest := cs[1:]
	if len(rest) == 0 {
		return nil
	}
	now := time.Now().UTC()
	for i := range rest {
		if rest[i].At.IsZero() {
			rest[i].At = now
		}
	}
	return s.DB(ctx).CreateInBatches(rest, 200).Error
}

// ChangesSince lists change-log entries after seq, oldest first.
func (s *Store) ChangesSince(ctx context.Context, seq int64, limit int) ([]Change, error) {
	var out []Change
	err := s.DB(ctx).Where("seq > ?", seq).Order("seq").Limit(limit).Find(&out).Error
	return out, err
}

// LastChange is the newest position of the change log (0 when empty). Every
// position up to it is committed or was rolled back: none is still to come.
func (s *Store) LastChange(ctx context.Context) (int64, error) {
	var last *int64
	err := s.DB(ctx).Model(&Change{}).Select("MAX(seq)").Scan(&last).Error
	if last == nil {
		return 0, err
	}
	return *last, err
}

// ChangesOf lists the change-log entries of the given organizations after
// position after and up to upTo, oldest first.
func (s *Store) ChangesOf(ctx context.Context, orgIDs []string, after, upTo int64, limit int) ([]Change, error) {
	var out []Change
	if len(orgIDs) == 0 {
		return out, nil
	}
	err := s.DB(ctx).Where("seq > ? AND seq <= ? AND org_id IN ?", after, upTo, orgIDs).
		Order("seq").Limit(limit).Find(&out).Error
	return out, err
}

// ChangesAfter returns a channel closed at the next commit with changes made
// after this call, in this process or, once ListenChanges runs, in any
// process on the same PostgreSQL database.
func (s *Store) ChangesAfter() <-chan struct{} { return s.changes.wait() }

// WakeReaders wakes this process's readers of the change log, as a commit
// does: the server calls it when another process on the same PostgreSQL
// database notifies a commit on ChangesChannel, and after a lost
// notification connection, since a change may have committed meanwhile.
func (s *Store) WakeReaders() { s.changes.ring() }

// bell wakes everyone waiting at once: each waiter holds the current channel,
// which ring closes and replaces.
type bell struct {
	mu sync.Mutex
	ch chan struct{}
}

func (b *bell) wait() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch == nil {
		b.ch = make(chan struct{})
	}
	return b.ch
}

func (b *bell) ring() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch != nil {
		close(b.ch)
		b.ch = nil
	}
}
