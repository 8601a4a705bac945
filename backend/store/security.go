package store

import (
	"context"
	"errors"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"atrium/backend/domain"
)

// ThrottleRow counts the recent failed attempts of one key (SPEC Robustness).
type ThrottleRow struct {
	Key      string `gorm:"primaryKey"`
	Failures int
	NextAt   time.Time // no attempt before this time
	LastAt   time.Time // last counted attempt
}

func (ThrottleRow) TableName() string { return "auth_throttle" }

// LockThrottle reads the rows of keys, creating missing ones, and locks them
// for the rest of the transaction (SQLite transactions already hold the write
// lock; PostgreSQL takes row locks, in key order so two attempts never deadlock).
func (s *Store) LockThrottle(ctx context.Context, keys []string, now time.Time) ([]ThrottleRow, error) {
	if !InTx(ctx) {
		return nil, errors.New("store: LockThrottle outside a transaction")
	}
	keys = append([]string(nil), keys...)
	sort.Strings(keys)
	db := s.DB(ctx)
	out := make([]ThrottleRow, 0, len(keys))
	for _, k := range keys {
		row := ThrottleRow{Key: k, NextAt: now, LastAt: now}
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return nil, err
		}
		q := db.Where("key = ?", k)
		if s.dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Take(&row).Error; err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, nil
}

// SaveThrottle writes rows read by LockThrottle.
func (s *Store) SaveThrottle(ctx context.Context, rows []ThrottleRow) error {
	for _, r := range rows {
		if err := s.DB(ctx).Model(&ThrottleRow{}).Where("key = ?", r.Key).
			Updates(map[string]any{"failures": r.Failures, "next_at": r.NextAt, "last_at": r.LastAt}).Error; err != nil {
			return err
		}
	}
	return nil
}

// ClearThrottle forgets the failures of keys (after a success).
func (s *Store) ClearThrottle(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	return s.DB(ctx).Where("key IN ?", keys).Delete(&ThrottleRow{}).Error
}

// AccountSecurity is the second-factor and password state of an account.
type AccountSecurity struct {
	AccountID         string `gorm:"primaryKey"`
	TOTPSecret        string `gorm:"column:totp_secret"`
	TOTPEnabled       bool   `gorm:"column:totp_enabled"`
	TOTPLastStep      int64  `gorm:"column:totp_last_step"`
	PendingSecret     string
	PendingAt         *time.Time
	EnabledAt         *time.Time
	PasswordChangedAt *time.Time
}

func (AccountSecurity) TableName() string { return "account_security" }

// SecurityOf returns the security state of an account (zero when never set).
func (s *Store) SecurityOf(ctx context.Context, accountID string) (AccountSecurity, error) {
	var a AccountSecurity
	err := s.DB(ctx).Where("account_id = ?", accountID).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return AccountSecurity{AccountID: accountID}, nil
	}
	return a, err
}

// SaveSecurity writes the whole security state of an account.
func (s *Store) SaveSecurity(ctx context.Context, a AccountSecurity) error {
	return s.DB(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&a).Error
}

// UseTOTPStep records that the code of step was used. It answers false when
// that step (or a later one) was already used: a code is never accepted twice,
// even by two calls at the same moment.
func (s *Store) UseTOTPStep(ctx context.Context, accountID string, step int64) (bool, error) {
	res := s.DB(ctx).Model(&AccountSecurity{}).Where("account_id = ? AND totp_enabled AND totp_last_step < ?", accountID, step).
		Update("totp_last_step", step)
	return res.RowsAffected == 1, res.Error
}

// RecoveryCode is one single-use recovery code, stored hashed.
type RecoveryCode struct {
	ID        string `gorm:"primaryKey"`
	AccountID string
	CodeHash  string
	UsedAt    *time.Time
	CreatedAt time.Time
}

// ReplaceRecoveryCodes deletes the account's codes and stores new hashes.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, accountID string, hashes []string, now time.Time) error {
	if err := s.DeleteRecoveryCodes(ctx, accountID); err != nil {
		return err
	}
	for _, h := range hashes {
		if err := s.DB(ctx).Create(&RecoveryCode{ID: domain.NewID(), AccountID: accountID, CodeHash: h, CreatedAt: now}).Error; err != nil {
			return err
		}
	}
	return nil
}

// DeleteRecoveryCodes removes every recovery code of an account.
func (s *Store) DeleteRecoveryCodes(ctx context.Context, accountID string) error {
	return s.DB(ctx).Where("account_id = ?", accountID).Delete(&RecoveryCode{}).Error
}

// UseRecoveryCode marks an unused code as used; false when there is none.
func (s *Store) UseRecoveryCode(ctx context.Context, accountID, hash string, at time.Time) (bool, error) {
	res := s.DB(ctx).Model(&RecoveryCode{}).Where("account_id = ? AND code_hash = ? AND used_at IS NULL", accountID, hash).
		Update("used_at", at)
	return res.RowsAffected == 1, res.Error
}

// RecoveryCodesLeft counts the unused codes of an account.
func (s *Store) RecoveryCodesLeft(ctx context.Context, accountID string) (int64, error) {
	var n int64
	err := s.DB(ctx).Model(&RecoveryCode{}).Where("account_id = ? AND used_at IS NULL", accountID).Count(&n).Error
	return n, err
}

// PendingSignIn is a sign-in whose password was right, waiting for its second factor.
type PendingSignIn struct {
	TokenHash string `gorm:"primaryKey"`
	AccountID string
	OrgID     *string
	Source    string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (PendingSignIn) TableName() string { return "pending_signins" }

// PendingSignInByHash finds a pending sign-in still usable at now.
func (s *Store) PendingSignInByHash(ctx context.Context, hash string, now time.Time) (PendingSignIn, error) {
	var p PendingSignIn
	err := s.DB(ctx).Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", hash, now).Take(&p).Error
	return p, notFound(err, "pending sign-in")
}

// UsePendingSignIn marks a pending sign-in used; false when it already was.
func (s *Store) UsePendingSignIn(ctx context.Context, hash string, at time.Time) (bool, error) {
	res := s.DB(ctx).Model(&PendingSignIn{}).Where("token_hash = ? AND used_at IS NULL", hash).Update("used_at", at)
	return res.RowsAffected == 1, res.Error
}

// PurgePendingSignIns removes pending sign-ins that expired before t.
func (s *Store) PurgePendingSignIns(ctx context.Context, before time.Time) error {
	return s.DB(ctx).Where("expires_at < ?", before).Delete(&PendingSignIn{}).Error
}

// OrgSecurity is an organization's security policy.
type OrgSecurity struct {
	OrgID            string `gorm:"primaryKey"`
	RequireTwoFactor bool
	UpdatedAt        time.Time
}

func (OrgSecurity) TableName() string { return "org_security" }

// OrgSecurityOf returns the policy of an organization (zero when never set).
func (s *Store) OrgSecurityOf(ctx context.Context, orgID string) (OrgSecurity, error) {
	var o OrgSecurity
	err := s.DB(ctx).Where("org_id = ?", orgID).Take(&o).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return OrgSecurity{OrgID: orgID}, nil
	}
	return o, err
}

// SaveOrgSecurity writes an organization's policy.
func (s *Store) SaveOrgSecurity(ctx context.Context, o OrgSecurity) error {
	return s.DB(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&o).Error
}

// NotificationPref is one category switched on or off by an account.
type NotificationPref struct {
	AccountID string `gorm:"primaryKey"`
	Category  string `gorm:"primaryKey"`
	Enabled   bool
	UpdatedAt time.Time
}

// NotificationPrefs returns the categories an account changed.
func (s *Store) NotificationPrefs(ctx context.Context, accountID string) (map[string]bool, error) {
	var rows []NotificationPref
	err := s.DB(ctx).Where("account_id = ?", accountID).Find(&rows).Error
	out := map[string]bool{}
	for _, r := range rows {
		out[r.Category] = r.Enabled
	}
	return out, err
}

// SaveNotificationPref writes one category of an account.
func (s *Store) SaveNotificationPref(ctx context.Context, p NotificationPref) error {
	return s.DB(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&p).Error
}

// SecurityAlert is a security alert waiting for the mail outbox.
type SecurityAlert struct {
	ID        string `gorm:"primaryKey"`
	AccountID string
	Kind      string
	Details   string
	CreatedAt time.Time
	SentAt    *time.Time
}

// UnsentSecurityAlerts lists alerts not yet handed to the outbox, oldest first.
func (s *Store) UnsentSecurityAlerts(ctx context.Context, limit int) ([]SecurityAlert, error) {
	var out []SecurityAlert
	err := s.DB(ctx).Where("sent_at IS NULL").Order("created_at, id").Limit(limit).Find(&out).Error
	return out, err
}

// MarkSecurityAlertSent records that the outbox took an alert.
func (s *Store) MarkSecurityAlertSent(ctx context.Context, id string, at time.Time) error {
	return s.DB(ctx).Model(&SecurityAlert{}).Where("id = ?", id).Update("sent_at", at).Error
}
