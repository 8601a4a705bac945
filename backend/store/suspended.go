package store

import (
	"context"
	"strings"

	"atrium/backend/domain"
)

// Suspension is an organization where the account's access is suspended
// (its membership disabled), with whom to ask to get it back.
type Suspension struct {
	OrgName string
	Admins  []string // the organization's active admins, by name, at most three
}

// SuspensionsOf lists the open organizations where the account's access is
// suspended.
func (s *Store) SuspensionsOf(ctx context.Context, accountID string) ([]Suspension, error) {
	var orgs []struct{ ID, Name string }
	err := s.DB(ctx).Table("memberships m").Joins("JOIN organizations o ON o.id = m.org_id").
		Select("o.id, o.name").Where("m.account_id = ? AND m.status = ? AND o.status = ?", accountID, domain.MemberDisabled, domain.OrgActive).
		Order("o.name").Limit(10).Scan(&orgs).Error
	if err != nil {
		return nil, err
	}
	out := make([]Suspension, 0, len(orgs))
	for _, o := range orgs {
		var people []struct{ FirstName, LastName string }
		err := s.DB(ctx).Table("memberships m").
			Joins("JOIN membership_roles mr ON mr.membership_id = m.id").
			Joins("JOIN roles r ON r.id = mr.role_id AND r.is_admin").
			Joins("JOIN accounts a ON a.id = m.account_id").
			Select("a.first_name, a.last_name").Where("m.org_id = ? AND m.status = ?", o.ID, domain.MemberActive).
			Order("a.last_name, a.first_name").Limit(3).Scan(&people).Error
		if err != nil {
			return nil, err
		}
		sp := Suspension{OrgName: o.Name, Admins: []string{}}
		for _, p := range people {
			sp.Admins = append(sp.Admins, strings.TrimSpace(p.FirstName+" "+p.LastName))
		}
		out = append(out, sp)
	}
	return out, nil
}
