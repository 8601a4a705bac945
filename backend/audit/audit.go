// Package audit keeps Atrium's history: an append-only list of events, each
// chained to the previous one by SHA-256 so that an edited, removed or
// cut-off entry is found by Verify.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
)

// Actions recorded in the history.
const (
	WorkspaceCreated = "workspace.created"
	SignInSucceeded  = "signin.succeeded"
	SignInFailed     = "signin.failed"
	SignOut          = "signout"
	ProfileChanged   = "profile.changed"
	LanguageChanged  = "language.changed"
)

// Event is one stored history entry.
type Event struct {
	Seq         int64 `gorm:"primaryKey;autoIncrement:false"`
	ID          string
	At          time.Time
	OrgID       *string
	ActorID     *string
	SessionID   *string
	Device      string
	Action      string
	SubjectType string
	SubjectID   string
	Details     string
	PrevHash    string
	Hash        string
}

func (Event) TableName() string { return "audit_events" }

type head struct {
	ID   int `gorm:"primaryKey"`
	Seq  int64
	Hash string
}

func (head) TableName() string { return "audit_head" }

// Entry is what a service records; who and from where come from the context.
type Entry struct {
	OrgID       string
	Action      string
	SubjectType string
	SubjectID   string
	Details     map[string]any
}

// Recorder appends entries to the history.
type Recorder struct {
	store *store.Store
}

// New returns a recorder writing through st.
func New(st *store.Store) *Recorder { return &Recorder{store: st} }

// Record appends e. Inside a transaction it is part of it, so an action and
// its history entry are written together or not at all.
func (r *Recorder) Record(ctx context.Context, e Entry) error {
	return r.store.Tx(ctx, func(ctx context.Context) error {
		db := r.store.DB(ctx)
		// Bumping the head first takes its row lock, so concurrent appends
		// queue up instead of forking the chain.
		if err := db.Exec("UPDATE audit_head SET seq = seq + 1 WHERE id = 1").Error; err != nil {
			return err
		}
		var h head
		if err := db.Take(&h, 1).Error; err != nil {
			return err
		}
		ev := Event{
			Seq: h.Seq, ID: domain.NewID(), At: time.Now().UTC().Truncate(time.Microsecond),
			Device: domain.DeviceFrom(ctx).Label(), Action: e.Action,
			SubjectType: e.SubjectType, SubjectID: e.SubjectID, Details: "{}", PrevHash: h.Hash,
		}
		if e.OrgID != "" {
			ev.OrgID = &e.OrgID
		}
		if a, ok := domain.ActorFrom(ctx); ok {
			ev.ActorID, ev.SessionID = nonEmpty(a.AccountID), nonEmpty(a.SessionID)
		}
		if len(e.Details) > 0 {
			b, err := json.Marshal(e.Details)
			if err != nil {
				return err
			}
			ev.Details = string(b)
		}
		ev.Hash = ev.computeHash()
		if err := db.Create(&ev).Error; err != nil {
			return err
		}
		return db.Exec("UPDATE audit_head SET hash = ? WHERE id = 1", ev.Hash).Error
	})
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// computeHash chains the entry to its predecessor: every stored field, and the
// previous hash, go into it.
func (e Event) computeHash() string {
	fields := []string{
		strconv.FormatInt(e.Seq, 10), e.ID, e.At.UTC().Format(time.RFC3339Nano), deref(e.OrgID),
		deref(e.ActorID), deref(e.SessionID), e.Device, e.Action, e.SubjectType, e.SubjectID,
		e.Details, e.PrevHash,
	}
	sum := sha256.Sum256([]byte(strings.Join(fields, "\x1f")))
	return hex.EncodeToString(sum[:])
}

// Report is the result of Verify. When OK is false, BrokenSeq names the first
// entry that does not hold and Problem says how.
type Report struct {
	OK        bool   `json:"ok"`
	Checked   int64  `json:"checked"`
	BrokenSeq int64  `json:"brokenSeq,omitempty"`
	BrokenID  string `json:"brokenId,omitempty"`
	Problem   string `json:"problem,omitempty"`
	HeadSeq   int64  `json:"headSeq"`
	HeadHash  string `json:"headHash"`
}

// Problems Verify reports.
const (
	ProblemAltered  = "altered"  // an entry's content no longer matches its hash
	ProblemUnlinked = "unlinked" // an entry does not follow the one before it
	ProblemMissing  = "missing"  // entries are missing before this one
	ProblemTailCut  = "tail_cut" // the newest entries are gone
)

// Verify walks the whole chain in order and reports the first broken entry.
func (r *Recorder) Verify(ctx context.Context) (Report, error) {
	db := r.store.DB(ctx)
	var h head
	if err := db.Take(&h, 1).Error; err != nil {
		return Report{}, err
	}
	rep := Report{HeadSeq: h.Seq, HeadHash: h.Hash}
	prevSeq, prevHash := int64(0), ""
	const batch = 5000
	for {
		var evs []Event
		if err := db.Where("seq > ?", prevSeq).Order("seq").Limit(batch).Find(&evs).Error; err != nil {
			return rep, err
		}
		for _, e := range evs {
			broken := func(problem string) (Report, error) {
				rep.BrokenSeq, rep.BrokenID, rep.Problem = e.Seq, e.ID, problem
				return rep, nil
			}
			switch {
			case e.Seq != prevSeq+1:
				return broken(ProblemMissing)
			case e.PrevHash != prevHash:
				return broken(ProblemUnlinked)
			case e.computeHash() != e.Hash:
				return broken(ProblemAltered)
			}
			prevSeq, prevHash = e.Seq, e.Hash
			rep.Checked++
		}
		if len(evs) < batch {
			break
		}
	}
	if prevSeq != h.Seq || prevHash != h.Hash {
		rep.BrokenSeq, rep.Problem = prevSeq+1, ProblemTailCut
		return rep, nil
	}
	rep.OK = true
	return rep, nil
}
