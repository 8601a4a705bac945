package store

import (
	"context"

	"atrium/backend/domain"
)

// AccountNames returns the full names of the given accounts, by ID.
func (s *Store) AccountNames(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []domain.Account
	if err := s.DB(ctx).Select("id, first_name, last_name").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, a := range rows {
		out[a.ID] = a.FullName()
	}
	return out, nil
}

// Person is someone the history of an organization can be filtered by.
type Person struct {
	ID   string
	Name string
}

// OrgPeople lists every account that is or was a member of an organization,
// by name.
func (s *Store) OrgPeople(ctx context.Context, orgID string) ([]Person, error) {
	var rows []domain.Account
	err := s.DB(ctx).Table("accounts a").Select("a.id, a.first_name, a.last_name").
		Joins("JOIN memberships m ON m.account_id = a.id").Where("m.org_id = ?", orgID).
		Order("a.last_name, a.first_name, a.id").Find(&rows).Error
	out := make([]Person, 0, len(rows))
	for _, a := range rows {
		out = append(out, Person{ID: a.ID, Name: a.FullName()})
	}
	return out, err
}
