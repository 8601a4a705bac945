package service

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// A person's export holds their own data from both organizations they
// belong to, and nothing of another account's nor any secret the database
// holds: not a password hash, second-factor secret, recovery code or session
// token (each searched in the file, as the change log's test does).
func TestDataExportHoldsOwnDataOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		ctx := context.Background()
		db := st.DB(ctx)
		now := time.Now().UTC().Truncate(time.Second)
		due := "2026-12-24"

		// Anne (adminA) is also a member of the other organization, with a
		// job title and a reference there.
		memB := store.MemberRecord{ID: domain.NewID(), OrgID: f.orgB, AccountID: f.adminAID, Status: domain.MemberActive,
			JobTitle: "Comptable détachée", EmployeeRef: "EMP-ANNE-42", CreatedAt: now, UpdatedAt: now}
		rows := []any{&memB,
			&store.Task{ID: domain.NewID(), OrgID: f.orgA, Title: "Relancer le cabinet Anne", DueDate: &due, Status: "open",
				AssigneeID: &f.adminAID, CreatorID: &f.memberAID, CreatedAt: now, UpdatedAt: now, Recurrence: "none"},
			&store.Task{ID: domain.NewID(), OrgID: f.orgB, Title: "Préparer la paie Anne", Status: "open",
				CreatorID: &f.adminAID, CreatedAt: now, UpdatedAt: now, Recurrence: "none"},
			// Others' tasks, never to be seen.
			&store.Task{ID: domain.NewID(), OrgID: f.orgA, Title: "Tâche secrète de Claire", Status: "open",
				AssigneeID: &f.memberAID, CreatorID: &f.memberAID, CreatedAt: now, UpdatedAt: now, Recurrence: "none"},
			&store.Task{ID: domain.NewID(), OrgID: f.orgB, Title: "Tâche secrète de Bruno", Status: "open",
				AssigneeID: &f.adminBID, CreatorID: &f.adminBID, CreatedAt: now, UpdatedAt: now, Recurrence: "none"},
		}
		for _, r := range rows {
			if err := st.Create(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		// Second factors with their secrets and recovery codes, Anne's and Claire's.
		for i, acc := range []string{f.adminAID, f.memberAID} {
			secret := []string{"ANNETOTPSECRETBASE32AAAA", "CLAIRETOTPSECRETBASE32BB"}[i]
			if err := db.Exec("INSERT INTO account_security (account_id, totp_secret, totp_enabled, totp_last_step, pending_secret, enabled_at) VALUES (?, ?, ?, 0, ?, ?)",
				acc, secret, true, "PENDINGSECRET"+secret, now).Error; err != nil {
				t.Fatal(err)
			}
			for j := range 3 {
				if err := db.Exec("INSERT INTO recovery_codes (id, account_id, code_hash, created_at) VALUES (?, ?, ?, ?)",
					domain.NewID(), acc, secret+"-codehash-"+string(rune('a'+j)), now).Error; err != nil {
					t.Fatal(err)
				}
			}
		}
		// History of both: Anne's profile, Claire's profile.
		e.mustCall("account.updateProfile", f.adminA, `{"mobilePhone":"+33612345678","jobTitle":"Gérante"}`)
		e.mustCall("account.updateProfile", f.memberA, `{"mobilePhone":"+33798765432","firstName":"Clarisse"}`)
		// Anne invites someone: the entry is hers, the address is not.
		e.mustCall("invitations.create", f.adminA, `{"email":"zoe.invitee@example.fr","firstName":"Zoé","lastName":"Invitée","jobTitle":""}`)
		e.mustCall("notifications.set", f.adminA, `{"category":"weekly_digest","enabled":false}`)

		res, _, after := follow(t, e, f.adminA, "account.exportData", `{}`, "account.exportData")
		file := res.Output.(ExportFile)
		if after.State != JobDone || after.Total != dataExportSections || after.Done != after.Total {
			t.Fatalf("job after: %+v", after)
		}
		if !strings.HasPrefix(file.Filename, "atrium-mes-donnees-") || !strings.HasSuffix(file.Filename, ".json") || file.ContentType != "application/json" {
			t.Fatalf("file %q (%s)", file.Filename, file.ContentType)
		}
		var data PersonalData
		if err := json.Unmarshal([]byte(file.Content), &data); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, file.Content)
		}
		if data.Format != dataExportFormat || data.Version != 1 || data.ExportedAt.IsZero() || !strings.Contains(file.Content, "\n  \"profile\"") {
			t.Fatalf("header: %s %d %v", data.Format, data.Version, data.ExportedAt)
		}

		// Anne's own data, from both organizations.
		p := data.Profile
		if p.ID != f.adminAID || p.FirstName != "Anne" || p.MobilePhone != "+33612345678" || p.JobTitle != "Gérante" || !strings.EqualFold(p.Email, "anne.martin@example.fr") {
			t.Fatalf("profile: %+v", p)
		}
		if !data.TwoFactor.Enabled || data.TwoFactor.EnabledAt == nil || data.TwoFactor.RecoveryCodesLeft != 3 {
			t.Fatalf("two factor: %+v", data.TwoFactor)
		}
		digest := false
		for _, n := range data.Notifications {
			digest = digest || (n.Category == "weekly_digest" && !n.Enabled)
		}
		if !digest || len(data.Notifications) < 2 {
			t.Fatalf("notifications: %+v", data.Notifications)
		}
		orgs := map[string]DataMembership{}
		for _, m := range data.Memberships {
			orgs[m.OrganizationName] = m
		}
		if a, b := orgs["Cabinet Martin"], orgs["Autre société"]; len(orgs) != 2 || len(a.Roles) != 1 || a.Roles[0] != AdminRoleName ||
			b.JobTitle != "Comptable détachée" || b.EmployeeRef != "EMP-ANNE-42" || b.Status != domain.MemberActive || b.JoinedAt.IsZero() {
			t.Fatalf("memberships: %+v", data.Memberships)
		}
		if len(data.Devices) == 0 || data.Devices[0].Kind == "" || data.Devices[0].CreatedAt.IsZero() {
			t.Fatalf("devices: %+v", data.Devices)
		}
		tasks := map[string]DataTask{}
		for _, x := range data.Tasks {
			tasks[x.Title] = x
		}
		if a, b := tasks["Relancer le cabinet Anne"], tasks["Préparer la paie Anne"]; len(tasks) != 2 || !a.AssignedToMe || a.CreatedByMe ||
			a.DueDate == nil || *a.DueDate != due || a.OrganizationName != "Cabinet Martin" || !b.CreatedByMe || b.OrganizationName != "Autre société" {
			t.Fatalf("tasks: %+v", data.Tasks)
		}
		seen := map[string]bool{}
		for _, h := range data.History {
			seen[h.OrganizationName+"|"+h.Action] = true
			if !h.ByMe && !h.AboutMe {
				t.Errorf("an entry neither by nor about Anne: %+v", h)
			}
		}
		if !seen["|"+audit.ProfileChanged] || !seen["Cabinet Martin|"+audit.WorkspaceCreated] || !seen["Cabinet Martin|"+audit.InvitationSent] {
			t.Fatalf("history: %v", seen)
		}

		// Nothing of the others, no secret.
		for _, other := range []string{f.memberAID, f.adminBID, "claire.petit", "bruno.durand", "Clarisse", "+33798765432",
			"Tâche secrète", "zoe.invitee", "Invitée", f.adminA, f.memberA, f.adminB} {
			if strings.Contains(file.Content, other) {
				t.Errorf("the file holds %q", other)
			}
		}
		for where, secret := range secrets(t, st) {
			if strings.Contains(file.Content, secret) {
				t.Errorf("the file holds %s", where)
			}
		}

		// The export is in the account's own history.
		mine := out[HistoryPage](t, e.mustCall("history.mine", f.adminA, `{"before":0,"limit":20}`))
		if len(mine.Entries) == 0 || mine.Entries[0].Action != audit.PersonalDataExported {
			t.Fatalf("own history: %+v", mine.Entries)
		}
		if got := audit.ActionLabel(audit.PersonalDataExported, "fr"); got != "Export de ses données personnelles" {
			t.Fatalf("label %q", got)
		}
	})
}

// A long history is all in the file, read 500 entries at a time: 2,000
// entries about the person, or ATRIUM_DATA_EXPORT_ENTRIES (the figure of
// docs/PERFORMANCE.md: 20,000; writing them one by one takes PostgreSQL
// two minutes).
func TestDataExportOfALongHistory(t *testing.T) {
	n := 2_000
	if v, err := strconv.Atoi(os.Getenv("ATRIUM_DATA_EXPORT_ENTRIES")); err == nil && v > 0 {
		n = v
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		ctx := context.Background()
		by := domain.Actor{AccountID: f.memberAID, OrgID: f.orgA}
		err := st.Tx(ctx, func(ctx context.Context) error {
			for i := range n {
				if err := e.rec.Record(ctx, audit.Entry{By: by, OrgID: f.orgA, Action: audit.MemberUpdated, SubjectType: "membership",
					SubjectID: f.memberOf(f.adminAID), Details: map[string]any{"fields": []string{"job_title"}, "n": i}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		res := e.mustCall("account.exportData", f.adminA, `{}`)
		took := time.Since(start)
		file := res.Output.(ExportFile)
		var data PersonalData
		if err := json.Unmarshal([]byte(file.Content), &data); err != nil {
			t.Fatal(err)
		}
		updates := 0
		for _, h := range data.History {
			if h.Action == audit.MemberUpdated && h.AboutMe && !h.ByMe {
				updates++
			}
		}
		if updates != n || data.Counts["history"] != len(data.History) {
			t.Fatalf("%d of the %d entries about the person (%d in all)", updates, n, len(data.History))
		}
		t.Logf("%d history entries: exported in %v, %d bytes", len(data.History), took.Round(time.Millisecond), len(file.Content))
	})
}
