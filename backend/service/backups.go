package service

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// FileDialogs are the desktop's native file dialogs. The desktop gives them
// (app/ implements them with the Wails runtime); the services never call
// Wails themselves.
type FileDialogs interface {
	// SavePath asks where to save a file, suggesting name; "" when the
	// person cancels.
	SavePath(ctx context.Context, title, name string) (string, error)
	// OpenPath asks which file to open; "" when the person cancels.
	OpenPath(ctx context.Context, title string) (string, error)
}

// DesktopDeps are what only the desktop gives Start. With them the services
// include the desktop's own operations (its backups); the server, which has
// `atrium-server backup` and pg_dump, never constructs them.
type DesktopDeps struct {
	Dialogs FileDialogs
	// Connection is the desktop's link to an Atrium server (sync.go); nil
	// leaves out the operations that drive it.
	Connection SyncConnection
}

// Backups are the desktop's copies of its database: daily ones (kept 7 days
// and 4 weeks), one before every update and before every restore, and the
// restore itself. Every operation copies or replaces the whole database,
// every organization's records and every account on this desktop, so only
// the desktop's administrator may call them (mayManage).
type Backups struct {
	Deps
	dialogs FileDialogs

	mu      sync.Mutex // one backup or restore at a time
	failure *BackupFailure
}

// BackupItem is one backup as the Sauvegardes page lists it.
type BackupItem struct {
	Name   string    `json:"name"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"` // daily, before-vN, before-restore, manual
	Size   int64     `json:"size"`
}

// BackupFailure is the last automatic backup that failed, for the page to
// say (a full disk above all).
type BackupFailure struct {
	At   time.Time   `json:"at"`
	Code domain.Code `json:"code"`
}

// BackupList is the Sauvegardes page.
type BackupList struct {
	Backups     []BackupItem   `json:"backups"`
	LastFailure *BackupFailure `json:"lastFailure,omitempty"`
}

// BackupRef names one backup of the list.
type BackupRef struct {
	Name string `json:"name"`
}

// SavedFile says where a file was saved, or that the person cancelled.
type SavedFile struct {
	Path      string `json:"path"`
	Cancelled bool   `json:"cancelled"`
}

// Restored is a restore done: the desktop reopens on the restored database
// and signs out (the accounts and sessions are the backup's).
type Restored struct {
	Cancelled bool `json:"cancelled"`
	// From is the backup restored (its file name, for one chosen from a file).
	From string `json:"from"`
	// SafetyBackup is the copy of the database as it was just before.
	SafetyBackup BackupItem `json:"safetyBackup"`
}

func (r Restored) reopensDatabase() bool { return !r.Cancelled }

func item(b store.BackupEntry) BackupItem {
	return BackupItem{Name: b.Name, At: b.At, Reason: b.Reason, Size: b.Size}
}

// mayManage is the rule for every backup operation. A restore replaces every
// organization on the desktop, and an exported backup holds them all, so it
// is not enough to administer one: the account that set the desktop up may
// (it owns the machine's data), and otherwise only an account holding the
// Admin role in every organization on it (the owner's account deleted, or a
// desktop whose organizations all trust one person).
func (s *Backups) mayManage(ctx context.Context, a domain.Actor) error {
	owner, err := s.Store.DesktopOwner(ctx)
	if err != nil {
		return err
	}
	if owner != "" && owner == a.AccountID {
		return nil
	}
	ok, err := s.Store.AdminOfEveryOrganization(ctx, a.AccountID)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.CodeForbidden, "only the desktop's administrator manages its backups")
	}
	return nil
}

// backupError gives a store's refusal its code for the console.
func backupError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrDiskFull):
		return domain.Errorf(domain.CodeDiskFull, "the disk is full: the copy was discarded, the database is untouched")
	case errors.Is(err, store.ErrNotSQLite), errors.Is(err, store.ErrNotAtrium):
		return domain.Errorf(domain.CodeNotABackup, "%v", err)
	case errors.Is(err, store.ErrDamaged):
		return domain.Errorf(domain.CodeBackupDamaged, "%v", err)
	case errors.Is(err, store.ErrNewerSchema):
		return domain.Errorf(domain.CodeBackupTooNew, "%v", err)
	case errors.Is(err, audit.ErrWrongKey):
		return domain.Errorf(domain.CodeBackupOtherDesktop, "the backup's history was sealed by another desktop's key")
	case errors.Is(err, fs.ErrNotExist):
		return domain.Errorf(domain.CodeNotFound, "no such backup")
	}
	return err
}

// List lists the backups, newest first, with the last automatic one that failed.
func (s *Backups) List(ctx context.Context, a domain.Actor, _ Empty) (BackupList, error) {
	if err := s.mayManage(ctx, a); err != nil {
		return BackupList{}, err
	}
	list, err := s.Store.Backups()
	if err != nil {
		return BackupList{}, err
	}
	out := BackupList{Backups: []BackupItem{}}
	for _, b := range list {
		out.Backups = append(out.Backups, item(b))
	}
	s.mu.Lock()
	out.LastFailure = s.failure
	s.mu.Unlock()
	return out, nil
}

// Create backs the database up now: the caller's job "backups.create"
// counts the bytes of the copy (jobs.go).
func (s *Backups) Create(ctx context.Context, a domain.Actor, _ Empty) (BackupItem, error) {
	if err := s.mayManage(ctx, a); err != nil {
		return BackupItem{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	job := s.jobs.start(a, "backups.create", 0)
	p, err := s.Store.BackupAt(counted(ctx, job, 0), store.ReasonManual, s.now())
	if err != nil {
		job.End(err)
		return BackupItem{}, backupError(err)
	}
	b, err := s.entry(filepath.Base(p))
	job.End(err)
	return b, err
}

// counted tells job how far the copies made under ctx are, after base bytes
// of copies before them; a nil job counts nothing.
func counted(ctx context.Context, job *Job, base int64) context.Context {
	if job == nil {
		return ctx
	}
	return store.WithCopyProgress(ctx, func(written, total int64) {
		if total > 0 {
			job.SetTotal(base + total)
		}
		job.Set(base + written)
	})
}

func (s *Backups) entry(name string) (BackupItem, error) {
	list, err := s.Store.Backups()
	if err != nil {
		return BackupItem{}, err
	}
	for _, b := range list {
		if b.Name == name {
			return item(b), nil
		}
	}
	return BackupItem{}, fmt.Errorf("the backup %s just made is not listed", name)
}

// Daily makes the day's backup when it is due and applies the retention; the
// desktop calls it at start and every hour. A failure (a full disk) is kept
// for the Sauvegardes page to say, and cleared by the next success.
func (s *Backups) Daily(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Clock()
	_, err := s.Store.DailyBackup(ctx, now)
	if err != nil {
		s.failure = &BackupFailure{At: now.UTC(), Code: domain.CodeOf(backupError(err))}
		return err
	}
	s.failure = nil
	return nil
}

// Export saves a copy of one backup where the person chooses, through the
// system's save dialog.
func (s *Backups) Export(ctx context.Context, a domain.Actor, in BackupRef) (SavedFile, error) {
	if err := s.mayManage(ctx, a); err != nil {
		return SavedFile{}, err
	}
	src, err := s.Store.BackupPath(in.Name)
	if err != nil {
		return SavedFile{}, backupError(err)
	}
	title := "Exporter une sauvegarde"
	if s.language(ctx, a) == "en" {
		title = "Export a backup"
	}
	dest, err := s.dialogs.SavePath(ctx, title, in.Name)
	if err != nil || dest == "" {
		return SavedFile{Cancelled: dest == ""}, err
	}
	job := s.jobs.start(a, "backups.export", 0) // the bytes copied (jobs.go)
	err = store.CopyFileContext(counted(ctx, job, 0), src, dest)
	job.End(err)
	if err != nil {
		return SavedFile{}, backupError(err)
	}
	return SavedFile{Path: dest}, nil
}

// Restore puts one of the desktop's backups in place of its database.
func (s *Backups) Restore(ctx context.Context, a domain.Actor, in BackupRef) (Restored, error) {
	if err := s.mayManage(ctx, a); err != nil {
		return Restored{}, err
	}
	src, err := s.Store.BackupPath(in.Name)
	if err != nil {
		return Restored{}, backupError(err)
	}
	return s.restore(ctx, a, src)
}

// RestoreFile restores a backup file chosen with the system's open dialog
// (one exported earlier, or copied from another machine with its key).
func (s *Backups) RestoreFile(ctx context.Context, a domain.Actor, _ Empty) (Restored, error) {
	if err := s.mayManage(ctx, a); err != nil {
		return Restored{}, err
	}
	title := "Restaurer depuis un fichier"
	if s.language(ctx, a) == "en" {
		title = "Restore from a file"
	}
	src, err := s.dialogs.OpenPath(ctx, title)
	if err != nil || src == "" {
		return Restored{Cancelled: src == ""}, err
	}
	return s.restore(ctx, a, src)
}

// restoreCounted counts the restore's first copy (the file's) into job,
// against the file's size and the database's, which is copied next; first
// keeps the bytes written.
func (s *Backups) restoreCounted(ctx context.Context, job *Job, first *int64) context.Context {
	if job == nil {
		return ctx
	}
	var next int64
	if fi, err := os.Stat(s.Store.Path()); err == nil {
		next = fi.Size()
	}
	return store.WithCopyProgress(ctx, func(written, total int64) {
		if total > 0 {
			job.SetTotal(total + next)
		}
		job.Set(written)
		*first = written
	})
}

// same tells whether two paths name one file.
func same(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// restore copies and checks the file, backs the current database up, and
// only then commits the copy to replace the database when the desktop
// reopens it (Result.Reopen). A file refused, or a disk too full for either
// copy, changes nothing.
//
// It is the caller's job "backups.restore" (jobs.go), counting the bytes of
// both copies: the file's, then the database's as it was.
func (s *Backups) restore(ctx context.Context, a domain.Actor, src string) (r Restored, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	job := s.jobs.start(a, "backups.restore", 0)
	defer func() { job.End(err) }()
	var first int64 // the first copy's bytes, once it is written
	ctx = s.restoreCounted(ctx, job, &first)
	if same(src, s.Store.Path()) {
		return Restored{}, domain.Errorf(domain.CodeNotABackup, "this is the database in use, not a backup of it")
	}
	// The file is copied beside the database and the copy checked: a file
	// refused leaves nothing, and the copy checked is the one restored.
	staged, err := store.PrepareRestore(ctx, s.Store.Path(), src)
	if err != nil {
		return Restored{}, backupError(err)
	}
	defer staged.Discard()
	// Another desktop's history is sealed with its own key: restored here
	// the desktop would not start on it.
	ro, err := store.OpenReadOnly(ctx, staged.Path())
	if err != nil {
		return Restored{}, backupError(err)
	}
	err = s.Audit.Fits(ctx, ro)
	ro.Close()
	if err != nil {
		return Restored{}, backupError(err)
	}
	p, err := s.Store.BackupAt(counted(ctx, job, first), store.ReasonBeforeRestore, s.now())
	if err != nil {
		return Restored{}, backupError(err)
	}
	safety, err := s.entry(filepath.Base(p))
	if err != nil {
		return Restored{}, err
	}
	if err := staged.Commit(); err != nil {
		return Restored{}, err
	}
	s.Log.Info("backup staged for restore; the desktop reopens its database", "from", filepath.Base(src), "safety", safety.Name)
	return Restored{From: filepath.Base(src), SafetyBackup: safety}, nil
}
