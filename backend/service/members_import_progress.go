package service

import (
	"context"
	"sync"

	"atrium/backend/domain"
)

// ImportProgress is how far the caller's member import in this organization
// has gone: the rows written, of those its plan creates or updates. An
// import is one all-or-nothing write, so rows written are not yet kept: when
// Done reaches Total, the history and the invitations' messages are being
// saved with them, and the write ends. Total is 0 while the plan of the dry
// run is worked out again inside the write, before any row.
type ImportProgress struct {
	Running bool `json:"running"`
	Done    int  `json:"done"`
	Total   int  `json:"total"`
}

type importKey struct{ org, account string }

// importRuns holds the imports running in this process, one per person and
// organization (the members' lock lets one run at a time per organization).
// A progress only means something while its import runs: it is not stored.
type importRuns struct {
	mu   sync.Mutex
	runs map[importKey]*ImportProgress
}

func (r *importRuns) start(k importKey, total int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.runs == nil {
		r.runs = map[importKey]*ImportProgress{}
	}
	r.runs[k] = &ImportProgress{Running: true, Total: total}
}

func (r *importRuns) step(k importKey) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if p := r.runs[k]; p != nil && p.Done < p.Total {
		p.Done++
	}
}

func (r *importRuns) end(k importKey) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.runs, k)
}

func (r *importRuns) get(k importKey) ImportProgress {
	r.mu.Lock()
	defer r.mu.Unlock()
	if p := r.runs[k]; p != nil {
		return *p
	}
	return ImportProgress{}
}

// Progress is members.importProgress: the caller's import running in this
// organization, if any, for the console's progress bar (the console may be
// closed and opened again while it runs).
func (s *MemberImport) Progress(_ context.Context, a domain.Actor, _ Empty) (ImportProgress, error) {
	return s.runs.get(importKey{a.OrgID, a.AccountID}), nil
}
