package store

import (
	"context"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"atrium/backend/domain"
)

// OrgRecord is an organization with every column the organization pages use.
type OrgRecord struct {
	ID            string `gorm:"primaryKey"`
	Name          string
	Timezone      string
	Status        string
	Website       string
	SearchName    string
	ResponsibleID *string
	ClosedAt      *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (OrgRecord) TableName() string { return "organizations" }

// FoldName is the form names are searched in: lower case, without accents,
// white space collapsed, so "societe" finds "Société".
func FoldName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.Join(strings.Fields(s), " ")) {
		if f, ok := accentFold[r]; ok {
			b.WriteString(f)
		} else if unicode.Is(unicode.Mn, r) {
			continue
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var accentFold = func() map[rune]string {
	m := map[rune]string{'æ': "ae", 'œ': "oe", 'ß': "ss"}
	for base, accented := range map[string]string{
		"a": "àáâãäåā", "c": "çćč", "e": "èéêëēėę", "i": "ìíîïī", "n": "ñń", "o": "òóôõöøō",
		"u": "ùúûüū", "y": "ýÿ", "s": "šś", "z": "žźż", "l": "ł", "r": "ř", "d": "ď", "t": "ť",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// OrgRecordByID finds an organization with all its columns.
func (s *Store) OrgRecordByID(ctx context.Context, id string) (OrgRecord, error) {
	var o OrgRecord
	err := s.DB(ctx).Where("id = ?", id).Take(&o).Error
	return o, notFound(err, "organization")
}

// OrgStatusForWrite reads the status of an organization about to be written
// into by a transaction. On PostgreSQL the row is held (FOR SHARE) until that
// transaction ends, so closing the organization waits for the write, or the
// write sees it closed; SQLite runs one write transaction at a time already.
func (s *Store) OrgStatusForWrite(ctx context.Context, id string) (string, error) {
	var o OrgRecord
	q := s.DB(ctx).Select("status").Where("id = ?", id)
	if s.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "SHARE"})
	}
	err := q.Take(&o).Error
	return o.Status, notFound(err, "organization")
}

// UpdateOrganization writes the given columns of an organization.
func (s *Store) UpdateOrganization(ctx context.Context, id string, cols map[string]any) error {
	cols["updated_at"] = time.Now().UTC()
	return s.DB(ctx).Model(&OrgRecord{}).Where("id = ?", id).Updates(cols).Error
}

// OrgListFilter narrows the organizations of an account.
type OrgListFilter struct {
	AccountID string
	Name      string // folded by the caller with FoldName; matched anywhere in the name
	IDPrefix  string // lower-case; matched at the start of the ID
	Sort      string // one of the OrgSort values; "" is by name
	Desc      bool
	Offset    int
	Limit     int
}

// The orders of the organization list.
const (
	OrgSortName      = "name"
	OrgSortStatus    = "status"
	OrgSortMembers   = "members"
	OrgSortRoles     = "roles"
	OrgSortOpenTasks = "openTasks"
	OrgSortActivity  = "activity"
)

// OrgSorts lists the orders of the organization list.
var OrgSorts = []string{OrgSortName, OrgSortStatus, OrgSortMembers, OrgSortRoles, OrgSortOpenTasks, OrgSortActivity}

// OrgListItem is one line of the organization list: what helps an account
// in many dossiers choose one.
type OrgListItem struct {
	ID           string
	Name         string
	Timezone     string
	Status       string
	LegalName    string
	SIRET        string `gorm:"column:siret"`
	Members      int64  // active members, from member_counts
	OpenTasks    int64  // from task_counts
	LastActivity *time.Time
	Roles        []string `gorm:"-"` // the account's roles there, Admin first
}

// likeEscape escapes LIKE's wildcards so a user's % or _ is taken literally.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// narrowIDPrefix is how many organizations an ID filter may match for its
// page to be sorted from the ID index rather than read in name order.
const narrowIDPrefix = 500

// orgSortKeys are the sort expressions of the list over the account's
// memberships m: each reads one counter row or one index entry per
// organization, never the members, tasks or history themselves. Activity is
// ordered by the newest history entry's sequence, which follows its time.
var orgSortKeys = map[string]string{
	OrgSortStatus:    "(SELECT o.status FROM organizations o WHERE o.id = m.org_id)",
	OrgSortMembers:   "coalesce((SELECT mc.n FROM member_counts mc WHERE mc.org_id = m.org_id AND mc.status = 'active'), 0)",
	OrgSortOpenTasks: "coalesce((SELECT sum(tc.n) FROM task_counts tc WHERE tc.org_id = m.org_id AND tc.status = 'open'), 0)",
	OrgSortActivity:  "coalesce((SELECT max(ae.seq) FROM audit_events ae WHERE ae.org_id = m.org_id), 0)",
	// Admin first, then the first role's name; no role last.
	OrgSortRoles: "coalesce((SELECT min(CASE WHEN r.is_admin THEN '0' ELSE '1' || r.name END) FROM membership_roles mr " +
		"JOIN roles r ON r.id = mr.role_id WHERE mr.membership_id = m.id), '2')",
}

// ListOrganizations returns one page of the organizations where the account
// is an active member, in the order asked, and how many match in all.
// Nothing else is ever reachable: the membership join is the first condition
// of the query.
//
// Both queries walk the index memberships(account_id, status, org_key, org_id)
// of the account alone (org_key is the organization's folded name, copied by
// triggers): the count and the name filter read no organization. By name, the
// page is taken in index order; by another column, the account's memberships
// are sorted by a key read from a counter or an index per organization
// (orgSortKeys), thousands of small lookups and no join of the members,
// tasks or history. Only the page's rows are then joined to what the lines
// show: three queries whatever the page's length.
func (s *Store) ListOrganizations(ctx context.Context, f OrgListFilter) ([]OrgListItem, int64, error) {
	q := func() *gorm.DB {
		q := s.DB(ctx).Table("memberships m").Where("m.account_id = ? AND m.status = ?", f.AccountID, domain.MemberActive)
		if f.Name != "" {
			// Both sides are folded: a plain substring test, cheaper than LIKE.
			contains := "instr(m.org_key, ?) > 0"
			if s.dialect == Postgres {
				contains = "strpos(m.org_key, ?) > 0"
			}
			q = q.Where(contains, f.Name)
		}
		if f.IDPrefix != "" {
			if s.dialect == SQLite {
				// IDs are [0-9a-f-]: the range narrows the index walk, LIKE decides.
				q = q.Where("m.org_id >= ? AND m.org_id < ?", f.IDPrefix, f.IDPrefix+"~")
			}
			q = q.Where(`m.org_id LIKE ? ESCAPE '\'`, likeEscape(f.IDPrefix)+"%")
		}
		return q
	}
	var total int64
	if err := q().Count(&total).Error; err != nil {
		return nil, 0, err
	}
	out := []OrgListItem{}
	if total == 0 || f.Offset >= int(total) {
		return out, total, nil
	}
	var ids []string
	if sortKey, ok := orgSortKeys[f.Sort]; ok {
		dir := " ASC"
		if f.Desc {
			dir = " DESC"
		}
		// Ties by name, always A to Z.
		var page []struct{ OrgID string }
		err := q().Select("m.org_id, m.org_key").Order(sortKey + dir + ", m.org_key, m.org_id").
			Offset(f.Offset).Limit(f.Limit).Scan(&page).Error
		if err != nil {
			return nil, 0, err
		}
		for _, p := range page {
			ids = append(ids, p.OrgID)
		}
	} else {
		key := "m.org_key"
		if f.IDPrefix != "" && total <= narrowIDPrefix {
			// A long ID prefix matches a few: sorting them beats walking every
			// organization of the account in name order, which SQLite's planner
			// prefers without statistics. "|| ''" keeps it off the name index.
			key = "m.org_key || ''"
		}
		asc, desc := key+", m.org_id", key+" DESC, m.org_id DESC"
		if f.Desc {
			asc, desc = desc, asc
		}
		offset, limit, order := pageFrom(f.Offset, f.Limit, total, asc, desc)
		var page []struct{ OrgID string }
		if err := q().Select("m.org_id, m.org_key").Order(order).Offset(offset).Limit(limit).Scan(&page).Error; err != nil {
			return nil, 0, err
		}
		if order != asc { // read from the end: back to the asked order
			for i, j := 0, len(page)-1; i < j; i, j = i+1, j-1 {
				page[i], page[j] = page[j], page[i]
			}
		}
		for _, p := range page {
			ids = append(ids, p.OrgID)
		}
	}
	lines, err := s.orgLines(ctx, f.AccountID, ids)
	return lines, total, err
}

// orgLines reads what the list shows of the given organizations, in their
// order: the organization with its company profile and counters in one
// query, the account's roles there in another.
func (s *Store) orgLines(ctx context.Context, accountID string, ids []string) ([]OrgListItem, error) {
	out := make([]OrgListItem, 0, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []OrgListItem
	err := s.DB(ctx).Table("organizations o").Joins("LEFT JOIN company_profiles cp ON cp.org_id = o.id").
		Select("o.id, o.name, o.timezone, o.status, coalesce(cp.legal_name, '') AS legal_name, coalesce(cp.siret, '') AS siret, "+
			"coalesce((SELECT mc.n FROM member_counts mc WHERE mc.org_id = o.id AND mc.status = 'active'), 0) AS members, "+
			"coalesce((SELECT sum(tc.n) FROM task_counts tc WHERE tc.org_id = o.id AND tc.status = 'open'), 0) AS open_tasks, "+
			// The newest history entry of the organization, by its index
			// (org_id, seq): what people did there, not the sync's bookkeeping.
			"(SELECT ae.at FROM audit_events ae WHERE ae.org_id = o.id ORDER BY ae.seq DESC LIMIT 1) AS last_activity").
		Where("o.id IN ?", ids).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	var roles []struct {
		OrgID   string
		Name    string
		IsAdmin bool
	}
	err = s.DB(ctx).Table("memberships m").Joins("JOIN membership_roles mr ON mr.membership_id = m.id").
		Joins("JOIN roles r ON r.id = mr.role_id").Select("m.org_id, r.name, r.is_admin").
		Where("m.account_id = ? AND m.status = ? AND m.org_id IN ?", accountID, domain.MemberActive, ids).
		Order("r.is_admin DESC, r.name").Scan(&roles).Error
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*OrgListItem, len(rows))
	for i := range rows {
		rows[i].Roles = []string{}
		byID[rows[i].ID] = &rows[i]
	}
	for _, r := range roles {
		if o := byID[r.OrgID]; o != nil {
			o.Roles = append(o.Roles, r.Name)
		}
	}
	for _, id := range ids {
		if o := byID[id]; o != nil {
			out = append(out, *o)
		}
	}
	return out, nil
}

// OrgNamedForAccount returns the name of an organization the account is an
// active member of whose folded name is exactly folded, or "" when none: the
// same index as the list, one entry read.
func (s *Store) OrgNamedForAccount(ctx context.Context, accountID, folded string) (string, error) {
	var names []string
	err := s.DB(ctx).Table("memberships m").Joins("JOIN organizations o ON o.id = m.org_id").
		Where("m.account_id = ? AND m.status = ? AND m.org_key = ?", accountID, domain.MemberActive, folded).
		Order("o.name").Limit(1).Pluck("o.name", &names).Error
	if err != nil || len(names) == 0 {
		return "", err
	}
	return names[0], nil
}

// OrgWithSIRETForAccount returns the name of an organization the account is an
// active member of whose company profile has this SIRET, "" when none.
func (s *Store) OrgWithSIRETForAccount(ctx context.Context, accountID, siret string) (string, error) {
	var names []string
	err := s.DB(ctx).Table("memberships m").Joins("JOIN organizations o ON o.id = m.org_id").
		Joins("JOIN company_profiles cp ON cp.org_id = m.org_id").
		Where("m.account_id = ? AND m.status = ? AND cp.siret = ?", accountID, domain.MemberActive, siret).
		Order("o.name").Limit(1).Pluck("o.name", &names).Error
	if err != nil || len(names) == 0 {
		return "", err
	}
	return names[0], nil
}

// pageFrom turns an offset page of a list into the cheaper of reading from
// the start or from the end: past the middle of total, it returns the offset
// counted from the end with the reversed order (the caller sorts the rows of
// the page back). The limit shrinks for a short last page.
func pageFrom(offset, limit int, total int64, order, reversed string) (int, int, string) {
	if int64(offset) <= total/2 {
		return offset, limit, order
	}
	end := int(total) - offset // rows from this page's first to the end
	if end < limit {
		limit = end
	}
	return end - limit, limit, reversed
}

// SetSessionOrg makes a session work in another organization.
func (s *Store) SetSessionOrg(ctx context.Context, sessionID, orgID string) error {
	return s.DB(ctx).Model(&domain.Session{}).Where("id = ?", sessionID).Update("org_id", orgID).Error
}

// MemberName is an active member of an organization, as pickers show it.
type MemberName struct {
	AccountID string
	FirstName string
	LastName  string
}

// ActiveMembers lists the active members of an organization by name.
func (s *Store) ActiveMembers(ctx context.Context, orgID string) ([]MemberName, error) {
	out := []MemberName{}
	err := s.DB(ctx).Table("memberships m").Joins("JOIN accounts a ON a.id = m.account_id").
		Where("m.org_id = ? AND m.status = ?", orgID, domain.MemberActive).
		Select("a.id AS account_id, a.first_name, a.last_name").Order("a.last_name, a.first_name, a.id").
		Scan(&out).Error
	return out, err
}

// IsActiveMember reports whether the account is an active member of the organization.
func (s *Store) IsActiveMember(ctx context.Context, orgID, accountID string) (bool, error) {
	var n int64
	err := s.DB(ctx).Model(&domain.Membership{}).
		Where("org_id = ? AND account_id = ? AND status = ?", orgID, accountID, domain.MemberActive).Count(&n).Error
	return n > 0, err
}

// CompanyProfile is the company data of an organization (SPEC B5).
type CompanyProfile struct {
	OrgID        string `gorm:"primaryKey"`
	LegalName    string
	SIRET        string `gorm:"column:siret"`
	VAT          string `gorm:"column:vat"`
	Address      string
	PostalCode   string
	City         string
	Country      string
	MobilePhone  string
	CompanyPhone string
	UpdatedAt    time.Time
}

func (CompanyProfile) TableName() string { return "company_profiles" }

// CompanyProfileOf returns the organization's company profile, empty when
// none was saved yet.
func (s *Store) CompanyProfileOf(ctx context.Context, orgID string) (CompanyProfile, error) {
	var p CompanyProfile
	err := s.DB(ctx).Where("org_id = ?", orgID).Limit(1).Find(&p).Error
	p.OrgID = orgID
	return p, err
}

// SaveCompanyProfile inserts or replaces the organization's company profile.
func (s *Store) SaveCompanyProfile(ctx context.Context, p CompanyProfile) error {
	p.UpdatedAt = time.Now().UTC()
	res := s.DB(ctx).Model(&CompanyProfile{}).Where("org_id = ?", p.OrgID).Select("*").Omit("org_id").Updates(&p)
	if res.Error != nil || res.RowsAffected > 0 {
		return res.Error
	}
	return s.DB(ctx).Create(&p).Error
}
