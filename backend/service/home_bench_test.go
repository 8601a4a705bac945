package service

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// homeScale puts the account of token in 500 dossiers (its first one and 499
// more: Admin of most, a member without any role in one in ten) holding
// 50,000 tasks, a tenth of them assigned to it, due from a month ago to two
// months ahead, and a pending invitation in one dossier in five.
func homeScale(tb testing.TB, st *store.Store, accountID, firstOrg string) {
	tb.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	db := st.DB(ctx)
	orgs := []string{firstOrg}
	var rows []any
	for i := 1; i < 500; i++ {
		name := fmt.Sprintf("Client %03d SARL", i)
		org := store.OrgRecord{ID: domain.NewID(), Name: name, SearchName: store.FoldName(name), Timezone: "Europe/Paris",
			Status: domain.OrgActive, CreatedAt: now, UpdatedAt: now}
		if i%50 == 0 {
			org.Status = domain.OrgClosed
		}
		mem := domain.Membership{ID: domain.NewID(), OrgID: org.ID, AccountID: accountID, Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now}
		rows = append(rows, &org, &mem)
		if i%10 != 0 {
			role := domain.Role{ID: domain.NewID(), OrgID: org.ID, Name: AdminRoleName, IsAdmin: true, CreatedAt: now}
			rows = append(rows, &role, &domain.MembershipRole{MembershipID: mem.ID, RoleID: role.ID, OrgID: org.ID})
		}
		if i%5 == 0 {
			rows = append(rows, &store.Invitation{ID: domain.NewID(), OrgID: org.ID, Email: fmt.Sprintf("invite%d@example.fr", i),
				RoleIDs: "[]", Rights: "[]", Language: "fr", Status: store.InvitationPending, CreatedAt: now, SentAt: now, ExpiresAt: now.AddDate(0, 0, 7)})
		}
		orgs = append(orgs, org.ID)
	}
	for _, r := range rows {
		if err := db.Create(r).Error; err != nil {
			tb.Fatal(err)
		}
	}
	var tasks []store.Task
	for i, org := range orgs {
		for j := 0; j < 100; j++ {
			t := store.Task{ID: domain.NewID(), OrgID: org, Title: fmt.Sprintf("Tâche %d-%d", i, j), Status: store.TaskOpen, CreatedAt: now, UpdatedAt: now}
			due := now.AddDate(0, 0, (i*7+j)%90-30).Format(time.DateOnly)
			t.DueDate = &due
			if j%10 == 0 {
				a := accountID
				t.AssigneeID = &a
			}
			if j%3 == 0 {
				t.Status = store.TaskDone
			}
			tasks = append(tasks, t)
		}
	}
	if err := db.CreateInBatches(tasks, 500).Error; err != nil {
		tb.Fatal(err)
	}
}

// The home page of an account in 500 dossiers with 50,000 tasks, as the
// console asks for it (a call through the registry, with its session): the
// figure is the p95 of the calls after the first, which loads each dossier's
// rights once. `go test -bench HomeSummary -run ^$ ./backend/service/`
func BenchmarkHomeSummary(b *testing.B) {
	st := storetest.SQLite(b)
	reg := start(b, Deps{Store: st, Password: fastHash}).Registry
	ctx := context.Background()
	res, err := reg.Invoke(ctx, Call{Op: "setup.createWorkspace", Input: []byte(workspace)})
	if err != nil {
		b.Fatal(err)
	}
	info := res.Output.(SessionInfo)
	homeScale(b, st, info.Account.ID, info.Organization.ID)
	call := Call{Op: "home.summary", Input: []byte(`{}`), Token: res.Token, Device: desktop}
	first := time.Now()
	out, err := reg.Invoke(ctx, call)
	if err != nil {
		b.Fatal(err)
	}
	firstTook := time.Since(first)
	h := out.Output.(HomeSummary)
	if h.Dossiers != 500 || len(h.Tasks) != HomeTaskLimit || h.Tasks[0].LateDays == 0 {
		b.Fatalf("dossiers %d, tasks %d", h.Dossiers, len(h.Tasks))
	}
	var took []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := reg.Invoke(ctx, call); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t0))
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(firstTook.Microseconds())/1000, "first-ms")
}
