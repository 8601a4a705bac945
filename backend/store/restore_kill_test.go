//go:build !windows

package store_test

import (
	"context"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"atrium/backend/store"
	"atrium/backend/storetest"
)

const envKilledRestore = "ATRIUM_TEST_KILLED_RESTORE"

// The program of TestKilledDuringRestore, as the desktop restores: the open
// database is written to, the chosen backup copied beside it and checked,
// the database backed up, the copy committed, the store closed and opened
// again (which puts the backup in place).
func TestKilledRestoreHelper(t *testing.T) {
	dir := os.Getenv(envKilledRestore)
	if dir == "" {
		t.Skip("run by TestKilledDuringRestore")
	}
	ctx := context.Background()
	path := filepath.Join(dir, "atrium.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		os.Exit(3)
	}
	if err := st.DB(ctx).Exec("UPDATE marker SET v = 'old'").Error; err != nil {
		os.Exit(4)
	}
	staged, err := store.PrepareRestore(ctx, path, filepath.Join(dir, "chosen.db"))
	if err != nil {
		os.Exit(5)
	}
	if _, err := st.Backup(ctx, store.ReasonBeforeRestore); err != nil {
		os.Exit(6)
	}
	if err := staged.Commit(); err != nil {
		os.Exit(8)
	}
	st.Close()
	st, err = store.Open(ctx, path)
	if err != nil {
		os.Exit(7)
	}
	st.Close()
	os.Exit(0)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

// kill -9 at 20 random moments of a restore, then start again: the database
// opens whole (PRAGMA integrity_check), on the old state or on the restored
// one, never on a half-copied file, and nothing partial is left beside it.
func TestKilledDuringRestore(t *testing.T) {
	if testing.Short() {
		t.Skip("restores a 24 MB database 21 times")
	}
	ctx := context.Background()
	// The two databases, 24 MB each so a copy takes a while: the current
	// one (marker "old") and the backup chosen (marker "new").
	tmpl := t.TempDir()
	for _, c := range []struct{ name, marker string }{{"atrium.db", "old"}, {"chosen.db", "new"}} {
		p := filepath.Join(tmpl, "make", c.name)
		st, err := store.Open(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		setMarker(t, st, c.marker)
		storetest.Fill(t, st, 6000)
		if _, err := st.BackupAt(ctx, "x", time.Now()); err != nil { // a closed, single-file copy
			t.Fatal(err)
		}
		list, _ := st.Backups()
		st.Close()
		if err := os.Rename(filepath.Join(tmpl, "make", "backups", list[0].Name), filepath.Join(tmpl, c.name)); err != nil {
			t.Fatal(err)
		}
	}
	run := func(dir string, kill time.Duration) (killed bool, took time.Duration) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKilledRestoreHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), envKilledRestore+"="+dir)
		began := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		var err error
		if kill > 0 {
			select {
			case err = <-exited:
			case <-time.After(kill):
				_ = cmd.Process.Signal(syscall.SIGKILL)
				err = <-exited
			}
		} else {
			err = <-exited
		}
		ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if !ws.Signaled() && err != nil {
			t.Fatalf("the restore failed by itself: %v", err)
		}
		return ws.Signaled(), time.Since(began)
	}
	fresh := func() string {
		dir := t.TempDir()
		copyFile(t, filepath.Join(tmpl, "atrium.db"), filepath.Join(dir, "atrium.db"))
		copyFile(t, filepath.Join(tmpl, "chosen.db"), filepath.Join(dir, "chosen.db"))
		return dir
	}
	// One whole run, to know how long a restore takes here.
	dir := fresh()
	_, whole := run(dir, 0)
	if got := readMarker(t, filepath.Join(dir, "atrium.db")); got != "new" {
		t.Fatalf("an uninterrupted restore left %q", got)
	}
	seen := map[string]int{}
	kills := 0
	for i := 0; i < 20; i++ {
		dir := fresh()
		at := time.Duration(rand.Int64N(int64(whole))) + time.Millisecond
		killed, _ := run(dir, at)
		if killed {
			kills++
		}
		path := filepath.Join(dir, "atrium.db")
		st, err := store.Open(ctx, path)
		if err != nil {
			t.Fatalf("run %d, killed after %v: the next start fails: %v", i+1, at, err)
		}
		st.Close()
		got := readMarker(t, path)
		if got != "old" && got != "new" {
			t.Fatalf("run %d: the database holds %q", i+1, got)
		}
		seen[got]++
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.Contains(e.Name(), ".partial") || strings.HasSuffix(e.Name(), ".restore") {
				t.Fatalf("run %d: %s left after the next start", i+1, e.Name())
			}
		}
	}
	t.Logf("a whole restore took %v; 20 runs killed at random: %d killed, opened on %v", whole, kills, seen)
	if kills < 10 {
		t.Fatalf("only %d of 20 runs were killed before the end: the kill times do not cover the restore", kills)
	}
}
