package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"atrium/backend/domain"
)

// MemberRecord is a membership with its per-organization fields.
type MemberRecord struct {
	ID          string `gorm:"primaryKey"`
	OrgID       string
	AccountID   string
	Status      string
	EmployeeRef string
	JobTitle    string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (MemberRecord) TableName() string { return "memberships" }

// MemberRow is one line of the member list: the membership and its account.
type MemberRow struct {
	ID          string
	AccountID   string
	FirstName   string
	LastName    string
	Email       string
	Status      string
	EmployeeRef string
	JobTitle    string
	SortKey     string
}

// MemberFilter narrows the member list (SPEC C1). After* is the keyset cursor:
// the sort key and ID of the last row of the previous page.
type MemberFilter struct {
	Query    string
	Status   string
	RoleID   string
	AfterKey string
	AfterID  string
	Limit    int
}

// prefixEnd is greater than any key starting with a prefix (byte order).
const prefixEnd = "\U0010FFFF"

// memberQuery builds the filtered member query of one organization. A search
// is a prefix match, on indexes, of the last name (the start of the sort key),
// first name, email, employee reference or account ID; every further word
// must also start one of them.
func (s *Store) memberQuery(ctx context.Context, orgID string, f MemberFilter) *gorm.DB {
	q := s.DB(ctx)
	words := strings.Fields(strings.ToLower(f.Query))
	if len(words) == 0 {
		q = q.Table("memberships m")
	} else {
		// The longest word selects the candidates through the indexes, and
		// the query starts from them: SQLite's CROSS JOIN keeps that order
		// (it would otherwise walk the whole organization in name order).
		first := 0
		for i, w := range words {
			if len(w) > len(words[first]) {
				first = i
			}
		}
		w, hi := words[first], words[first]+prefixEnd
		join := "JOIN"
		if s.dialect == SQLite {
			join = "CROSS JOIN"
		}
		q = q.Table(`(SELECT id FROM memberships WHERE org_id = ? AND sort_key >= ? AND sort_key < ?
			UNION SELECT id FROM memberships WHERE org_id = ? AND first_key >= ? AND first_key < ?
			UNION SELECT id FROM memberships WHERE org_id = ? AND email_key >= ? AND email_key < ?
			UNION SELECT id FROM memberships WHERE org_id = ? AND emp_key >= ? AND emp_key < ?
			UNION SELECT id FROM memberships WHERE org_id = ? AND account_id >= ? AND account_id < ?) c `+join+` memberships m ON m.id = c.id`,
			orgID, w, hi, orgID, w, hi, orgID, w, hi, orgID, w, hi, orgID, w, hi)
		for i, w := range words {
			if i == first {
				continue
			}
			p := escapeLike(w) + "%"
			q = q.Where(`(m.sort_key LIKE ? ESCAPE '\' OR m.sort_key LIKE ? ESCAPE '\' OR m.first_key LIKE ? ESCAPE '\'
				OR m.email_key LIKE ? ESCAPE '\' OR m.emp_key LIKE ? ESCAPE '\' OR m.account_id LIKE ? ESCAPE '\')`,
				p, "% "+p, p, p, p, p)
		}
	}
	q = q.Where("m.org_id = ?", orgID)
	if f.Status != "" {
		q = q.Where("m.status = ?", f.Status)
	}
	if f.RoleID != "" {
		q = q.Where("EXISTS (SELECT 1 FROM membership_roles mr WHERE mr.membership_id = m.id AND mr.role_id = ? AND mr.org_id = ?)", f.RoleID, orgID)
	}
	return q
}

// escapeLike escapes LIKE's wildcards (the escape character is a backslash).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ListMembers returns one page of the member list, in name order.
func (s *Store) ListMembers(ctx context.Context, orgID string, f MemberFilter) ([]MemberRow, error) {
	// The page is chosen on memberships alone; accounts are joined for its
	// rows only.
	q := s.memberQuery(ctx, orgID, f)
	if f.AfterID != "" {
		q = q.Where("(m.sort_key > ? OR (m.sort_key = ? AND m.id > ?))", f.AfterKey, f.AfterKey, f.AfterID)
	}
	page := q.Select("m.id, m.account_id, m.status, m.employee_ref, m.job_title, m.sort_key").Order("m.sort_key, m.id").Limit(f.Limit)
	var rows []MemberRow
	err := s.DB(ctx).Table("(?) p", page).Joins("JOIN accounts a ON a.id = p.account_id").
		Select(`p.id, p.account_id, a.first_name, a.last_name, a.email, p.status, p.employee_ref, p.job_title, p.sort_key`).
		Order("p.sort_key, p.id").Scan(&rows).Error
	return rows, err
}

// CountMembers counts the members matching a filter (the cursor is ignored).
func (s *Store) CountMembers(ctx context.Context, orgID string, f MemberFilter) (int64, error) {
	var n int64
	err := s.memberQuery(ctx, orgID, f).Count(&n).Error
	return n, err
}

// MemberByID finds a membership of an organization; another organization's
// membership is not found.
func (s *Store) MemberByID(ctx context.Context, orgID, id string) (MemberRecord, error) {
	var m MemberRecord
	err := s.DB(ctx).Where("org_id = ? AND id = ?", orgID, id).Take(&m).Error
	return m, notFound(err, "member")
}

// MemberByAccount finds the membership of an account in an organization.
func (s *Store) MemberByAccount(ctx context.Context, orgID, accountID string) (MemberRecord, error) {
	var m MemberRecord
	err := s.DB(ctx).Where("org_id = ? AND account_id = ?", orgID, accountID).Take(&m).Error
	return m, notFound(err, "member")
}

// UpdateMember writes the given columns of a membership.
func (s *Store) UpdateMember(ctx context.Context, orgID, id string, cols map[string]any) error {
	cols["updated_at"] = time.Now().UTC()
	return s.DB(ctx).Model(&MemberRecord{}).Where("org_id = ? AND id = ?", orgID, id).Updates(cols).Error
}

// RoleNamesOf returns the role names of each given membership, by membership ID.
func (s *Store) RoleNamesOf(ctx context.Context, orgID string, memberIDs []string) (map[string][]MemberRole, error) {
	out := map[string][]MemberRole{}
	if len(memberIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		MembershipID string
		MemberRole
	}
	err := s.DB(ctx).Table("membership_roles mr").Joins("JOIN roles r ON r.id = mr.role_id").
		Where("mr.org_id = ? AND mr.membership_id IN ?", orgID, memberIDs).
		Select("mr.membership_id, r.id, r.name, r.is_admin").Order("r.is_admin DESC, r.name").Scan(&rows).Error
	for _, r := range rows {
		out[r.MembershipID] = append(out[r.MembershipID], r.MemberRole)
	}
	return out, err
}

// MemberRole names a role held by a member.
type MemberRole struct {
	ID      string
	Name    string
	IsAdmin bool
}

// DirectRightsOf returns the rights granted directly to a membership.
func (s *Store) DirectRightsOf(ctx context.Context, orgID, memberID string) ([]domain.Right, error) {
	var out []domain.Right
	err := s.DB(ctx).Table("membership_rights").Where("org_id = ? AND membership_id = ?", orgID, memberID).
		Order("right_name").Pluck("right_name", &out).Error
	return out, err
}

// SetDirectRight grants or withdraws one direct right; it reports whether
// anything changed.
func (s *Store) SetDirectRight(ctx context.Context, orgID, memberID string, r domain.Right, granted bool) (bool, error) {
	db := s.DB(ctx)
	if !granted {
		res := db.Where("org_id = ? AND membership_id = ? AND right_name = ?", orgID, memberID, r).Delete(&domain.MembershipRight{})
		return res.RowsAffected > 0, res.Error
	}
	var n int64
	if err := db.Model(&domain.MembershipRight{}).Where("membership_id = ? AND right_name = ?", memberID, r).Count(&n).Error; err != nil || n > 0 {
		return false, err
	}
	return true, db.Create(&domain.MembershipRight{MembershipID: memberID, RightName: r, OrgID: orgID}).Error
}

// SetMemberRoles replaces the roles of a membership.
func (s *Store) SetMemberRoles(ctx context.Context, orgID, memberID string, roleIDs []string) error {
	db := s.DB(ctx)
	if err := db.Where("org_id = ? AND membership_id = ?", orgID, memberID).Delete(&domain.MembershipRole{}).Error; err != nil {
		return err
	}
	for _, id := range roleIDs {
		if err := db.Create(&domain.MembershipRole{MembershipID: memberID, RoleID: id, OrgID: orgID}).Error; err != nil {
			return err
		}
	}
	return nil
}

// RemoveMemberRole takes one role from a membership; it reports whether the
// member held it.
func (s *Store) RemoveMemberRole(ctx context.Context, orgID, memberID, roleID string) (bool, error) {
	res := s.DB(ctx).Where("org_id = ? AND membership_id = ? AND role_id = ?", orgID, memberID, roleID).Delete(&domain.MembershipRole{})
	return res.RowsAffected > 0, res.Error
}

// LockMembers serializes the writes that may change who the organization's
// admins are, so the last-admin rule holds under concurrent requests. SQLite
// transactions already hold the write lock (BEGIN IMMEDIATE); PostgreSQL takes
// a transaction-scoped advisory lock per organization.
func (s *Store) LockMembers(ctx context.Context, orgID string) error {
	if !InTx(ctx) {
		return errors.New("store: LockMembers outside a transaction")
	}
	if s.dialect == Postgres {
		return s.DB(ctx).Exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 7202))", "members:"+orgID).Error
	}
	return nil
}

// ActiveAdminIDs lists the active memberships holding the Admin role.
func (s *Store) ActiveAdminIDs(ctx context.Context, orgID string) ([]string, error) {
	var ids []string
	err := s.DB(ctx).Table("memberships m").
		Joins("JOIN membership_roles mr ON mr.membership_id = m.id").
		Joins("JOIN roles r ON r.id = mr.role_id AND r.is_admin").
		Where("m.org_id = ? AND m.status = ?", orgID, domain.MemberActive).
		Order("m.id").Pluck("m.id", &ids).Error
	return ids, err
}

// RevokeOrgSessions ends every live session of an account working in an
// organization; its sessions in other organizations stay.
func (s *Store) RevokeOrgSessions(ctx context.Context, accountID, orgID string, at time.Time) (int64, error) {
	res := s.DB(ctx).Model(&domain.Session{}).
		Where("account_id = ? AND org_id = ? AND revoked_at IS NULL", accountID, orgID).Update("revoked_at", at)
	return res.RowsAffected, res.Error
}
