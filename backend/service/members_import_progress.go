package service

import (
	"context"

	"atrium/backend/domain"
)

// ImportProgress is how far the caller's member import in this organization
// has gone: the rows written, of those its plan creates or updates. An
// import is one all-or-nothing write, so rows written are not yet kept: when
// Done reaches Total, the history and the invitations' messages are being
// saved with them, and the write ends. Total is 0 while the plan of the dry
// run is worked out again inside the write, before any row.
//
// The import is one of the jobs (jobs.go), named "members.import";
// jobs.progress reads it too. This is its older, narrower reading, which
// forgets the import once it has ended.
type ImportProgress struct {
	Running bool `json:"running"`
	Done    int  `json:"done"`
	Total   int  `json:"total"`
}

// Progress is members.importProgress: the caller's import running in this
// organization, if any, for the console's progress bar (the console may be
// closed and opened again while it runs).
func (s *MemberImport) Progress(_ context.Context, a domain.Actor, _ Empty) (ImportProgress, error) {
	p := s.jobs.get(a, "members.import")
	if p.State != JobRunning {
		return ImportProgress{}, nil
	}
	return ImportProgress{Running: true, Done: int(p.Done), Total: int(p.Total)}, nil
}
