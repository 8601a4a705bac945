package service

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// Write is one writing operation under way: the only way an operation
// changes data. It holds the transaction, the actor the operation acts for,
// and records, in that same transaction, what the operation declares: the
// change-log entries (what the offline sync and the live stream replay), the
// history entries and the mail. Data, log, history and mail are written
// together or not at all.
type Write struct {
	ctx   context.Context // carries the transaction
	Actor domain.Actor    // zero for a public operation (first run, sign-in, links from a mail)
	deps  Deps

	changed, recorded, nothing bool
	batch                      *writeBatch
	memo                       map[string]any
}

// writeBatch holds what a write in batch mode declared, written when the
// operation returns (see Batch).
type writeBatch struct {
	inserts []reflect.Value // slices of new rows, one per type, in the order the types first came (an invitation before its link)
	changes []store.Change
	entries []audit.BulkEntry
	mails   []outgoing
}

// write runs fn as one transaction. An operation that changed something must
// leave a change-log entry and a history entry; one that found nothing to
// change says so with Nothing. Anything else is a defect of the operation,
// refused before it is committed.
//
// a is the actor the operation acts for, as the registry resolved it (zero
// for a public operation).
func (d Deps) write(ctx context.Context, a domain.Actor, fn func(w *Write) error) error {
	return d.Store.WriteTx(ctx, func(ctx context.Context) error {
		w := &Write{ctx: ctx, Actor: a, deps: d}
		if err := fn(w); err != nil {
			return err
		}
		if err := w.flush(); err != nil {
			return err
		}
		if w.nothing && !w.changed && !w.recorded {
			return nil
		}
		if !w.changed || !w.recorded {
			return fmt.Errorf("write path: an operation changed data without both its change-log entry (%v) and its history entry (%v)", w.changed, w.recorded)
		}
		return nil
	})
}

// Ctx is the context the operation reads and writes the store with: it
// carries the transaction.
func (w *Write) Ctx() context.Context { return w.ctx }

// Changed appends a change-log entry: entity id of organization orgID ("" for
// an account's own data) was created, updated or deleted. state is the
// entity's new state as the console reads it (nil when it was deleted, or
// when it holds a secret: sessions, tokens and codes never travel).
func (w *Write) Changed(orgID, entity, id, action string, state any) error {
	c := store.Change{Entity: entity, EntityID: id, Action: action, At: w.deps.now()}
	if orgID != "" {
		c.OrgID = &orgID
	}
	if state != nil {
		b, err := json.Marshal(state)
		if err != nil {
			return err
		}
		s := string(b)
		c.State = &s
	}
	w.changed = true
	if w.batch != nil {
		w.batch.changes = append(w.batch.changes, c)
		return nil
	}
	return w.deps.Store.AppendChange(w.ctx, c)
}

// Record appends a history entry, and writes the notifications it calls for
// (notify.go).
func (w *Write) Record(e audit.Entry) error {
	w.recorded = true
	e.By = w.Actor
	if w.batch != nil {
		// One import is one act of its author: its lines notify nobody
		// (thousands of messages otherwise); the history holds each.
		w.batch.entries = append(w.batch.entries, audit.BulkEntry{Entry: e, At: w.deps.now(), ActorID: w.Actor.AccountID,
			SessionID: w.Actor.SessionID, Device: domain.DeviceFrom(w.ctx).Label()})
		return nil
	}
	if err := w.deps.Audit.Record(w.ctx, e); err != nil {
		return err
	}
	return w.notify(e)
}

// As makes the rest of the operation act for a: a public operation learns
// whom it acts for as it runs (the account a sign-in opens a session for, the
// first account a first run creates), and the history entries it records from
// then on name them.
func (w *Write) As(a domain.Actor) { w.Actor = a }

// Mail queues a message in the outbox: it is sent if and only if the
// operation commits.
func (w *Write) Mail(o outgoing) error {
	if w.batch != nil {
		w.batch.mails = append(w.batch.mails, o)
		return nil
	}
	return (&Mail{Deps: w.deps}).queue(w.ctx, o)
}

// insert inserts a new row (a pointer to one of the store's types); in batch
// mode it waits and is inserted in bulk with the rows of its type, the types
// in the order they first came, so a row is inserted after those it refers
// to (an invitation before its link).
func (w *Write) insert(row any) error {
	if w.batch == nil {
		return w.deps.Store.Create(w.ctx, row)
	}
	v := reflect.ValueOf(row)
	for i, rows := range w.batch.inserts {
		if rows.Type().Elem() == v.Type() {
			w.batch.inserts[i] = reflect.Append(rows, v)
			return nil
		}
	}
	w.batch.inserts = append(w.batch.inserts, reflect.Append(reflect.MakeSlice(reflect.SliceOf(v.Type()), 0, 64), v))
	return nil
}

// Batch puts the write in batch mode, for one operation that writes
// thousands of records (the member import): the new rows (insert),
// change-log entries, history entries and messages declared from then on
// wait in memory, in order, and are written in bulk when the operation
// returns, still in its transaction — together or not at all, as always.
// Until then the operation does not read them back.
func (w *Write) Batch() {
	if w.batch == nil {
		w.batch = &writeBatch{}
	}
}

// remember returns what load returned the first time the write asked for key:
// for reads that the write does not change (its organization, the actor's
// account), which a batch would otherwise repeat for every record.
func remember[T any](w *Write, key string, load func() (T, error)) (T, error) {
	if v, ok := w.memo[key].(T); ok {
		return v, nil
	}
	v, err := load()
	if err == nil {
		if w.memo == nil {
			w.memo = map[string]any{}
		}
		w.memo[key] = v
	}
	return v, err
}

// flush writes what a write in batch mode declared.
func (w *Write) flush() error {
	b := w.batch
	if b == nil {
		return nil
	}
	w.batch = nil
	for _, rows := range b.inserts {
		if err := w.deps.Store.CreateMany(w.ctx, rows.Interface()); err != nil {
			return err
		}
	}
	if err := w.deps.Store.AppendChanges(w.ctx, b.changes); err != nil {
		return err
	}
	if len(b.entries) > 0 {
		if err := w.deps.Audit.AppendBulk(w.ctx, b.entries); err != nil {
			return err
		}
	}
	return (&Mail{Deps: w.deps}).queueAll(w.ctx, b.mails)
}

// Nothing says the operation found nothing to change (the value was already
// so, or the address is unknown and the answer must not tell).
func (w *Write) Nothing() { w.nothing = true }
