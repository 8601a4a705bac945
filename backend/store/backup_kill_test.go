//go:build !windows

package store_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"atrium/backend/store"
)

const envKilledBackup = "ATRIUM_TEST_KILLED_BACKUP"

// The program of TestKilledDuringBackupThenRestart: open the database, which
// backs it up before updating it; the parent kills it during the copy.
func TestKilledBackupHelper(t *testing.T) {
	path := os.Getenv(envKilledBackup)
	if path == "" {
		t.Skip("run by TestKilledDuringBackupThenRestart")
	}
	st, err := store.Open(context.Background(), path)
	if err != nil {
		os.Exit(3)
	}
	st.Close()
	os.Exit(0)
}

// kill -9 while the backup before an update is being written, then start
// again at once: the database opens, is backed up completely and updated.
func TestKilledDuringBackupThenRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 32 MB database")
	}
	path, latest := olderDatabase(t, func(st *store.Store) {
		// Enough pages that the copy takes a while: 32 MB.
		err := st.DB(context.Background()).Exec(`CREATE TABLE filler AS
			WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 8192)
			SELECT i, randomblob(4000) AS b FROM n`).Error
		if err != nil {
			t.Fatal(err)
		}
	})
	dir := filepath.Join(filepath.Dir(path), "backups")

	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledBackupHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), envKilledBackup+"="+path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// Kill it once the copy is well under way: a megabyte written (SQLite
	// writes a journal beside the copy first).
	deadline := time.Now().Add(20 * time.Second)
	for started := false; !started; {
		select {
		case err := <-exited:
			t.Fatalf("the backup finished before it could be interrupted (%v): make the database larger", err)
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the backup never started")
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if info, err := e.Info(); err == nil && info.Size() > 1<<20 && !strings.HasSuffix(e.Name(), "-journal") {
				started = true
			}
		}
		time.Sleep(time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-exited
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the helper was not killed mid-backup: %v", err)
	}
	if got := completeBackups(t, path, latest-1); len(got) != 0 {
		t.Fatalf("the kill came after the copy was complete: %v", got)
	}

	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("restart after a kill during the backup: %v", err)
	}
	defer st.Close()
	if v, _ := st.SchemaVersion(context.Background()); v != latest {
		t.Fatalf("schema %d after the restart, want %d", v, latest)
	}
	if got := completeBackups(t, path, latest-1); len(got) != 1 {
		t.Fatalf("complete backups before the update: %v, want one", got)
	}
	if got := leftovers(t, path); len(got) != 0 {
		t.Fatalf("partial files left from the killed run: %v", got)
	}
}
