package store

import (
	"context"
	"time"

	"atrium/backend/domain"
)

// OrgAdmins lists the active admins of an organization: whom its members'
// comings and goings and their rights are told to.
func (s *Store) OrgAdmins(ctx context.Context, orgID string) ([]domain.Account, error) {
	var out []domain.Account
	err := s.DB(ctx).Table("accounts a").Distinct("a.*").
		Joins("JOIN memberships m ON m.account_id = a.id").
		Joins("JOIN membership_roles mr ON mr.membership_id = m.id").
		Joins("JOIN roles r ON r.id = mr.role_id AND r.is_admin").
		Where("m.org_id = ? AND m.status = ?", orgID, domain.MemberActive).
		Order("a.id").Find(&out).Error
	return out, err
}

// AccountsWanting lists the accounts that switched a category on (for a
// category off by default: the weekly digest).
func (s *Store) AccountsWanting(ctx context.Context, category string) ([]string, error) {
	var ids []string
	err := s.DB(ctx).Model(&NotificationPref{}).Where("category = ? AND enabled", category).
		Order("account_id").Pluck("account_id", &ids).Error
	return ids, err
}

// MessageSince reports whether a message of the kind was written to the
// account since the time given.
func (s *Store) MessageSince(ctx context.Context, accountID, kind string, since time.Time) (bool, error) {
	var n int64
	err := s.DB(ctx).Model(&OutboxMessage{}).Where("account_id = ? AND kind = ? AND created_at >= ?", accountID, kind, since).
		Limit(1).Count(&n).Error
	return n > 0, err
}
