//go:build linux

package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"atrium/backend/store"
	"atrium/backend/storetest"
)

// A disk that fills up during a backup: the copy is discarded, the database
// is untouched and keeps working, and the caller gets ErrDiskFull to tell
// the user. The disk is a real one: a 6 MB tmpfs mounted for the test (root
// only; skipped elsewhere).
func TestDiskFullDuringBackup(t *testing.T) {
	ctx := context.Background()
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=6m,mode=0700"); err != nil {
		t.Skipf("a small file system cannot be mounted here (needs root): %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(mnt, syscall.MNT_DETACH) })
	// 4 MB of data, written elsewhere and copied in: a second copy cannot
	// fit in the 6 MB.
	made, _ := freshDatabase(t, "before")
	storetest.Fill(t, made, 1000)
	one, err := made.Backup(ctx, "x")
	if err != nil {
		t.Fatal(err)
	}
	made.Close()
	path := filepath.Join(mnt, "atrium.db")
	copyFile(t, one, path)
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	if _, err := st.Backup(ctx, store.ReasonManual); !errors.Is(err, store.ErrDiskFull) {
		t.Fatalf("backup on a full disk: %v, want ErrDiskFull", err)
	}
	entries, _ := os.ReadDir(filepath.Join(mnt, "backups"))
	for _, e := range entries {
		t.Errorf("the failed backup left %s", e.Name())
	}
	if list, _ := st.Backups(); len(list) != 0 {
		t.Errorf("backups listed after the failure: %v", list)
	}
	// Restoring a file onto the full disk is refused the same way.
	if _, err := store.StageRestore(ctx, path, path); !errors.Is(err, store.ErrDiskFull) {
		t.Fatalf("restore on a full disk: %v, want ErrDiskFull", err)
	}
	top, _ := os.ReadDir(mnt)
	for _, e := range top {
		if strings.Contains(e.Name(), ".restore") {
			t.Errorf("the failed restore left %s", e.Name())
		}
	}
	// The database is whole and still takes writes.
	setMarker(t, st, "after")
	st.Close()
	if got := readMarker(t, path); got != "after" {
		t.Fatalf("the database holds %q", got)
	}
}
