package store

import (
	"context"
	"time"

	"atrium/backend/domain"
)

// Succession is what a member leaving an organization hands over: their open
// tasks, the pending invitations they sent, and whether they are the
// organization's responsible.
type Succession struct {
	TaskIDs       []string
	InvitationIDs []string
	Responsible   bool
}

// SuccessionOf lists what the account hands over in the organization.
func (s *Store) SuccessionOf(ctx context.Context, orgID, accountID string) (Succession, error) {
	var out Succession
	db := s.DB(ctx)
	if err := db.Model(&Task{}).Where("org_id = ? AND assignee_id = ? AND status = ?", orgID, accountID, TaskOpen).
		Order("id").Pluck("id", &out.TaskIDs).Error; err != nil {
		return out, err
	}
	if err := db.Model(&Invitation{}).Where("org_id = ? AND invited_by = ? AND status = ?", orgID, accountID, InvitationPending).
		Order("id").Pluck("id", &out.InvitationIDs).Error; err != nil {
		return out, err
	}
	var n int64
	err := db.Table("organizations").Where("id = ? AND responsible_id = ?", orgID, accountID).Count(&n).Error
	out.Responsible = n > 0
	return out, err
}

// HandOver gives what the account hands over in the organization (as listed
// by SuccessionOf in the same transaction) to the successor's account.
func (s *Store) HandOver(ctx context.Context, orgID, from, to string, what Succession) error {
	db := s.DB(ctx)
	if len(what.TaskIDs) > 0 {
		if err := db.Model(&Task{}).Where("org_id = ? AND id IN ?", orgID, what.TaskIDs).
			Updates(map[string]any{"assignee_id": to, "updated_at": time.Now().UTC()}).Error; err != nil {
			return err
		}
	}
	if len(what.InvitationIDs) > 0 {
		if err := db.Model(&Invitation{}).Where("org_id = ? AND id IN ?", orgID, what.InvitationIDs).
			Update("invited_by", to).Error; err != nil {
			return err
		}
	}
	if what.Responsible {
		return db.Table("organizations").Where("id = ? AND responsible_id = ?", orgID, from).Update("responsible_id", to).Error
	}
	return nil
}

// ClearMemberAccess takes every role, direct right and application from a
// membership: a deleted member keeps none.
func (s *Store) ClearMemberAccess(ctx context.Context, orgID, memberID string) error {
	db := s.DB(ctx)
	for _, row := range []any{&domain.MembershipRole{}, &domain.MembershipRight{}, &MemberApplication{}} {
		if err := db.Where("org_id = ? AND membership_id = ?", orgID, memberID).Delete(row).Error; err != nil {
			return err
		}
	}
	return nil
}
