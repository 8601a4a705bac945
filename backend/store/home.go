package store

import (
	"context"

	"gorm.io/gorm"

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

// noDueKey is where a task without a due date sorts in the task indexes.
const noDueKey = "9999-12-31"

// HomeTasks returns, of the account's open tasks in the given organizations
// and without their titles, the first `first` by due date (those without one
// last) and every one due from `from` until before `until` (YYYY-MM-DD), with
// how many open tasks there are in all. The order that each dossier's
// calendar gives (late first) only differs from the due dates' own between
// the earliest and the latest "today" of the dossiers, which from..until
// covers, so the page's first tasks are among these. Each statement reads the
// (org_id, assignee_id, status, due) index alone, never the tasks' rows.
func (s *Store) HomeTasks(ctx context.Context, accountID string, orgIDs []string, first int, from, until string) (tasks []HomeTask, total int64, err error) {
	tasks = []HomeTask{}
	if len(orgIDs) == 0 {
		return tasks, 0, nil
	}
	if err := s.openTasks(ctx, accountID, orgIDs).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []struct{ ID, OrgID, DueKey string }
	err = s.openTasks(ctx, accountID, orgIDs).Select("id, org_id, " + dueKey + " AS due_key").
		Order("due_key, id").Limit(first).Scan(&rows).Error
	if err != nil {
		return nil, 0, err
	}
	if from < until {
		var between []struct{ ID, OrgID, DueKey string }
		err = s.openTasks(ctx, accountID, orgIDs).Where(dueKey+" >= ? AND "+dueKey+" < ?", from, until).
			Select("id, org_id, " + dueKey + " AS due_key").Scan(&between).Error
		if err != nil {
			return nil, 0, err
		}
		rows = append(rows, between...)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		t := HomeTask{ID: r.ID, OrgID: r.OrgID}
		if r.DueKey != noDueKey {
			due := r.DueKey
			t.DueDate = &due
		}
		tasks = append(tasks, t)
	}
	return tasks, total, nil
}

// HomeTasksDue counts the account's open tasks in the given organizations
// due each day from `from` to `to` (YYYY-MM-DD), by organization and day.
func (s *Store) HomeTasksDue(ctx context.Context, accountID string, orgIDs []string, from, to string) (map[string]map[string]int64, error) {
	out := map[string]map[string]int64{}
	if len(orgIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		OrgID, DueKey string
		N             int64
	}
	err := s.openTasks(ctx, accountID, orgIDs).Where(dueKey+" BETWEEN ? AND ?", from, to).
		Group("org_id, " + dueKey).Select("org_id, " + dueKey + " AS due_key, count(*) AS n").Scan(&rows).Error
	for _, r := range rows {
		if out[r.OrgID] == nil {
			out[r.OrgID] = map[string]int64{}
		}
		out[r.OrgID][r.DueKey] = r.N
	}
	return out, err
}

// dueKey is a task's due date as the task indexes hold it: those without one
// sort after every date (noDueKey).
const dueKey = "coalesce(due_date, '" + noDueKey + "')"

// openTasks are the account's open tasks in the given organizations.
func (s *Store) openTasks(ctx context.Context, accountID string, orgIDs []string) *gorm.DB {
	return s.DB(ctx).Table("tasks").Where("org_id IN ? AND assignee_id = ? AND status = ?", orgIDs, accountID, TaskOpen)
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
