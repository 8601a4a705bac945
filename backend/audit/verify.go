package audit

import (
	"context"
	"errors"
	"math"
	"runtime"
	"sort"
	"sync"

	"gorm.io/gorm"
)

// Report is the result of Verify. When OK is false, BrokenSeq names the first
// entry that does not hold and Problem says how.
type Report struct {
	OK        bool   `json:"ok"`
	Checked   int64  `json:"checked"`
	BrokenSeq int64  `json:"brokenSeq,omitempty"`
	BrokenID  string `json:"brokenId,omitempty"`
	OrgID     string `json:"orgId,omitempty"` // for ProblemOrgHead
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
	// The head was rewritten without the key (or put back from an older copy
	// and extended since: a break checkpoint says where).
	ProblemHeadForged = "head_forged"
	// A checkpoint is missing, was changed, or no longer matches its entry.
	ProblemCheckpoint = "checkpoint"
	// The seal, which says which entries came before the key, is gone.
	ProblemUnsealed = "unsealed"
	// An organization's head does not match its newest entry.
	ProblemOrgHead = "org_head"
)

// Verify walks the whole chain in order and reports the first broken entry;
// then it checks the checkpoints, the organizations' heads and the head. It
// is the operator's check (`atrium-server audit verify`): an organization's
// admin runs VerifyOrg, which reads only what concerns them.
//
// The chain is cut into segments read and hashed in parallel (reading rows is
// the slow part), then the segments' junctions are checked in order, so the
// answer is the same as one walk from the start.
func (r *Recorder) Verify(ctx context.Context) (Report, error) {
	var h head
	if err := r.store.DB(ctx).Take(&h, 1).Error; err != nil {
		return Report{}, err
	}
	rep := Report{HeadSeq: h.Seq, HeadHash: h.Hash}
	var cps []Checkpoint
	if err := r.store.DB(ctx).Order("seq, kind").Find(&cps).Error; err != nil {
		return rep, err
	}
	seal, bad := r.findSeal(cps)
	switch {
	case bad:
		return rep, ErrWrongKey
	case seal == nil && h.Seq == 0 && h.MAC == "":
		// Never written to: nothing to check yet.
	case seal == nil:
		rep.BrokenSeq, rep.Problem = 1, ProblemUnsealed
		return rep, nil
	}
	sealSeq := int64(0)
	if seal != nil {
		sealSeq = seal.Seq
	}
	at := map[int64][]Checkpoint{}
	for _, c := range cps {
		at[c.Seq] = append(at[c.Seq], c)
	}

	parts := 1
	if h.Seq >= 100_000 {
		parts = max(2, runtime.GOMAXPROCS(0))
	}
	segs := make([]segment, parts)
	var wg sync.WaitGroup
	for i := range segs {
		from, to := h.Seq*int64(i)/int64(parts), h.Seq*int64(i+1)/int64(parts)
		if i == parts-1 {
			to = math.MaxInt64 // entries past the head are checked too
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			segs[i] = r.verifySegment(ctx, from, to, sealSeq, at)
		}()
	}
	wg.Wait()
	prevSeq, prevHash := int64(0), ""
	orgs := map[string]*orgRun{}
	matched := 0
	for _, sg := range segs {
		if sg.err != nil {
			return rep, sg.err
		}
		if sg.checked > 0 || sg.problem != "" {
			// The segment's first entry must follow the previous segment's last.
			switch {
			case sg.first.Seq != prevSeq+1:
				return rep.broken(sg.first, ProblemMissing), nil
			case sg.first.PrevHash != prevHash:
				return rep.broken(sg.first, ProblemUnlinked), nil
			}
		}
		// Each organization's numbers go on from the previous segment's.
		for id, run := range sg.orgs {
			g := orgs[id]
			if g == nil {
				g = &orgRun{}
				orgs[id] = g
			}
			if run.first != 0 && run.first != g.last+1 {
				return rep.broken(run.firstEv, ProblemMissing), nil
			}
			g.legacy += run.legacy
			if run.last != 0 {
				g.last, g.lastSeq, g.lastHash = run.last, run.lastSeq, run.lastHash
			}
		}
		rep.Checked += sg.checked
		matched += sg.matched
		if sg.problem != "" {
			return rep.broken(sg.at, sg.problem), nil
		}
		if sg.checked > 0 {
			prevSeq, prevHash = sg.last.Seq, sg.last.Hash
		}
	}
	if prevSeq != h.Seq || prevHash != h.Hash {
		rep.BrokenSeq, rep.Problem = prevSeq+1, ProblemTailCut
		return rep, nil
	}
	if seal != nil && h.MAC != r.headMAC(h.Seq, h.Hash) {
		rep.BrokenSeq, rep.Problem = h.Seq, ProblemHeadForged
		return rep, nil
	}
	if seq, problem := r.checkCheckpoints(cps, sealSeq, h.Seq, matched); problem != "" {
		rep.BrokenSeq, rep.Problem = seq, problem
		return rep, nil
	}
	if id, seq, err := r.checkOrgHeads(ctx, orgs); err != nil || id != "" {
		rep.BrokenSeq, rep.OrgID = seq, id
		if id != "" {
			rep.Problem = ProblemOrgHead
		}
		return rep, err
	}
	rep.OK = true
	return rep, nil
}

// findSeal returns the seal among the checkpoints; bad when one is there but
// not keyed with the recorder's key.
func (r *Recorder) findSeal(cps []Checkpoint) (*Checkpoint, bool) {
	for i, c := range cps {
		if c.Kind == CheckpointSeal {
			return &cps[i], c.MAC != r.checkpointMAC(c)
		}
	}
	return nil, false
}

// checkCheckpoints checks what the walk could not: every checkpoint keyed,
// a periodic one at each CheckpointEvery-th entry after the seal and nowhere
// else, none pointing past the chain (matched counts those the walk met), and
// no break. It returns the first point that does not hold.
func (r *Recorder) checkCheckpoints(cps []Checkpoint, sealSeq, headSeq int64, matched int) (int64, string) {
	want := headSeq/CheckpointEvery - sealSeq/CheckpointEvery
	seals, periodic, onChain := 0, int64(0), 0
	for _, c := range cps {
		if c.MAC != r.checkpointMAC(c) {
			return c.Seq, ProblemCheckpoint
		}
		switch c.Kind {
		case CheckpointSeal:
			seals++
		case CheckpointPeriodic:
			if c.Seq%CheckpointEvery != 0 || c.Seq <= sealSeq {
				return c.Seq, ProblemCheckpoint
			}
			periodic++
		case CheckpointBreak:
			return c.Seq, ProblemHeadForged
		default:
			return c.Seq, ProblemCheckpoint
		}
		if c.Seq > 0 {
			onChain++
		}
	}
	switch {
	case seals != 1:
		return sealSeq, ProblemUnsealed
	case onChain != matched:
		return headSeq, ProblemCheckpoint
	case periodic != want:
		// Name the first missing one.
		have := map[int64]bool{}
		for _, c := range cps {
			if c.Kind == CheckpointPeriodic {
				have[c.Seq] = true
			}
		}
		for s := (sealSeq/CheckpointEvery + 1) * CheckpointEvery; s <= headSeq; s += CheckpointEvery {
			if !have[s] {
				return s, ProblemCheckpoint
			}
		}
		return headSeq, ProblemCheckpoint
	}
	return 0, ""
}

// checkOrgHeads compares each organization's head with its entries as the
// walk found them. The legacy digest is not recomputed here: the seal already
// proves those entries, and the digest is keyed with the rest of the head.
func (r *Recorder) checkOrgHeads(ctx context.Context, orgs map[string]*orgRun) (string, int64, error) {
	var heads []orgHead
	if err := r.store.DB(ctx).Find(&heads).Error; err != nil {
		return "", 0, err
	}
	byID := map[string]orgHead{}
	for _, o := range heads {
		byID[o.OrgID] = o
		if orgs[o.OrgID] == nil {
			orgs[o.OrgID] = &orgRun{} // a head without entries
		}
	}
	ids := make([]string, 0, len(orgs))
	for id := range orgs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		run, o := orgs[id], byID[id]
		if o.MAC != r.orgHeadMAC(o) || o.LegacyCount != run.legacy || o.OrgSeq != run.last || o.Seq != run.lastSeq || o.Hash != run.lastHash {
			return id, max(run.lastSeq, o.Seq), nil
		}
	}
	return "", 0, nil
}

func (rep Report) broken(e Event, problem string) Report {
	rep.BrokenSeq, rep.BrokenID, rep.Problem = e.Seq, e.ID, problem
	return rep
}

// orgRun is what a segment saw of one organization's entries.
type orgRun struct {
	legacy      int64 // entries before the seal
	first, last int64 // OrgSeq of the first and last keyed ones (0: none)
	firstEv     Event
	lastSeq     int64
	lastHash    string
}

// segment is what one part of the chain says about itself.
type segment struct {
	first, last Event
	checked     int64 // entries that hold, from the segment's first
	problem     string
	at          Event // the first entry that does not hold
	orgs        map[string]*orgRun
	matched     int // checkpoints met on the way
	err         error
}

// verifySegment checks the entries with from < seq <= to: each one's hash,
// that each follows the one before it inside the segment, that each
// organization's numbers follow, and that the checkpoints met match.
func (r *Recorder) verifySegment(ctx context.Context, from, to, sealSeq int64, cps map[int64][]Checkpoint) (sg segment) {
	sg.orgs = map[string]*orgRun{}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []Event, 2)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- r.readChain(ctx, from, to, func(evs []Event) error {
			select {
			case batches <- evs:
				return nil
			case <-ctx.Done():
				return errStop
			}
		})
	}()
	check := func(e Event, started bool) string {
		switch {
		case started && e.Seq != sg.last.Seq+1:
			return ProblemMissing
		case started && e.PrevHash != sg.last.Hash:
			return ProblemUnlinked
		case !r.holds(e, sealSeq):
			return ProblemAltered
		}
		for _, c := range cps[e.Seq] {
			if c.Hash != e.Hash {
				return ProblemCheckpoint
			}
		}
		if e.OrgID == nil {
			if e.OrgSeq != nil {
				return ProblemUnlinked
			}
			return ""
		}
		run := sg.orgs[*e.OrgID]
		if run == nil {
			run = &orgRun{}
			sg.orgs[*e.OrgID] = run
		}
		switch {
		case e.Seq <= sealSeq:
			run.legacy++
			return ""
		case e.OrgSeq == nil:
			return ProblemUnlinked
		case run.last != 0 && *e.OrgSeq != run.last+1:
			if *e.OrgSeq > run.last+1 {
				return ProblemMissing
			}
			return ProblemUnlinked
		case run.last == 0:
			run.first, run.firstEv = *e.OrgSeq, e
		}
		run.last, run.lastSeq, run.lastHash = *e.OrgSeq, e.Seq, e.Hash
		return ""
	}
	started := false
	for evs := range batches {
		for _, e := range evs {
			if !started {
				sg.first = e
			}
			if problem := check(e, started); problem != "" {
				sg.problem, sg.at = problem, e
				return sg
			}
			sg.matched += len(cps[e.Seq])
			started, sg.last = true, e
			sg.checked++
		}
	}
	if err := <-readErr; !errors.Is(err, errStop) {
		sg.err = err
	}
	return sg
}

var errStop = errors.New("stopped")

const eventColumns = `seq, id, at, org_id, actor_id, session_id, device, action, subject_type,
	subject_id, details, org_seq, prev_hash, hash`

func scanEvents(rows interface {
	Next() bool
	Scan(...any) error
}, r *Recorder) ([]Event, error) {
	var evs []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.Seq, &e.ID, &e.At, &e.OrgID, &e.ActorID, &e.SessionID, &e.Device, &e.Action,
			&e.SubjectType, &e.SubjectID, &e.Details, &e.OrgSeq, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		evs = append(evs, e)
	}
	r.read.Add(int64(len(evs)))
	return evs, nil
}

// readEvents runs a query for entries (columns eventColumns) and returns them.
func (r *Recorder) readEvents(db *gorm.DB, query string, args ...any) ([]Event, error) {
	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	evs, err := scanEvents(rows, r)
	if err != nil {
		return nil, err
	}
	return evs, rows.Err()
}

// readChain gives fn the entries with after < seq <= to, oldest first, in
// batches, until fn returns an error.
func (r *Recorder) readChain(ctx context.Context, after, to int64, fn func([]Event) error) error {
	const batch = 10000
	db := r.store.DB(ctx)
	for {
		evs, err := r.readEvents(db, `SELECT `+eventColumns+` FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`, after, to, batch)
		if err != nil || len(evs) == 0 {
			return err
		}
		if err := fn(evs); err != nil {
			return err
		}
		if len(evs) < batch {
			return nil
		}
		after = evs[len(evs)-1].Seq
	}
}
