package audit

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"

	"atrium/backend/store"
)

// Filter narrows the history list. OrgID is required unless OwnAccountID is
// set, which lists an account's own entries outside any organization.
type Filter struct {
	OrgID        string
	OwnAccountID string
	ActorID      string
	// Concerning keeps the entries whose actor or subject is one of these
	// IDs: a person's account, memberships and invitations.
	Concerning []string
	Actions    []string
	From, To   time.Time // To is exclusive; zero means open
	Search     string
	// SearchIDs are also found by the search: the IDs of the people whose
	// names match it (names are not in the history, only their IDs).
	SearchIDs []string
	BeforeSeq int64 // keyset paging: entries older than this one
	Limit     int
	// ServerCopy reads the server's history of the organization as a
	// connected desktop's replica keeps it (store.ReplicaHistoryTable), not
	// the replica's own chain. Seqs are then the server's.
	ServerCopy bool
	// LocalSince, with ServerCopy, is not a filter but what Pending reads:
	// the replica's own entries from then on.
	LocalSince time.Time
}

func (r *Recorder) query(ctx context.Context, f Filter) *gorm.DB {
	db := r.store.DB(ctx).Model(&Event{})
	if f.ServerCopy {
		db = r.store.DB(ctx).Table(store.ReplicaHistoryTable)
	}
	if f.OwnAccountID != "" {
		db = db.Where("org_id IS NULL AND (actor_id = ? OR (subject_type = 'account' AND subject_id = ?))", f.OwnAccountID, f.OwnAccountID)
	} else {
		db = db.Where("org_id = ?", f.OrgID)
	}
	if f.ActorID != "" {
		db = db.Where("actor_id = ?", f.ActorID)
	}
	if len(f.Concerning) > 0 {
		db = db.Where("(actor_id IN ? OR subject_id IN ?)", f.Concerning, f.Concerning)
	}
	if len(f.Actions) > 0 {
		db = db.Where("action IN ?", f.Actions)
	}
	if !f.From.IsZero() {
		db = db.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		db = db.Where("at < ?", f.To.UTC())
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(s)) + "%"
		cond := `LOWER(details) LIKE ? ESCAPE '\' OR LOWER(device) LIKE ? ESCAPE '\' OR LOWER(action) LIKE ? ESCAPE '\' OR subject_id = ?`
		args := []any{like, like, like, s}
		if len(f.SearchIDs) > 0 {
			cond += " OR actor_id IN ? OR subject_id IN ?"
			args = append(args, f.SearchIDs, f.SearchIDs)
		}
		db = db.Where("("+cond+")", args...)
	}
	return db
}

// SearchWindow bounds how many entries (newest first, after the other
// filters) one page of a free-text search reads. The search has no index: a
// page that looked through SearchWindow entries stops there and says where,
// and the next page goes on from that point, so each call stays short even
// with a million entries (a variable so tests can make it small).
var SearchWindow = 20000

// List returns one page of entries, newest first, and the BeforeSeq of the
// next page (0 when no older entry remains). A free-text search may return
// fewer entries than Limit, even none, with a next page still to read.
func (r *Recorder) List(ctx context.Context, f Filter) ([]Event, int64, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	db := r.query(ctx, f)
	if f.BeforeSeq > 0 {
		db = db.Where("seq < ?", f.BeforeSeq)
	}
	floor := int64(0) // the oldest entry this page may read, when bounded
	if strings.TrimSpace(f.Search) != "" {
		g := f
		g.Search = ""
		q := r.query(ctx, g)
		if f.BeforeSeq > 0 {
			q = q.Where("seq < ?", f.BeforeSeq)
		}
		// The window's oldest entry, and the next older one: is there more?
		var seqs []int64
		if err := q.Order("seq DESC").Offset(SearchWindow-1).Limit(2).Pluck("seq", &seqs).Error; err != nil {
			return nil, 0, err
		}
		if len(seqs) == 2 {
			floor = seqs[0]
			db = db.Where("seq >= ?", floor)
		}
	}
	var out []Event
	if err := db.Order("seq DESC").Limit(f.Limit + 1).Find(&out).Error; err != nil {
		return nil, 0, err
	}
	switch {
	case len(out) > f.Limit:
		out = out[:f.Limit]
		return out, out[f.Limit-1].Seq, nil
	case floor > 0:
		return out, floor, nil // the window is read: older entries remain to search
	}
	return out, 0, nil
}

// maxPending bounds the replica's own entries Pending returns: those of the
// operations still queued, which are few.
const maxPending = 500

// Pending returns, newest first, the replica's own entries of f's
// organization recorded since f.LocalSince (the organization's last rebuild
// from the server), matching f's other filters: on a connected desktop, the
// entries of the operations still waiting on top of the server's copy,
// re-applied at that rebuild or made since. The server's copy has not got
// them yet; once pushed and pulled, the server's own entries stand for them.
// The History screen's own entries (an export, a check) are left out: they
// record what was read on this computer, and no operation takes them to the
// server.
func (r *Recorder) Pending(ctx context.Context, f Filter) ([]Event, error) {
	g := f
	g.ServerCopy, g.BeforeSeq = false, 0
	db := r.query(ctx, g).Where("action NOT IN ?", []string{HistoryExported, HistoryHeadExported, HistoryVerified})
	if !f.LocalSince.IsZero() {
		db = db.Where("at >= ?", f.LocalSince.UTC())
	}
	var out []Event
	err := db.Order("seq DESC").Limit(maxPending).Find(&out).Error
	return out, err
}

// Each calls fn for every entry matching f, newest first, in batches of
// f.Limit (500 when unset), up to max entries.
func (r *Recorder) Each(ctx context.Context, f Filter, max int, fn func(Event) error) (int, error) {
	if f.Limit <= 0 {
		f.Limit = 500
	}
	n := 0
	for {
		page, next, err := r.List(ctx, f)
		if err != nil {
			return n, err
		}
		for _, e := range page {
			if n >= max {
				return n, nil
			}
			if err := fn(e); err != nil {
				return n, err
			}
			n++
		}
		if next == 0 {
			return n, nil
		}
		f.BeforeSeq = next
	}
}

// RecordedNames returns, for each of ids, the "name" its organization's
// newest entry of one of actions keeps in its details: how the history
// still names what was deleted since (a role), from its own entries.
func (r *Recorder) RecordedNames(ctx context.Context, orgID string, actions, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		SubjectID string
		Details   string
	}
	// On a connected desktop the server's copy holds the organization's
	// entries, the replica's own chain those made here (empty on a server).
	for _, table := range []string{store.ReplicaHistoryTable, "audit_events"} {
		var more []struct {
			SubjectID string
			Details   string
		}
		if err := r.store.DB(ctx).Table(table).Select("subject_id, details").
			Where("org_id = ? AND action IN ? AND subject_id IN ?", orgID, actions, ids).Order("seq").Scan(&more).Error; err != nil {
			return out, err
		}
		rows = append(rows, more...)
	}
	for _, row := range rows {
		var d struct {
			Name string `json:"name"`
		}
		if json.Unmarshal([]byte(row.Details), &d) == nil && d.Name != "" {
			out[row.SubjectID] = d.Name
		}
	}
	return out, nil
}
