package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// A backup is written under a temporary name ending in partialSuffix and
// renamed to its own name only once it is complete, checked and on disk, so a
// file named atrium-….db in backups/ is always a whole copy, and a run killed
// mid-copy leaves only a partial file (and its journal) that the next start
// removes.
const partialSuffix = ".partial"

// uriPath escapes a file path for a file: URI, where '#' and '?' would end it.
var uriPath = strings.NewReplacer("%", "%25", "#", "%23", "?", "%3F")

func backupDir(dbPath string) string { return filepath.Join(filepath.Dir(dbPath), "backups") }

// removePartialBackups deletes what backups cut short by a kill or a power cut
// left. It runs when the database is opened, before any backup of this run:
// one process at a time uses a SQLite file (the desktop holds a single-instance
// lock), and were another one copying, its rename would fail and its update
// stop rather than keep a partial copy.
func removePartialBackups(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, "atrium-") && strings.Contains(n, partialSuffix) {
			_ = os.Remove(filepath.Join(dir, n)) // one left is ignored: names never collide
		}
	}
}

// checkCopy reads a finished copy back with SQLite's PRAGMA integrity_check
// (every page, the b-trees and each index against its table): on a 178 MB
// database of 100,000 members it adds about a second to the copy
// (docs/PERFORMANCE.md), which a backup made once a day or before an update
// can afford. It then checks the copy opens as Atrium's database (its
// migrations table and Atrium's own tables) and returns its schema version.
// The copy is opened read-only and immutable, so no journal or lock file
// appears beside it.
func checkCopy(ctx context.Context, path string) (int64, error) {
	db, err := sql.Open("sqlite", "file:"+uriPath.Replace(path)+"?mode=ro&immutable=1")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&res); err != nil {
		if strings.Contains(err.Error(), "not a database") {
			return 0, ErrNotSQLite
		}
		return 0, fmt.Errorf("%w: it cannot be read back: %v", ErrDamaged, err)
	}
	if res != "ok" {
		return 0, fmt.Errorf("%w: %s", ErrDamaged, res)
	}
	// Asked first: on a file without it, the migrations library would try to
	// create the table, and keep trying on a read-only file.
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table'
		AND name IN ('goose_db_version', 'accounts', 'organizations', 'memberships', 'audit_events')`).Scan(&tables); err != nil {
		return 0, fmt.Errorf("%w: it cannot be read back: %v", ErrDamaged, err)
	}
	if tables != 5 {
		return 0, fmt.Errorf("%w: it lacks Atrium's tables", ErrNotAtrium)
	}
	v, err := (&Store{sqlDB: db, dialect: SQLite}).SchemaVersion(ctx)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("%w: its schema version cannot be read (%d, %v)", ErrNotAtrium, v, err)
	}
	return v, nil
}

// copyInto writes a consistent copy of the SQLite database open as db into
// part, an empty file already made its owner's only, reads it back and
// flushes it to disk, and returns its schema version. It is the one way
// Atrium copies a SQLite database: VACUUM INTO reads in a single read
// transaction, so writers carry on (WAL) and the copy is one moment's state.
func copyInto(ctx context.Context, db *sql.DB, part string) (int64, error) {
	stop := watchCopy(ctx, db, part)
	_, err := db.ExecContext(ctx, "VACUUM INTO ?", part)
	stop()
	if err != nil {
		return 0, err
	}
	v, err := checkCopy(ctx, part)
	if err != nil {
		return 0, err
	}
	if err := syncFile(part); err != nil {
		return 0, err
	}
	return v, nil
}

// syncFile flushes a file to disk: SQLite does not for VACUUM INTO's output.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename in dir durable; best effort, and not on Windows,
// where a folder cannot be opened for this.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// freeBackupName returns the first name for a backup started at stamp that no
// file holds yet: atrium-STAMP-REASON.db, then …-2.db, …-3.db. A file already
// there may be a real backup and is never replaced.
func freeBackupName(dir, stamp, reason string) (string, error) {
	for i := 1; i <= 1000; i++ {
		name := fmt.Sprintf("atrium-%s-%s.db", stamp, reason)
		if i > 1 {
			name = fmt.Sprintf("atrium-%s-%s-%d.db", stamp, reason, i)
		}
		p := filepath.Join(dir, name)
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
	}
	return "", fmt.Errorf("no free name for a backup in %s", dir)
}

// BackupInfo describes a backup BackupFile wrote.
type BackupInfo struct {
	Path          string
	Size          int64
	SchemaVersion int64
}

// BackupFile writes a consistent copy of the SQLite database at dbPath to
// dest while other processes, a running server among them, go on reading and
// writing it. dest must not exist: a file there may be an earlier backup, and
// is never replaced. Its folder must exist: a mistyped folder is refused
// rather than made. The copy is written owner-only under a temporary name
// beside dest and takes dest's name only once complete, checked and on disk,
// so dest is either absent or a whole backup.
func BackupFile(ctx context.Context, dbPath, dest string) (BackupInfo, error) {
	if DialectOf(dbPath) != SQLite {
		return BackupInfo{}, errors.New("only a SQLite database is copied here; back PostgreSQL up with its own tools (pg_dump)")
	}
	if fi, err := os.Stat(dbPath); err != nil {
		return BackupInfo{}, fmt.Errorf("there is no database to back up at %s: %v", dbPath, err)
	} else if !fi.Mode().IsRegular() {
		return BackupInfo{}, fmt.Errorf("%s is not a database file", dbPath)
	}
	if abs, err := filepath.Abs(dest); err == nil {
		dest = abs // the operator is told where the backup is, wherever they ran from
	}
	if _, err := os.Lstat(dest); err == nil {
		return BackupInfo{}, existsError(dest)
	}
	dir := filepath.Dir(dest)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return BackupInfo{}, fmt.Errorf("the folder %s does not exist: create it first, or choose another", dir)
	}
	// mode=rw: a database missing by now is an error, never created here.
	// A reader waits out a writer's lock as the server's own connections do.
	db, err := sql.Open("sqlite", "file:"+uriPath.Replace(dbPath)+"?mode=rw&_pragma=busy_timeout(10000)")
	if err != nil {
		return BackupInfo{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	f, err := os.CreateTemp(dir, filepath.Base(dest)+"-*"+partialSuffix)
	if err != nil {
		return BackupInfo{}, err
	}
	part := f.Name()
	f.Close()
	defer func() {
		os.Remove(part)
		os.Remove(part + "-journal")
	}()
	v, err := copyInto(ctx, db, part)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("cannot copy %s: %w", dbPath, err)
	}
	if err := renameNoReplace(part, dest); err != nil {
		return BackupInfo{}, err
	}
	syncDir(dir)
	fi, err := os.Stat(dest)
	if err != nil {
		return BackupInfo{}, err
	}
	return BackupInfo{Path: dest, Size: fi.Size(), SchemaVersion: v}, nil
}

func existsError(dest string) error {
	return fmt.Errorf("%s already exists: a backup never overwrites a file; give a new name, or move that file away first", dest)
}

// renameNoReplace gives part the name dest only while no file holds it: a
// hard link fails on an existing name where a rename would replace it
// silently. A file system without hard links gets a check, then a rename.
func renameNoReplace(part, dest string) error {
	err := os.Link(part, dest)
	if err == nil {
		return os.Remove(part)
	}
	if _, serr := os.Lstat(dest); serr == nil || errors.Is(err, fs.ErrExist) {
		return existsError(dest)
	}
	return os.Rename(part, dest)
}
