package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// OpenReadOnly opens a SQLite file only to read it (a backup about to be
// restored): immutable, never migrated, nothing written beside it.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	db, err := gorm.Open(sqlite.Open("file:"+uriPath.Replace(path)+"?mode=ro&immutable=1"),
		&gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true})
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, dialect: SQLite}
	if s.sqlDB, err = db.DB(); err != nil {
		return nil, err
	}
	return s, s.sqlDB.PingContext(ctx)
}

// DesktopOwner returns the account that set this database up: the one the
// first run's history entry names ("" when that account is gone).
func (s *Store) DesktopOwner(ctx context.Context) (string, error) {
	var id sql.NullString
	err := s.DB(ctx).Raw(`SELECT e.actor_id FROM audit_events e JOIN accounts a ON a.id = e.actor_id
		WHERE e.action = 'workspace.created' ORDER BY e.seq LIMIT 1`).Row().Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id.String, err
}

// AdminOfEveryOrganization tells whether the account is an active member
// holding the Admin role in every organization of the database (and there
// is at least one).
func (s *Store) AdminOfEveryOrganization(ctx context.Context, accountID string) (bool, error) {
	var orgs, missing int64
	if err := s.DB(ctx).Raw(`SELECT count(*) FROM organizations`).Scan(&orgs).Error; err != nil {
		return false, err
	}
	err := s.DB(ctx).Raw(`SELECT count(*) FROM organizations o WHERE NOT EXISTS (
		SELECT 1 FROM memberships m JOIN membership_roles mr ON mr.membership_id = m.id
		JOIN roles r ON r.id = mr.role_id AND r.is_admin
		WHERE m.org_id = o.id AND m.account_id = ? AND m.status = 'active')`, accountID).Scan(&missing).Error
	return orgs > 0 && missing == 0, err
}
