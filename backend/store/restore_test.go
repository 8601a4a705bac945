package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"atrium/backend/store"
	"atrium/backend/storetest"
)

// freshDatabase opens a new database in its own folder with a marker table
// holding value, and returns it open.
func freshDatabase(t *testing.T, value string) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "atrium.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	setMarker(t, st, value)
	return st, path
}

func setMarker(t *testing.T, st *store.Store, value string) {
	t.Helper()
	db := st.DB(context.Background())
	if err := db.Exec("CREATE TABLE IF NOT EXISTS marker (v TEXT)").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("DELETE FROM marker").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("INSERT INTO marker VALUES (?)", value).Error; err != nil {
		t.Fatal(err)
	}
}

// readMarker opens the file as SQLite alone (not as Atrium, which would
// finish a restore or migrate), checks it whole and returns its marker.
func readMarker(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check, v string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("%s is not intact: %q %v", path, check, err)
	}
	if err := db.QueryRow("SELECT v FROM marker").Scan(&v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

func dailyNames(t *testing.T, st *store.Store) []string {
	t.Helper()
	list, err := st.Backups()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, b := range list {
		if b.Reason == store.ReasonDaily {
			out = append(out, b.At.Format("2006-01-02"))
		}
	}
	sort.Strings(out)
	return out
}

// Sixty days of daily backups with a moved clock: the newest of the last 7
// days and of the 4 ISO weeks before them stay, every other daily one goes,
// and a backup made for another reason is never removed.
func TestDailyBackupsKeepSevenDaysAndFourWeeks(t *testing.T) {
	st, _ := freshDatabase(t, "x")
	ctx := context.Background()
	if _, err := st.BackupAt(ctx, "before-v3", time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 10, 1, 9, 30, 0, 0, time.UTC) // a Thursday
	for d := 0; d < 60; d++ {
		now := start.AddDate(0, 0, d)
		made, err := st.DailyBackup(ctx, now)
		if err != nil || made == "" {
			t.Fatalf("day %d: %q %v, want a backup", d, made, err)
		}
		// Later the same day: none due.
		if again, err := st.DailyBackup(ctx, now.Add(5*time.Hour)); err != nil || again != "" {
			t.Fatalf("day %d, second run: %q %v, want none", d, again, err)
		}
	}
	got := dailyNames(t, st)
	// Last day is 2026-11-29 (a Sunday). Days kept: 23…29 November; then the
	// newest of each earlier week: 22 (week 47), 15 (46), 8 (45), 1 (44).
	want := []string{"2026-11-01", "2026-11-08", "2026-11-15", "2026-11-22",
		"2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"}
	if len(got) != len(want) {
		t.Fatalf("daily backups kept: %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("daily backups kept: %v, want %v", got, want)
		}
	}
	list, _ := st.Backups()
	found := false
	for _, b := range list {
		found = found || b.Reason == "before-v3"
	}
	if !found {
		t.Fatal("the backup made before an update was removed by the daily retention")
	}
}

// Every backup is checked after writing: it is a whole SQLite file that
// opens as Atrium's database, at this build's schema.
func TestBackupIsCheckedAfterWriting(t *testing.T) {
	st, _ := freshDatabase(t, "x")
	p, err := st.Backup(context.Background(), store.ReasonManual)
	if err != nil {
		t.Fatal(err)
	}
	v, err := store.InspectBackup(context.Background(), p)
	if err != nil || v != store.LatestSchema() {
		t.Fatalf("inspect the new backup: %d %v, want %d", v, err, store.LatestSchema())
	}
	// A page of it overwritten: the check finds it.
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for i := 8192; i < 8192+4096 && i < len(b); i++ {
		b[i] = 0x5a
	}
	damaged := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(damaged, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.InspectBackup(context.Background(), damaged); !errors.Is(err, store.ErrDamaged) {
		t.Fatalf("a damaged copy: %v, want ErrDamaged", err)
	}
}

// Files that are no backup of this build are refused, and nothing changes:
// no restore is staged and the database is as it was.
func TestRestoreRefusesFilesThatAreNoBackup(t *testing.T) {
	st, path := freshDatabase(t, "current")
	ctx := context.Background()
	dir := t.TempDir()

	backup, err := st.Backup(ctx, store.ReasonManual)
	if err != nil {
		t.Fatal(err)
	}
	text, other, newer := storetest.NoBackups(t, dir, backup)

	for _, c := range []struct {
		name, file string
		want       error
	}{{"not SQLite", text, store.ErrNotSQLite}, {"SQLite, not Atrium", other, store.ErrNotAtrium},
		{"a newer version", newer, store.ErrNewerSchema}} {
		if _, err := store.StageRestore(ctx, path, c.file); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if n := e.Name(); n != "atrium.db" && n != "atrium.db-wal" && n != "atrium.db-shm" && n != "backups" {
			t.Errorf("a refused restore left %s", n)
		}
	}
	st.Close()
	st2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st2.Close()
	if got := readMarker(t, path); got != "current" {
		t.Fatalf("after refused restores the database holds %q", got)
	}
}

// A backup restored: the next Open is on the backup's state, whole; the
// database's later writes are gone (the service backs it up first).
func TestRestoreRoundTrip(t *testing.T) {
	st, path := freshDatabase(t, "backed up")
	ctx := context.Background()
	p, err := st.Backup(ctx, store.ReasonManual)
	if err != nil {
		t.Fatal(err)
	}
	setMarker(t, st, "written after")
	if v, err := store.StageRestore(ctx, path, p); err != nil || v != store.LatestSchema() {
		t.Fatalf("stage: %d %v", v, err)
	}
	if got := readMarker(t, path); got != "written after" {
		t.Fatalf("staging changed the open database: %q", got)
	}
	st.Close()
	st2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	var v string
	if err := st2.DB(ctx).Raw("SELECT v FROM marker").Scan(&v).Error; err != nil || v != "backed up" {
		t.Fatalf("after the restore: %q %v, want the backup's state", v, err)
	}
	if _, err := os.Lstat(path + ".restore"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the restore slot is still there: %v", err)
	}
	if list, _ := st2.Backups(); len(list) != 1 {
		t.Fatalf("backups after the restore: %v, want the one restored, still there", list)
	}
}
