package domain

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// NewID returns a UUIDv7: time-ordered, created by whoever creates the row, so
// an offline desktop and the server never collide.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// An operation made on a connected desktop runs twice: on the desktop's
// replica at once, and on the server when it is pushed. The records it
// creates must have the same ids on both, or a later operation on the same
// record (made offline too) would name a record the server does not know.
// So a replayable operation carries a seed (its own id and the time it was
// made), and the ids it creates are derived from the seed in the order it
// creates them: the same services run on the same input create the same ids.
type idSeed struct {
	op string
	at time.Time
	n  atomic.Int64
}

type idSeedKey struct{}

// WithIDSeed returns ctx in which NewIDIn derives its ids from the operation
// op made at at.
func WithIDSeed(ctx context.Context, op string, at time.Time) context.Context {
	return context.WithValue(ctx, idSeedKey{}, &idSeed{op: op, at: at})
}

// NewIDIn returns the id of a record an operation creates: derived from the
// operation's seed when ctx carries one, else a fresh NewID. Derived ids are
// UUIDv7 too, stamped with the operation's time, so they sort as they would
// have had they been drawn when it was made.
func NewIDIn(ctx context.Context) string {
	s, ok := ctx.Value(idSeedKey{}).(*idSeed)
	if !ok {
		return NewID()
	}
	sum := sha256.Sum256([]byte(s.op + "\x00" + strconv.FormatInt(s.n.Add(1), 10)))
	var u uuid.UUID
	copy(u[:], sum[:16])
	ms := uint64(s.at.UnixMilli())
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], ms)
	copy(u[:6], ts[2:])
	u[6] = 0x70 | u[6]&0x0f // version 7
	u[8] = 0x80 | u[8]&0x3f // RFC 4122 variant
	return u.String()
}
