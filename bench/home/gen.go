// Package home generates the data of an accountant's home page at scale
// (Accueil: an account in 500 dossiers with 50,000 tasks), for the service
// benchmark and the browser figures of docs/PERFORMANCE.md.
package home

import (
	"context"
	"fmt"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
)

// Generate puts the account in `dossiers` dossiers (firstOrg, where it
// already is, and dossiers-1 more: Admin of most — the role named adminRole —,
// a member without any role in one in ten, one in fifty closed) holding
// `tasks` tasks spread evenly, a tenth of them assigned to it, a third done,
// due from a month ago to two months ahead, and a pending invitation in one
// dossier in five. Everything is written in one transaction, straight
// through the store (no history: the home page does not read it).
func Generate(ctx context.Context, st *store.Store, accountID, firstOrg, adminRole string, dossiers, tasks int) error {
	if dossiers < 1 || tasks < 0 {
		return fmt.Errorf("dossiers %d, tasks %d: at least one dossier", dossiers, tasks)
	}
	now := time.Now().UTC()
	return st.Tx(ctx, func(ctx context.Context) error {
		db := st.DB(ctx)
		orgs := []string{firstOrg}
		var rows []any
		for i := 1; i < dossiers; i++ {
			name := fmt.Sprintf("Client %03d SARL", i)
			org := store.OrgRecord{ID: domain.NewID(), Name: name, SearchName: store.FoldName(name), Timezone: "Europe/Paris",
				Status: domain.OrgActive, CreatedAt: now, UpdatedAt: now}
			if i%50 == 0 {
				org.Status = domain.OrgClosed
			}
			mem := domain.Membership{ID: domain.NewID(), OrgID: org.ID, AccountID: accountID, Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now}
			rows = append(rows, &org, &mem)
			if i%10 != 0 {
				role := domain.Role{ID: domain.NewID(), OrgID: org.ID, Name: adminRole, IsAdmin: true, CreatedAt: now}
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
				return err
			}
		}
		perOrg := tasks / dossiers
		var list []store.Task
		for i, org := range orgs {
			for j := 0; j < perOrg; j++ {
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
				list = append(list, t)
			}
		}
		return db.CreateInBatches(list, 500).Error
	})
}
