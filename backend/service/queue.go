package service

import (
	"context"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
)

// A connected desktop runs each operation on its replica through the same
// registry as the server does, so every rule is checked where the user is,
// offline too. A writing operation that can be replayed is also kept in the
// queue, in the transaction of its effects, to be pushed to the server.

// InvokeQueued runs c on a connected desktop's replica. When its operation
// can be replayed and changes something, the operation is kept in the queue
// with its input, the replica's position base, and the ids of the records it
// creates (derived from its own id, as the server derives them). Queued
// reports whether it was.
func (r *Registry) InvokeQueued(ctx context.Context, c Call, base int64) (res Result, queued bool, err error) {
	op, ok := r.ops[c.Op]
	if !ok || !op.Replayable() {
		res, err = r.Invoke(ctx, c)
		return res, false, err
	}
	id, now := domain.NewID(), r.svc.Auth.now()
	var q *store.Queued
	c.mark = func(ctx context.Context, a domain.Actor) context.Context {
		p := store.PendingOperation{ID: id, Op: c.Op, Input: string(c.Input), AccountID: a.AccountID, MadeAt: now, Base: base}
		if a.OrgID != "" {
			p.OrgID = &a.OrgID
		}
		q = store.NewQueued(p)
		return domain.WithIDSeed(store.WithQueued(ctx, q), id, now)
	}
	res, err = r.Invoke(ctx, c)
	return res, err == nil && q != nil && q.Recorded(), err
}

// Pending returns the operation queued as p for a push: the organization it
// acted on travels with it, since the replica's session may remember another.
func Pending(p store.PendingOperation) PushedOperation {
	out := PushedOperation{ID: p.ID, Op: p.Op, Input: []byte(p.Input), At: p.MadeAt.UTC().Truncate(time.Millisecond)}
	if p.OrgID != nil {
		out.Org = *p.OrgID
	}
	return out
}
