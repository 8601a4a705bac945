package service

import (
	"context"

	"atrium/backend/domain"
	"atrium/backend/store"
)

// writableOrg is the check of every operation that writes into an
// organization its input names (an invitation's link or code) rather than
// the session's: authorize refuses writes into the session's organization
// once it is closed, and this refuses them into the named one, with the same
// org_closed. Called inside the write's transaction, it also holds the
// organization until the write commits (store.OrgStatusForWrite), so a
// close running at the same time cannot slip in between.
func writableOrg(ctx context.Context, st *store.Store, orgID string) error {
	status, err := st.OrgStatusForWrite(ctx, orgID)
	if err != nil {
		return err
	}
	if status == domain.OrgClosed {
		return domain.Errorf(domain.CodeOrgClosed, "the organization is closed")
	}
	return nil
}
