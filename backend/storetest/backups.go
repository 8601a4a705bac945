package storetest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"atrium/backend/store"
)

// Fill adds a table of n random 4 KB rows to st, so that copying it takes a
// while (n = 1000 is 4 MB).
func Fill(t testing.TB, st *store.Store, n int) {
	t.Helper()
	err := st.DB(context.Background()).Exec(`CREATE TABLE filler AS
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < ?)
		SELECT i, randomblob(4000) AS b FROM n`, n).Error
	if err != nil {
		t.Fatal(err)
	}
}

// NoBackups writes into dir the files a restore must refuse: one that is
// not SQLite, a SQLite database that is not Atrium's, and a copy of backup
// (a backup of this build) marked one migration newer than this build knows.
func NoBackups(t testing.TB, dir, backup string) (notSQLite, notAtrium, newer string) {
	t.Helper()
	notSQLite = filepath.Join(dir, "membres.csv")
	if err := os.WriteFile(notSQLite, []byte("Nom;Prénom\nMartin;Anne\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	notAtrium = filepath.Join(dir, "musique.db")
	exec(t, notAtrium, "CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('la mer')")
	newer = filepath.Join(dir, "plus-recent.db")
	if err := store.CopyFile(backup, newer); err != nil {
		t.Fatal(err)
	}
	exec(t, newer, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, 1)", store.LatestSchema()+1)
	return notSQLite, notAtrium, newer
}

func exec(t testing.TB, path, stmt string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt, args...); err != nil {
		t.Fatal(err)
	}
}
