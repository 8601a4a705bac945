package audit

import (
	"context"
	"time"
)

// BulkEntry is one entry of AppendBulk, with its own time and actor.
type BulkEntry struct {
	Entry
	At        time.Time
	ActorID   string
	SessionID string
	Device    string
}

// AppendBulk chains many entries in one transaction, for imports and for the
// benchmarks that need a large history; each is chained exactly as Record does.
func (r *Recorder) AppendBulk(ctx context.Context, entries []BulkEntry) error {
	return r.store.Tx(ctx, func(ctx context.Context) error {
		ap, err := r.begin(ctx)
		if err != nil {
			return err
		}
		batch := make([]Event, 0, 500)
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			err := ap.db.CreateInBatches(batch, 100).Error
			batch = batch[:0]
			return err
		}
		for _, e := range entries {
			ev, err := ap.next(ctx, e.Entry, e.At, e.ActorID, e.SessionID, e.Device)
			if err != nil {
				return err
			}
			batch = append(batch, ev)
			if len(batch) == cap(batch) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		return ap.finish(ctx)
	})
}
