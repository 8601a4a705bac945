// Package store opens Atrium's database (SQLite or PostgreSQL), migrates it,
// carries transactions in the context, and holds the gorm repositories.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	sqlitedriver "github.com/glebarez/go-sqlite"
	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"atrium/backend/domain"
)

//go:embed migrations
var migrations embed.FS

// Dialect names the database kind.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is an open, migrated database.
type Store struct {
	db      *gorm.DB
	sqlDB   *sql.DB
	dialect Dialect
	path    string // SQLite file, empty for PostgreSQL

	backupMu sync.Mutex // picks a backup's free name and renames to it, one at a time
	changes  bell       // rung when a write with changes commits
}

// DialectOf tells which database a DSN names: postgres:// URLs are PostgreSQL,
// anything else is a SQLite file path.
func DialectOf(dsn string) Dialect {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// Option adjusts Open.
type Option func(*options)

type options struct {
	postgres func(dsn string) gorm.Dialector
}

// WithPostgres links PostgreSQL support in: pass gorm's postgres.Open. Only the
// server and the tests do, so the desktop binary carries no PostgreSQL driver.
func WithPostgres(open func(dsn string) gorm.Dialector) Option {
	return func(o *options) { o.postgres = open }
}

// Open opens the database named by dsn and applies pending migrations. A SQLite
// file and its backups are kept its owner's only, and the file is backed up
// before any migration. A database written by a newer Atrium,
// or a data folder that cannot be written, is refused with a startup_failed
// error and left untouched.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	s := &Store{dialect: DialectOf(dsn)}
	var dial gorm.Dialector
	if s.dialect == Postgres {
		if o.postgres == nil {
			return nil, startupError("this program works on a SQLite file only; PostgreSQL is for atrium-server")
		}
		dial = o.postgres(dsn)
	} else {
		s.path = dsn
		if err := checkDataFolder(filepath.Dir(dsn)); err != nil {
			return nil, err
		}
		if err := finishRestore(dsn); err != nil {
			return nil, err
		}
		if err := privateFiles(dsn); err != nil {
			return nil, err
		}
		removePartialBackups(backupDir(dsn))
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "synchronous(NORMAL)")
		// Sorts, temporary indexes and a statement's undo journal stay in
		// memory. Set at connect: SQLite refuses it inside a transaction once
		// a connection's temporary database is open (a replica's rebuild).
		q.Add("_pragma", "temp_store(2)")
		q.Set("_txlock", "immediate") // writers queue at BEGIN instead of failing on lock upgrade
		dial = sqlite.Open("file:" + uriPath.Replace(dsn) + "?" + q.Encode())
	}
	db, err := gorm.Open(dial, &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		SkipDefaultTransaction: true,
		TranslateError:         true,
	})
	if err != nil {
		return nil, startupError("cannot open the database %s: %v", redact(dsn), err)
	}
	s.db = db
	if s.sqlDB, err = db.DB(); err != nil {
		return nil, err
	}
	if s.dialect == SQLite {
		s.sqlDB.SetMaxOpenConns(4)
	} else {
		s.sqlDB.SetMaxOpenConns(20)
	}
	if err := s.sqlDB.PingContext(ctx); err != nil {
		s.Close()
		return nil, startupError("cannot open the database %s: %v", redact(dsn), err)
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func startupError(format string, args ...any) error {
	return domain.Errorf(domain.CodeStartupFailed, format, args...)
}

// checkDataFolder makes sure the folder exists and can be written, so a
// read-only or unreadable folder gives a clear message instead of a driver error.
func checkDataFolder(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return startupError("the data folder %s cannot be created: %v", dir, err)
	}
	f, err := os.CreateTemp(dir, ".atrium-write-check-*")
	if err != nil {
		return startupError("the data folder %s cannot be written: %v", dir, err)
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return nil
}

// redact hides a password in a PostgreSQL URL before it reaches a message.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func (s *Store) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(s.dialect))
	if err != nil {
		return nil, err
	}
	d := goose.DialectSQLite3
	if s.dialect == Postgres {
		d = goose.DialectPostgres
	}
	return goose.NewProvider(d, s.sqlDB, sub)
}

// migrate applies pending migrations, after backing a SQLite file up.
func (s *Store) migrate(ctx context.Context) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	// A database never migrated has no version yet: that reads as 0, and a
	// real read failure surfaces when the first migration cannot apply.
	current, _ := p.GetDBVersion(ctx)
	sources := p.ListSources()
	latest := int64(0)
	if len(sources) > 0 {
		latest = sources[len(sources)-1].Version
	}
	if current > latest {
		return startupError("the database was written by a newer version of Atrium (schema %d; this version knows up to %d); install the newer version", current, latest)
	}
	if current == latest {
		return nil
	}
	if s.dialect == SQLite && current > 0 {
		if _, err := s.Backup(ctx, fmt.Sprintf("before-v%d", latest)); err != nil {
			return startupError("cannot back the database up before updating it: %v", err)
		}
	}
	if _, err := p.Up(ctx); err != nil {
		return startupError("cannot update the database schema: %v", err)
	}
	return nil
}

// SchemaVersion returns the applied migration version.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := s.provider()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// Backup writes a consistent copy of a SQLite database into the backups folder
// beside it and returns its path. The copy gets its own name only once it is
// complete, checked and on disk; backups in the same second get distinct names.
func (s *Store) Backup(ctx context.Context, reason string) (string, error) {
	return s.BackupAt(ctx, reason, time.Now())
}

// BackupAt is Backup with the time its name records given (the services'
// clock). A copy that does not fit on the disk is discarded and ErrDiskFull
// returned: the database is untouched.
func (s *Store) BackupAt(ctx context.Context, reason string, now time.Time) (string, error) {
	if s.dialect != SQLite {
		return "", errors.New("backups are for the embedded SQLite database")
	}
	dir := backupDir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	stamp := now.UTC().Format(stampLayout)
	// An empty file, which VACUUM INTO accepts, made owner-only from the start.
	f, err := os.CreateTemp(dir, fmt.Sprintf("atrium-%s-%s-*%s", stamp, reason, partialSuffix))
	if err != nil {
		return "", err
	}
	part := f.Name()
	f.Close()
	defer func() { // nothing left once renamed; a failed copy leaves nothing either
		os.Remove(part)
		os.Remove(part + "-journal")
	}()
	if _, err := copyInto(ctx, s.sqlDB, part); err != nil {
		if diskFull(err) {
			return "", ErrDiskFull
		}
		return "", err
	}
	s.backupMu.Lock()
	defer s.backupMu.Unlock()
	dest, err := freeBackupName(dir, stamp, reason)
	if err != nil {
		return "", err
	}
	if err := os.Rename(part, dest); err != nil {
		return "", err
	}
	syncDir(dir)
	return dest, nil
}

// Dialect tells which database is open.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close closes the database.
func (s *Store) Close() error {
	if s.sqlDB == nil {
		return nil
	}
	return s.sqlDB.Close()
}

type txKey struct{}

// DB returns the transaction carried by ctx, or the database itself.
func (s *Store) DB(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	return s.db.WithContext(ctx)
}

// Tx runs fn in one transaction carried by the context; a nested call joins
// the outer transaction. Any error, or a panic, rolls everything back.
func (s *Store) Tx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
}

// InTx reports whether ctx carries a transaction.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*gorm.DB)
	return ok
}

// SQLite's lower() only knows ASCII: the member keys' triggers call
// atrium_fold, which is FoldName, on every connection of this process.
func init() {
	sqlitedriver.MustRegisterDeterministicScalarFunction("atrium_fold", 1,
		func(_ *sqlitedriver.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return FoldName(v), nil
			case []byte:
				return FoldName(string(v)), nil
			case nil:
				return nil, nil
			default:
				return nil, fmt.Errorf("atrium_fold: a text is needed, not %T", v)
			}
		})
}
