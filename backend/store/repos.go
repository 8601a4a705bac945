package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"atrium/backend/domain"
)

// notFound maps gorm's record-not-found to our not_found error.
func notFound(err error, what string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return domain.Errorf(domain.CodeNotFound, "%s not found", what)
	}
	return err
}

// LockSetup serializes first-run setups. SQLite transactions already start
// with the write lock (BEGIN IMMEDIATE); PostgreSQL takes a transaction lock.
func (s *Store) LockSetup(ctx context.Context) error {
	if s.dialect == Postgres {
		return s.DB(ctx).Exec("SELECT pg_advisory_xact_lock(7201)").Error
	}
	return nil
}

// CountAccounts counts every account.
func (s *Store) CountAccounts(ctx context.Context) (int64, error) {
	var n int64
	err := s.DB(ctx).Model(&domain.Account{}).Count(&n).Error
	return n, err
}

// HasOrganizations reports whether the database holds any organization.
func (s *Store) HasOrganizations(ctx context.Context) (bool, error) {
	var ids []string
	err := s.DB(ctx).Model(&domain.Organization{}).Limit(1).Pluck("id", &ids).Error
	return len(ids) > 0, err
}

// AccountByEmail finds an account by its (normalised) email.
func (s *Store) AccountByEmail(ctx context.Context, email string) (domain.Account, error) {
	var a domain.Account
	err := s.DB(ctx).Where("email = ?", email).Take(&a).Error
	return a, notFound(err, "account")
}

// AccountByID finds an account.
func (s *Store) AccountByID(ctx context.Context, id string) (domain.Account, error) {
	var a domain.Account
	err := s.DB(ctx).Where("id = ?", id).Take(&a).Error
	return a, notFound(err, "account")
}

// Create inserts a new row of any of the domain types.
func (s *Store) Create(ctx context.Context, row any) error {
	return s.DB(ctx).Create(row).Error
}

// CreateMany inserts many new rows of one type (a slice), a hundred per
// statement.
func (s *Store) CreateMany(ctx context.Context, rows any) error {
	return s.DB(ctx).CreateInBatches(rows, 100).Error
}

// UpdateAccount writes the given columns of an account.
func (s *Store) UpdateAccount(ctx context.Context, id string, cols map[string]any) error {
	cols["updated_at"] = time.Now().UTC()
	return s.DB(ctx).Model(&domain.Account{}).Where("id = ?", id).Updates(cols).Error
}

// OrganizationByID finds an organization.
func (s *Store) OrganizationByID(ctx context.Context, id string) (domain.Organization, error) {
	var o domain.Organization
	err := s.DB(ctx).Where("id = ?", id).Take(&o).Error
	return o, notFound(err, "organization")
}

// FirstActiveOrgID returns the oldest organization where the account is an
// active member, or "" when it has none.
func (s *Store) FirstActiveOrgID(ctx context.Context, accountID string) (string, error) {
	var m domain.Membership
	err := s.DB(ctx).Where("account_id = ? AND status = ?", accountID, domain.MemberActive).
		Order("created_at, id").Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil
	}
	return m.OrgID, err
}

// MemberRights is what a membership grants: nothing when it is not active.
type MemberRights struct {
	Active    bool
	OrgClosed bool
	IsAdmin   bool
	Rights    map[domain.Right]bool
}

// RightsOf computes the rights of an account in an organization from its
// roles and direct grants.
func (s *Store) RightsOf(ctx context.Context, orgID, accountID string) (MemberRights, error) {
	out := MemberRights{Rights: map[domain.Right]bool{}}
	var m struct {
		ID        string
		Status    string
		OrgStatus string
	}
	err := s.DB(ctx).Table("memberships m").Select("m.id, m.status, o.status AS org_status").
		Joins("JOIN organizations o ON o.id = m.org_id").
		Where("m.org_id = ? AND m.account_id = ?", orgID, accountID).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return out, nil
	}
	if err != nil || m.Status != domain.MemberActive {
		return out, err
	}
	out.Active, out.OrgClosed = true, m.OrgStatus == domain.OrgClosed
	var admin int64
	if err := s.DB(ctx).Table("membership_roles mr").Joins("JOIN roles r ON r.id = mr.role_id").
		Where("mr.membership_id = ? AND mr.org_id = ? AND r.is_admin", m.ID, orgID).Count(&admin).Error; err != nil {
		return out, err
	}
	out.IsAdmin = admin > 0
	var names []domain.Right
	err = s.DB(ctx).Raw(`SELECT rr.right_name FROM membership_roles mr JOIN role_rights rr ON rr.role_id = mr.role_id
		WHERE mr.membership_id = ? AND mr.org_id = ?
		UNION SELECT right_name FROM membership_rights WHERE membership_id = ? AND org_id = ?`,
		m.ID, orgID, m.ID, orgID).Scan(&names).Error
	for _, n := range names {
		out.Rights[n] = true
	}
	return out, err
}

// CallSession is a live session with what a call needs of the organization
// it acts on: its id, status and rights version ("", "" and 0 without one).
type CallSession struct {
	domain.Session
	CallOrgID     string
	OrgStatus     string
	RightsVersion int64
}

// CallSessionByTokenHash finds a live session and the status and rights
// version of the organization the call acts on, in one query: what every call
// reads first. orgID is the organization the call names; "" means the one the
// session remembers.
func (s *Store) CallSessionByTokenHash(ctx context.Context, hash, orgID string) (CallSession, error) {
	var cs CallSession
	err := s.DB(ctx).Table("sessions s").
		Select("s.*, coalesce(o.id, '') AS call_org_id, coalesce(o.status, '') AS org_status, coalesce(o.rights_version, 0) AS rights_version").
		Joins("LEFT JOIN organizations o ON o.id = coalesce(nullif(?, ''), s.org_id)", orgID).
		Where("s.token_hash = ? AND s.revoked_at IS NULL", hash).Take(&cs).Error
	return cs, notFound(err, "session")
}

// SessionByTokenHash finds a live (not revoked) session.
func (s *Store) SessionByTokenHash(ctx context.Context, hash string) (domain.Session, error) {
	var sess domain.Session
	err := s.DB(ctx).Where("token_hash = ? AND revoked_at IS NULL", hash).Take(&sess).Error
	return sess, notFound(err, "session")
}

// TouchSession records that a session was seen now.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	return s.DB(ctx).Model(&domain.Session{}).Where("id = ?", id).Update("last_seen_at", at).Error
}

// RevokeSession signs a session out.
func (s *Store) RevokeSession(ctx context.Context, id string, at time.Time) error {
	return s.DB(ctx).Model(&domain.Session{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", at).Error
}

// ActiveOrgIDs lists the organizations where the account is an active member.
func (s *Store) ActiveOrgIDs(ctx context.Context, accountID string) ([]string, error) {
	var ids []string
	err := s.DB(ctx).Model(&domain.Membership{}).Where("account_id = ? AND status = ?", accountID, domain.MemberActive).
		Order("org_id").Pluck("org_id", &ids).Error
	return ids, err
}
