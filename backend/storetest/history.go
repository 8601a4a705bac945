package storetest

import (
	"context"
	"testing"

	"atrium/backend/store"
)

// DropHistoryGuards removes the database's refusal to change or remove
// history rows, as someone with write access to the database can: tests of
// tampering start with it.
func DropHistoryGuards(t testing.TB, st *store.Store) {
	t.Helper()
	db := st.DB(context.Background())
	for _, g := range [][2]string{
		{"audit_events_no_update", "audit_events"}, {"audit_events_no_delete", "audit_events"},
		{"audit_checkpoints_no_update", "audit_checkpoints"}, {"audit_checkpoints_no_delete", "audit_checkpoints"},
	} {
		stmt := "DROP TRIGGER IF EXISTS " + g[0]
		if st.Dialect() == store.Postgres {
			stmt += " ON " + g[1]
		}
		if err := db.Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
	}
}
