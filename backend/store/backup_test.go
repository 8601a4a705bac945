package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"atrium/backend/store"
)

// olderDatabase writes a database one migration behind this build, so the
// next Open backs it up before updating it, and returns its path and the
// version it will be updated to.
func olderDatabase(t *testing.T, fill func(st *store.Store)) (string, int64) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "atrium.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	latest, err := st.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.MigrateTo(ctx, latest-1); err != nil {
		t.Fatal(err)
	}
	if fill != nil {
		fill(st)
	}
	st.Close()
	return path, latest
}

// completeBackups lists the backups that open, pass SQLite's check and hold
// the schema at version want.
func completeBackups(t *testing.T, dbPath string, want int64) []string {
	t.Helper()
	dir := filepath.Join(filepath.Dir(dbPath), "backups")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ok []string
	for _, e := range entries {
		// A copy still under its temporary name is no backup, even once its
		// bytes are all there: a kill may come between the copy and the rename.
		if strings.HasSuffix(e.Name(), ".partial") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		db, err := sql.Open("sqlite", "file:"+p+"?mode=ro&immutable=1")
		if err != nil {
			continue
		}
		var check string
		var v int64
		err = db.QueryRow("PRAGMA quick_check").Scan(&check)
		if err == nil && check == "ok" {
			err = db.QueryRow("SELECT MAX(version_id) FROM goose_db_version").Scan(&v)
		}
		db.Close()
		if err == nil && check == "ok" && v == want {
			ok = append(ok, e.Name())
		}
	}
	return ok
}

// leftovers lists the files an unfinished backup leaves behind.
func leftovers(t *testing.T, dbPath string) []string {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Join(filepath.Dir(dbPath), "backups"))
	var out []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".partial") {
			out = append(out, e.Name())
		}
	}
	return out
}

// A run killed during the backup before an update, or during the update right
// after it, leaves a partial copy or a complete one; starting again at once, in
// the same second, must still open the database, back it up completely and
// update it, and leave the earlier copies alone.
func TestRestartAfterAnInterruptedBackup(t *testing.T) {
	path, latest := olderDatabase(t, nil)
	dir := filepath.Join(filepath.Dir(path), "backups")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	// A complete copy under the name this start's backup would take, for
	// this second and the next (the test may cross a second).
	src, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	kept := map[string][]byte{}
	for _, at := range []time.Time{now, now.Add(time.Second)} {
		name := fmt.Sprintf("atrium-%s-before-v%d.db", at.Format("20060102-150405"), latest)
		if _, err := src.Exec("VACUUM INTO ?", filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		kept[name] = b
	}
	src.Close()
	// A copy cut short under its temporary name, with its journal.
	partial := append([]byte("SQLite format 3\x00"), make([]byte, 4080)...)
	tmp := fmt.Sprintf("atrium-%s-before-v%d-123456.partial", now.Format("20060102-150405"), latest)
	for _, name := range []string{tmp, tmp + "-journal"} {
		if err := os.WriteFile(filepath.Join(dir, name), partial, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("restart after an interrupted backup: %v", err)
	}
	defer st.Close()
	if v, _ := st.SchemaVersion(context.Background()); v != latest {
		t.Fatalf("schema %d after the restart, want %d", v, latest)
	}
	if got := completeBackups(t, path, latest-1); len(got) != 3 {
		t.Fatalf("complete backups before the update: %v, want the two earlier ones and this start's", got)
	}
	if got := leftovers(t, path); len(got) != 0 {
		t.Fatalf("partial files left from the killed run: %v", got)
	}
	// A file already under a backup's name is never replaced.
	for name, b := range kept {
		if now, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(now) != string(b) {
			t.Fatalf("the earlier backup %s was replaced or removed (%v)", name, err)
		}
	}
}

// Backups taken in the same second are all kept, under distinct names.
func TestBackupsInTheSameSecondAllKept(t *testing.T) {
	path, latest := olderDatabase(t, nil)
	st, err := store.Open(context.Background(), path) // its own backup, then updated
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	seen := map[string]bool{}
	for i := 0; i < 3; i++ {
		dest, err := st.Backup(context.Background(), "manual")
		if err != nil {
			t.Fatalf("backup %d: %v", i+1, err)
		}
		if seen[dest] {
			t.Fatalf("two backups under one name: %s", dest)
		}
		seen[dest] = true
	}
	if got := completeBackups(t, path, latest); len(got) != 3 {
		t.Fatalf("complete backups: %v, want 3", got)
	}
}
