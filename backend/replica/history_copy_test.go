package replica

import (
	"testing"

	"atrium/backend/domain"
)

// Found by TestRandomOfflineWorkConverges: a pull in which only tasks
// changed rebuilds the organization's tasks alone (store.ReplaceTasks); the
// history entries those changes wrote must still reach the replica's copy
// of the history of an account that reads it (admin, or audit.view), so the
// tasks part brings the entries after the newest one the replica holds.
func TestTasksOnlyPullKeepsTheHistoryCopy(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		w.give(domain.RightTasksView, true)
		w.give(domain.RightAuditView, true)
		w.pull()
		w.sameAsServer()
		w.asAnne("tasks.create", `{"title":"Bilan annuel"}`)
		w.pull()
		w.sameAsServer()
	})
}

// Found by the fault tests, when they ran PRAGMA integrity_check through the
// replica's own store: a rebuild on a connection whose temporary database
// was opened (by integrity_check, or a TEMP table) failed with "temporary
// storage cannot be changed from within a transaction" while the rebuild set
// temp_store inside its transaction; it is now set when a connection opens.
func TestRebuildAfterTheTemporaryDatabaseOpened(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		w.pull()
		// The desktop started again on its replica: its connections are new.
		db := w.desk.Store.Path()
		w.desk.Close()
		w.desk = startSystem(t, db)
		var res []string
		if err := w.desk.Store.DB(w.ctx).Raw("PRAGMA integrity_check").Scan(&res).Error; err != nil || len(res) != 1 || res[0] != "ok" {
			t.Fatalf("integrity_check: %v %v", res, err)
		}
		w.asAnne("orgs.update", `{"website":"https://cabinet-martin.example.fr"}`)
		w.pull()
		w.sameAsServer()
	})
}
