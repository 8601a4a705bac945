//go:build linux

package service

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// The daily backup on a disk too full for it: the copy is discarded, the
// database keeps working, and the Sauvegardes page says the disk is full;
// a backup asked for by hand is refused with disk_full. The disk is a 6 MB
// tmpfs mounted for the test (root only; skipped elsewhere).
func TestDailyBackupOnAFullDiskIsTold(t *testing.T) {
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=6m,mode=0700"); err != nil {
		t.Skipf("a small file system cannot be mounted here (needs root): %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(mnt, syscall.MNT_DETACH) })
	// A desktop's database with 4 MB of data, made on the real disk, then
	// moved onto the small one with its history key.
	made := t.TempDir()
	e, sys := desktopAt(t, made, noDialogs{})
	e.setup()
	storetest.Fill(t, e.st, 1000)
	one, err := e.st.Backup(context.Background(), "x")
	if err != nil {
		t.Fatal(err)
	}
	sys.Close()
	if err := store.CopyFile(one, filepath.Join(mnt, "atrium.db")); err != nil {
		t.Fatal(err)
	}
	if err := store.CopyFile(filepath.Join(made, "atrium.history-key"), filepath.Join(mnt, "atrium.history-key")); err != nil {
		t.Fatal(err)
	}

	e, sys = desktopAt(t, mnt, noDialogs{})
	tok := e.mustCall("auth.signIn", "", `{"email":"anne.martin@example.fr","password":"un mot de passe solide"}`).Token
	if err := sys.Services.Backups.Daily(context.Background()); err == nil {
		t.Fatal("the daily backup fitted on a full disk: make the data larger")
	}
	list := e.mustCall("backups.list", tok, `{}`).Output.(BackupList)
	if list.LastFailure == nil || list.LastFailure.Code != domain.CodeDiskFull || len(list.Backups) != 0 {
		t.Fatalf("the page after a failed daily backup: %+v", list)
	}
	if _, err := e.call("backups.create", tok, `{}`); domain.CodeOf(err) != domain.CodeDiskFull {
		t.Fatalf("a backup by hand on a full disk: %v, want disk_full", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(mnt, "backups")); len(entries) != 0 {
		t.Fatalf("the failed backups left %v", entries)
	}
	// The database is whole and takes writes.
	e.mustCall("account.setLanguage", tok, `{"language":"en"}`)
	var check string
	if err := e.st.DB(context.Background()).Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || check != "ok" {
		t.Fatalf("integrity after the failed backups: %q %v", check, err)
	}
}
