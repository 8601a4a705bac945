package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"atrium/backend/domain"
)

// CheckpointEvery is how many entries lie between two periodic checkpoints.
const CheckpointEvery = 1000

// Kinds of checkpoints.
const (
	// CheckpointSeal is written once, by the first write under a key: the
	// entries up to it were chained by plain SHA-256, and the keyed seal of
	// the newest one's hash fixes them all from then on.
	CheckpointSeal = "seal"
	// CheckpointPeriodic is written at every CheckpointEvery-th entry.
	CheckpointPeriodic = "periodic"
	// CheckpointBreak records that the head found before an append was not
	// one the key made (rewritten or put back from an old copy): the chain
	// goes on, and every check reports the break.
	CheckpointBreak = "break"
)

// Checkpoint is a keyed mark of the chain: the entry at Seq had Hash.
type Checkpoint struct {
	Seq  int64  `gorm:"primaryKey;autoIncrement:false"`
	Kind string `gorm:"primaryKey"`
	Hash string
	At   time.Time
	MAC  string `gorm:"column:mac"`
}

func (Checkpoint) TableName() string { return "audit_checkpoints" }

// orgHead is the newest link of one organization's entries, keyed, so that
// its own check finds a removed newest entry; it also keeps, from the seal,
// how many of its entries were chained before the key and a digest of their
// hashes, which lets that check prove them without walking the whole chain.
type orgHead struct {
	OrgID        string `gorm:"primaryKey"`
	LegacyCount  int64
	LegacyDigest string
	OrgSeq       int64 // its newest keyed entry's OrgSeq
	Seq          int64 // and its place in the chain
	Hash         string
	MAC          string `gorm:"column:mac"`
}

func (orgHead) TableName() string { return "audit_org_heads" }

// IsSealed tells whether the database's history was ever written under a key.
func IsSealed(ctx context.Context, st interface {
	DB(context.Context) *gorm.DB
}) (bool, error) {
	var n int64
	if err := st.DB(ctx).Model(&Checkpoint{}).Where("kind = ?", CheckpointSeal).Count(&n).Error; err != nil {
		return false, err
	}
	if n > 0 {
		return true, nil
	}
	var h head
	err := st.DB(ctx).Take(&h, 1).Error
	return h.MAC != "", err
}

// Seal makes sure the history is written under the recorder's key: a database
// from before keys is sealed now, and a sealed one must have been sealed with
// this key, else ErrWrongKey. The programs call it at start so a wrong key
// file stops them before anything is written.
func (r *Recorder) Seal(ctx context.Context) error {
	return r.store.Tx(ctx, func(ctx context.Context) error {
		ap, err := r.begin(ctx)
		if err != nil {
			return err
		}
		return ap.finish(ctx)
	})
}

// appender extends the chain inside one transaction that holds the head.
type appender struct {
	r           *Recorder
	db          *gorm.DB
	last        head // the newest entry so far
	orgs        map[string]*orgHead
	checkpoints []Checkpoint
}

// begin takes the head's lock, so concurrent appends queue up instead of
// forking the chain, and checks the head before extending it: a head the key
// did not make is recorded as a break, never silently continued from.
func (r *Recorder) begin(ctx context.Context) (*appender, error) {
	db := r.store.DB(ctx)
	if err := db.Exec("UPDATE audit_head SET seq = seq WHERE id = 1").Error; err != nil {
		return nil, err
	}
	ap := &appender{r: r, db: db, orgs: map[string]*orgHead{}}
	if err := db.Take(&ap.last, 1).Error; err != nil {
		return nil, err
	}
	var seal Checkpoint
	err := db.Where("kind = ?", CheckpointSeal).Take(&seal).Error
	found := err == nil
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	switch {
	case !found && ap.last.MAC == "":
		return ap, ap.seal(ctx)
	case found && seal.MAC != r.checkpointMAC(seal):
		return nil, ErrWrongKey
	case ap.last.MAC != r.headMAC(ap.last.Seq, ap.last.Hash):
		ap.breakAt(ap.last.Seq, ap.last.Hash)
	}
	return ap, nil
}

func (ap *appender) breakAt(seq int64, hash string) {
	ap.checkpoints = append(ap.checkpoints, Checkpoint{Seq: seq, Kind: CheckpointBreak, Hash: hash, At: ap.r.now()})
}

// seal fixes the entries written before the key: the keyed seal of the
// newest one's hash, and each organization's count and digest of its own.
func (ap *appender) seal(ctx context.Context) error {
	digests := map[string]hash.Hash{}
	err := ap.r.readChain(ctx, 0, ap.last.Seq, func(evs []Event) error {
		for _, e := range evs {
			if e.OrgID == nil {
				continue
			}
			o := ap.orgs[*e.OrgID]
			if o == nil {
				o = &orgHead{OrgID: *e.OrgID}
				ap.orgs[o.OrgID], digests[o.OrgID] = o, sha256.New()
			}
			o.LegacyCount++
			legacyDigest(digests[o.OrgID], e.Hash)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for id, d := range digests {
		ap.orgs[id].LegacyDigest = hex.EncodeToString(d.Sum(nil))
	}
	ap.checkpoints = append(ap.checkpoints, Checkpoint{Seq: ap.last.Seq, Kind: CheckpointSeal, Hash: ap.last.Hash, At: ap.r.now()})
	return nil
}

// legacyDigest adds one entry's hash to its organization's digest.
func legacyDigest(d hash.Hash, h string) {
	d.Write([]byte(h))
	d.Write([]byte{'\n'})
}

// org returns the head of an organization's entries, read once per append.
func (ap *appender) org(ctx context.Context, id string) (*orgHead, error) {
	if o := ap.orgs[id]; o != nil {
		return o, nil
	}
	o := &orgHead{OrgID: id}
	err := ap.db.Where("org_id = ?", id).Take(o).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		// A first entry, unless entries exist whose head was removed.
		var n int64
		if err := ap.db.Model(&Event{}).Where("org_id = ?", id).Limit(1).Count(&n).Error; err != nil {
			return nil, err
		}
		if n > 0 {
			ap.breakAt(ap.last.Seq, ap.last.Hash)
		}
	case err != nil:
		return nil, err
	case o.MAC != ap.r.orgHeadMAC(*o):
		ap.breakAt(ap.last.Seq, ap.last.Hash)
	}
	ap.orgs[id] = o
	return o, nil
}

// next builds the entry that follows the newest one, keyed. Record and
// AppendBulk both go through it, so there is one way to extend the chain.
func (ap *appender) next(ctx context.Context, e Entry, at time.Time, actorID, sessionID, device string) (Event, error) {
	ev := Event{
		Seq: ap.last.Seq + 1, ID: domain.NewID(), At: at.UTC().Truncate(time.Microsecond), Device: device, Action: e.Action,
		SubjectType: e.SubjectType, SubjectID: e.SubjectID, PrevHash: ap.last.Hash,
		OrgID: nonEmpty(e.OrgID), ActorID: nonEmpty(actorID), SessionID: nonEmpty(sessionID),
	}
	var err error
	if ev.Details, err = details(e.Details); err != nil {
		return Event{}, err
	}
	var o *orgHead
	if e.OrgID != "" {
		if o, err = ap.org(ctx, e.OrgID); err != nil {
			return Event{}, err
		}
		n := o.OrgSeq + 1
		ev.OrgSeq = &n
	}
	ev.Hash = ap.r.keyedHash(ev)
	if o != nil {
		o.OrgSeq, o.Seq, o.Hash = *ev.OrgSeq, ev.Seq, ev.Hash
		o.MAC = "" // to be keyed by finish
	}
	ap.last = head{Seq: ev.Seq, Hash: ev.Hash}
	if ev.Seq%CheckpointEvery == 0 {
		ap.checkpoints = append(ap.checkpoints, Checkpoint{Seq: ev.Seq, Kind: CheckpointPeriodic, Hash: ev.Hash, At: ev.At})
	}
	return ev, nil
}

// finish writes what the appends changed: organization heads, checkpoints
// and the head, each keyed.
func (ap *appender) finish(ctx context.Context) error {
	for _, o := range ap.orgs {
		if o.MAC != "" {
			continue // read, unchanged
		}
		o.MAC = ap.r.orgHeadMAC(*o)
		if err := ap.db.Clauses(clause.OnConflict{UpdateAll: true}).Create(o).Error; err != nil {
			return err
		}
	}
	for _, c := range ap.checkpoints {
		c.At = c.At.UTC().Truncate(time.Microsecond)
		c.MAC = ap.r.checkpointMAC(c)
		if err := ap.db.Clauses(clause.OnConflict{DoNothing: true}).Create(&c).Error; err != nil {
			return err
		}
	}
	return ap.db.Exec("UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1",
		ap.last.Seq, ap.last.Hash, ap.r.headMAC(ap.last.Seq, ap.last.Hash)).Error
}
