package service

import (
	"context"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// MemberSuccession says what a member leaving the organization hands over,
// for the deletion dialog to say before it is confirmed.
type MemberSuccession struct {
	OpenTasks   int  `json:"openTasks"`
	Invitations int  `json:"invitations"`
	Responsible bool `json:"responsible"` // they are the organization's responsible
}

func successionOf(w store.Succession) MemberSuccession {
	return MemberSuccession{OpenTasks: len(w.TaskIDs), Invitations: len(w.InvitationIDs), Responsible: w.Responsible}
}

func (m MemberSuccession) empty() bool {
	return m.OpenTasks == 0 && m.Invitations == 0 && !m.Responsible
}

// Succession tells what the member would hand over if deleted now.
func (s *Members) Succession(ctx context.Context, a domain.Actor, in MemberRef) (MemberSuccession, error) {
	m, err := s.editable(ctx, a.OrgID, in.MemberID)
	if err != nil {
		return MemberSuccession{}, err
	}
	w, err := s.Store.SuccessionOf(ctx, a.OrgID, m.AccountID)
	return successionOf(w), err
}

// DeleteMemberInput deletes a member, naming who inherits their work.
type DeleteMemberInput struct {
	MemberID    string `json:"memberId"`
	SuccessorID string `json:"successorId"` // a member; needed when there is work to hand over
}

// Delete removes a colleague who leaves (SPEC C8) without losing their work:
// the successor, an active member, inherits their open tasks, the pending
// invitations they sent and the organization's responsibility, all in one
// write. The membership stays, deleted, for the record; its roles, rights and
// applications go, and its sessions in the organization end. The account
// itself is untouched (it may belong to other organizations, and the person
// may be invited again). The last active admin is never deleted, and nobody
// deletes themselves.
func (s *Members) Delete(ctx context.Context, a domain.Actor, in DeleteMemberInput) (MemberDetail, error) {
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		if err := s.Store.LockMembers(ctx, a.OrgID); err != nil {
			return err
		}
		m, err := s.editable(ctx, a.OrgID, in.MemberID)
		if err != nil {
			return err
		}
		if m.AccountID == a.AccountID {
			return domain.FieldErrors{"memberId": domain.FieldNotYourself}.Err()
		}
		what, err := s.Store.SuccessionOf(ctx, a.OrgID, m.AccountID)
		if err != nil {
			return err
		}
		successor, err := s.successor(ctx, a.OrgID, m, in.SuccessorID, successionOf(what))
		if err != nil {
			return err
		}
		if err := s.Store.UpdateMember(ctx, a.OrgID, m.ID, map[string]any{"status": domain.MemberDeleted}); err != nil {
			return err
		}
		if err := s.Store.ClearMemberAccess(ctx, a.OrgID, m.ID); err != nil {
			return err
		}
		if _, err := s.Store.EndAbsence(ctx, a.OrgID, m.ID); err != nil { // a member who leaves is no longer away
			return err
		}
		if err := s.keepAnAdmin(ctx, a.OrgID); err != nil {
			return err
		}
		ended, err := s.Store.RevokeOrgSessions(ctx, m.AccountID, a.OrgID, s.now())
		if err != nil {
			return err
		}
		details := map[string]any{"from": m.Status, "to": domain.MemberDeleted, "sessionsEnded": ended}
		if successor.ID != "" {
			if err := s.handOver(w, a.OrgID, m.AccountID, successor.AccountID, what); err != nil {
				return err
			}
			details["successorId"] = successor.AccountID
			details["tasks"], details["invitations"], details["responsible"] = len(what.TaskIDs), len(what.InvitationIDs), what.Responsible
		}
		return s.memberChanged(w, a, m, audit.MemberDeleted, details)
	})
	if err != nil {
		return MemberDetail{}, err
	}
	return s.detail(ctx, a, in.MemberID)
}

// successor loads the member named to inherit from m: needed when m has
// anything to hand over, and then an active member other than m.
func (s *Members) successor(ctx context.Context, orgID string, m store.MemberRecord, id string, what MemberSuccession) (store.MemberRecord, error) {
	if id == "" {
		if what.empty() {
			return store.MemberRecord{}, nil
		}
		return store.MemberRecord{}, domain.FieldErrors{"successorId": domain.FieldSuccessorNeeded}.Err()
	}
	if id == m.ID {
		return store.MemberRecord{}, domain.FieldErrors{"successorId": domain.FieldSuccessorSelf}.Err()
	}
	succ, err := s.Store.MemberByID(ctx, orgID, id)
	if domain.CodeOf(err) == domain.CodeNotFound || (err == nil && succ.Status != domain.MemberActive) {
		return store.MemberRecord{}, domain.FieldErrors{"successorId": domain.FieldInvalidMember}.Err()
	}
	if err == nil && what.OpenTasks > 0 { // the open tasks go to them: they must see tasks (Tasks.assignee)
		states, err := s.Store.AssigneeStates(ctx, orgID, []string{succ.AccountID})
		if err != nil {
			return store.MemberRecord{}, err
		}
		if states[succ.AccountID] != "" {
			return store.MemberRecord{}, domain.FieldErrors{"successorId": domain.FieldCannotSeeTasks}.Err()
		}
	}
	return succ, err
}

// handOver moves the work to the successor and declares each record it
// changed in the change log, as the screens that list them read it.
func (s *Members) handOver(w *Write, orgID, from, to string, what store.Succession) error {
	if err := s.Store.HandOver(w.Ctx(), orgID, from, to, what); err != nil {
		return err
	}
	tasks := &Tasks{s.Deps}
	for _, id := range what.TaskIDs {
		if err := tasks.changed(w, orgID, id, "updated"); err != nil {
			return err
		}
	}
	invitations := &Invitations{Deps: s.Deps}
	for _, id := range what.InvitationIDs {
		inv, err := s.Store.InvitationByID(w.Ctx(), orgID, id)
		if err != nil {
			return err
		}
		if err := invitations.changed(w, inv, "updated", s.now()); err != nil {
			return err
		}
	}
	if what.Responsible {
		return (&Orgs{s.Deps}).changedOrg(w, orgID)
	}
	return nil
}
