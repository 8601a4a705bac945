package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

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
	// AwayOn, a day (YYYY-MM-DD), keeps the active members away that day
	// (Away) or those who are not (absences.go); Status is then active.
	AwayOn string
	Away   bool
}

// prefixEnd is greater than any key starting with a prefix (byte order).
const prefixEnd = "\U0010FFFF"

// TotalCap bounds the number of matches a search or role filter counts: past
// it the list says "more than TotalCap" instead of counting every match.
const TotalCap = 1000

// memberSet builds the SQL selecting (sort_key, id) of the members of one
// organization matching a filter, at most limit rows (in name order when
// ordered), from indexes only. A search is a prefix match of its longest word
// on each search key (last name — the start of the sort key —, first name,
// email, employee reference, account ID: each has an index holding
// (org_id, key, sort_key, id, status)), one branch per key joined by UNION,
// each branch keeping its first limit matches; every further word must start
// a word of the name. With a role filter, the holders are read from the
// role's index, which is in name order and holds each member's status. The
// keyset cursor applies in each branch, so a page never reads the matches
// before it. Unordered, the branches are joined by UNION ALL for a bounded
// count: the caller counts distinct IDs.
func (s *Store) memberSet(orgID string, f MemberFilter, limit int, ordered bool) (string, []any) {
	order := ""
	if ordered {
		order = " ORDER BY sort_key, id"
	}
	// Conditions on (sort_key, id), true of every branch.
	var conds []string
	var args []any
	if f.AfterID != "" {
		conds, args = append(conds, "(sort_key > ? OR (sort_key = ? AND id > ?))"), append(args, f.AfterKey, f.AfterKey, f.AfterID)
	}
	words := strings.Fields(FoldName(f.Query))
	longest := 0
	for i, w := range words {
		if len(w) > len(words[longest]) {
			longest = i
		}
	}
	for i, w := range words {
		if i != longest {
			p := escapeLike(w) + "%"
			conds = append(conds, `(sort_key LIKE ? ESCAPE '\' OR sort_key LIKE ? ESCAPE '\')`)
			args = append(args, p, "% "+p)
		}
	}
	var branches []string
	var all []any
	// fromRole is a branch on the role's holders; fromMembers a branch on the
	// organization's members. match narrows the source on its index.
	fromRole := func(match string, a ...any) {
		c, ca := conds, args
		if f.Status != "" {
			c, ca = append(c[:len(c):len(c)], "member_status = ?"), append(ca[:len(ca):len(ca)], f.Status)
		}
		if cond, a := absenceCond(f, "r.id"); cond != "" {
			c, ca = append(c[:len(c):len(c)], cond), append(ca[:len(ca):len(ca)], a...)
		}
		branches = append(branches, fmt.Sprintf(`SELECT * FROM (SELECT sort_key, id FROM (SELECT sort_key, membership_id AS id, member_status
			FROM membership_roles WHERE org_id = ? AND role_id = ?%s) r%s%s LIMIT ?) b%d`, match, where(c), order, len(branches)))
		all = append(append(append(append(all, orgID, f.RoleID), a...), ca...), limit)
	}
	fromMembers := func(match string, a ...any) {
		c, ca := conds, args
		if f.Status != "" {
			c, ca = append(c[:len(c):len(c)], "status = ?"), append(ca[:len(ca):len(ca)], f.Status)
		}
		if cond, a := absenceCond(f, "memberships.id"); cond != "" {
			c, ca = append(c[:len(c):len(c)], cond), append(ca[:len(ca):len(ca)], a...)
		}
		if f.RoleID != "" {
			c = append(c[:len(c):len(c)], "EXISTS (SELECT 1 FROM membership_roles mr WHERE mr.membership_id = memberships.id AND mr.role_id = ? AND mr.org_id = ?)")
			ca = append(ca[:len(ca):len(ca)], f.RoleID, orgID)
		}
		branches = append(branches, fmt.Sprintf("SELECT * FROM (SELECT sort_key, id FROM memberships WHERE org_id = ?%s%s%s LIMIT ?) b%d",
			match, andAll(c), order, len(branches)))
		all = append(append(append(append(all, orgID), a...), ca...), limit)
	}
	switch {
	case len(words) == 0 && f.RoleID != "":
		fromRole("")
	case len(words) == 0:
		fromMembers("")
	default:
		w := words[longest]
		if f.RoleID != "" {
			fromRole(" AND sort_key >= ? AND sort_key < ?", w, w+prefixEnd)
		} else {
			fromMembers(" AND sort_key >= ? AND sort_key < ?", w, w+prefixEnd)
		}
		// Members sharing a first name are in name order in its index: the
		// exact name is read in order and stops at limit; only longer names
		// (few, once the word is complete) are sorted.
		fromMembers(" AND first_key = ?", w)
		fromMembers(" AND first_key > ? AND first_key < ?", w, w+prefixEnd)
		fromMembers(" AND email_key >= ? AND email_key < ?", w, w+prefixEnd)
		fromMembers(" AND emp_key >= ? AND emp_key < ?", w, w+prefixEnd)
		if s.dialect == Postgres {
			// The index's collation: byte order, as on SQLite.
			fromMembers(` AND account_id COLLATE "C" >= ? AND account_id COLLATE "C" < ?`, w, w+prefixEnd)
		} else {
			fromMembers(" AND account_id >= ? AND account_id < ?", w, w+prefixEnd)
		}
	}
	if len(branches) == 1 {
		return branches[0], all
	}
	if !ordered {
		return strings.Join(branches, " UNION ALL "), all
	}
	return strings.Join(branches, " UNION ") + order + " LIMIT ?", append(all, limit)
}

// where joins conditions into a WHERE clause ("" when there are none).
func where(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// andAll adds conditions to a WHERE clause ("" when there are none).
func andAll(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " AND " + strings.Join(conds, " AND ")
}

// escapeLike escapes LIKE's wildcards (the escape character is a backslash).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ListMembers returns one page of the member list, in name order.
func (s *Store) ListMembers(ctx context.Context, orgID string, f MemberFilter) ([]MemberRow, error) {
	// The page is chosen on the indexes alone; rows and accounts are read
	// for its members only.
	set, args := s.memberSet(orgID, f, f.Limit, true)
	var rows []MemberRow
	err := s.DB(ctx).Raw(`SELECT m.id, m.account_id, a.first_name, a.last_name, a.email, m.status, m.employee_ref, m.job_title, m.sort_key
		FROM (`+set+`) p JOIN memberships m ON m.id = p.id JOIN accounts a ON a.id = m.account_id
		ORDER BY m.sort_key, m.id`, args...).Scan(&rows).Error
	return rows, err
}

// CountMembers counts the members matching a filter (the cursor is ignored).
// Without a search or role filter the count is exact and comes from the
// per-status counters; otherwise counting stops past TotalCap, and capped
// says the real number is larger.
func (s *Store) CountMembers(ctx context.Context, orgID string, f MemberFilter) (n int64, capped bool, err error) {
	if f.Query == "" && f.RoleID == "" {
		q := s.DB(ctx).Table("member_counts").Where("org_id = ?", orgID)
		if f.Status != "" {
			q = q.Where("status = ?", f.Status)
		}
		if err = q.Select("coalesce(sum(n), 0)").Scan(&n).Error; err != nil || f.AwayOn == "" {
			return n, false, err
		}
		away, err := s.countAway(ctx, orgID, f.AwayOn)
		if !f.Away {
			away = n - away
		}
		return away, false, err
	}
	f.AfterKey, f.AfterID = "", ""
	set, args := s.memberSet(orgID, f, TotalCap+1, false)
	err = s.DB(ctx).Raw("SELECT count(DISTINCT id) FROM ("+set+") c", args...).Scan(&n).Error
	if n > TotalCap {
		return TotalCap, true, err
	}
	return n, false, err
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

// OtherMemberships counts the memberships of an account in organizations
// other than orgID, deleted ones left out.
func (s *Store) OtherMemberships(ctx context.Context, accountID, orgID string) (int64, error) {
	var n int64
	err := s.DB(ctx).Model(&MemberRecord{}).Where("account_id = ? AND org_id <> ? AND status <> ?", accountID, orgID, domain.MemberDeleted).
		Count(&n).Error
	return n, err
}
