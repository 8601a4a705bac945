package service

import (
	"context"
	"encoding/json"
	"fmt"

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
	return w.deps.Store.AppendChange(w.ctx, c)
}

// Record appends a history entry, and writes the notifications it calls for
// (notify.go).
func (w *Write) Record(e audit.Entry) error {
	w.recorded = true
	e.By = w.Actor
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
	return (&Mail{Deps: w.deps}).queue(w.ctx, o)
}

// Nothing says the operation found nothing to change (the value was already
// so, or the address is unknown and the answer must not tell).
func (w *Write) Nothing() { w.nothing = true }
