package store

import (
	"context"
	"time"
)

// Invitation statuses.
const (
	InvitationPending  = "pending"
	InvitationAccepted = "accepted"
	InvitationRevoked  = "revoked"
)

// Invitation is an invitation to join an organization (SPEC C2-C4).
type Invitation struct {
	ID          string `gorm:"primaryKey"`
	OrgID       string
	Email       string
	FirstName   string
	LastName    string
	JobTitle    string
	EmployeeRef string
	RoleIDs     string `gorm:"column:role_ids"` // JSON array
	Rights      string // JSON array
	Language    string
	InvitedBy   *string
	Status      string
	CreatedAt   time.Time
	SentAt      time.Time
	ExpiresAt   time.Time
	EndedAt     *time.Time
}

func (Invitation) TableName() string { return "invitations" }

// InvitationRow is a pending invitation with the name of who sent it.
type InvitationRow struct {
	Invitation
	InviterFirst string
	InviterLast  string
}

// PendingInvitations lists an organization's pending invitations, newest first.
func (s *Store) PendingInvitations(ctx context.Context, orgID string) ([]InvitationRow, error) {
	var out []InvitationRow
	err := s.DB(ctx).Table("invitations i").
		Select("i.*, a.first_name AS inviter_first, a.last_name AS inviter_last").
		Joins("LEFT JOIN accounts a ON a.id = i.invited_by").
		Where("i.org_id = ? AND i.status = ?", orgID, InvitationPending).
		Order("i.sent_at DESC, i.id").Find(&out).Error
	return out, err
}

// InvitationByID finds one invitation of an organization.
func (s *Store) InvitationByID(ctx context.Context, orgID, id string) (Invitation, error) {
	var inv Invitation
	err := s.DB(ctx).Where("org_id = ? AND id = ?", orgID, id).Take(&inv).Error
	return inv, notFound(err, "invitation")
}

// PendingInvitationFor finds the pending invitation of an address in an organization.
func (s *Store) PendingInvitationFor(ctx context.Context, orgID, email string) (Invitation, error) {
	var inv Invitation
	// The status is written out, not bound: only then may the database use
	// the partial index of pending invitations (org_id, email) instead of
	// reading every pending invitation of the organization.
	err := s.DB(ctx).Where("org_id = ? AND email = ? AND status = '"+InvitationPending+"'", orgID, email).Take(&inv).Error
	return inv, notFound(err, "invitation")
}

// UpdateInvitation writes columns of a pending invitation; it answers false
// when the invitation is no longer pending.
func (s *Store) UpdateInvitation(ctx context.Context, id string, cols map[string]any) (bool, error) {
	res := s.DB(ctx).Model(&Invitation{}).Where("id = ? AND status = ?", id, InvitationPending).Updates(cols)
	return res.RowsAffected == 1, res.Error
}

// IsMemberEmail reports whether an address belongs to an account that is a
// member (not deleted) of the organization.
func (s *Store) IsMemberEmail(ctx context.Context, orgID, email string) (bool, error) {
	var n int64
	err := s.DB(ctx).Table("memberships m").Joins("JOIN accounts a ON a.id = m.account_id").
		Where("m.org_id = ? AND a.email = ? AND m.status <> ?", orgID, email, "deleted").Count(&n).Error
	return n > 0, err
}
