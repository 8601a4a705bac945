package store

import (
	"context"
)

// DeleteOrganization removes an organization and, through the schema's
// cascades, its memberships, roles, rights, company profile, tasks,
// applications, security policy, invitations and tokens (SPEC B6). The
// history keeps its entries (they are chained and not editable).
func (s *Store) DeleteOrganization(ctx context.Context, orgID string) error {
	db := s.DB(ctx)
	if err := db.Exec("UPDATE accounts SET last_org_id = NULL WHERE last_org_id = ?", orgID).Error; err != nil {
		return err
	}
	return db.Exec("DELETE FROM organizations WHERE id = ?", orgID).Error
}

// DeleteAccount removes an account and, through the cascades, its
// memberships, sessions, security settings and tokens (SPEC A9).
func (s *Store) DeleteAccount(ctx context.Context, accountID string) error {
	return s.DB(ctx).Exec("DELETE FROM accounts WHERE id = ?", accountID).Error
}

// AdminOrgsOf lists the organizations where an account is an active admin,
// with how many active admins each has.
func (s *Store) AdminOrgsOf(ctx context.Context, accountID string) (map[string]int64, error) {
	var rows []struct {
		OrgID  string
		Admins int64
	}
	err := s.DB(ctx).Raw(`SELECT m.org_id, (SELECT COUNT(DISTINCT m2.id) FROM memberships m2
			JOIN membership_roles mr2 ON mr2.membership_id = m2.id JOIN roles r2 ON r2.id = mr2.role_id
			WHERE m2.org_id = m.org_id AND m2.status = 'active' AND r2.is_admin) AS admins
		FROM memberships m JOIN membership_roles mr ON mr.membership_id = m.id JOIN roles r ON r.id = mr.role_id
		WHERE m.account_id = ? AND m.status = 'active' AND r.is_admin`, accountID).Scan(&rows).Error
	out := map[string]int64{}
	for _, r := range rows {
		out[r.OrgID] = r.Admins
	}
	return out, err
}
