package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

func TestMigratesFromEmpty(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		v, err := st.SchemaVersion(context.Background())
		if err != nil || v < 1 {
			t.Fatalf("schema version %d, %v", v, err)
		}
		for _, table := range []string{"accounts", "organizations", "roles", "memberships", "sessions", "change_log", "audit_events", "audit_head"} {
			if !st.DB(context.Background()).Migrator().HasTable(table) {
				t.Errorf("table %s missing", table)
			}
		}
	})
}

func TestChangeLogOnlyInsideTransactions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if err := st.AppendChange(ctx, store.Change{Entity: "account", EntityID: "a1", Action: "updated"}); err == nil {
			t.Fatal("a change outside a transaction was accepted")
		}
		// A failed transaction leaves neither the write nor its change.
		err := st.WriteTx(ctx, func(ctx context.Context) error {
			if err := st.AppendChange(ctx, store.Change{Entity: "account", EntityID: "a1", Action: "updated"}); err != nil {
				return err
			}
			return domain.Errorf(domain.CodeConflict, "later step failed")
		})
		if domain.CodeOf(err) != domain.CodeConflict {
			t.Fatal(err)
		}
		if ch, _ := st.ChangesSince(ctx, 0, 10); len(ch) != 0 {
			t.Fatalf("rolled-back change kept: %+v", ch)
		}
		st.WriteTx(ctx, func(ctx context.Context) error {
			return st.AppendChange(ctx, store.Change{Entity: "account", EntityID: "a1", Action: "updated"})
		})
		st.WriteTx(ctx, func(ctx context.Context) error {
			return st.AppendChange(ctx, store.Change{Entity: "account", EntityID: "a2", Action: "updated"})
		})
		ch, _ := st.ChangesSince(ctx, 0, 10)
		if len(ch) != 2 || ch[1].Seq <= ch[0].Seq {
			t.Fatalf("change log not monotonic: %+v", ch)
		}
	})
}

func TestRefusesNewerDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "atrium.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st.DB(context.Background()).Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, true)")
	st.Close()
	_, err = store.Open(context.Background(), path)
	if domain.CodeOf(err) != domain.CodeStartupFailed {
		t.Fatalf("a database from a newer version was opened: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(filepath.Dir(path), "backups")); len(entries) != 0 {
		t.Fatal("a refused database was backed up or migrated")
	}
}

func TestRefusesUnusableDataFolder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-folder")
	os.WriteFile(file, []byte("x"), 0o600)
	_, err := store.Open(context.Background(), filepath.Join(file, "atrium.db"))
	if domain.CodeOf(err) != domain.CodeStartupFailed {
		t.Fatalf("unusable folder: %v", err)
	}
	if os.Geteuid() == 0 {
		return // root writes through any permission bits
	}
	ro := t.TempDir()
	os.Chmod(ro, 0o500)
	defer os.Chmod(ro, 0o700)
	if _, err := store.Open(context.Background(), filepath.Join(ro, "atrium.db")); domain.CodeOf(err) != domain.CodeStartupFailed {
		t.Fatalf("read-only folder: %v", err)
	}
}

func TestBackup(t *testing.T) {
	st := storetest.SQLite(t)
	dest, err := st.Backup(context.Background(), "manual")
	if err != nil {
		t.Fatal(err)
	}
	copyOf, err := store.Open(context.Background(), dest)
	if err != nil {
		t.Fatalf("backup does not open: %v", err)
	}
	defer copyOf.Close()
	if v, _ := copyOf.SchemaVersion(context.Background()); v < 1 {
		t.Fatal("backup has no schema")
	}
}

// A data folder may contain URI characters ('#', '?', '%'): the file must be
// exactly the one named, not a truncated path shared with another folder.
func TestPathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Dossier #1 ? 100%")
	st, err := store.Open(context.Background(), filepath.Join(dir, "atrium.db"))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, err := os.Stat(filepath.Join(dir, "atrium.db")); err != nil {
		t.Fatalf("the database is not where it was asked: %v", err)
	}
}
