package store

import (
	"context"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"

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

// ListOrganizations returns one page of the organizations where the account
// is an active member, by name, and how many match in all. Nothing else is
// ever reachable: the membership join is the first condition of the query.
func (s *Store) ListOrganizations(ctx context.Context, f OrgListFilter) ([]OrgListItem, int64, error) {
	// The membership index (account_id, status, org_id) answers the count and
	// the ID filter alone; organizations are joined only to filter by name.
	q := func(join bool) *gorm.DB {
		q := s.DB(ctx).Table("memberships m")
		if join {
			q = q.Joins("JOIN organizations o ON o.id = m.org_id")
		}
		q = q.Where("m.account_id = ? AND m.status = ?", f.AccountID, domain.MemberActive)
		if f.Name != "" {
			q = q.Where(`o.search_name LIKE ? ESCAPE '\'`, "%"+likeEscape(f.Name)+"%")
		}
		if f.IDPrefix != "" {
			q = q.Where(`m.org_id LIKE ? ESCAPE '\'`, likeEscape(f.IDPrefix)+"%")
		}
		return q
	}
	var total int64
	if err := q(f.Name != "").Count(&total).Error; err != nil {
		return nil, 0, err
	}
	out := []OrgListItem{}
	if total == 0 || f.Offset >= int(total) {
		return out, total, nil
	}
	err := q(true).Select("o.id, o.name, o.timezone, o.status").Order("o.search_name, o.id").
		Offset(f.Offset).Limit(f.Limit).Scan(&out).Error
	return out, total, err
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
