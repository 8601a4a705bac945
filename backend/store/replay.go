package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm/clause"
)

// ReplayedOperation is the server's record of an operation a connected
// desktop pushed: what it answered, so that the same operation pushed again
// (a lost answer, a retry after a crash) is answered the same and applied
// never twice.
type ReplayedOperation struct {
	ID        string `gorm:"primaryKey"`
	AccountID string
	Op        string
	OrgID     *string
	Outcome   string
	// Refusal is the refusal the account was given, as the console reads an
	// error (JSON); empty when accepted.
	Refusal *string
	At      time.Time
}

func (ReplayedOperation) TableName() string { return "replayed_operations" }

// What a pushed operation came to.
const (
	ReplayAccepted = "accepted"
	ReplayRefused  = "refused"
)

// ErrReplayed is returned by WriteTx, with nothing written, when the
// operation it runs for was already applied.
var ErrReplayed = errors.New("store: operation already applied")

// Replay is one pushed operation under way: the first writing transaction
// that commits in a context carrying it records the operation as accepted,
// with its effects.
type Replay struct {
	rec      ReplayedOperation
	recorded bool // a write recorded it as accepted
	applied  bool // a write found it applied already (ErrReplayed)
}

// NewReplay starts the replay of the pushed operation rec.
func NewReplay(rec ReplayedOperation) *Replay { return &Replay{rec: rec} }

// Record is what the replay records.
func (r *Replay) Record() ReplayedOperation { return r.rec }

// Recorded reports whether a write recorded the operation as accepted.
func (r *Replay) Recorded() bool { return r.recorded }

// FoundApplied reports whether a write found the operation applied already,
// by another push of it, and wrote nothing.
func (r *Replay) FoundApplied() bool { return r.applied }

func (r *Replay) done() bool { return r.recorded }
func (r *Replay) committed() { r.recorded = true }

// WithReplay returns ctx running the pushed operation r: its writes record it
// as applied in their own transaction.
func WithReplay(ctx context.Context, r *Replay) context.Context {
	return context.WithValue(ctx, opMarkKey{}, opMark(r))
}

// opMark is what an operation's first writing transaction records with its
// effects: on the server, a pushed operation applied (Replay); on a
// connected desktop, an operation to push (Queued).
type opMark interface {
	done() bool
	committed()
	record(ctx context.Context, s *Store) error
}

type opMarkKey struct{}

// record runs first in a writing transaction of a pushed operation. Writes
// follow one another (SQLite's one writer, the change-order lock on
// PostgreSQL), so a second push of the same operation waits for the first's
// commit, then finds its record and applies nothing.
func (r *Replay) record(ctx context.Context, s *Store) error {
	rec := r.rec
	rec.Outcome, rec.Refusal = ReplayAccepted, nil
	res := s.DB(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rec)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		r.applied = true
		return ErrReplayed
	}
	return nil
}

// RecordReplayRefused records that a pushed operation was refused, with the
// refusal, unless it was already recorded (a second push of it answered first).
func (s *Store) RecordReplayRefused(ctx context.Context, rec ReplayedOperation, refusal string) error {
	rec.Outcome, rec.Refusal = ReplayRefused, &refusal
	return s.recordReplayAlone(ctx, rec)
}

// RecordReplayAccepted records a pushed operation that was accepted without
// writing anything (it found nothing to change), unless already recorded.
func (s *Store) RecordReplayAccepted(ctx context.Context, rec ReplayedOperation) error {
	rec.Outcome, rec.Refusal = ReplayAccepted, nil
	return s.recordReplayAlone(ctx, rec)
}

// recordReplayAlone records rec in a writing transaction of its own, ordered
// with the writes as record is (WriteTx: one writer, the change-order lock).
func (s *Store) recordReplayAlone(ctx context.Context, rec ReplayedOperation) error {
	return s.WriteTx(ctx, func(ctx context.Context) error {
		return s.DB(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rec).Error
	})
}

// Replayed returns the record of a pushed operation, or ok false when it was
// never applied nor refused.
func (s *Store) Replayed(ctx context.Context, id string) (rec ReplayedOperation, ok bool, err error) {
	res := s.DB(ctx).Where("id = ?", id).Limit(1).Find(&rec)
	return rec, res.RowsAffected > 0, res.Error
}

// ReplayedOf returns the records of those of the pushed operations ids that
// have one, by id: a push reads them for its operations at once.
func (s *Store) ReplayedOf(ctx context.Context, ids []string) (map[string]ReplayedOperation, error) {
	out := make(map[string]ReplayedOperation, len(ids))
	for start := 0; start < len(ids); start += 500 {
		var recs []ReplayedOperation
		if err := s.DB(ctx).Where("id IN ?", ids[start:min(start+500, len(ids))]).Find(&recs).Error; err != nil {
			return nil, err
		}
		for _, rec := range recs {
			out[rec.ID] = rec
		}
	}
	return out, nil
}
