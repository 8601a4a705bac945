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
