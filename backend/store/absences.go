package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"atrium/backend/domain"
)

// Absence is a member away (SPEC C7): see migration 00015. The membership's
// status stays active; an absence is current while ReturnsOn is empty or
// after the organization's today.
type Absence struct {
	MembershipID string `gorm:"primaryKey"`
	OrgID        string
	AccountID    string
	ReturnsOn    *string // YYYY-MM-DD, the first day back
	DelegateID   *string // an account
	CreatedAt    time.Time
}

func (Absence) TableName() string { return "member_absences" }

// Current reports whether the absence still runs on the given day (YYYY-MM-DD).
func (a Absence) Current(today string) bool { return a.ReturnsOn == nil || *a.ReturnsOn > today }

// currentAbsence is the SQL condition of a current absence of table x on day ?.
const currentAbsence = "(x.returns_on IS NULL OR x.returns_on > ?)"

// AbsenceRow is an absence with the names the screens show: the member's and
// their delegate's.
type AbsenceRow struct {
	Absence
	FirstName, LastName                 string
	DelegateFirstName, DelegateLastName string
	DelegateMemberID                    string // the delegate's membership
}

// CurrentAbsences returns the current absences of the given memberships of
// an organization whose membership is active, by membership ID.
func (s *Store) CurrentAbsences(ctx context.Context, orgID, today string, memberIDs []string) (map[string]AbsenceRow, error) {
	out := map[string]AbsenceRow{}
	if len(memberIDs) == 0 {
		return out, nil
	}
	rows, err := s.absenceRows(ctx, today, "x.org_id = ? AND x.membership_id IN ?", orgID, memberIDs)
	for _, r := range rows {
		out[r.MembershipID] = r
	}
	return out, err
}

// CurrentAbsenceOf returns the current absence of an account in an
// organization, if any.
func (s *Store) CurrentAbsenceOf(ctx context.Context, orgID, accountID, today string) (AbsenceRow, bool, error) {
	rows, err := s.absenceRows(ctx, today, "x.org_id = ? AND x.account_id = ?", orgID, accountID)
	if err != nil || len(rows) == 0 {
		return AbsenceRow{}, false, err
	}
	return rows[0], true, nil
}

// OrgsAbsences lists the current absences of active members in the given
// organizations, each with the day it is there (orgID → YYYY-MM-DD), by
// organization and name.
func (s *Store) OrgsAbsences(ctx context.Context, today map[string]string) ([]AbsenceRow, error) {
	if len(today) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(today))
	for id := range today {
		ids = append(ids, id)
	}
	var rows []AbsenceRow
	err := s.DB(ctx).Table("member_absences x").
		Select("x.*, a.first_name, a.last_name").
		Joins("JOIN memberships m ON m.id = x.membership_id AND m.status = ?", domain.MemberActive).
		Joins("JOIN accounts a ON a.id = x.account_id").
		Where("x.org_id IN ?", ids).Order("x.org_id, m.sort_key, x.membership_id").Scan(&rows).Error
	out := rows[:0]
	for _, r := range rows {
		if r.Current(today[r.OrgID]) {
			out = append(out, r)
		}
	}
	return out, err
}

func (s *Store) absenceRows(ctx context.Context, today, where string, args ...any) ([]AbsenceRow, error) {
	var rows []AbsenceRow
	err := s.DB(ctx).Table("member_absences x").
		Select("x.*, a.first_name, a.last_name, coalesce(d.first_name, '') AS delegate_first_name, coalesce(d.last_name, '') AS delegate_last_name, coalesce(dm.id, '') AS delegate_member_id").
		Joins("JOIN memberships m ON m.id = x.membership_id AND m.status = ?", domain.MemberActive).
		Joins("JOIN accounts a ON a.id = x.account_id").
		Joins("LEFT JOIN accounts d ON d.id = x.delegate_id").
		Joins("LEFT JOIN memberships dm ON dm.org_id = x.org_id AND dm.account_id = x.delegate_id").
		Where(where, args...).Where(currentAbsence, today).Order("x.membership_id").Scan(&rows).Error
	return rows, err
}

// AbsenceOf returns the absence row of a membership, current or not.
func (s *Store) AbsenceOf(ctx context.Context, orgID, memberID string) (Absence, bool, error) {
	var a Absence
	err := s.DB(ctx).Where("org_id = ? AND membership_id = ?", orgID, memberID).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return a, false, nil
	}
	return a, err == nil, err
}

// SaveAbsence writes a member's absence, replacing the one they had.
func (s *Store) SaveAbsence(ctx context.Context, a Absence) error {
	return s.DB(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "membership_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"returns_on", "delegate_id", "created_at"})}).Create(&a).Error
}

// EndAbsence removes a membership's absence; it reports whether there was one.
func (s *Store) EndAbsence(ctx context.Context, orgID, memberID string) (bool, error) {
	res := s.DB(ctx).Where("org_id = ? AND membership_id = ?", orgID, memberID).Delete(&Absence{})
	return res.RowsAffected > 0, res.Error
}

// DueAbsence is an absence with a return date, and its organization's
// timezone: the sweep ends those whose date has come there.
type DueAbsence struct {
	Absence
	Timezone string
}

// AbsencesWithReturn lists the absences that have a return date no later
// than the given day (the latest day it is anywhere), with their
// organization's timezone, oldest date first. A closed organization is
// read-only and is left as it is (its readers see the absence ended).
func (s *Store) AbsencesWithReturn(ctx context.Context, latest string) ([]DueAbsence, error) {
	var rows []DueAbsence
	err := s.DB(ctx).Table("member_absences x").Select("x.*, o.timezone").
		Joins("JOIN organizations o ON o.id = x.org_id AND o.status = ?", domain.OrgActive).
		Where("x.returns_on IS NOT NULL AND x.returns_on <= ?", latest).Order("x.returns_on, x.membership_id").Scan(&rows).Error
	return rows, err
}

// StandIn says that a task given to a delegate was meant for an away member.
type StandIn struct {
	TaskID   string `gorm:"primaryKey"`
	OrgID    string
	AbsentID string
}

func (StandIn) TableName() string { return "task_stand_ins" }

// SetStandIn records for whom a task was given to a delegate, or (absentID
// nil) that it was given to its assignee directly.
func (s *Store) SetStandIn(ctx context.Context, orgID, taskID string, absentID *string) error {
	db := s.DB(ctx)
	if absentID == nil {
		return db.Where("org_id = ? AND task_id = ?", orgID, taskID).Delete(&StandIn{}).Error
	}
	return db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "task_id"}}, DoUpdates: clause.AssignmentColumns([]string{"absent_id"})}).
		Create(&StandIn{TaskID: taskID, OrgID: orgID, AbsentID: *absentID}).Error
}

// StandInNames returns, for the given tasks of an organization given in
// someone's place, that person's account ID and name parts.
func (s *Store) StandInNames(ctx context.Context, orgID string, taskIDs []string) (map[string][3]string, error) {
	out := map[string][3]string{}
	if len(taskIDs) == 0 {
		return out, nil
	}
	var rows []struct{ TaskID, AbsentID, FirstName, LastName string }
	err := s.DB(ctx).Table("task_stand_ins t").Select("t.task_id, t.absent_id, a.first_name, a.last_name").
		Joins("JOIN accounts a ON a.id = t.absent_id").Where("t.org_id = ? AND t.task_id IN ?", orgID, taskIDs).Scan(&rows).Error
	for _, r := range rows {
		out[r.TaskID] = [3]string{r.AbsentID, r.FirstName, r.LastName}
	}
	return out, err
}

// absenceCond narrows a member list branch to members away on f.AwayOn (or,
// with f.Away false, to those who are not); idCol is the branch's column
// holding the membership ID.
func absenceCond(f MemberFilter, idCol string) (string, []any) {
	if f.AwayOn == "" {
		return "", nil
	}
	not := "NOT "
	if f.Away {
		not = ""
	}
	return not + "EXISTS (SELECT 1 FROM member_absences x WHERE x.membership_id = " + idCol + " AND " + currentAbsence + ")", []any{f.AwayOn}
}

// countAway counts the active members of an organization away on a day.
func (s *Store) countAway(ctx context.Context, orgID, day string) (int64, error) {
	var n int64
	err := s.DB(ctx).Table("member_absences x").Joins("JOIN memberships m ON m.id = x.membership_id AND m.status = ?", domain.MemberActive).
		Where("x.org_id = ? AND "+currentAbsence, orgID, day).Count(&n).Error
	return n, err
}
