package app

import (
	"context"

	"atrium/backend/domain"
	"atrium/backend/replica"
	"atrium/backend/service"
)

// The replica's side of the sync is backend/replica's; these wire it.

// pullChanges brings the replica to the server's truth, the waiting queue
// re-applied on top.
func pullChanges(ctx context.Context, sys *service.System, cl *replica.Client) error {
	_, err := replica.Pull(ctx, sys, cl, replica.PullOptions{})
	return err
}

// firstSync fills a replica from the server and opens the pulled account's
// session on it (no password is kept here), on the organization the server
// remembers for the account (orgID) when the replica holds it, else on one
// it holds, as a sign-in would. It returns the session's token and how many
// organizations the replica holds.
func firstSync(ctx context.Context, sys *service.System, cl *replica.Client, accountID, orgID string, dev domain.Device,
	progress func(done, total int)) (string, int, error) {
	if _, err := replica.Pull(ctx, sys, cl, replica.PullOptions{Progress: progress}); err != nil {
		return "", 0, err
	}
	orgs, err := sys.Store.ReplicaOrgs(ctx)
	if err != nil {
		return "", 0, err
	}
	open := ""
	for _, o := range orgs {
		if open == "" || o.OrgID == orgID {
			open = o.OrgID
		}
	}
	token, err := replica.LocalSession(ctx, sys, accountID, open, dev)
	return token, len(orgs), err
}

// base is the replica's change-log position an operation is made on: the
// newest of its organizations'.
func (c *connection) base(ctx context.Context, sys *service.System) int64 {
	orgs, err := sys.Store.ReplicaOrgs(ctx)
	if err != nil {
		return 0
	}
	var pos int64
	for _, o := range orgs {
		pos = max(pos, o.Position)
	}
	return pos
}
