package store

import "context"

// What a connected desktop reads and drops of its queue besides pushing it:
// the counts its status shows, the refused changes its page lists, and a
// refused change the person retried or discarded.

// QueueCounts counts the operations waiting to be pushed and those refused.
func (s *Store) QueueCounts(ctx context.Context) (waiting, refused int64, err error) {
	var rows []struct {
		State string
		N     int64
	}
	err = s.DB(ctx).Model(&PendingOperation{}).Select("state, count(*) AS n").Group("state").Scan(&rows).Error
	for _, r := range rows {
		switch r.State {
		case PendingWaiting:
			waiting = r.N
		case PendingRefused:
			refused = r.N
		}
	}
	return waiting, refused, err
}

// RefusedOperations lists the refused operations an account made, oldest first.
func (s *Store) RefusedOperations(ctx context.Context, accountID string) ([]PendingOperation, error) {
	var out []PendingOperation
	err := s.DB(ctx).Where("state = ? AND account_id = ?", PendingRefused, accountID).Order("seq").Find(&out).Error
	return out, err
}

// RefusedOperation finds one refused operation of an account.
func (s *Store) RefusedOperation(ctx context.Context, accountID, id string) (p PendingOperation, ok bool, err error) {
	res := s.DB(ctx).Where("id = ? AND state = ? AND account_id = ?", id, PendingRefused, accountID).Limit(1).Find(&p)
	return p, res.RowsAffected > 0, res.Error
}

// DropRefused removes a refused operation from the queue (retried as a new
// one, or discarded).
func (s *Store) DropRefused(ctx context.Context, id string) error {
	return s.DB(ctx).Where("id = ? AND state = ?", id, PendingRefused).Delete(&PendingOperation{}).Error
}
