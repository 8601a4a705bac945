package store

import (
	"context"
	"time"
)

// PendingOperation is one operation a connected desktop applied on its
// replica and keeps until the server has answered it: waiting to be pushed,
// or refused (with the reason) until the user retries or discards it.
type PendingOperation struct {
	Seq       int64 `gorm:"primaryKey;autoIncrement"`
	ID        string
	Op        string
	OrgID     *string
	Input     string
	AccountID string
	MadeAt    time.Time
	// Base is the replica's change-log position the operation was made on.
	Base       int64
	State      string
	Refusal    *string
	AnsweredAt *time.Time
}

func (PendingOperation) TableName() string { return "pending_operations" }

// The states of a pending operation.
const (
	PendingWaiting = "waiting"
	PendingRefused = "refused"
)

// Queued is one operation under way on a connected desktop's replica: the
// first writing transaction that commits in a context carrying it keeps the
// operation in the queue with its effects, so a crash can never leave a
// change applied on the replica and missing from the queue, or the reverse.
type Queued struct {
	op       PendingOperation
	recorded bool
}

// NewQueued starts an operation to be queued as op.
func NewQueued(op PendingOperation) *Queued {
	op.State = PendingWaiting
	return &Queued{op: op}
}

// Recorded reports whether a write kept the operation in the queue.
func (q *Queued) Recorded() bool { return q.recorded }

func (q *Queued) done() bool { return q.recorded }
func (q *Queued) committed() { q.recorded = true }
func (q *Queued) record(ctx context.Context, s *Store) error {
	op := q.op
	return s.DB(ctx).Create(&op).Error
}

// WithQueued returns ctx in which the operation's writes keep it in the queue.
func WithQueued(ctx context.Context, q *Queued) context.Context {
	return context.WithValue(ctx, opMarkKey{}, opMark(q))
}

// WaitingOperations lists the operations waiting to be pushed, oldest first.
func (s *Store) WaitingOperations(ctx context.Context, limit int) ([]PendingOperation, error) {
	var out []PendingOperation
	err := s.DB(ctx).Where("state = ?", PendingWaiting).Order("seq").Limit(limit).Find(&out).Error
	return out, err
}

// PendingOperations lists every operation of the queue, oldest first:
// waiting and refused.
func (s *Store) PendingOperations(ctx context.Context) ([]PendingOperation, error) {
	var out []PendingOperation
	err := s.DB(ctx).Order("seq").Find(&out).Error
	return out, err
}

// OperationAccepted removes an operation the server accepted from the queue.
func (s *Store) OperationAccepted(ctx context.Context, id string) error {
	return s.DB(ctx).Where("id = ?", id).Delete(&PendingOperation{}).Error
}

// OperationRefused keeps an operation the server refused, with the refusal
// (JSON, as the console reads an error), out of the pushes.
func (s *Store) OperationRefused(ctx context.Context, id, refusal string, at time.Time) error {
	return s.DB(ctx).Model(&PendingOperation{}).Where("id = ?", id).
		Updates(map[string]any{"state": PendingRefused, "refusal": refusal, "answered_at": at}).Error
}
