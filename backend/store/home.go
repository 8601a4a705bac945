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

// HomeTask is an open task assigned to the account.
type HomeTask struct {
	ID      string
	OrgID   string
	Title   string
	DueDate *string
}

// HomeTasks returns the account's open tasks in the given organizations,
// earliest due date first (those without one last), at most limit of them,
// and how many there are in all (from task_counts, kept by triggers).
func (s *Store) HomeTasks(ctx context.Context, accountID string, orgIDs []string, limit int) ([]HomeTask, int64, error) {
	out := []HomeTask{}
	if len(orgIDs) == 0 {
		return out, 0, nil
	}
	var total int64
	if err := s.DB(ctx).Table("task_counts").Select("coalesce(sum(n), 0)").
		Where("org_id IN ? AND assignee_key = ? AND status = ?", orgIDs, accountID, TaskOpen).Scan(&total).Error; err != nil {
		return nil, 0, err
	}
	if total == 0 {
		return out, 0, nil
	}
	err := s.DB(ctx).Table("tasks").Select("id, org_id, title, due_date").
		Where("org_id IN ? AND assignee_id = ? AND status = ?", orgIDs, accountID, TaskOpen).
		Order("CASE WHEN due_date IS NULL THEN 1 ELSE 0 END, due_date, id").Limit(limit).Scan(&out).Error
	return out, total, err
}

// HomeDueCount is how many open tasks of an organization fall due on a day.
type HomeDueCount struct {
	OrgID   string
	DueDate string
	N       int64
}

// HomeDueBetween counts the open tasks of the given organizations due from
// one day to another (YYYY-MM-DD, both included), per organization and day:
// the caller cuts each organization's week in its own timezone.
func (s *Store) HomeDueBetween(ctx context.Context, orgIDs []string, from, to string) ([]HomeDueCount, error) {
	out := []HomeDueCount{}
	if len(orgIDs) == 0 {
		return out, nil
	}
	err := s.DB(ctx).Table("tasks").Select("org_id, due_date, count(*) AS n").
		Where("org_id IN ? AND status = ? AND due_date >= ? AND due_date <= ?", orgIDs, TaskOpen, from, to).
		Group("org_id, due_date").Scan(&out).Error
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
