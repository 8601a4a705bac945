package service

import (
	"context"
	"slices"
	"strings"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// A connected desktop's replica is brought to the server's truth in two
// reads: sync.state says which organizations the account may read now, with
// its access in each, and where the change log stands; sync.snapshot gives
// one organization's rows as the store holds them, cut to what the account
// may read and without any secret, with the position they are consistent
// with. The replica rebuilds an organization from a snapshot when it is new,
// when the account's access there changed, or when the change log moved
// there since (backend/replica).

// SyncStateInput gives the oldest position the replica's organizations
// stand at (-1 for a replica that holds none), so the answer can say where
// a change outside the organizations' own entries (a member's account) was
// made since.
type SyncStateInput struct {
	Since int64 `json:"since"`
}

// SyncOrg is one organization the account may read, with its access there.
type SyncOrg struct {
	ID     string `json:"id"`
	Access string `json:"access"`
	// AccountsChanged is the newest position, after the one the replica
	// gave, at which an account the replica holds for this organization
	// changed (0: none since).
	AccountsChanged int64 `json:"accountsChanged"`
}

// SyncState is what a replica checks before pulling.
type SyncState struct {
	// Schema is the server's database schema version: a replica of another
	// schema writes nothing.
	Schema   int64 `json:"schema"`
	Position int64 `json:"position"`
	// Account is whom the state is read for: the replica holds its rows
	// for that account alone (one call less on each pull).
	Account string    `json:"account"`
	Orgs    []SyncOrg `json:"orgs"`
}

// Snapshot is one organization's rows the account may read, consistent with
// the change-log position Position.
type Snapshot struct {
	Schema   int64             `json:"schema"`
	Position int64             `json:"position"`
	Org      string            `json:"org"`
	Access   string            `json:"access"`
	Part     string            `json:"part"`
	Tables   []store.TableRows `json:"tables"`
}

// accessOf names what an account may do in an organization, so that a
// replica sees when it changed: "admin", or its rights in order.
func accessOf(a domain.Actor) string {
	if a.IsAdmin {
		return "admin"
	}
	rs := make([]string, 0, len(a.Rights))
	for r, ok := range a.Rights {
		if ok {
			rs = append(rs, string(r))
		}
	}
	slices.Sort(rs)
	return strings.Join(rs, ",")
}

// SyncState says which organizations the account may read, as changes.pull
// reads them, its access in each and the newest change-log position.
func (s *Changes) SyncState(ctx context.Context, a domain.Actor, in SyncStateInput) (SyncState, error) {
	if in.Since < -1 {
		return SyncState{}, domain.FieldErrors{"since": domain.FieldInvalidChoice}.Err()
	}
	schema, err := s.Store.SchemaVersion(ctx)
	if err != nil {
		return SyncState{}, err
	}
	last, err := s.Store.LastChange(ctx)
	if err != nil {
		return SyncState{}, err
	}
	readers, err := s.readers(ctx, a.AccountID)
	if err != nil {
		return SyncState{}, err
	}
	out := SyncState{Schema: schema, Position: last, Account: a.AccountID, Orgs: []SyncOrg{}}
	for id, r := range readers {
		o := SyncOrg{ID: id, Access: accessOf(r)}
		if in.Since >= 0 && in.Since < last {
			if o.AccountsChanged, err = s.Store.AccountsChangedSince(ctx, id, in.Since, r.Has(domain.RightMembersView), a.AccountID); err != nil {
				return SyncState{}, err
			}
		}
		out.Orgs = append(out.Orgs, o)
	}
	slices.SortFunc(out.Orgs, func(x, y SyncOrg) int { return strings.Compare(x.ID, y.ID) })
	return out, nil
}

// SnapshotInput asks for the whole organization (Part "") or only its tasks
// (Part "tasks"), which a replica re-reads alone when only tasks changed.
type SnapshotInput struct {
	Part string `json:"part"`
	// HistoryAfter, for the tasks part, is the newest history entry the
	// replica holds of the organization: the entries after it (those the
	// tasks' changes wrote) come with the tasks, as the history only grows.
	HistoryAfter int64 `json:"historyAfter,omitempty"`
}

// SnapshotTasks is the part of a snapshot that holds the tasks alone.
const SnapshotTasks = "tasks"

// Snapshot returns the call's organization as the account may read it:
// the organization, its company profile, security policy and applications
// for every member; its members, roles and invitations with members.view
// (else only the account's own membership and the roles it holds, which its
// rights come from); its tasks with tasks.view; its history with
// audit.view; the accounts those rows name, reduced to what a member list
// shows. No password hash, second-factor secret, recovery code, token,
// session or message ever leaves. The tasks part holds the tasks, their
// stand-ins and the accounts they name, and with audit.view the history
// entries after HistoryAfter.
func (s *Changes) Snapshot(ctx context.Context, a domain.Actor, in SnapshotInput) (Snapshot, error) {
	if in.Part != "" && in.Part != SnapshotTasks {
		return Snapshot{}, domain.FieldErrors{"part": domain.FieldInvalidChoice}.Err()
	}
	schema, err := s.Store.SchemaVersion(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	out := Snapshot{Schema: schema, Org: a.OrgID, Access: accessOf(a), Part: in.Part}
	err = s.Store.SnapshotRead(ctx, func(ctx context.Context) error {
		if out.Position, err = s.Store.LastChange(ctx); err != nil {
			return err
		}
		own, err := s.Store.MembershipOf(ctx, a.OrgID, a.AccountID)
		if err != nil {
			return err
		}
		members, tasks, history := a.Has(domain.RightMembersView), a.Has(domain.RightTasksView), a.Has(domain.RightAuditView)
		org := a.OrgID
		type q struct {
			table, where string
			args         []any
			blank        map[string]any
		}
		memberWhere, memberArgs := "membership_id = ?", []any{own}
		membershipWhere, membershipArgs := "id = ?", []any{own}
		rolesWhere := "id IN (SELECT role_id FROM membership_roles WHERE membership_id = ?)"
		roleRightsWhere := "role_id IN (SELECT role_id FROM membership_roles WHERE membership_id = ?)"
		rolesArgs := []any{own}
		if members {
			memberWhere, memberArgs = "org_id = ?", []any{org}
			membershipWhere, membershipArgs = memberWhere, memberArgs
			rolesWhere, roleRightsWhere, rolesArgs = "org_id = ?", "org_id = ?", []any{org}
		}
		// The accounts the rows name: members shown, the responsible, and
		// whoever a task, an invitation or an absence names.
		accWhere := "id = ? OR id IN (SELECT account_id FROM memberships WHERE " + membershipWhere + ")" +
			" OR id IN (SELECT responsible_id FROM organizations WHERE id = ?)" +
			" OR id IN (SELECT delegate_id FROM member_absences WHERE " + memberWhere + ")"
		accArgs := append(append([]any{a.AccountID}, membershipArgs...), org)
		accArgs = append(accArgs, memberArgs...)
		if members {
			accWhere += " OR id IN (SELECT invited_by FROM invitations WHERE org_id = ?)"
			accArgs = append(accArgs, org)
		}
		taskAccounts := "id IN (SELECT assignee_id FROM tasks WHERE org_id = ?) OR id IN (SELECT creator_id FROM tasks WHERE org_id = ?)" +
			" OR id IN (SELECT absent_id FROM task_stand_ins WHERE org_id = ?)"
		if tasks {
			accWhere += " OR " + taskAccounts
			accArgs = append(accArgs, org, org, org)
		}
		publicAccount := map[string]any{"password_hash": "", "last_org_id": nil}
		reads := []q{
			{"accounts", accWhere, accArgs, publicAccount},
			{"organizations", "id = ?", []any{org}, nil},
			{"account_security", "account_id = ?", []any{a.AccountID}, map[string]any{"totp_secret": "", "pending_secret": "", "pending_at": nil}},
			{"notification_prefs", "account_id = ?", []any{a.AccountID}, nil},
			{"company_profiles", "org_id = ?", []any{org}, nil},
			{"org_security", "org_id = ?", []any{org}, nil},
			{"org_applications", "org_id = ?", []any{org}, nil},
			{"roles", rolesWhere, rolesArgs, nil},
			{"role_rights", roleRightsWhere, rolesArgs, nil},
			{"memberships", membershipWhere, membershipArgs, nil},
			{"membership_roles", memberWhere, memberArgs, nil},
			{"membership_rights", memberWhere, memberArgs, nil},
			{"membership_applications", memberWhere, memberArgs, nil},
			{"member_absences", memberWhere, memberArgs, nil},
		}
		if members {
			reads = append(reads, q{"invitations", "org_id = ?", []any{org}, nil})
		}
		if tasks {
			reads = append(reads, q{"tasks", "org_id = ?", []any{org}, nil}, q{"task_stand_ins", "org_id = ?", []any{org}, nil})
		}
		if history {
			reads = append(reads, q{"audit_events", "org_id = ?", []any{org}, nil})
		}
		if in.Part == SnapshotTasks {
			reads = reads[:0]
			if tasks {
				reads = append(reads, q{"accounts", taskAccounts, []any{org, org, org}, publicAccount},
					q{"tasks", "org_id = ?", []any{org}, nil}, q{"task_stand_ins", "org_id = ?", []any{org}, nil})
			}
			if history {
				reads = append(reads, q{"audit_events", "org_id = ? AND seq > ?", []any{org, in.HistoryAfter}, nil})
			}
		}
		for _, r := range reads {
			t, err := s.Store.ReadRows(ctx, r.table, r.where, r.args, r.blank)
			if err != nil {
				return err
			}
			out.Tables = append(out.Tables, t)
		}
		return nil
	})
	return out, err
}

// LocalSession opens a session on a replica for an account pulled there:
// the desktop acts as that account on its replica while it is connected,
// with no password kept locally. Only its token's hash is stored. orgID, when
// given, is the organization the session opens in, as a sign-in's does.
func (r *Registry) LocalSession(ctx context.Context, accountID, orgID string, dev domain.Device) (string, error) {
	token, hash := auth.NewToken()
	now := r.svc.Auth.now()
	if dev.Kind == "" {
		dev.Kind = domain.SessionDesktop
	}
	sess := domain.Session{ID: domain.NewID(), AccountID: accountID, TokenHash: hash, Kind: dev.Kind,
		DeviceName: dev.Name, Platform: dev.Platform, CreatedAt: now, LastSeenAt: now}
	if orgID != "" {
		sess.OrgID = &orgID
	}
	if err := r.svc.Auth.Store.Create(ctx, &sess); err != nil {
		return "", err
	}
	return token, nil
}

// Reapply runs a queued operation again on the replica, after a pull put the
// server's truth under it: with its own id and time, so the records it
// creates keep their ids, and without queueing it a second time.
func (r *Registry) Reapply(ctx context.Context, p store.PendingOperation, token string) error {
	c := Call{Op: p.Op, Input: []byte(p.Input), Token: token}
	if p.OrgID != nil {
		c.Org = *p.OrgID
	}
	c.mark = func(ctx context.Context, _ domain.Actor) context.Context {
		return domain.WithIDSeed(ctx, p.ID, p.MadeAt)
	}
	_, err := r.Invoke(ctx, c)
	return err
}
