// Package storetest opens real, throw-away databases for tests: a SQLite file
// in a temporary folder, and a fresh schema on the PostgreSQL server named by
// ATRIUM_TEST_PG when it is set.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"

	"atrium/backend/store"
)

// EnvPG names the PostgreSQL server used by tests (a postgres:// URL).
const EnvPG = "ATRIUM_TEST_PG"

// Each runs fn once per available database as subtests "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	if os.Getenv(EnvPG) != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
	} else if os.Getenv("CI") != "" {
		t.Fatalf("%s must be set in CI so the suite also runs on PostgreSQL", EnvPG)
	}
}

// SQLite opens a migrated store on a new file in a temporary folder.
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "atrium.db"))
}

// Postgres opens a migrated store on a fresh schema of the test server,
// dropped when the test ends.
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	base := os.Getenv(EnvPG)
	if base == "" {
		t.Skipf("%s not set", EnvPG)
	}
	return open(t, NewSchema(t, base))
}

// NewSchema creates an empty schema on the server at base and returns a DSN
// that works inside it.
func NewSchema(t testing.TB, base string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t testing.TB, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn, store.WithPostgres(postgres.Open))
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
