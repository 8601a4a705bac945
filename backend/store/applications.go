package store

import (
	"context"
	"time"
)

// OrgApplication is an application enabled in an organization.
type OrgApplication struct {
	OrgID     string `gorm:"primaryKey"`
	App       string `gorm:"primaryKey"`
	EnabledAt time.Time
}

func (OrgApplication) TableName() string { return "org_applications" }

// MemberApplication grants an application to a member.
type MemberApplication struct {
	MembershipID string `gorm:"primaryKey"`
	App          string `gorm:"primaryKey"`
	OrgID        string
}

func (MemberApplication) TableName() string { return "membership_applications" }

// EnabledApplications returns the applications enabled in an organization.
func (s *Store) EnabledApplications(ctx context.Context, orgID string) (map[string]time.Time, error) {
	var rows []OrgApplication
	err := s.DB(ctx).Where("org_id = ?", orgID).Find(&rows).Error
	out := map[string]time.Time{}
	for _, r := range rows {
		out[r.App] = r.EnabledAt
	}
	return out, err
}

// SetApplicationEnabled enables or disables an application; it reports
// whether anything changed. Disabling keeps the members' grants, so
// re-enabling gives the same people their access back.
func (s *Store) SetApplicationEnabled(ctx context.Context, orgID, app string, enabled bool) (bool, error) {
	db := s.DB(ctx)
	if !enabled {
		res := db.Where("org_id = ? AND app = ?", orgID, app).Delete(&OrgApplication{})
		return res.RowsAffected > 0, res.Error
	}
	var n int64
	if err := db.Model(&OrgApplication{}).Where("org_id = ? AND app = ?", orgID, app).Count(&n).Error; err != nil || n > 0 {
		return false, err
	}
	return true, db.Create(&OrgApplication{OrgID: orgID, App: app, EnabledAt: time.Now().UTC()}).Error
}

// SetMemberApplication grants or withdraws an application for a member.
func (s *Store) SetMemberApplication(ctx context.Context, orgID, memberID, app string, granted bool) (bool, error) {
	db := s.DB(ctx)
	if !granted {
		res := db.Where("org_id = ? AND membership_id = ? AND app = ?", orgID, memberID, app).Delete(&MemberApplication{})
		return res.RowsAffected > 0, res.Error
	}
	var n int64
	if err := db.Model(&MemberApplication{}).Where("membership_id = ? AND app = ?", memberID, app).Count(&n).Error; err != nil || n > 0 {
		return false, err
	}
	return true, db.Create(&MemberApplication{MembershipID: memberID, App: app, OrgID: orgID}).Error
}

// AppUser is a member using an application.
type AppUser struct {
	App       string
	MemberID  string
	AccountID string
	FirstName string
	LastName  string
	Status    string
}

// ApplicationUsers lists, per application, the members it is granted to
// (deleted members excluded), by name.
func (s *Store) ApplicationUsers(ctx context.Context, orgID string) ([]AppUser, error) {
	var out []AppUser
	err := s.DB(ctx).Table("membership_applications ma").
		Joins("JOIN memberships m ON m.id = ma.membership_id").Joins("JOIN accounts a ON a.id = m.account_id").
		Where("ma.org_id = ? AND m.status <> ?", orgID, "deleted").
		Select("ma.app, m.id AS member_id, m.account_id, a.first_name, a.last_name, m.status").
		Order("ma.app, m.sort_key, m.id").Scan(&out).Error
	return out, err
}

// MemberApplications lists the applications granted to a membership.
func (s *Store) MemberApplications(ctx context.Context, orgID, memberID string) ([]string, error) {
	var out []string
	err := s.DB(ctx).Model(&MemberApplication{}).Where("org_id = ? AND membership_id = ?", orgID, memberID).
		Order("app").Pluck("app", &out).Error
	return out, err
}

// AccountApplication is one application an account may use, in one organization.
type AccountApplication struct {
	OrgID   string
	OrgName string
	App     string
}

// ApplicationsOfAccount lists, for every organization where the account is an
// active member, the enabled applications granted to it (SPEC A8).
func (s *Store) ApplicationsOfAccount(ctx context.Context, accountID string) ([]AccountApplication, error) {
	var out []AccountApplication
	err := s.DB(ctx).Table("memberships m").
		Joins("JOIN organizations o ON o.id = m.org_id").
		Joins("JOIN membership_applications ma ON ma.membership_id = m.id").
		Joins("JOIN org_applications oa ON oa.org_id = m.org_id AND oa.app = ma.app").
		Where("m.account_id = ? AND m.status = ?", accountID, "active").
		Select("m.org_id, o.name AS org_name, ma.app").Order("o.name, m.org_id, ma.app").Scan(&out).Error
	return out, err
}
