package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Head is a link of the chain as exported, keyed: of one organization's
// history when Org is set (Seq is then the entry's number in it, 1 being its
// first, so the file tells nothing of the other organizations), else of the
// whole chain (Seq is the entry's place in it). Kept elsewhere, it lets a
// later check find a tail cut off together with the head, even when the
// database was put back as an older copy of itself.
type Head struct {
	Org  string    `json:"org,omitempty"`
	Seq  int64     `json:"seq"`
	Hash string    `json:"hash"`
	At   time.Time `json:"at"`
	MAC  string    `json:"mac"`
}

// ErrHeadInvalid means an exported head was not made with this history's key
// (another server's, or a file that was changed).
var ErrHeadInvalid = errors.New("the exported head was not made with this history's key, or the file was changed")

// ProblemHeadMismatch means an exported head no longer matches the chain:
// the entries it named were removed or rewritten.
const ProblemHeadMismatch = "head_mismatch"

// OrgProblems lists what VerifyOrg may report, for the console to word.
var OrgProblems = []string{ProblemAltered, ProblemUnlinked, ProblemMissing, ProblemTailCut, ProblemHeadForged,
	ProblemHeadMismatch, ProblemSealedChanged, ProblemChainBroken}

// Problems only VerifyOrg reports.
const (
	// The chain's seal, checkpoints or head do not hold: something was
	// changed outside the organization's own entries (the operator's full
	// check says what).
	ProblemChainBroken = "chain_broken"
	// Entries written before the key were changed or removed since the seal.
	ProblemSealedChanged = "sealed_changed"
)

// CurrentHead returns the head of the whole chain, keyed for export.
func (r *Recorder) CurrentHead(ctx context.Context) (Head, error) {
	var h head
	if err := r.store.DB(ctx).Take(&h, 1).Error; err != nil {
		return Head{}, err
	}
	out := Head{Seq: h.Seq, Hash: h.Hash}
	if h.Seq > 0 {
		var e Event
		if err := r.store.DB(ctx).Where("seq = ?", h.Seq).Take(&e).Error; err == nil {
			out.At = e.At
		}
	}
	out.MAC = r.exportMAC(out)
	return out, nil
}

// OrgHead returns the newest link of one organization's history, keyed for
// export.
func (r *Recorder) OrgHead(ctx context.Context, orgID string) (Head, error) {
	db := r.store.DB(ctx)
	out := Head{Org: orgID}
	var o orgHead
	if err := db.Where("org_id = ?", orgID).Take(&o).Error; err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return Head{}, err
	}
	var e Event
	err := db.Where("org_id = ?", orgID).Order("seq DESC").Limit(1).Take(&e).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
	case err != nil:
		return Head{}, err
	default:
		out.Seq, out.Hash, out.At = o.LegacyCount+o.OrgSeq, e.Hash, e.At
	}
	out.MAC = r.exportMAC(out)
	return out, nil
}

// CheckExported refuses a head this key did not make for orgID; it is cheap,
// so a wrong file is answered before the check waits its turn.
func (r *Recorder) CheckExported(h Head, orgID string) error {
	if h.MAC != r.exportMAC(h) || h.Org != orgID {
		return ErrHeadInvalid
	}
	return nil
}

// VerifyWithHead runs Verify, then checks that a head exported earlier (of
// the whole chain or of one organization) is still part of the chain: its
// entry exists with the same hash.
func (r *Recorder) VerifyWithHead(ctx context.Context, exported *Head) (Report, error) {
	if exported != nil {
		if err := r.CheckExported(*exported, exported.Org); err != nil {
			return Report{}, err
		}
	}
	rep, err := r.Verify(ctx)
	if err != nil || !rep.OK || exported == nil || exported.Seq == 0 {
		return rep, err
	}
	db := r.store.DB(ctx)
	var e Event
	if exported.Org == "" {
		err = db.Where("seq = ?", exported.Seq).Take(&e).Error
	} else {
		err = db.Where("org_id = ?", exported.Org).Order("seq").Offset(int(exported.Seq - 1)).Limit(1).Take(&e).Error
	}
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && e.Hash != exported.Hash) {
		rep.OK, rep.BrokenSeq, rep.OrgID, rep.Problem = false, exported.Seq, exported.Org, ProblemHeadMismatch
		return rep, nil
	}
	return rep, err
}

// OrgReport is the result of VerifyOrg. Its numbers count the organization's
// own entries (1 being its first), never the whole chain's.
type OrgReport struct {
	OK      bool
	Checked int64     // the organization's entries that hold
	Number  int64     // the first one that does not
	EntryID string    // its ID, when it is there
	At      time.Time // its time, when it is there
	Problem string
}

func (rep *OrgReport) broken(n int64, e *Event, problem string) {
	rep.Number, rep.Problem = n, problem
	if e != nil {
		rep.EntryID, rep.At = e.ID, e.At
	}
}

// VerifyOrg checks what concerns one organization, reading its own entries
// and the chain's checkpoints only (not the other organizations' entries):
// each entry's keyed hash, that its numbers follow from 1 with none missing,
// the entries from before the key against the digest sealed then, the newest
// one against the organization's keyed head, and that the chain's seal,
// checkpoints and head still hold. With exported, the head exported earlier
// must still be its entry.
func (r *Recorder) VerifyOrg(ctx context.Context, orgID string, exported *Head) (OrgReport, error) {
	if exported != nil {
		if err := r.CheckExported(*exported, orgID); err != nil {
			return OrgReport{}, err
		}
	}
	db := r.store.DB(ctx)
	var h head
	if err := db.Take(&h, 1).Error; err != nil {
		return OrgReport{}, err
	}
	var cps []Checkpoint
	if err := db.Order("seq, kind").Find(&cps).Error; err != nil {
		return OrgReport{}, err
	}
	seal, badSeal := r.findSeal(cps)
	sealSeq := int64(0)
	if seal != nil {
		sealSeq = seal.Seq
	}
	var o orgHead
	err := db.Where("org_id = ?", orgID).Take(&o).Error
	hasHead := err == nil
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return OrgReport{}, err
	}

	var rep OrgReport
	digest, legacy, orgSeq := sha256.New(), int64(0), int64(0)
	legacyChecked := false
	checkLegacy := func() bool {
		legacyChecked = true
		if legacy == 0 {
			return o.LegacyCount == 0
		}
		return legacy == o.LegacyCount && hex.EncodeToString(digest.Sum(nil)) == o.LegacyDigest
	}
	var last *Event
	after := int64(0)
	for rep.Problem == "" {
		evs, err := r.readEvents(db, `SELECT `+eventColumns+` FROM audit_events WHERE org_id = ? AND seq > ? ORDER BY seq LIMIT 5000`, orgID, after)
		if err != nil {
			return OrgReport{}, err
		}
		for i := range evs {
			e, n := &evs[i], rep.Checked+1
			if e.Seq > sealSeq && !legacyChecked && !checkLegacy() {
				rep.broken(n, e, ProblemSealedChanged)
				break
			}
			problem := ""
			switch {
			case !r.holds(*e, sealSeq):
				problem = ProblemAltered
			case e.Seq <= sealSeq:
				legacy++
				legacyDigest(digest, e.Hash)
			case e.OrgSeq == nil || *e.OrgSeq <= orgSeq:
				problem = ProblemUnlinked
			case *e.OrgSeq != orgSeq+1:
				problem = ProblemMissing
			default:
				orgSeq = *e.OrgSeq
			}
			if problem == "" && exported != nil && n == exported.Seq && e.Hash != exported.Hash {
				problem = ProblemHeadMismatch
			}
			if problem != "" {
				rep.broken(n, e, problem)
				break
			}
			rep.Checked, last = n, e
		}
		if len(evs) < 5000 {
			break
		}
		after = evs[len(evs)-1].Seq
	}
	if rep.Problem != "" {
		return rep, nil
	}
	next := rep.Checked + 1
	switch {
	case !legacyChecked && !checkLegacy():
		rep.broken(next, nil, ProblemSealedChanged)
	case !hasHead && rep.Checked > 0, hasHead && o.MAC != r.orgHeadMAC(o):
		rep.broken(next, nil, ProblemHeadForged)
	case o.OrgSeq > orgSeq:
		rep.broken(o.LegacyCount+orgSeq+1, nil, ProblemTailCut)
	case o.OrgSeq < orgSeq, orgSeq > 0 && (last.Seq != o.Seq || last.Hash != o.Hash):
		rep.broken(next, nil, ProblemHeadForged)
	case exported != nil && exported.Seq > rep.Checked:
		rep.broken(exported.Seq, nil, ProblemHeadMismatch)
	}
	if rep.Problem != "" {
		return rep, nil
	}
	ok, err := r.anchorsHold(ctx, h, cps, seal, badSeal)
	if err != nil {
		return OrgReport{}, err
	}
	if !ok {
		rep.Problem = ProblemChainBroken
		return rep, nil
	}
	rep.OK = true
	return rep, nil
}

// anchorsHold checks the chain's seal, checkpoints and head without walking
// it: each keyed, each checkpoint's entry there with its hash and content,
// the head's entry the newest one. It reads one entry per checkpoint.
func (r *Recorder) anchorsHold(ctx context.Context, h head, cps []Checkpoint, seal *Checkpoint, badSeal bool) (bool, error) {
	if seal == nil || badSeal || h.MAC != r.headMAC(h.Seq, h.Hash) {
		return false, nil
	}
	db := r.store.DB(ctx)
	var newest int64
	if err := db.Raw("SELECT COALESCE(MAX(seq), 0) FROM audit_events").Scan(&newest).Error; err != nil {
		return false, err
	}
	if newest != h.Seq {
		return false, nil
	}
	want := map[int64][]string{} // entry → the hashes that name it
	for _, c := range cps {
		if c.Seq > 0 {
			want[c.Seq] = append(want[c.Seq], c.Hash)
		}
	}
	if h.Seq > 0 {
		want[h.Seq] = append(want[h.Seq], h.Hash)
	}
	seqs := make([]int64, 0, len(want))
	for s := range want {
		seqs = append(seqs, s)
	}
	matched := 0
	for len(seqs) > 0 {
		chunk := seqs[:min(500, len(seqs))]
		seqs = seqs[len(chunk):]
		evs, err := r.readEvents(db, `SELECT `+eventColumns+` FROM audit_events WHERE seq IN ?`, chunk)
		if err != nil {
			return false, err
		}
		if len(evs) != len(chunk) {
			return false, nil
		}
		for _, e := range evs {
			if !r.holds(e, seal.Seq) {
				return false, nil
			}
			for _, hash := range want[e.Seq] {
				if hash != e.Hash {
					return false, nil
				}
			}
		}
	}
	for _, c := range cps {
		if c.Seq > 0 {
			matched++
		}
	}
	_, problem := r.checkCheckpoints(cps, seal.Seq, h.Seq, matched)
	return problem == "", nil
}
