package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// What a file offered as a backup may be refused for. The service turns each
// into its own translated message; nothing is changed when one is returned.
var (
	ErrNotSQLite   = errors.New("the file is not a SQLite database")
	ErrNotAtrium   = errors.New("it is a SQLite file, but this is no Atrium database")
	ErrDamaged     = errors.New("the file is damaged")
	ErrNewerSchema = errors.New("the file was written by a newer version of Atrium")
	// ErrDiskFull: the copy did not fit; it was discarded, the database is untouched.
	ErrDiskFull = errors.New("the disk is full")
)

// BackupEntry is one complete backup in the backups folder.
type BackupEntry struct {
	Name   string    // atrium-STAMP-REASON.db, the file's name in backups/
	At     time.Time // when it was started (UTC, to the second)
	Reason string    // daily, before-vN, before-restore, manual
	Size   int64     // bytes
}

// Backup reasons besides the one before a migration (before-vN).
const (
	ReasonDaily         = "daily"
	ReasonBeforeRestore = "before-restore"
	ReasonManual        = "manual"
)

const stampLayout = "20060102-150405"

// parseBackupName reads a backup's start time and reason from its name; ok
// is false for any other file (a partial copy, a file someone put there).
func parseBackupName(name string) (at time.Time, reason string, ok bool) {
	rest, found := strings.CutPrefix(name, "atrium-")
	if !found || !strings.HasSuffix(rest, ".db") || strings.Contains(name, partialSuffix) || len(rest) < len(stampLayout)+5 {
		return time.Time{}, "", false
	}
	at, err := time.ParseInLocation(stampLayout, rest[:len(stampLayout)], time.UTC)
	if err != nil || rest[len(stampLayout)] != '-' {
		return time.Time{}, "", false
	}
	reason = strings.TrimSuffix(rest[len(stampLayout)+1:], ".db")
	// freeBackupName's -2, -3 for a second backup in the same second
	if i := strings.LastIndexByte(reason, '-'); i > 0 {
		if _, err := strconv.Atoi(reason[i+1:]); err == nil {
			reason = reason[:i]
		}
	}
	return at, reason, reason != ""
}

// Backups lists the complete backups beside the SQLite database, newest first.
func (s *Store) Backups() ([]BackupEntry, error) {
	if s.dialect != SQLite {
		return nil, errors.New("backups are for the embedded SQLite database")
	}
	entries, err := os.ReadDir(backupDir(s.path))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []BackupEntry
	for _, e := range entries {
		at, reason, ok := parseBackupName(e.Name())
		if !ok || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, BackupEntry{Name: e.Name(), At: at, Reason: reason, Size: info.Size()})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.After(out[j].At)
		}
		return out[i].Name > out[j].Name
	})
	return out, nil
}

// BackupPath returns the path of the backup named name, refusing any name
// that is not one of the backups folder's own (no path can be slipped in).
func (s *Store) BackupPath(name string) (string, error) {
	list, err := s.Backups()
	if err != nil {
		return "", err
	}
	for _, b := range list {
		if b.Name == name {
			return filepath.Join(backupDir(s.path), name), nil
		}
	}
	return "", fs.ErrNotExist
}

// Daily backups are kept 7 days (the newest of each of the 7 latest days
// that have one) and 4 weeks (the newest of each of the 4 latest ISO weeks
// before those days). Backups made for another reason (before a migration,
// before a restore, by hand) are rare and kept until removed by hand.
const (
	keepDays  = 7
	keepWeeks = 4
)

// dailyToKeep picks, among daily backups sorted newest first, those the
// retention keeps; days and weeks are read in loc, the desktop's own zone.
func dailyToKeep(daily []BackupEntry, loc *time.Location) map[string]bool {
	keep := map[string]bool{}
	days, lastDay := 0, ""
	i := 0
	for ; i < len(daily) && days <= keepDays; i++ {
		day := daily[i].At.In(loc).Format("2006-01-02")
		if day == lastDay {
			continue
		}
		if days == keepDays {
			break
		}
		keep[daily[i].Name], lastDay = true, day
		days++
	}
	weeks, lastWeek := 0, ""
	for ; i < len(daily) && weeks < keepWeeks; i++ {
		if daily[i].At.In(loc).Format("2006-01-02") == lastDay {
			continue // an older copy of a day already kept
		}
		y, w := daily[i].At.In(loc).ISOWeek()
		week := fmt.Sprintf("%d-%02d", y, w)
		if week == lastWeek {
			continue
		}
		keep[daily[i].Name], lastWeek = true, week
		weeks++
	}
	return keep
}

// DailyBackup makes the day's backup if none was made on now's day (in now's
// zone), then removes the daily backups the retention no longer keeps. It
// returns the new backup's name, or "" when the day had one already.
func (s *Store) DailyBackup(ctx context.Context, now time.Time) (string, error) {
	list, err := s.Backups()
	if err != nil {
		return "", err
	}
	today := now.Format("2006-01-02")
	made := ""
	due := true
	for _, b := range list {
		if b.Reason == ReasonDaily && b.At.In(now.Location()).Format("2006-01-02") == today {
			due = false
			break
		}
	}
	if due {
		p, err := s.BackupAt(ctx, ReasonDaily, now)
		if err != nil {
			return "", err
		}
		made = filepath.Base(p)
		if list, err = s.Backups(); err != nil {
			return made, err
		}
	}
	var daily []BackupEntry
	for _, b := range list {
		if b.Reason == ReasonDaily {
			daily = append(daily, b)
		}
	}
	keep := dailyToKeep(daily, now.Location())
	for _, b := range daily {
		if !keep[b.Name] {
			if err := os.Remove(filepath.Join(backupDir(s.path), b.Name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return made, err
			}
		}
	}
	return made, nil
}

// diskFull tells whether err is a file system out of room: SQLite's own
// SQLITE_FULL, or ENOSPC from a write or a sync.
func diskFull(err error) bool {
	return err != nil && (errors.Is(err, syscall.ENOSPC) || strings.Contains(err.Error(), "database or disk is full") ||
		strings.Contains(err.Error(), "SQLITE_FULL"))
}

var sqliteHeader = []byte("SQLite format 3\x00")

// LatestSchema is the newest schema version this build knows.
func LatestSchema() int64 {
	entries, _ := fs.ReadDir(migrations, "migrations/"+string(SQLite))
	var latest int64
	for _, e := range entries {
		if v, err := strconv.ParseInt(strings.SplitN(e.Name(), "_", 2)[0], 10, 64); err == nil && v > latest {
			latest = v
		}
	}
	return latest
}

// InspectBackup tells whether the file at path can be restored: a SQLite
// file (ErrNotSQLite), whole (ErrDamaged, after PRAGMA integrity_check),
// Atrium's (ErrNotAtrium), of a schema this build knows (ErrNewerSchema).
// It returns the file's schema version. The file is only read.
func InspectBackup(ctx context.Context, path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	head := make([]byte, len(sqliteHeader))
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head, sqliteHeader) {
		return 0, ErrNotSQLite
	}
	v, err := checkCopy(ctx, path)
	if err != nil {
		return 0, err
	}
	if latest := LatestSchema(); v > latest {
		return v, fmt.Errorf("%w (schema %d; this version knows up to %d)", ErrNewerSchema, v, latest)
	}
	return v, nil
}

// The restore slot: a whole, checked copy of the database to restore, flushed
// to disk under the name restoreSlot(db). Its presence is the point of no
// return: the next Open puts it in place of the database before SQLite opens
// it, so a restore cut short by a kill or a power cut is either not begun
// (no slot; a partial copy is removed) or finished at the next start.
func restoreSlot(dbPath string) string { return dbPath + ".restore" }

// StagedRestore is a backup copied beside the database and checked, not yet
// committed to replace it: Commit puts it in the restore slot, Discard
// removes it. A kill before Commit leaves a partial file the next Open removes.
type StagedRestore struct {
	part, slot string
	// Version is the copy's schema version.
	Version int64
}

// PrepareRestore copies the backup at src beside the database at dbPath:
// a SQLite file (ErrNotSQLite), copied with VACUUM INTO and the copy checked
// whole (ErrDamaged), Atrium's (ErrNotAtrium), of a schema this build knows
// (ErrNewerSchema), on a disk with room for it (ErrDiskFull). The copy is the
// one checked, and the one restored: src is only read. The database is not
// touched.
func PrepareRestore(ctx context.Context, dbPath, src string) (*StagedRestore, error) {
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	head := make([]byte, len(sqliteHeader))
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head, sqliteHeader) {
		return nil, ErrNotSQLite
	}
	dir := filepath.Dir(dbPath)
	tmp, err := os.CreateTemp(dir, filepath.Base(dbPath)+".restore-*"+partialSuffix)
	if err != nil {
		return nil, err
	}
	r := &StagedRestore{part: tmp.Name(), slot: restoreSlot(dbPath)}
	tmp.Close()
	db, err := sql.Open("sqlite", "file:"+uriPath.Replace(src)+"?mode=ro&immutable=1")
	if err != nil {
		r.Discard()
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	r.Version, err = copyInto(ctx, db, r.part)
	switch {
	case err == nil:
	case diskFull(err):
		err = ErrDiskFull
	case errors.Is(err, ErrNotSQLite), errors.Is(err, ErrNotAtrium), errors.Is(err, ErrDamaged):
	default: // VACUUM INTO could not read it through
		err = fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if err == nil {
		if latest := LatestSchema(); r.Version > latest {
			err = fmt.Errorf("%w (schema %d; this version knows up to %d)", ErrNewerSchema, r.Version, latest)
		}
	}
	if err != nil {
		r.Discard()
		return nil, err
	}
	return r, nil
}

// Path is the checked copy, to read before committing (read-only).
func (r *StagedRestore) Path() string { return r.part }

// Commit puts the copy in the restore slot, the point of no return: the
// database is replaced when it is next opened (close the store, then Open
// it again).
func (r *StagedRestore) Commit() error {
	if err := os.Rename(r.part, r.slot); err != nil {
		return err
	}
	syncDir(filepath.Dir(r.slot))
	return nil
}

// Discard removes an uncommitted copy; after Commit it does nothing.
func (r *StagedRestore) Discard() {
	os.Remove(r.part)
	os.Remove(r.part + "-journal")
}

// StageRestore prepares and commits a restore of the backup at src at once,
// and returns the schema version restored.
func StageRestore(ctx context.Context, dbPath, src string) (int64, error) {
	r, err := PrepareRestore(ctx, dbPath, src)
	if err != nil {
		return 0, err
	}
	defer r.Discard()
	return r.Version, r.Commit()
}

// finishRestore runs before SQLite opens dbPath: a restore slot left by
// StageRestore takes the database's place, and a partial one is removed.
// The old database's WAL and shared-memory files go first (they belong to
// the file being replaced and would be replayed into the restored one); a
// kill between those steps finds the slot still there and does them again.
func finishRestore(dbPath string) error {
	dir := filepath.Dir(dbPath)
	if entries, err := os.ReadDir(dir); err == nil {
		prefix := filepath.Base(dbPath) + ".restore-"
		for _, e := range entries {
			if n := e.Name(); strings.HasPrefix(n, prefix) && strings.Contains(n, partialSuffix) {
				_ = os.Remove(filepath.Join(dir, n))
			}
		}
	}
	slot := restoreSlot(dbPath)
	if _, err := os.Lstat(slot); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	for _, p := range []string{dbPath + "-wal", dbPath + "-shm", dbPath + "-journal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return startupError("cannot finish restoring the backup: %v", err)
		}
	}
	if err := os.Rename(slot, dbPath); err != nil {
		return startupError("cannot finish restoring the backup: %v", err)
	}
	syncDir(dir)
	return nil
}

// Path is the SQLite file the store has open ("" on PostgreSQL).
func (s *Store) Path() string { return s.path }

// CopyFile copies the file at src to dest (a backup exported where the
// person chose, who confirmed replacing a file there): written beside dest
// under a temporary name, flushed, then renamed over it, so dest is never
// half a copy. A full disk gives ErrDiskFull and leaves dest as it was.
func CopyFile(src, dest string) error { return CopyFileContext(context.Background(), src, dest) }

// CopyFileContext is CopyFile telling the context's CopyProgress how far it is.
func CopyFileContext(ctx context.Context, src, dest string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+"-*"+partialSuffix)
	if err != nil {
		return err
	}
	part := out.Name()
	defer os.Remove(part)
	var w io.Writer = out
	if p := copyProgress(ctx); p != nil {
		var total int64
		if fi, err := in.Stat(); err == nil {
			total = fi.Size()
		}
		p(0, total)
		w = &countingWriter{w: out, total: total, p: p}
	}
	_, err = io.Copy(w, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if diskFull(err) {
			return ErrDiskFull
		}
		return err
	}
	if err := os.Rename(part, dest); err != nil {
		return err
	}
	syncDir(filepath.Dir(dest))
	return nil
}
