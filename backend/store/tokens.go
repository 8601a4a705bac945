package store

import (
	"context"
	"time"
)

// Kinds of mailed tokens.
const (
	TokenInvitation    = "invitation"
	TokenPasswordReset = "password_reset"
	TokenEmailChange   = "email_change"
	TokenDeleteAccount = "delete_account"
	TokenDeleteOrg     = "delete_org"
)

// MailToken is a single-use link (token) and code sent by mail; only hashes
// are stored.
type MailToken struct {
	ID           string `gorm:"primaryKey"`
	Kind         string
	TokenHash    string
	CodeHash     string
	AccountID    *string
	OrgID        *string
	InvitationID *string
	NewEmail     string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	UsedAt       *time.Time
}

func (MailToken) TableName() string { return "mail_tokens" }

// TokenByHash finds a token of a kind by the hash of its link token, or of
// its code, whatever its state: the caller tells expired and used apart.
func (s *Store) TokenByHash(ctx context.Context, kind, tokenHash, codeHash string) (MailToken, error) {
	var t MailToken
	q := s.DB(ctx).Where("kind = ?", kind)
	if tokenHash != "" {
		q = q.Where("token_hash = ?", tokenHash)
	} else {
		q = q.Where("code_hash = ?", codeHash)
	}
	err := q.Order("created_at DESC").Take(&t).Error
	return t, notFound(err, "token")
}

// LiveToken finds an unused, unexpired token of a kind by the hash of its
// link token or of its code.
func (s *Store) LiveToken(ctx context.Context, kind, tokenHash, codeHash string, now time.Time) (MailToken, error) {
	var t MailToken
	q := s.DB(ctx).Where("kind = ? AND used_at IS NULL AND expires_at > ?", kind, now)
	if tokenHash != "" {
		q = q.Where("token_hash = ?", tokenHash)
	} else {
		q = q.Where("code_hash = ?", codeHash)
	}
	err := q.Order("created_at DESC").Take(&t).Error
	return t, notFound(err, "token")
}

// UseToken consumes a token once: it answers false when it was already used.
func (s *Store) UseToken(ctx context.Context, id string, at time.Time) (bool, error) {
	res := s.DB(ctx).Model(&MailToken{}).Where("id = ? AND used_at IS NULL", id).Update("used_at", at)
	return res.RowsAffected == 1, res.Error
}

// KillAccountTokens ends every live token of a kind for an account.
func (s *Store) KillAccountTokens(ctx context.Context, accountID, kind string, at time.Time) error {
	return s.DB(ctx).Model(&MailToken{}).Where("account_id = ? AND kind = ? AND used_at IS NULL", accountID, kind).
		Update("used_at", at).Error
}

// KillInvitationTokens ends every live token of an invitation (resend, revoke).
func (s *Store) KillInvitationTokens(ctx context.Context, invitationID string, at time.Time) error {
	return s.DB(ctx).Model(&MailToken{}).Where("invitation_id = ? AND used_at IS NULL", invitationID).
		Update("used_at", at).Error
}

// PurgeTokens deletes tokens expired before the given time.
func (s *Store) PurgeTokens(ctx context.Context, before time.Time) error {
	return s.DB(ctx).Where("expires_at < ?", before).Delete(&MailToken{}).Error
}
