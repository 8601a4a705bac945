package store

import (
	"context"
	"errors"
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
type writeTx struct{ changed bool }

type writeTxKey struct{}

// WriteTx runs fn as one writing transaction: the one kind of transaction
// that may append to the change log. When it commits with changes, readers
// in this process are woken at once and, on PostgreSQL, those of the other
// processes through a notification sent with the commit.
func (s *Store) WriteTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if InTx(ctx) {
		if _, ok := ctx.Value(writeTxKey{}).(*writeTx); ok {
			return fn(ctx)
		}
		return errors.New("store: a write inside another kind of transaction")
	}
	w := &writeTx{}
	// The operation this write is part of, when it is recorded with its
	// effects: pushed and replayed here, or queued on a connected desktop.
	mark, marked := ctx.Value(opMarkKey{}).(opMark)
	marked = marked && !mark.done()
	err := s.Tx(context.WithValue(ctx, writeTxKey{}, w), func(ctx context.Context) error {
		if s.dialect == Postgres {
			if err := s.DB(ctx).Exec("SELECT pg_advisory_xact_lock(?)", changeOrderLock).Error; err != nil {
				return err
			}
		}
		if marked {
			if err := mark.record(ctx, s); err != nil {
				return err
			}
		}
		return fn(ctx)
	})
	if err == nil && marked {
		mark.committed()
	}
	if err == nil && w.changed {
		s.changes.ring()
	}
	return err
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
