package replica

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/service"
	"atrium/backend/store"
)

// ErrSignedOut: the server ended the replica's session, or signed the device
// out (from the browser, for a lost laptop). The replica has forgotten every
// organization it held, and its local sessions; the queue is kept, to be
// pushed once the account signs in again.
var ErrSignedOut = errors.New("replica: the server signed this device out")

// ErrVersion: the server's schema differs from the desktop's. Nothing was
// written to the replica, and the queue waits until the desktop (or the
// server) is updated.
var ErrVersion = errors.New("replica: the server and this desktop are not the same version")

// PullOptions tunes a pull.
type PullOptions struct {
	// Progress, when set, is told how many rows of the organizations being
	// rebuilt are in, out of how many: the first sync's progress bar.
	Progress func(done, total int)
}

// PullReport says what one pull did.
type PullReport struct {
	// Organizations is how many organizations were rebuilt from the server,
	// whole or (when only tasks changed there) their tasks.
	Organizations int
	// Changes is how many change-log entries the pull read.
	Changes int
	// Position is the server's change-log position the replica now stands at.
	Position int64
	// Removed lists the organizations the replica forgot: no longer readable
	// by the account.
	Removed []string
}

// pullPage is how many change-log entries one call reads (the server's most).
const pullPage = 1000

// Pull brings the replica (sys's store) to the server's truth for what the
// signed-in account may read, then re-applies on top the operations still
// waiting in the queue (refused ones are not). On an empty replica it is the
// first sync. c is already signed in: a client that is not reads as a
// device signed out (ErrSignedOut), and the replica forgets its organizations.
//
// An organization is rebuilt from the server's snapshot when the replica
// does not hold it yet, when the account's access there changed, or when the
// change log moved there since the replica's position; one the account may
// no longer read is removed. Each rebuild is one local transaction.
func Pull(ctx context.Context, sys *service.System, c *Client, opt PullOptions) (PullReport, error) {
	var rep PullReport
	st := sys.Store
	local, err := st.ReplicaOrgs(ctx)
	if err != nil {
		return rep, err
	}
	in := service.SyncStateInput{Since: -1}
	held := map[string]store.ReplicaOrg{}
	for _, o := range local {
		if in.Since == -1 || o.Position < in.Since {
			in.Since = o.Position
		}
		held[o.OrgID] = o
	}
	var state service.SyncState
	if err := c.Call(ctx, "sync.state", "", in, &state); err != nil {
		return rep, signedOut(ctx, st, err)
	}
	schema, err := st.SchemaVersion(ctx)
	if err != nil {
		return rep, err
	}
	if state.Schema != schema {
		return rep, ErrVersion
	}
	account := state.Account
	if account == "" {
		return rep, &ErrUnreachable{Err: errors.New("the server's state names no account")}
	}

	// What to forget, what to rebuild.
	readable := map[string]service.SyncOrg{}
	for _, o := range state.Orgs {
		readable[o.ID] = o
	}
	for _, o := range local {
		if _, ok := readable[o.OrgID]; !ok || o.AccountID != account {
			rep.Removed = append(rep.Removed, o.OrgID)
			delete(held, o.OrgID)
		}
	}
	if len(rep.Removed) > 0 {
		if err := st.ForgetOrganizations(ctx, rep.Removed, account); err != nil {
			return rep, err
		}
	}
	// stale: organizations to rebuild whole; tasksOnly: those where only
	// tasks changed, whose tasks alone are read again.
	stale, tasksOnly := map[string]bool{}, map[string]bool{}
	after := state.Position
	for _, o := range state.Orgs {
		h, ok := held[o.ID]
		if !ok || h.Access != o.Access || o.AccountsChanged > h.Position {
			stale[o.ID] = true
			continue
		}
		after = min(after, h.Position)
	}

	// The change log since the oldest position held: an organization with
	// an entry past its own position is stale.
	for after < state.Position {
		var page changeHeads
		if err := c.Call(ctx, "changes.pull", "", service.PullChangesInput{After: after, Limit: pullPage}, &page); err != nil {
			return rep, signedOut(ctx, st, err)
		}
		for _, e := range page.Items {
			rep.Changes++
			if h, ok := held[e.Org]; ok && e.Seq > h.Position {
				if e.Entity == "task" {
					tasksOnly[e.Org] = true
				} else {
					stale[e.Org] = true
				}
			}
		}
		if page.Next <= after {
			break
		}
		after = page.Next
	}

	// Read each stale organization's snapshot, then apply them.
	type rebuild struct {
		snap  service.Snapshot
		apply func(context.Context, store.ReplicaOrg, []store.TableRows, func(int)) error
		pos   int64
	}
	var todo []rebuild
	total := 0
	for _, o := range state.Orgs {
		part := ""
		switch {
		case stale[o.ID]:
		case tasksOnly[o.ID]:
			part = service.SnapshotTasks
		default:
			continue
		}
		in := service.SnapshotInput{Part: part}
		if part == service.SnapshotTasks {
			if in.HistoryAfter, err = st.ReplicaHistoryHead(ctx, o.ID); err != nil {
				return rep, err
			}
		}
		snap, err := c.snapshot(ctx, o.ID, in)
		if err != nil {
			return rep, signedOut(ctx, st, err)
		}
		if snap.Schema != schema {
			return rep, ErrVersion
		}
		if snap.Part != part {
			return rep, &ErrUnreachable{Err: errors.New("the server answered another part of the organization")}
		}
		r := rebuild{snap: snap, apply: st.ReplaceOrganization, pos: snap.Position}
		if part == service.SnapshotTasks {
			// Only tasks changed up to where the log was read: the rest of
			// the organization holds up to there, the tasks up to the
			// snapshot; the older of the two is where the next pull resumes.
			r.apply, r.pos = st.ReplaceTasks, min(snap.Position, after)
		}
		for _, t := range snap.Tables {
			total += t.Count
		}
		todo = append(todo, r)
	}
	done := 0
	var applyErr error
	for _, r := range todo {
		var progress func(int)
		if opt.Progress != nil {
			base := done
			progress = func(n int) { opt.Progress(base+n, total) }
		}
		ro := store.ReplicaOrg{OrgID: r.snap.Org, AccountID: account, Position: r.pos, Access: r.snap.Access, SyncedAt: time.Now().UTC()}
		if applyErr = r.apply(ctx, ro, r.snap.Tables, progress); applyErr != nil {
			break // those rebuilt still get the queue on top
		}
		for _, t := range r.snap.Tables {
			done += t.Count
		}
		rep.Organizations++
	}
	if applyErr == nil {
		rep.Position = state.Position
	}
	if rep.Organizations > 0 {
		if err := reapply(ctx, sys, account); err != nil && applyErr == nil {
			applyErr = err
		}
	}
	return rep, applyErr
}

// changeHeads is a page of changes.pull as a pull reads it: which
// organization moved, and in what kind of record. The states the entries
// carry (the console's views) are skipped, not kept.
type changeHeads struct {
	Items []struct {
		Seq    int64  `json:"seq"`
		Org    string `json:"org"`
		Entity string `json:"entity"`
	} `json:"items"`
	Next int64 `json:"next"`
}

// reapply runs the operations still waiting in the queue again, in order, on
// the rebuilt replica, as their account: the server has not applied them
// yet, or its answer is still to come. One the replica now refuses (the
// record it edits is gone, a right was taken) stays waiting: the server's
// answer, at the next push, is the one that counts.
func reapply(ctx context.Context, sys *service.System, account string) error {
	waiting, err := sys.Store.WaitingOperations(ctx, 1<<30)
	if err != nil || len(waiting) == 0 {
		return err
	}
	token, err := sys.Registry.LocalSession(ctx, account, "", domain.Device{Kind: domain.SessionDesktop, Name: "replica"})
	if err != nil {
		return err
	}
	for _, p := range waiting {
		if p.AccountID != account {
			continue
		}
		_ = sys.Registry.Reapply(ctx, p, token)
	}
	return sys.Store.DeleteSessionByTokenHash(ctx, auth.HashToken(token))
}

// signedOut turns the server's "not signed in" into ErrSignedOut, after
// forgetting every organization the replica held; any other error is
// returned as it is.
func signedOut(ctx context.Context, st *store.Store, err error) error {
	if domain.CodeOf(err) != domain.CodeUnauthenticated {
		return err
	}
	if ferr := st.ForgetOrganizations(ctx, nil, ""); ferr != nil {
		return ferr
	}
	return ErrSignedOut
}

// LocalSession opens a session on the replica for the account that was
// pulled (no password is kept locally), in organization orgID ("" for none),
// so the desktop runs operations on the replica as that account while
// connected.
func LocalSession(ctx context.Context, sys *service.System, accountID, orgID string, dev domain.Device) (string, error) {
	return sys.Registry.LocalSession(ctx, accountID, orgID, dev)
}

// maxSnapshot bounds one organization's snapshot: 100,000 members are about
// 60 MB of JSON, beyond what an ordinary answer may be.
const maxSnapshot = 2 << 30

// snapshot reads one organization's snapshot, decoded as it arrives rather
// than held whole first (the answer of an ordinary call is bounded far
// lower). It is a call as Call makes it, the answer streamed.
func (c *Client) snapshot(ctx context.Context, org string, in service.SnapshotInput) (service.Snapshot, error) {
	var snap service.Snapshot
	body, err := json.Marshal(in)
	if err != nil {
		return snap, err
	}
	req, err := c.postRequest(ctx, "/api/ops/sync.snapshot", org, bytes.NewReader(body))
	if err != nil {
		return snap, err
	}
	resp, err := c.send(req)
	if err != nil {
		return snap, err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxSnapshot)).Decode(&snap); err != nil {
		return snap, &ErrUnreachable{Err: fmt.Errorf("an answer that is not Atrium's: %w", err)}
	}
	return snap, nil
}
