package store_test

import (
	"context"
	"testing"
	"time"

	"atrium/backend/store"
	"atrium/backend/storetest"
)

// The history is append-only in the database itself: whatever code or SQL
// console reaches it through the application's connection, an entry once
// written is neither changed nor removed (deleting an organization or an
// account keeps its entries too).
func TestHistoryRowsRefuseUpdateAndDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		db := st.DB(ctx)
		if err := db.Exec(`INSERT INTO audit_events (seq, id, at, action, prev_hash, hash) VALUES (1, 'e1', ?, 'signout', '', 'h1')`,
			time.Now().UTC()).Error; err != nil {
			t.Fatal(err)
		}
		for _, stmt := range []string{
			"UPDATE audit_events SET details = '{\"x\":1}' WHERE seq = 1",
			"UPDATE audit_events SET hash = 'h2'",
			"DELETE FROM audit_events WHERE seq = 1",
			"DELETE FROM audit_events",
		} {
			if err := db.Exec(stmt).Error; err == nil {
				t.Errorf("%s: accepted", stmt)
			}
		}
		var n int64
		db.Table("audit_events").Where("hash = 'h1' AND details = '{}'").Count(&n)
		if n != 1 {
			t.Fatalf("the entry was changed or removed (%d left as written)", n)
		}
	})
}
