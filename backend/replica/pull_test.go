package replica

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"atrium/backend/domain"
	"atrium/backend/service"
	"atrium/backend/store"
)

func (w *world) sameAsServer() {
	w.t.Helper()
	if err := compareReplica(w.ctx, w.server, w.client.cookie("atrium_session"), w.desk.Store); err != nil {
		w.t.Fatal(err)
	}
}

// noSecrets asserts the replica holds no password hash, second-factor
// secret, recovery code, token or message, and no session but its own.
func (w *world) noSecrets(localSessions int64) {
	w.t.Helper()
	if n := w.count("accounts", "password_hash <> ''"); n != 0 {
		w.t.Errorf("%d password hashes on the replica", n)
	}
	if n := w.count("account_security", "totp_secret <> '' OR pending_secret <> ''"); n != 0 {
		w.t.Errorf("%d second-factor secrets on the replica", n)
	}
	for _, table := range []string{"recovery_codes", "mail_tokens", "pending_signins", "outbox", "mail_settings", "security_alerts"} {
		if n := w.count(table, "1 = 1"); n != 0 {
			w.t.Errorf("%d rows of %s on the replica", n, table)
		}
	}
	if n := w.count("sessions", "1 = 1"); n != localSessions {
		w.t.Errorf("%d sessions on the replica, want %d (its own)", n, localSessions)
	}
}

// The first sync gives the replica the organization, its members with
// members.view, its history with audit.view, and nothing secret; the
// desktop then reads them through the same operations, as Bruno.
func TestFirstSyncHoldsWhatTheAccountMayRead(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		w.give(domain.RightMembersView, true)
		w.give(domain.RightAuditView, true)
		w.give(domain.RightTasksView, true)
		w.asAnne("tasks.create", `{"title":"Bilan annuel"}`)
		triggers := func() (out []string) {
			w.desk.Store.DB(w.ctx).Raw("SELECT name || sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").Scan(&out)
			return out
		}
		before := triggers()
		var progressed int
		rep, err := Pull(w.ctx, w.desk, w.client, PullOptions{Progress: func(done, total int) {
			if done > total || done < progressed {
				t.Errorf("progress %d of %d after %d", done, total, progressed)
			}
			progressed = done
		}})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Organizations != 1 || rep.Position == 0 || progressed == 0 {
			t.Fatalf("first sync: %+v, progress %d", rep, progressed)
		}
		if n := w.count("memberships", "org_id = ?", w.org); n != 2 {
			t.Errorf("%d members on the replica, want Anne and Bruno", n)
		}
		if after := triggers(); !slices.Equal(before, after) || len(after) < 20 {
			t.Errorf("the replica's triggers after the sync: %d, before: %d", len(after), len(before))
		}
		var history int64
		w.server.Store.DB(w.ctx).Table("audit_events").Where("org_id = ?", w.org).Count(&history)
		if n := w.count(store.ReplicaHistoryTable, "org_id = ?", w.org); n != history || n == 0 {
			t.Errorf("%d history entries on the replica, the server has %d", n, history)
		}
		w.noSecrets(0)
		w.sameAsServer()

		token := w.localSession()
		w.noSecrets(1)
		res, err := w.localCall(token, "members.list", `{"withTotal":true}`)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Output.(service.MemberPage).Total; got != 2 {
			t.Errorf("the desktop lists %d members", got)
		}
		res, err = w.localCall(token, "tasks.list", `{}`)
		if err != nil || len(res.Output.(service.TaskPage).Items) != 1 {
			t.Errorf("the desktop lists tasks %+v, %v", res.Output, err)
		}

		// Nothing changed on the server: the next pull reads and rebuilds nothing.
		if rep := w.pull(); rep.Organizations != 0 || len(rep.Removed) != 0 {
			t.Errorf("a pull with nothing new: %+v", rep)
		}
	})
}

// Without members.view the replica holds Bruno's own membership only; a
// right taken on the server takes its data off the laptop at the next pull;
// a disabled membership takes the organization off.
func TestReplicaLosesWhatTheAccountNoLongerReads(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		w.pull()
		if n := w.count("memberships", "1 = 1"); n != 1 || w.count("memberships", "account_id = ?", w.bruno) != 1 {
			t.Fatalf("without members.view the replica holds %d memberships", n)
		}
		if n := w.count("accounts", "id <> ?", w.bruno); n != 0 {
			t.Errorf("without members.view the replica holds %d other accounts", n)
		}
		if n := w.count(store.ReplicaHistoryTable, "1 = 1"); n != 0 {
			t.Errorf("without audit.view the replica holds %d history entries", n)
		}
		w.sameAsServer()
		// Bruno's own record changes where he cannot read the member list.
		w.asAnne("members.update", fmt.Sprintf(`{"memberId":%q,"jobTitle":"Comptable"}`, w.member))
		if rep := w.pull(); rep.Organizations != 1 || w.count("memberships", "job_title = 'Comptable'") != 1 {
			t.Fatalf("his own record changed: %+v", rep)
		}
		w.sameAsServer()

		w.give(domain.RightMembersView, true)
		w.give(domain.RightAuditView, true)
		if rep := w.pull(); rep.Organizations != 1 {
			t.Fatalf("rights given: %+v", rep)
		}
		if n := w.count("memberships", "1 = 1"); n != 2 || w.count(store.ReplicaHistoryTable, "1 = 1") == 0 {
			t.Fatalf("with members.view and audit.view: %d memberships", n)
		}
		w.sameAsServer()

		w.give(domain.RightMembersView, false)
		w.give(domain.RightAuditView, false)
		w.pull()
		if n := w.count("memberships", "1 = 1"); n != 1 {
			t.Errorf("members.view taken: %d memberships left", n)
		}
		if n := w.count("accounts", "id <> ?", w.bruno); n != 0 {
			t.Errorf("members.view taken: %d other accounts left", n)
		}
		if n := w.count(store.ReplicaHistoryTable, "1 = 1"); n != 0 {
			t.Errorf("audit.view taken: %d history entries left", n)
		}
		w.sameAsServer()

		// Bruno keeps a dossier of his own, which his desktop's session
		// opens first: disabling him in Anne's ends no session of his.
		var own service.OrgSummary
		if err := w.client.Call(w.ctx, "orgs.create", "", map[string]string{"name": "Dossier Durand", "timezone": "Europe/Paris"}, &own); err != nil {
			t.Fatal(err)
		}
		if err := w.client.Call(w.ctx, "orgs.switch", "", map[string]string{"orgId": own.ID}, nil); err != nil {
			t.Fatal(err)
		}
		if rep := w.pull(); rep.Organizations < 1 || w.count("replica_orgs", "1 = 1") != 2 {
			t.Fatalf("a second organization: %+v", rep)
		}
		w.asAnne("members.disable", fmt.Sprintf(`{"memberId":%q}`, w.member))
		rep := w.pull()
		if len(rep.Removed) != 1 || rep.Removed[0] != w.org {
			t.Fatalf("membership disabled: %+v", rep)
		}
		for _, table := range []string{"memberships", "roles", "company_profiles", "tasks"} {
			if n := w.count(table, "org_id = ?", w.org); n != 0 {
				t.Errorf("membership disabled: %d rows of %s left", n, table)
			}
		}
		if n := w.count("organizations", "id = ?", w.org); n != 0 {
			t.Errorf("membership disabled: the organization is still on the replica")
		}
		if n := w.count("replica_orgs", "org_id = ?", w.org); n != 0 {
			t.Errorf("membership disabled: the organization is still held")
		}
		if n := w.count("accounts", "id <> ?", w.bruno); n != 0 {
			t.Errorf("membership disabled: %d other accounts left", n)
		}
		w.sameAsServer()
	})
}

// A laptop signed out from the browser forgets its organizations at the
// next contact, and keeps the operations it had queued.
func TestSignedOutDeviceForgetsItsOrganizations(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		w.give(domain.RightTasksManage, true)
		w.give(domain.RightMembersView, true)
		w.pull()
		token := w.localSession()
		w.queueTask(token, "Relancer le client")

		// From the browser, Bruno signs the laptop out.
		browser := w.signIn(brunoEmail, brunoPassword, "navigateur")
		var devices service.DeviceSessions
		if err := browser.Call(w.ctx, "sessions.list", "", struct{}{}, &devices); err != nil {
			t.Fatal(err)
		}
		revoked := 0
		for _, d := range devices.Sessions {
			if d.Kind == domain.SessionDesktop && !d.Current {
				if err := browser.Call(w.ctx, "sessions.revoke", "", map[string]string{"id": d.ID}, nil); err != nil {
					t.Fatal(err)
				}
				revoked++
			}
		}
		if revoked != 1 {
			t.Fatalf("%d desktop sessions revoked", revoked)
		}

		if _, err := Pull(w.ctx, w.desk, w.client, PullOptions{}); !errors.Is(err, ErrSignedOut) {
			t.Fatalf("pull after the sign-out: %v", err)
		}
		for _, table := range []string{"organizations", "memberships", "accounts", "sessions", "tasks", "replica_orgs", store.ReplicaHistoryTable} {
			if n := w.count(table, "1 = 1"); n != 0 {
				t.Errorf("signed out: %d rows of %s left", n, table)
			}
		}
		if n := w.count("pending_operations", "1 = 1"); n != 1 {
			t.Errorf("signed out: %d queued operations kept, want 1", n)
		}
		if _, err := w.localCall(token, "tasks.list", `{}`); domain.CodeOf(err) != domain.CodeUnauthenticated {
			t.Errorf("the local session still works after the sign-out: %v", err)
		}
	})
}

// A change made on the server arrives by the next pull; an edit made on
// the replica and not pushed yet is re-applied on top, under the same id;
// once pushed, the replica equals the server.
func TestPullBringsServerChangesAndKeepsPendingEdits(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		w.give(domain.RightTasksManage, true)
		w.give(domain.RightTasksView, true)
		w.pull()
		token := w.localSession()
		local := w.queueTask(token, "Sur le portable")
		w.asAnne("tasks.create", `{"title":"Sur le serveur"}`)
		w.asAnne("company.update", `{"legalName":"Cabinet Martin SARL","siret":"","vat":"","address":"","postalCode":"","city":"","country":"FR","mobilePhone":"","companyPhone":""}`)

		rep := w.pull()
		if rep.Organizations != 1 || rep.Changes < 2 {
			t.Fatalf("pull after server changes: %+v", rep)
		}
		titles := map[string]string{}
		var tasks []store.Task
		w.desk.Store.DB(w.ctx).Find(&tasks)
		for _, tk := range tasks {
			titles[tk.Title] = tk.ID
		}
		if titles["Sur le serveur"] == "" || titles["Sur le portable"] != local || len(tasks) != 2 {
			t.Fatalf("tasks on the replica: %v (the local one was %s)", titles, local)
		}
		// The session the queue was re-applied through is gone: only the desktop's own.
		if n := w.count("sessions", "1 = 1"); n != 1 {
			t.Errorf("%d sessions on the replica after re-applying the queue, want 1", n)
		}
		var legal []string
		w.desk.Store.DB(w.ctx).Table("company_profiles").Pluck("legal_name", &legal)
		if len(legal) != 1 || legal[0] != "Cabinet Martin SARL" {
			t.Errorf("company profile on the replica: %v", legal)
		}

		if rep, err := Push(w.ctx, w.desk.Store, w.client, nowUTC); err != nil || rep.Accepted != 1 {
			t.Fatalf("push: %+v, %v", rep, err)
		}
		w.pull()
		w.sameAsServer()
	})
}

// A server of another schema: the replica is left as it was, the queue
// kept, and the pull says ErrVersion.
func TestOtherVersionWritesNothing(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		w.give(domain.RightMembersView, true)
		w.pull()
		before := fingerprint(t, w.desk.Store)
		w.asAnne("tasks.create", `{"title":"Après la mise à jour"}`)
		w.give(domain.RightAuditView, true)
		// The desktop was updated and its schema moved past the server's.
		if err := w.desk.Store.DB(w.ctx).Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, true)").Error; err != nil {
			t.Fatal(err)
		}
		if _, err := Pull(w.ctx, w.desk, w.client, PullOptions{}); !errors.Is(err, ErrVersion) {
			t.Fatalf("pull from another version: %v", err)
		}
		if after := fingerprint(t, w.desk.Store); after != before {
			t.Error("the replica changed on a pull from another version")
		}
	})
}

// When only tasks changed, the replica reads the tasks again and nothing
// else; what changes next, of any kind, still arrives, and a pending local
// task stays on top.
func TestOnlyTasksChangedRereadsTheTasks(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		w.give(domain.RightTasksManage, true)
		w.give(domain.RightTasksView, true)
		w.give(domain.RightMembersView, true)
		w.pull()
		token := w.localSession()
		w.queueTask(token, "Sur le portable")
		// Marked on the replica's copy: a whole rebuild would put the server's back.
		w.desk.Store.DB(w.ctx).Exec("UPDATE organizations SET website = 'marque' WHERE id = ?", w.org)
		w.asAnne("tasks.create", fmt.Sprintf(`{"title":"Pour Bruno","assigneeId":%q}`, w.bruno))
		if rep := w.pull(); rep.Organizations != 1 || rep.Changes != 1 {
			t.Fatalf("a task made on the server: %+v", rep)
		}
		if n := w.count("tasks", "org_id = ?", w.org); n != 2 {
			t.Errorf("%d tasks on the replica, want the server's and the pending one", n)
		}
		if n := w.count("organizations", "website = 'marque'"); n != 1 {
			t.Error("a task made on the server rebuilt the whole organization")
		}
		if n := w.count("task_counts", "org_id = ? AND assignee_key = ? AND n = 1", w.org, w.bruno); n != 1 {
			t.Error("the task counters were not recounted")
		}

		w.asAnne("company.update", `{"legalName":"Cabinet Martin SARL","siret":"","vat":"","address":"","postalCode":"","city":"","country":"FR","mobilePhone":"","companyPhone":""}`)
		w.pull()
		var legal []string
		w.desk.Store.DB(w.ctx).Table("company_profiles").Pluck("legal_name", &legal)
		if len(legal) != 1 || legal[0] != "Cabinet Martin SARL" {
			t.Errorf("the company profile after the tasks' rebuild: %v", legal)
		}
		if n := w.count("organizations", "website = 'marque'"); n != 0 {
			t.Error("a change of the company did not rebuild the organization")
		}
		if rep, err := Push(w.ctx, w.desk.Store, w.client, nowUTC); err != nil || rep.Accepted != 1 {
			t.Fatalf("push: %+v, %v", rep, err)
		}
		w.pull()
		w.sameAsServer()
	})
}
