package store

import (
	"context"

	"atrium/backend/domain"
)

// The home page reads across every organization of one account. Each query
// below is one statement over the account's organizations (never one per
// organization), walking the per-organization indexes the lists already use,
// so an account in hundreds of dossiers costs a handful of statements.

// HomeOrg is one organization the account is an active member of, with what
// the home page and the rights check need of it.
type HomeOrg struct {
	ID            string
	Name          string
	Timezone      string
	Status        string
	ResponsibleID *string
	RightsVersion int64
}

// HomeOrgs lists the organizations the account is an active member of, by name.
func (s *Store) HomeOrgs(ctx context.Context, accountID string) ([]HomeOrg, error) {
	var out []HomeOrg
	err := s.DB(ctx).Table("memberships m").
		Select("o.id, o.name, o.timezone, o.status, o.responsible_id, o.rights_version").
		Joins("JOIN organizations o ON o.id = m.org_id").
		Where("m.account_id = ? AND m.status = ?", accountID, domain.MemberActive).
		Order("o.search_name, o.id").Scan(&out).Error
	return out, err
}

// HomeTask is an open task assigned to the account; Title is read only
// for the tasks the page lists (HomeTaskTitles).
type HomeTask struct {
	ID      string
	OrgID   string
	DueDate *string
	Title   string
}

// HomeTasks returns the account's open tasks in the given organizations,
// without their titles: the caller orders them in each dossier's calendar
// and counts them, then reads the titles of those it lists. One statement
// walking the (org_id, assignee_id, status) index of each organization.
func (s *Store) HomeTasks(ctx context.Context, accountID string, orgIDs []string) ([]HomeTask, error) {
	out := []HomeTask{}
	if len(orgIDs) == 0 {
		return out, nil
	}
	err := s.DB(ctx).Table("tasks").Select("id, org_id, due_date").
		Where("org_id IN ? AND assignee_id = ? AND status = ?", orgIDs, accountID, TaskOpen).Scan(&out).Error
	return out, err
}

// HomeTaskTitles reads the titles of the given tasks of the account.
func (s *Store) HomeTaskTitles(ctx context.Context, accountID string, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct{ ID, Title string }
	err := s.DB(ctx).Table("tasks").Select("id, title").Where("id IN ? AND assignee_id = ?", ids, accountID).Scan(&rows).Error
	for _, r := range rows {
		out[r.ID] = r.Title
	}
	return out, err
}

// HomePendingInvitations counts the pending invitations of each given organization.
func (s *Store) HomePendingInvitations(ctx context.Context, orgIDs []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(orgIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		OrgID string
		N     int64
	}
	err := s.DB(ctx).Table("invitations").Select("org_id, count(*) AS n").
		Where("org_id IN ? AND status = ?", orgIDs, InvitationPending).Group("org_id").Scan(&rows).Error
	for _, r := range rows {
		out[r.OrgID] = r.N
	}
	return out, err
}

// AccountTimezone is the account's own timezone: that of the first
// organization it joined among those it is still an active member of (the one
// it chose at first run, or was first invited to). "" when it has none.
// The console shows the account's own data (devices, sessions) in it, and the
// weekly digest is written from it.
func (s *Store) AccountTimezone(ctx context.Context, accountID string) (string, error) {
	var zones []string
	err := s.DB(ctx).Table("memberships m").Joins("JOIN organizations o ON o.id = m.org_id").
		Where("m.account_id = ? AND m.status = ?", accountID, domain.MemberActive).
		Order("m.created_at, m.id").Limit(1).Pluck("o.timezone", &zones).Error
	if err != nil || len(zones) == 0 {
		return "", err
	}
	return zones[0], nil
}
