package replica

import (
	"os"
	"testing"

	"atrium/backend/domain"
)

// knownBugs runs the tests of bugs found and not fixed yet
// (ATRIUM_TEST_KNOWN_BUGS=1): each fails until its bug is.
func knownBugs() bool { return os.Getenv("ATRIUM_TEST_KNOWN_BUGS") != "" }

// Found by TestRandomOfflineWorkConverges: a pull in which only tasks
// changed rebuilds the organization's tasks alone (store.ReplaceTasks), so
// the history entries those changes wrote never reach the replica's copy of
// the history (replica_history) of an account that reads it (admin, or
// audit.view): the replica no longer equals what the server lets the
// account read, until a change of another kind rebuilds the organization
// whole. Not fixed: rebuilding whole whenever the account reads the history
// costs the pull of 10,000 task changes about half its speed
// (BenchmarkPullChanges); the tasks part of a snapshot would need the
// history entries past the replica's position instead.
func TestTasksOnlyPullKeepsTheHistoryCopy(t *testing.T) {
	if !knownBugs() {
		t.Skip("known: a pull where only tasks changed leaves the replica's copy of the history behind (ATRIUM_TEST_KNOWN_BUGS=1 runs it)")
	}
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
// was opened (by integrity_check, or a TEMP table) fails with "temporary
// storage cannot be changed from within a transaction", since it sets
// PRAGMA temp_store inside its transaction (store.replace). Nothing the
// desktop runs today opens it, so the fault tests check the file on a
// connection of their own; this test shows the trap.
func TestRebuildAfterTheTemporaryDatabaseOpened(t *testing.T) {
	if !knownBugs() {
		t.Skip("known: a rebuild fails on a connection whose temporary database is open (ATRIUM_TEST_KNOWN_BUGS=1 runs it)")
	}
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
