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
	Offset    int
	Limit     int
}

// OrgListItem is one line of the organization list.
type OrgListItem struct {
	ID       string
	Name     string
	Timezone string
	Status   string
}

// likeEscape escapes LIKE's wildcards so a user's % or _ is taken literally.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// narrowIDPrefix is how many organizations an ID filter may match for its
// page to be sorted from the ID index rather than read in name order.
const narrowIDPrefix = 500

// ListOrganizations returns one page of the organizations where the account
// is an active member, by name, and how many match in all. Nothing else is
// ever reachable: the membership join is the first condition of the query.
//
// Both queries walk the index memberships(account_id, status, org_key, org_id)
// of the account alone (org_key is the organization's folded name, copied by
// triggers): the count and the name filter read no organization, the page is
// taken in index order and only its rows are joined to organizations. A page
// past the middle is read from the end, so no call skips more than half.
func (s *Store) ListOrganizations(ctx context.Context, f OrgListFilter) ([]OrgListItem, int64, error) {
	q := func() *gorm.DB {
		q := s.DB(ctx).Table("memberships").Where("account_id = ? AND status = ?", f.AccountID, domain.MemberActive)
		if f.Name != "" {
			// Both sides are folded: a plain substring test, cheaper than LIKE.
			contains := "instr(org_key, ?) > 0"
			if s.dialect == Postgres {
				contains = "strpos(org_key, ?) > 0"
			}
			q = q.Where(contains, f.Name)
		}
		if f.IDPrefix != "" {
			if s.dialect == SQLite {
				// IDs are [0-9a-f-]: the range narrows the index walk, LIKE decides.
				q = q.Where("org_id >= ? AND org_id < ?", f.IDPrefix, f.IDPrefix+"~")
			}
			q = q.Where(`org_id LIKE ? ESCAPE '\'`, likeEscape(f.IDPrefix)+"%")
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
	key := "org_key"
	if f.IDPrefix != "" && total <= narrowIDPrefix {
		// A long ID prefix matches a few: sorting them beats walking every
		// organization of the account in name order, which SQLite's planner
		// prefers without statistics. "|| ''" keeps it off the name index.
		key = "org_key || ''"
	}
	offset, limit, order := pageFrom(f.Offset, f.Limit, total, key+", org_id", key+" DESC, org_id DESC")
	page := q().Select("org_id, org_key").Order(order).Offset(offset).Limit(limit)
	err := s.DB(ctx).Table("(?) m", page).Joins("JOIN organizations o ON o.id = m.org_id").
		Select("o.id, o.name, o.timezone, o.status").Order("m.org_key, m.org_id").Scan(&out).Error
	return out, total, err
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
