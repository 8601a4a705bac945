//go:build !windows

package store_test

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"atrium/backend/store"
)

// withUmask runs the test under the usual umask, which leaves new files
// readable by everyone unless the program asks otherwise.
func withUmask(t *testing.T, mask int) {
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}

func wantMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s is %v, want %v", filepath.Base(path), got, want)
	}
}

func wantBackupsPrivate(t *testing.T, dbPath string, count int) {
	t.Helper()
	dir := filepath.Join(filepath.Dir(dbPath), "backups")
	wantMode(t, dir, 0o700)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != count {
		t.Fatalf("%d files in backups/, want %d", len(entries), count)
	}
	for _, e := range entries {
		wantMode(t, filepath.Join(dir, e.Name()), 0o600)
	}
}

// The database holds live links and second-factor secrets: the file SQLite
// writes, its WAL and shared-memory files, the backups and their folder are
// the owner's only, whatever the umask.
func TestDatabaseFilesAreOwnerOnly(t *testing.T) {
	withUmask(t, 0o022)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "data", "atrium.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	wantMode(t, filepath.Dir(path), 0o700)
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		wantMode(t, name, 0o600)
	}
	if _, err := st.Backup(ctx, "manual"); err != nil {
		t.Fatal(err)
	}
	wantBackupsPrivate(t, path, 1)

	// The backup before an update, too.
	latest, _ := st.SchemaVersion(ctx)
	if err := st.MigrateTo(ctx, latest-1); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if st, err = store.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	st.Close()
	wantBackupsPrivate(t, path, 2)
}

// An installation made before this rule has its database files and backups
// readable by others: they are tightened at the next start, with a warning in
// the log. The folder holding the file may be the operator's choice and is
// left as it is.
func TestExistingOpenFilesAreTightened(t *testing.T) {
	withUmask(t, 0o022)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "atrium.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	backup, err := st.Backup(ctx, "manual")
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	// As an earlier version left them.
	open := func(p string, mode fs.FileMode) {
		if _, err := os.Stat(p); os.IsNotExist(err) {
			if err := os.WriteFile(p, nil, mode); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	open(dir, 0o755)
	for _, p := range []string{path, path + "-wal", path + "-shm", backup} {
		open(p, 0o644)
	}
	open(filepath.Dir(backup), 0o755)

	var logged bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))
	defer slog.SetDefault(prev)
	if st, err = store.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		wantMode(t, p, 0o600)
	}
	wantBackupsPrivate(t, path, 1)
	wantMode(t, dir, 0o755)
	if !strings.Contains(logged.String(), "level=WARN") || !strings.Contains(logged.String(), path) {
		t.Fatalf("no warning names the database that was readable by others: %q", logged.String())
	}
}
