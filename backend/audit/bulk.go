package audit

import (
	"context"
	"time"
)

// BulkEntry is one entry of AppendBulk, with its own time and actor.
type BulkEntry struct {
	Entry
	At      time.Time
	ActorID string
	Device  string
}

// AppendBulk chains many entries in one transaction, for imports and for the
// benchmarks that need a large history; each is chained exactly as Record does.
func (r *Recorder) AppendBulk(ctx context.Context, entries []BulkEntry) error {
	return r.store.Tx(ctx, func(ctx context.Context) error {
		db := r.store.DB(ctx)
		var h head
		if err := db.Take(&h, 1).Error; err != nil {
			return err
		}
		batch := make([]Event, 0, 500)
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			err := db.CreateInBatches(batch, 100).Error
			batch = batch[:0]
			return err
		}
		for _, e := range entries {
			h.Seq++
			ev, err := chained(h, e.Entry, e.At, e.ActorID, "", e.Device)
			if err != nil {
				return err
			}
			h.Hash = ev.Hash
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
		return db.Exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", h.Seq, h.Hash).Error
	})
}
