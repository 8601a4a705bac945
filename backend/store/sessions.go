package store

import (
	"context"
	"time"

	"atrium/backend/domain"
)

// LiveSessions lists the signed-in sessions of an account, most recent first.
func (s *Store) LiveSessions(ctx context.Context, accountID string) ([]domain.Session, error) {
	var out []domain.Session
	err := s.DB(ctx).Where("account_id = ? AND revoked_at IS NULL", accountID).
		Order("last_seen_at DESC, id").Find(&out).Error
	return out, err
}

// RevokeAccountSession signs out one session of an account; false when the
// account has no such live session.
func (s *Store) RevokeAccountSession(ctx context.Context, accountID, id string, at time.Time) (bool, error) {
	res := s.DB(ctx).Model(&domain.Session{}).Where("id = ? AND account_id = ? AND revoked_at IS NULL", id, accountID).
		Update("revoked_at", at)
	return res.RowsAffected == 1, res.Error
}

// RevokeOtherSessions signs out every session of an account but keepID.
func (s *Store) RevokeOtherSessions(ctx context.Context, accountID, keepID string, at time.Time) (int64, error) {
	res := s.DB(ctx).Model(&domain.Session{}).Where("account_id = ? AND id <> ? AND revoked_at IS NULL", accountID, keepID).
		Update("revoked_at", at)
	return res.RowsAffected, res.Error
}

// KnownDevice reports whether the account ever signed in from this device
// (same kind, name and platform), to alert on a new one.
func (s *Store) KnownDevice(ctx context.Context, accountID string, d domain.Device) (bool, error) {
	var n int64
	err := s.DB(ctx).Model(&domain.Session{}).Where("account_id = ? AND kind = ? AND device_name = ? AND platform = ?",
		accountID, d.Kind, d.Name, d.Platform).Limit(1).Count(&n).Error
	return n > 0, err
}

// RotateSessionToken gives a live session a new token hash: the old token no
// longer finds it. False when the session is not live.
func (s *Store) RotateSessionToken(ctx context.Context, id, hash string) (bool, error) {
	res := s.DB(ctx).Model(&domain.Session{}).Where("id = ? AND revoked_at IS NULL", id).Update("token_hash", hash)
	return res.RowsAffected == 1, res.Error
}

// RevokeSessionByTokenHash signs out the live session of a token, if any.
func (s *Store) RevokeSessionByTokenHash(ctx context.Context, hash string, at time.Time) error {
	return s.DB(ctx).Model(&domain.Session{}).Where("token_hash = ? AND revoked_at IS NULL", hash).Update("revoked_at", at).Error
}
