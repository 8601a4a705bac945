package store

import (
	"context"

	"atrium/backend/domain"
)

// RoleSummary is a role with its rights and how many members hold it.
type RoleSummary struct {
	domain.Role
	Rights      []domain.Right `gorm:"-"`
	MemberCount int64          `gorm:"-"`
}

// ListRoles returns the roles of an organization, Admin first then by name,
// with their rights and their number of members (deleted members excluded).
func (s *Store) ListRoles(ctx context.Context, orgID string) ([]RoleSummary, error) {
	var roles []domain.Role
	if err := s.DB(ctx).Where("org_id = ?", orgID).Order("is_admin DESC, name").Find(&roles).Error; err != nil {
		return nil, err
	}
	var rights []domain.RoleRight
	if err := s.DB(ctx).Where("org_id = ?", orgID).Order("right_name").Find(&rights).Error; err != nil {
		return nil, err
	}
	var counts []struct {
		RoleID string
		N      int64
	}
	ids := make([]string, len(roles))
	for i, r := range roles {
		ids[i] = r.ID
	}
	// Counted on the roles' index (it holds a copy of each member's status).
	if err := s.DB(ctx).Table("membership_roles").
		Where("role_id IN ? AND org_id = ? AND member_status <> ?", ids, orgID, domain.MemberDeleted).
		Group("role_id").Select("role_id, COUNT(*) AS n").Scan(&counts).Error; err != nil {
		return nil, err
	}
	byRole := map[string][]domain.Right{}
	for _, r := range rights {
		byRole[r.RoleID] = append(byRole[r.RoleID], r.RightName)
	}
	n := map[string]int64{}
	for _, c := range counts {
		n[c.RoleID] = c.N
	}
	out := make([]RoleSummary, len(roles))
	for i, r := range roles {
		out[i] = RoleSummary{Role: r, Rights: byRole[r.ID], MemberCount: n[r.ID]}
		if r.IsAdmin {
			out[i].Rights = domain.AllRights()
		}
	}
	return out, nil
}

// RoleByID finds a role of an organization; another organization's role is
// not found.
func (s *Store) RoleByID(ctx context.Context, orgID, id string) (domain.Role, error) {
	var r domain.Role
	err := s.DB(ctx).Where("org_id = ? AND id = ?", orgID, id).Take(&r).Error
	return r, notFound(err, "role")
}

// RoleNameTaken reports whether another role of the organization has the name
// (case-insensitively).
func (s *Store) RoleNameTaken(ctx context.Context, orgID, name, exceptID string) (bool, error) {
	var n int64
	err := s.DB(ctx).Model(&domain.Role{}).Where("org_id = ? AND lower(name) = lower(?) AND id <> ?", orgID, name, exceptID).Count(&n).Error
	return n > 0, err
}

// RoleRights lists the rights of a custom role.
func (s *Store) RoleRights(ctx context.Context, orgID, roleID string) ([]domain.Right, error) {
	var out []domain.Right
	err := s.DB(ctx).Model(&domain.RoleRight{}).Where("org_id = ? AND role_id = ?", orgID, roleID).
		Order("right_name").Pluck("right_name", &out).Error
	return out, err
}

// SetRoleRights replaces the rights of a custom role.
func (s *Store) SetRoleRights(ctx context.Context, orgID, roleID string, rights []domain.Right) error {
	db := s.DB(ctx)
	if err := db.Where("org_id = ? AND role_id = ?", orgID, roleID).Delete(&domain.RoleRight{}).Error; err != nil {
		return err
	}
	for _, r := range rights {
		if err := db.Create(&domain.RoleRight{RoleID: roleID, RightName: r, OrgID: orgID}).Error; err != nil {
			return err
		}
	}
	return nil
}

// RenameRole changes a role's name.
func (s *Store) RenameRole(ctx context.Context, orgID, roleID, name string) error {
	return s.DB(ctx).Model(&domain.Role{}).Where("org_id = ? AND id = ?", orgID, roleID).Update("name", name).Error
}

// DeleteRole removes a role, its rights and its assignments; it returns the
// memberships that held it.
func (s *Store) DeleteRole(ctx context.Context, orgID, roleID string) ([]string, error) {
	db := s.DB(ctx)
	var holders []string
	if err := db.Model(&domain.MembershipRole{}).Where("org_id = ? AND role_id = ?", orgID, roleID).
		Pluck("membership_id", &holders).Error; err != nil {
		return nil, err
	}
	for _, model := range []any{&domain.MembershipRole{}, &domain.RoleRight{}} {
		if err := db.Where("org_id = ? AND role_id = ?", orgID, roleID).Delete(model).Error; err != nil {
			return nil, err
		}
	}
	return holders, db.Where("org_id = ? AND id = ?", orgID, roleID).Delete(&domain.Role{}).Error
}

// MemberRoleGrant is one role held by a member with the rights it carries.
type MemberRoleGrant struct {
	RoleID  string
	Name    string
	IsAdmin bool
	Rights  []domain.Right
}

// RoleGrantsOf returns the roles of a membership with their rights.
func (s *Store) RoleGrantsOf(ctx context.Context, orgID, memberID string) ([]MemberRoleGrant, error) {
	var roles []domain.Role
	err := s.DB(ctx).Table("roles r").Joins("JOIN membership_roles mr ON mr.role_id = r.id").
		Where("mr.org_id = ? AND mr.membership_id = ?", orgID, memberID).Order("r.is_admin DESC, r.name").
		Select("r.*").Scan(&roles).Error
	if err != nil {
		return nil, err
	}
	out := make([]MemberRoleGrant, len(roles))
	for i, r := range roles {
		out[i] = MemberRoleGrant{RoleID: r.ID, Name: r.Name, IsAdmin: r.IsAdmin}
		if !r.IsAdmin {
			if out[i].Rights, err = s.RoleRights(ctx, orgID, r.ID); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
