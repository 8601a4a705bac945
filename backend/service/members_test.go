package service

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

func out[T any](t *testing.T, res Result) T {
	t.Helper()
	v, ok := res.Output.(T)
	if !ok {
		t.Fatalf("output is %T", res.Output)
	}
	return v
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func wantField(t *testing.T, err error, field, code string) {
	t.Helper()
	if got := fieldsOf(t, err)[field]; got != code {
		t.Errorf("field %s: got %q, want %q (%v)", field, got, code, err)
	}
}

func auditCount(t *testing.T, st *store.Store, action string) int64 {
	t.Helper()
	var n int64
	if err := st.DB(context.Background()).Table("audit_events").Where("action = ?", action).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func adminRoleID(t *testing.T, e *env, token string) string {
	t.Helper()
	for _, r := range out[RoleList](t, e.mustCall("roles.list", token, `{}`)).Roles {
		if r.IsAdmin {
			return r.ID
		}
	}
	t.Fatal("no Admin role")
	return ""
}

func TestRightsCatalogHasTexts(t *testing.T) {
	cat := Deps{AppAddresses: everyAppAddress}.rightsCatalog()
	n := 0
	for _, g := range cat.Groups {
		if g.Name.Fr == "" || g.Name.En == "" || g.Name.Fr == g.Key {
			t.Errorf("group %s has no name", g.Key)
		}
		for _, r := range g.Rights {
			n++
			if r.Label.Fr == "" || r.Label.En == "" || r.Description.Fr == "" || r.Description.En == "" {
				t.Errorf("right %s has no label or description", r.Name)
			}
		}
	}
	if want := len(domain.AllRights()) - len(domain.NotBuilt); n != want {
		t.Errorf("catalog shows %d rights, want %d", n, want)
	}
	for _, app := range domain.Applications {
		found := false
		for _, g := range cat.Groups {
			found = found || g.Key == app.Key
		}
		if !found {
			t.Errorf("application %s has no group of rights", app.Key)
		}
	}
}

func TestRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		roles := out[RoleList](t, e.mustCall("roles.list", f.adminA, `{}`)).Roles
		if len(roles) != 1 || !roles[0].IsAdmin || roles[0].MemberCount != 1 || len(roles[0].Rights) != len(domain.AllRights()) {
			t.Fatalf("initial roles %+v", roles)
		}
		adminRole := roles[0].ID

		// Bad input: unknown right, empty name, the Admin name; nothing written.
		before := snapshot(t, st)
		_, err := e.call("roles.create", f.adminA, `{"name":"Comptable","rights":["invoices.view","invoices.steal"]}`)
		wantField(t, err, "rights", domain.FieldUnknownRight)
		_, err = e.call("roles.create", f.adminA, `{"name":"  ","rights":[]}`)
		wantField(t, err, "name", domain.FieldRequired)
		_, err = e.call("roles.create", f.adminA, `{"name":"admin","rights":[]}`)
		wantField(t, err, "name", domain.FieldNameTaken)
		// The Admin role is locked.
		_, err = e.call("roles.update", f.adminA, jsonOf(RoleInput{RoleID: adminRole, Name: "Chefs", Rights: []string{}}))
		wantField(t, err, "roleId", domain.FieldAdminRoleLocked)
		_, err = e.call("roles.delete", f.adminA, jsonOf(RoleIDInput{RoleID: adminRole}))
		wantField(t, err, "roleId", domain.FieldAdminRoleLocked)
		if snapshot(t, st) != before {
			t.Fatal("refused role changes wrote something")
		}

		created := out[RoleView](t, e.mustCall("roles.create", f.adminA, `{"name":"Comptable","rights":["invoices.view","invoices.view"]}`))
		if created.Name != "Comptable" || strings.Join(created.Rights, ",") != "invoices.view" {
			t.Fatalf("created %+v", created)
		}
		_, err = e.call("roles.create", f.adminA, `{"name":"COMPTABLE","rights":[]}`)
		wantField(t, err, "name", domain.FieldNameTaken)
		// Org B's admin cannot see or touch it.
		if _, err := e.call("roles.update", f.adminB, jsonOf(RoleInput{RoleID: created.ID, Name: "X", Rights: []string{}})); domain.CodeOf(err) != domain.CodeNotFound {
			t.Errorf("cross-org role update: %v", err)
		}
		for _, r := range out[RoleList](t, e.mustCall("roles.list", f.adminB, `{}`)).Roles {
			if r.ID == created.ID {
				t.Error("org B sees org A's role")
			}
		}

		memberA := f.memberOf(f.memberAID)
		e.mustCall("members.setRoles", f.adminA, jsonOf(SetRolesInput{MemberID: memberA, RoleIDs: []string{created.ID}}))
		// The member now holds invoices.view, and nothing else.
		if info := out[SessionInfo](t, e.mustCall("session.current", f.memberA, `{}`)); strings.Join(info.Rights, ",") != "invoices.view" {
			t.Errorf("member rights %v", info.Rights)
		}
		renamed := out[RoleView](t, e.mustCall("roles.update", f.adminA, jsonOf(RoleInput{RoleID: created.ID, Name: "Comptables", Rights: []string{"members.view", "invoices.view"}})))
		if renamed.Name != "Comptables" || strings.Join(renamed.Rights, ",") != "invoices.view,members.view" {
			t.Fatalf("renamed %+v", renamed)
		}
		e.mustCall("members.list", f.memberA, `{}`) // members.view through the role now
		roles = out[RoleList](t, e.mustCall("roles.list", f.adminA, `{}`)).Roles
		if len(roles) != 2 || roles[1].MemberCount != 1 {
			t.Fatalf("roles %+v", roles)
		}
		// Members of a role (D4): the role filter of the member list.
		page := out[MemberPage](t, e.mustCall("members.list", f.adminA, jsonOf(ListMembersInput{RoleID: created.ID, WithTotal: true})))
		if page.Total != 1 || len(page.Items) != 1 || page.Items[0].ID != memberA {
			t.Fatalf("role members %+v", page)
		}
		if _, err := e.call("members.list", f.adminB, jsonOf(ListMembersInput{RoleID: created.ID})); domain.CodeOf(err) != domain.CodeNotFound {
			t.Errorf("org B listing org A's role members: %v", err)
		}

		e.mustCall("roles.delete", f.adminA, jsonOf(RoleIDInput{RoleID: created.ID}))
		if info := out[SessionInfo](t, e.mustCall("session.current", f.memberA, `{}`)); len(info.Rights) != 0 {
			t.Errorf("deleting the role left rights %v", info.Rights)
		}
		if n := count(t, st, "membership_roles"); n != 2 { // the two admins (orgs A and B)
			t.Errorf("membership_roles has %d rows", n)
		}
		for _, a := range []string{"role.created", "role.updated", "role.deleted", "member.roles_changed"} {
			if auditCount(t, st, a) != 1 {
				t.Errorf("history has %d %s", auditCount(t, st, a), a)
			}
		}
	})
}

func TestAdminRoleOnlyGivenByAdmins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		memberA := f.memberOf(f.memberAID)
		admin := adminRoleID(t, e, f.adminA)
		createRole(t, st, f.orgA, "Gestion des droits", memberA, domain.RightRightsEdit, domain.RightMembersView)
		_, err := e.call("members.setRoles", f.memberA, jsonOf(SetRolesInput{MemberID: memberA, RoleIDs: []string{admin}}))
		if domain.CodeOf(err) != domain.CodeForbidden {
			t.Fatalf("a rights editor made themselves admin: %v", err)
		}
		// A rights editor may still hand out custom roles within their rights.
		other := createRole(t, st, f.orgA, "Consultation", "", domain.RightMembersView)
		e.mustCall("members.removeRole", f.memberA, jsonOf(RemoveRoleInput{MemberID: f.memberOf(f.adminAID), RoleID: other}))
		if _, err := e.call("members.removeRole", f.memberA, jsonOf(RemoveRoleInput{MemberID: f.memberOf(f.adminAID), RoleID: admin})); domain.CodeOf(err) != domain.CodeForbidden {
			t.Fatalf("a rights editor removed an admin: %v", err)
		}
	})
}

func TestMemberList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		ctx := context.Background()
		// 12 more members: names, employee references and statuses to search.
		names := []string{"Dupont", "Durand", "Dubois", "Martin", "Petit", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia"}
		var ids []string
		for i, n := range names {
			accID, _ := seedMember(t, st, f.orgA, fmt.Sprintf("p%d@example.fr", i), "Jean", n, domain.MemberActive)
			m, _ := st.MemberByAccount(ctx, f.orgA, accID)
			st.UpdateMember(ctx, f.orgA, m.ID, map[string]any{"employee_ref": fmt.Sprintf("EMP-%03d", i)})
			ids = append(ids, m.ID)
		}
		st.UpdateMember(ctx, f.orgA, ids[1], map[string]any{"status": domain.MemberDisabled})
		st.UpdateMember(ctx, f.orgA, ids[2], map[string]any{"status": domain.MemberDeleted})

		list := func(in ListMembersInput) MemberPage {
			t.Helper()
			return out[MemberPage](t, e.mustCall("members.list", f.adminA, jsonOf(in)))
		}
		lastNames := func(p MemberPage) string {
			var s []string
			for _, it := range p.Items {
				s = append(s, it.LastName)
			}
			return strings.Join(s, ",")
		}
		if got := lastNames(list(ListMembersInput{Query: "du"})); got != "Dubois,Dupont,Durand" {
			t.Errorf("search du: %s", got)
		}
		if got := lastNames(list(ListMembersInput{Query: "JEAN dur"})); got != "Durand" {
			t.Errorf("search jean dur: %s", got)
		}
		if got := lastNames(list(ListMembersInput{Query: "p3@exa"})); got != "Martin" {
			t.Errorf("search by email: %s", got)
		}
		if got := lastNames(list(ListMembersInput{Query: "emp-004"})); got != "Petit" {
			t.Errorf("search by employee reference: %s", got)
		}
		acc, _ := st.MemberByID(ctx, f.orgA, ids[5])
		if got := lastNames(list(ListMembersInput{Query: acc.AccountID})); got != "Leroy" {
			t.Errorf("search by account ID: %s", got)
		}
		if got := lastNames(list(ListMembersInput{Status: domain.MemberDeleted})); got != "Dubois" {
			t.Errorf("deleted filter: %s", got)
		}
		if got := lastNames(list(ListMembersInput{Query: "du", Status: domain.MemberDisabled})); got != "Durand" {
			t.Errorf("disabled filter: %s", got)
		}
		if p := list(ListMembersInput{Query: "%"}); len(p.Items) != 0 {
			t.Errorf("a wildcard matched %d members", len(p.Items))
		}
		// Paging: 14 members (2 from the fixture) in pages of 5, no gaps, no repeats.
		var all, allIDs []string
		cursor := ""
		for pages := 0; ; pages++ {
			p := list(ListMembersInput{Limit: 5, Cursor: cursor, WithTotal: cursor == ""})
			if cursor == "" && p.Total != 14 {
				t.Errorf("total %d", p.Total)
			}
			for _, it := range p.Items {
				all = append(all, it.LastName)
				allIDs = append(allIDs, it.ID)
			}
			if cursor = p.NextCursor; cursor == "" || pages > 5 {
				break
			}
		}
		// In name order: the fixture's member is named after her email.
		if len(all) != 14 || all[0] != "claire.petit@example.fr" || all[1] != "Dubois" || all[13] != "Simon" {
			t.Errorf("pages %v", all)
		}
		seen := map[string]bool{}
		for _, n := range allIDs {
			if seen[n] {
				t.Errorf("%s listed twice", n)
			}
			seen[n] = true
		}
		_, err := e.call("members.list", f.adminA, `{"status":"gone","cursor":"!!"}`)
		wantField(t, err, "status", domain.FieldInvalidChoice)
		wantField(t, err, "cursor", domain.FieldInvalidChoice)
		// Org B sees none of them.
		if p := out[MemberPage](t, e.mustCall("members.list", f.adminB, `{"query":"du"}`)); len(p.Items) != 0 {
			t.Errorf("org B sees %d of org A's members", len(p.Items))
		}
		// The search keys follow the account's name.
		e.mustCall("account.updateProfile", f.memberA, `{"lastName":"Zorro"}`)
		if got := lastNames(list(ListMembersInput{Query: "zor"})); got != "Zorro" {
			t.Errorf("renamed account not found: %q", got)
		}
	})
}

// seedMember adds an account with a membership of the given status (no role).
func seedMember(t *testing.T, st *store.Store, orgID, email, first, last, status string) (accountID, memberID string) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	hash, _ := auth.HashPassword("un mot de passe solide", fastHash)
	acc := domain.Account{ID: domain.NewID(), Email: email, PasswordHash: hash, FirstName: first, LastName: last, Language: "fr", CreatedAt: now, UpdatedAt: now}
	mem := domain.Membership{ID: domain.NewID(), OrgID: orgID, AccountID: acc.ID, Status: status, CreatedAt: now, UpdatedAt: now}
	for _, r := range []any{&acc, &mem} {
		if err := st.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return acc.ID, mem.ID
}

func TestMemberEditAndRights(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		memberA := f.memberOf(f.memberAID)
		d := out[MemberDetail](t, e.mustCall("members.update", f.adminA, `{"memberId":"`+memberA+`","firstName":" Claire ","lastName":"Petit","employeeRef":"E-7","jobTitle":"Comptable"}`))
		if d.Member.FirstName != "Claire" || d.Member.EmployeeRef != "E-7" || d.Member.JobTitle != "Comptable" {
			t.Fatalf("updated %+v", d.Member)
		}
		_, err := e.call("members.update", f.adminA, `{"memberId":"`+memberA+`","lastName":""}`)
		wantField(t, err, "lastName", domain.FieldRequired)

		// Direct rights (D5): unknown right refused; a grant is effective at once.
		_, err = e.call("members.setRight", f.adminA, `{"memberId":"`+memberA+`","right":"members.fly","granted":true}`)
		wantField(t, err, "right", domain.FieldUnknownRight)
		if _, err := e.call("members.list", f.memberA, `{}`); domain.CodeOf(err) != domain.CodeForbidden {
			t.Fatalf("before the grant: %v", err)
		}
		d = out[MemberDetail](t, e.mustCall("members.setRight", f.adminA, `{"memberId":"`+memberA+`","right":"members.view","granted":true}`))
		e.mustCall("members.list", f.memberA, `{}`)
		role := createRole(t, st, f.orgA, "Comptable", memberA, domain.RightInvoicesView, domain.RightMembersView)
		d = out[MemberDetail](t, e.mustCall("members.get", f.adminA, `{"memberId":"`+memberA+`"}`))
		for _, x := range d.Effective {
			switch x.Right {
			case "members.view":
				if !x.Granted || !x.Direct || len(x.Roles) != 1 || x.Roles[0].ID != role {
					t.Errorf("members.view explained as %+v", x)
				}
			case "invoices.view":
				if !x.Granted || x.Direct || len(x.Roles) != 1 || x.Roles[0].Name != "Comptable" {
					t.Errorf("invoices.view explained as %+v", x)
				}
			default:
				if x.Granted {
					t.Errorf("%s granted: %+v", x.Right, x)
				}
			}
		}
		e.mustCall("members.setRight", f.adminA, `{"memberId":"`+memberA+`","right":"members.view","granted":false}`)
		if auditCount(t, st, "right.granted") != 1 || auditCount(t, st, "right.revoked") != 1 || auditCount(t, st, "member.updated") != 1 {
			t.Error("rights changes missing from the history")
		}

		// A deleted member cannot be edited, and nothing changes.
		f.setStatus(memberA, domain.MemberDeleted)
		before := snapshot(t, st)
		for op, in := range map[string]string{
			"members.update":     `{"memberId":"` + memberA + `","jobTitle":"X"}`,
			"members.setRight":   `{"memberId":"` + memberA + `","right":"orders.place","granted":true}`,
			"members.setRoles":   `{"memberId":"` + memberA + `","roleIds":[]}`,
			"members.disable":    `{"memberId":"` + memberA + `"}`,
			"members.removeRole": `{"memberId":"` + memberA + `","roleId":"` + role + `"}`,
		} {
			_, err := e.call(op, f.adminA, in)
			wantField(t, err, "memberId", domain.FieldMemberDeleted)
		}
		if snapshot(t, st) != before {
			t.Error("a refused edit of a deleted member changed the database")
		}
		// A role of another organization is not found.
		otherRole := adminRoleID(t, e, f.adminB)
		f.setStatus(memberA, domain.MemberActive)
		if _, err := e.call("members.setRoles", f.adminA, jsonOf(SetRolesInput{MemberID: memberA, RoleIDs: []string{otherRole}})); domain.CodeOf(err) != domain.CodeNotFound {
			t.Errorf("another organization's role: %v", err)
		}
	})
}

func TestLastAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		me := f.memberOf(f.adminAID)
		admin := adminRoleID(t, e, f.adminA)
		before := snapshot(t, st)
		// The last admin cannot step down: nobody changes their own roles
		// (grants.go), and nobody disables themselves.
		_, err := e.call("members.setRoles", f.adminA, jsonOf(SetRolesInput{MemberID: me, RoleIDs: []string{}}))
		wantRefused(t, err, "memberId", domain.FieldOwnRights)
		_, err = e.call("members.removeRole", f.adminA, jsonOf(RemoveRoleInput{MemberID: me, RoleID: admin}))
		wantRefused(t, err, "memberId", domain.FieldOwnRights)
		_, err = e.call("members.disable", f.adminA, jsonOf(MemberRef{MemberID: me}))
		wantField(t, err, "memberId", domain.FieldNotYourself)
		if snapshot(t, st) != before {
			t.Fatal("a refused demotion changed the database")
		}
		// With a second admin, the second may demote the first; then the second is the last.
		other := f.memberOf(f.memberAID)
		e.mustCall("members.setRoles", f.adminA, jsonOf(SetRolesInput{MemberID: other, RoleIDs: []string{admin}}))
		e.mustCall("members.removeRole", f.memberA, jsonOf(RemoveRoleInput{MemberID: me, RoleID: admin}))
		if _, err := e.call("members.setRoles", f.adminA, jsonOf(SetRolesInput{MemberID: me, RoleIDs: []string{admin}})); domain.CodeOf(err) != domain.CodeForbidden {
			t.Fatalf("a former admin is still admin: %v", err)
		}
		// A disabled admin does not count: a member who may disable members
		// cannot disable the only other active admin.
		e.mustCall("members.setRoles", f.memberA, jsonOf(SetRolesInput{MemberID: me, RoleIDs: []string{admin}}))
		e.mustCall("members.disable", f.memberA, jsonOf(MemberRef{MemberID: me}))
		danID, dan := addAccount(t, e, "dan.morel@example.fr", f.orgA, false)
		grantDirect(t, st, f.orgA, f.memberOf(danID), domain.RightMembersDisable)
		before = snapshot(t, st)
		_, err = e.call("members.disable", dan, jsonOf(MemberRef{MemberID: other}))
		wantField(t, err, "memberId", domain.FieldLastAdmin)
		if snapshot(t, st) != before {
			t.Fatal("disabling the last active admin changed the database")
		}
	})
}

// Two admins demote each other at the same moment: exactly one admin remains.
// Each writer waits (up to 300 ms) between its write and its check for the
// other to get there too: without the per-organization lock both would pass
// the check and leave no admin.
func TestLastAdminUnderConcurrency(t *testing.T) {
	var mu sync.Mutex
	arrived := 0
	release := make(chan struct{})
	beforeAdminCheck = func() {
		mu.Lock()
		arrived++
		if arrived == 2 {
			close(release)
		}
		mu.Unlock()
		select {
		case <-release:
		case <-time.After(300 * time.Millisecond):
		}
	}
	defer func() { beforeAdminCheck = func() {} }()
	reset := func() {
		mu.Lock()
		arrived, release = 0, make(chan struct{})
		mu.Unlock()
	}
	// Two admins each take the other's Admin role, or each delete the other:
	// one of them stays.
	ops := []struct {
		name  string
		input func(target, admin string) string
	}{
		{"members.removeRole", func(target, admin string) string { return jsonOf(RemoveRoleInput{MemberID: target, RoleID: admin}) }},
		{"members.delete", func(target, _ string) string { return jsonOf(DeleteMemberInput{MemberID: target}) }},
	}
	for _, op := range ops {
		// Distinct subtest names: a "#01" suffix would end the SQLite file URI.
		for round := 0; round < 4; round++ {
			t.Run(fmt.Sprintf("%s-round%d", op.name, round), func(t *testing.T) { concurrentDemotions(t, round, reset, op.name, op.input) })
		}
	}
}

func concurrentDemotions(t *testing.T, round int, reset func(), op string, input func(target, admin string) string) {
	{
		storetest.Each(t, func(t *testing.T, st *store.Store) {
			f := newFixture(t, st)
			e := f.env
			admin := adminRoleID(t, e, f.adminA)
			a, b := f.memberOf(f.adminAID), f.memberOf(f.memberAID)
			e.mustCall("members.setRoles", f.adminA, jsonOf(SetRolesInput{MemberID: b, RoleIDs: []string{admin}}))
			reset()
			var wg sync.WaitGroup
			errs := make([]error, 2)
			start := make(chan struct{})
			for i, c := range []struct{ token, target string }{{f.adminA, b}, {f.memberA, a}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[i] = e.reg.Invoke(context.Background(), Call{Op: op, Token: c.token, Device: desktop,
						Input: []byte(input(c.target, admin))})
				}()
			}
			close(start)
			wg.Wait()
			ids, err := st.ActiveAdminIDs(context.Background(), f.orgA)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != 1 {
				t.Fatalf("round %d: %d admins remain (errors %v)", round, len(ids), errs)
			}
			failed := 0
			for _, err := range errs {
				if err != nil {
					failed++
					// The loser is refused by the rule, or (having just lost its
					// own Admin role) by the rights check.
					if c := domain.CodeOf(err); c != domain.CodeValidation && c != domain.CodeForbidden {
						t.Errorf("unexpected error %v", err)
					}
				}
			}
			if failed != 1 {
				t.Fatalf("round %d: %d calls failed, want 1: %v", round, failed, errs)
			}
		})
	}
}

func TestDisableEndsSessionsInThatOrganization(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		ctx := context.Background()
		memberA := f.memberOf(f.memberAID)
		// The same person is also a member of org B, with a session there.
		now := time.Now().UTC()
		st.Create(ctx, &domain.Membership{ID: domain.NewID(), OrgID: f.orgB, AccountID: f.memberAID, Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now})
		tokenB, hash := auth.NewToken()
		st.Create(ctx, &domain.Session{ID: domain.NewID(), AccountID: f.memberAID, OrgID: &f.orgB, TokenHash: hash, Kind: "browser", CreatedAt: now, LastSeenAt: now})

		d := out[MemberDetail](t, e.mustCall("members.disable", f.adminA, jsonOf(MemberRef{MemberID: memberA})))
		if d.Member.Status != domain.MemberDisabled || d.Active {
			t.Fatalf("after disable %+v", d.Member)
		}
		if _, err := e.call("session.current", f.memberA, `{}`); domain.CodeOf(err) != domain.CodeUnauthenticated {
			t.Errorf("the disabled member's session in org A still works: %v", err)
		}
		if info := out[SessionInfo](t, e.mustCall("session.current", tokenB, `{}`)); info.Organization.ID != f.orgB {
			t.Errorf("session in org B: %+v", info.Organization)
		}
		// Signing in again gives no access to org A.
		res := e.mustCall("auth.signIn", "", `{"email":"claire.petit@example.fr","password":"un mot de passe solide"}`)
		if info := out[SessionInfo](t, res); info.Organization.ID == f.orgA {
			t.Error("a disabled member signed into org A")
		}
		d = out[MemberDetail](t, e.mustCall("members.enable", f.adminA, jsonOf(MemberRef{MemberID: memberA})))
		if d.Member.Status != domain.MemberActive {
			t.Fatalf("after enable %+v", d.Member)
		}
		if auditCount(t, st, "member.disabled") != 1 || auditCount(t, st, "member.enabled") != 1 {
			t.Error("disable/enable missing from the history")
		}
	})
}

func TestApplications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		memberA := f.memberOf(f.memberAID)
		_, err := e.call("applications.setEnabled", f.adminA, `{"application":"casino","enabled":true}`)
		wantField(t, err, "application", domain.FieldUnknownApplication)
		_, err = e.call("applications.grant", f.adminA, `{"memberId":"`+memberA+`","application":"payroll","granted":true}`)
		wantField(t, err, "application", domain.FieldApplicationDisabled)
		e.mustCall("applications.setEnabled", f.adminA, `{"application":"payroll","enabled":true}`)
		e.mustCall("applications.grant", f.adminA, `{"memberId":"`+memberA+`","application":"payroll","granted":true}`)
		apps := out[OrgApplications](t, e.mustCall("applications.list", f.adminA, `{}`)).Applications
		if len(apps) != len(domain.Applications) {
			t.Fatalf("%d applications", len(apps))
		}
		for _, a := range apps {
			if a.Key == "payroll" && (!a.Enabled || len(a.Users) != 1 || a.Users[0].MemberID != memberA) {
				t.Errorf("payroll %+v", a)
			}
			if a.Key != "payroll" && (a.Enabled || len(a.Users) != 0) {
				t.Errorf("%s %+v", a.Key, a)
			}
		}
		mine := out[MyApplications](t, e.mustCall("account.applications", f.memberA, `{}`))
		if len(mine.Organizations) != 1 || mine.Organizations[0].OrgID != f.orgA || mine.Organizations[0].Applications[0].Key != "payroll" {
			t.Fatalf("my applications %+v", mine)
		}
		// Disabled in the organization: no longer among "my applications".
		e.mustCall("applications.setEnabled", f.adminA, `{"application":"payroll","enabled":false}`)
		if mine := out[MyApplications](t, e.mustCall("account.applications", f.memberA, `{}`)); len(mine.Organizations) != 0 {
			t.Errorf("disabled application still listed: %+v", mine)
		}
		if out[MyApplications](t, e.mustCall("account.applications", f.adminB, `{}`)).Organizations == nil {
			t.Error("nil list")
		}
	})
}

// Property: for random roles and direct grants, the effective-rights
// explanation says a right is granted exactly when the registry's check
// (authorize on the actor resolved from the member's session) allows it.
func TestEffectiveRightsMatchAuthorize(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		ctx := context.Background()
		all := domain.AllRights()
		rng := rand.New(rand.NewPCG(5, uint64(time.Now().UnixNano())))
		memberA := f.memberOf(f.memberAID)
		admin := adminRoleID(t, e, f.adminA)
		var roles []string
		for i := 0; i < 4; i++ {
			var rs []string
			for _, r := range all {
				if rng.IntN(4) == 0 {
					rs = append(rs, string(r))
				}
			}
			roles = append(roles, out[RoleView](t, e.mustCall("roles.create", f.adminA, jsonOf(RoleInput{Name: fmt.Sprintf("Rôle %d", i), Rights: rs}))).ID)
		}
		for iter := 0; iter < 25; iter++ {
			var pick []string
			for _, r := range roles {
				if rng.IntN(2) == 0 {
					pick = append(pick, r)
				}
			}
			if rng.IntN(8) == 0 {
				pick = append(pick, admin)
			}
			e.mustCall("members.setRoles", f.adminA, jsonOf(SetRolesInput{MemberID: memberA, RoleIDs: pick}))
			for _, r := range all {
				if rng.IntN(5) == 0 {
					e.mustCall("members.setRight", f.adminA, jsonOf(SetRightInput{MemberID: memberA, Right: string(r), Granted: rng.IntN(2) == 0}))
				}
			}
			status := domain.MemberActive
			if rng.IntN(6) == 0 {
				status = domain.MemberAway
			}
			f.setStatus(memberA, status)
			d := out[MemberDetail](t, e.mustCall("members.get", f.adminA, jsonOf(MemberRef{MemberID: memberA})))
			actor, err := e.reg.svc.Auth.resolve(ctx, f.memberA, "")
			if err != nil {
				t.Fatal(err)
			}
			if want := len(all) - len(domain.NotBuilt); len(d.Effective) != want {
				t.Fatalf("explanation covers %d rights, want the %d shown", len(d.Effective), want)
			}
			for _, x := range d.Effective {
				allowed := authorize(&Operation{Access: Member, Right: domain.Right(x.Right)}, actor) == nil
				if allowed != x.Granted {
					t.Fatalf("iteration %d, %s: explained %+v, authorize allows %v (roles %v, status %s)", iter, x.Right, x, allowed, pick, status)
				}
				if x.Granted && len(x.Roles) == 0 && !x.Direct {
					t.Fatalf("%s granted without a reason", x.Right)
				}
			}
			f.setStatus(memberA, domain.MemberActive)
		}
	})
}

// A page cursor comes back from the client: one it did not get from us (NUL
// bytes or invalid UTF-8 inside its encoding) is refused as a bad field, and
// never reaches PostgreSQL, which cannot store NUL.
func TestMemberListRefusesForgedCursor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		for _, raw := range []string{"a\x00b\x00c", "\xff\x00id", "a\x00\xffb"} {
			in := fmt.Sprintf(`{"cursor":%q}`, base64.RawURLEncoding.EncodeToString([]byte(raw)))
			_, err := f.env.call("members.list", f.adminA, in)
			if domain.CodeOf(err) != domain.CodeValidation {
				t.Errorf("cursor %q: got %v, want validation", raw, err)
			}
		}
	})
}

// An application without an address could be switched on but lead nowhere:
// it is not offered, nor are its rights; a right whose feature is not built
// is not shown either. The tile of one offered opens its address.
func TestOnlyApplicationsWithAnAddressAreOffered(t *testing.T) {
	st := storetest.SQLite(t)
	clock := &envClock{}
	sys := start(t, Deps{Store: st, Password: fastHash, Version: "test", Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		CommonPasswords: testCommonPasswords, Clock: clock.Now,
		AppAddresses: map[string]string{domain.AppInvoicing: "https://facturation.cabinet-martin.fr/"}})
	e := &env{t: t, st: st, reg: sys.Registry, rec: sys.History, clock: clock}
	tok := e.setup()
	apps := e.mustCall("applications.list", tok, `{}`).Output.(OrgApplications).Applications
	if len(apps) != 1 || apps[0].Key != domain.AppInvoicing {
		t.Fatalf("offered %+v, want invoicing alone", apps)
	}
	if _, err := e.call("applications.setEnabled", tok, `{"application":"expenses","enabled":true}`); fieldsOf(t, err)["application"] != domain.FieldUnknownApplication {
		t.Fatalf("an application without an address was switched on: %v", err)
	}
	groups := map[string]bool{}
	rights := map[string]bool{}
	for _, g := range e.mustCall("rights.catalog", tok, `{}`).Output.(RightsCatalog).Groups {
		groups[g.Key] = true
		for _, r := range g.Rights {
			rights[r.Name] = true
		}
	}
	if !groups[domain.AppInvoicing] || groups[domain.AppExpenses] || groups["commerce"] || rights[string(domain.RightPrivacyAnonymize)] || !rights[string(domain.RightTasksView)] {
		t.Fatalf("catalog groups %v, rights %v", groups, rights)
	}
	e.mustCall("applications.setEnabled", tok, `{"application":"invoicing","enabled":true}`)
	me := e.mustCall("session.current", tok, "").Output.(SessionInfo)
	m, err := st.MemberByAccount(context.Background(), me.Organization.ID, me.Account.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.mustCall("applications.grant", tok, fmt.Sprintf(`{"memberId":%q,"application":"invoicing","granted":true}`, m.ID))
	mine := e.mustCall("account.applications", tok, `{}`).Output.(MyApplications)
	if len(mine.Organizations) != 1 || len(mine.Organizations[0].Applications) != 1 || mine.Organizations[0].Applications[0].URL != "https://facturation.cabinet-martin.fr/" {
		t.Fatalf("my applications: %+v", mine)
	}
	for _, r := range e.mustCall("members.get", tok, fmt.Sprintf(`{"memberId":%q}`, m.ID)).Output.(MemberDetail).Effective {
		if domain.NotBuilt[domain.Right(r.Right)] || domain.GroupOf(domain.Right(r.Right)) == domain.AppExpenses {
			t.Errorf("the member's rights show %s", r.Right)
		}
	}
}
