package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// opCase tells the rights walker how to call one operation. Every operation
// of the registry must have one: each area declares its cases in its own
// opcases_<area>_test.go, in an init function.
type opCase struct {
	// input returns a valid input for the operation, acting in organization A.
	input func(f *fixture) string
	// crossOrg is true when the input names organization A's own records (by
	// ID), so the walker also checks that org B's admin cannot reach them.
	crossOrg bool
	// selfInput, when set, replaces input in the walk of
	// TestNoOperationGrantsWhatItsCallerLacks: the operation used by a rights
	// editor (memberA) on their own rights or roles, or to hand out rights they
	// do not hold. Without it, input serves: most inputs already name memberA.
	selfInput func(f *fixture) string
}

var opCases = map[string]opCase{}

// fixture is two organizations: A with its admin and a member holding no
// right, and B with its own admin.
type fixture struct {
	env                           *env
	orgA, orgB                    string
	adminA, memberA, adminB       string // session tokens
	adminAID, memberAID, adminBID string // account IDs
}

func newFixture(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	e := newEnv(t, st)
	f := &fixture{env: e}
	res := e.mustCall("setup.createWorkspace", "", workspace)
	info := res.Output.(SessionInfo)
	f.adminA, f.adminAID, f.orgA = res.Token, info.Account.ID, info.Organization.ID
	f.memberAID, f.memberA = addAccount(t, e, "claire.petit@example.fr", f.orgA, false)
	f.adminBID, f.adminB = addAccount(t, e, "bruno.durand@example.fr", "", true)
	var err error
	if f.orgB, err = orgOfSession(st, f.adminB); err != nil {
		t.Fatal(err)
	}
	return f
}

// addAccount creates an account straight in the store: an active member of
// orgID with no role, or (admin) the Admin of a new organization of its own.
func addAccount(t *testing.T, e *env, email, orgID string, admin bool) (accountID, token string) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	hash, _ := auth.HashPassword("un mot de passe solide", fastHash)
	acc := domain.Account{ID: domain.NewID(), Email: email, PasswordHash: hash, FirstName: "Test", LastName: email,
		Language: "fr", CreatedAt: now, UpdatedAt: now}
	rows := []any{&acc}
	mem := domain.Membership{ID: domain.NewID(), AccountID: acc.ID, Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now}
	if admin {
		org := domain.Organization{ID: domain.NewID(), Name: "Autre société", Timezone: "Europe/Paris", Status: domain.OrgActive, CreatedAt: now, UpdatedAt: now}
		role := domain.Role{ID: domain.NewID(), OrgID: org.ID, Name: AdminRoleName, IsAdmin: true, CreatedAt: now}
		mem.OrgID = org.ID
		rows = append(rows, &org, &role, &mem, &domain.MembershipRole{MembershipID: mem.ID, RoleID: role.ID, OrgID: org.ID})
	} else {
		mem.OrgID = orgID
		rows = append(rows, &mem)
	}
	for _, r := range rows {
		if err := e.st.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	res := e.mustCall("auth.signIn", "", fmt.Sprintf(`{"email":%q,"password":"un mot de passe solide"}`, email))
	return acc.ID, res.Token
}

func orgOfSession(st *store.Store, token string) (string, error) {
	s, err := st.SessionByTokenHash(context.Background(), auth.HashToken(token))
	if err != nil || s.OrgID == nil {
		return "", fmt.Errorf("session without organization: %v", err)
	}
	return *s.OrgID, nil
}

// snapshot fingerprints every row of every table, except the sessions'
// "last seen" times that any call may refresh.
func snapshot(t *testing.T, st *store.Store) string {
	t.Helper()
	db := st.DB(context.Background())
	tables, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(tables)
	h := sha256.New()
	for _, table := range tables {
		var rows []map[string]any
		if err := db.Table(table).Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		lines := make([]string, 0, len(rows))
		for _, r := range rows {
			delete(r, "last_seen_at")
			b, _ := json.Marshal(r)
			lines = append(lines, string(b))
		}
		sort.Strings(lines)
		fmt.Fprintln(h, table, len(lines))
		for _, l := range lines {
			fmt.Fprintln(h, l)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestEveryOperationChecksRights walks the whole registry: an operation with
// no case here fails; for every operation that needs a right, a member
// without it is refused with forbidden and nothing changes; an admin of
// another organization cannot reach organization A's records; and A's admin
// succeeds, so the refusals are not an artefact of a bad input.
//
// Each operation gets a database of its own, so one case's writes (a closed
// organization, a disabled member) never weaken another's. It runs on SQLite
// only: access is decided in Go before any SQL, and a fresh PostgreSQL schema
// per operation would cost a minute of CI for nothing more.
func TestEveryOperationChecksRights(t *testing.T) {
	for _, op := range Describe().Operations() {
		c, ok := opCases[op.Name]
		if !ok {
			t.Errorf("operation %s has no case in an opcases_*_test.go file", op.Name)
			continue
		}
		if op.Access != Member {
			continue
		}
		if c.input == nil {
			t.Errorf("operation %s needs organization rights: its case must give an input", op.Name)
			continue
		}
		t.Run(op.Name, func(t *testing.T) {
			f := newFixture(t, storetest.SQLite(t))
			st := f.env.st
			in := c.input(f)
			if op.Right != "" {
				before := snapshot(t, st)
				_, err := f.env.call(op.Name, f.memberA, in)
				if domain.CodeOf(err) != domain.CodeForbidden {
					t.Errorf("member without %s: got %v, want forbidden", op.Right, err)
				}
				if snapshot(t, st) != before {
					t.Errorf("a refused call changed the database")
				}
			}
			if c.crossOrg {
				before := snapshot(t, st)
				_, err := f.env.call(op.Name, f.adminB, in)
				if code := domain.CodeOf(err); code != domain.CodeForbidden && code != domain.CodeNotFound {
					t.Errorf("admin of another organization: got %v, want not_found or forbidden", err)
				}
				if snapshot(t, st) != before {
					t.Errorf("a call from another organization changed the database")
				}
			}
			// Naming organization A on the call, as a tab would, opens
			// nothing to the admin of B either.
			before := snapshot(t, st)
			if _, err := f.env.callIn(f.orgA, op.Name, f.adminB, in); domain.CodeOf(err) != domain.CodeForbidden {
				t.Errorf("admin of another organization naming A: got %v, want forbidden", err)
			}
			if snapshot(t, st) != before {
				t.Errorf("a call naming another's organization changed the database")
			}
			if _, err := f.env.callIn(f.orgA, op.Name, f.adminA, in); err != nil {
				t.Errorf("the organization's admin is refused, so the case's input is wrong: %v", err)
			}
		})
	}
}

// freshStore opens a new empty database of the same kind as st.
func freshStore(t *testing.T, st *store.Store) *store.Store {
	t.Helper()
	if st.Dialect() == store.Postgres {
		return storetest.Postgres(t)
	}
	return storetest.SQLite(t)
}

// grants is what organization A gives: the rights each member holds by their
// roles and direct grants (whatever their status, so that re-enabling a
// member is not mistaken for a grant), the rights of each role, and the
// rights each pending invitation would give.
type grants struct {
	members, roles, invitations map[string]map[domain.Right]bool
}

func grantsOf(t *testing.T, f *fixture) grants {
	t.Helper()
	ctx, st := context.Background(), f.env.st
	g := grants{members: map[string]map[domain.Right]bool{}, roles: map[string]map[domain.Right]bool{}, invitations: map[string]map[domain.Right]bool{}}
	set := func(rs ...domain.Right) map[domain.Right]bool {
		out := map[domain.Right]bool{}
		for _, r := range rs {
			out[r] = true
		}
		return out
	}
	roles, err := st.ListRoles(ctx, f.orgA)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range roles {
		g.roles[r.ID] = set(r.Rights...)
	}
	var members []store.MemberRecord
	if err := st.DB(ctx).Where("org_id = ?", f.orgA).Find(&members).Error; err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		held := map[domain.Right]bool{}
		rg, err := st.RoleGrantsOf(ctx, f.orgA, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range rg {
			for r := range g.roles[x.RoleID] {
				held[r] = true
			}
		}
		direct, err := st.DirectRightsOf(ctx, f.orgA, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range direct {
			held[r] = true
		}
		g.members[m.AccountID] = held
	}
	var invs []store.Invitation
	if err := st.DB(ctx).Where("org_id = ? AND status = ?", f.orgA, store.InvitationPending).Find(&invs).Error; err != nil {
		t.Fatal(err)
	}
	for _, inv := range invs {
		var roleIDs, rights []string
		_ = json.Unmarshal([]byte(inv.RoleIDs), &roleIDs)
		_ = json.Unmarshal([]byte(inv.Rights), &rights)
		gives := map[domain.Right]bool{}
		for _, id := range roleIDs {
			for r := range g.roles[id] {
				gives[r] = true
			}
		}
		for _, r := range rights {
			gives[domain.Right(r)] = true
		}
		g.invitations[inv.ID] = gives
	}
	return g
}

// grantGapsElsewhere names the operations whose grant check is written but
// not yet called from the operation itself, which another file owns. The walk
// expects them to fail; once they pass it says to remove them from here.
var grantGapsElsewhere = map[string]string{}

// TestNoOperationGrantsWhatItsCallerLacks walks every writing operation of
// the registry, run by a rights editor: memberA holding only members.view,
// rights.edit and members.edit (plus the operation's own right, to reach it),
// with inputs aimed at themselves. Whatever it does, they never end up with a
// right they did not hold, and nobody else, no role and no invitation gains a
// right the caller could not give: one they do not hold, or rights.edit, which
// only an admin gives. Like the rights walk it runs on SQLite only.
func TestNoOperationGrantsWhatItsCallerLacks(t *testing.T) {
	for _, op := range Describe().Operations() {
		c := opCases[op.Name]
		if op.Access != Member || !op.Writes || c.input == nil {
			continue
		}
		t.Run(op.Name, func(t *testing.T) {
			f := newFixture(t, storetest.SQLite(t))
			ctx, st := context.Background(), f.env.st
			me := f.memberOf(f.memberAID)
			given := []domain.Right{domain.RightMembersView, domain.RightRightsEdit, domain.RightMembersEdit}
			if op.Right != "" && op.Right != domain.RightMembersView && op.Right != domain.RightRightsEdit && op.Right != domain.RightMembersEdit {
				given = append(given, op.Right)
			}
			for _, r := range given {
				if err := st.Create(ctx, &domain.MembershipRight{MembershipID: me, RightName: r, OrgID: f.orgA}); err != nil {
					t.Fatal(err)
				}
			}
			input := c.input
			if c.selfInput != nil {
				input = c.selfInput
			}
			in := input(f)
			before := grantsOf(t, f)
			mine := before.members[f.memberAID]
			_, err := f.env.call(op.Name, f.memberA, in)
			after := grantsOf(t, f)

			var gaps []string
			for r := range after.members[f.memberAID] {
				if !mine[r] {
					gaps = append(gaps, fmt.Sprintf("the caller gave themselves %s", r))
				}
			}
			givable := func(r domain.Right) bool { return mine[r] && r != domain.RightRightsEdit }
			for _, kind := range []struct {
				name          string
				before, after map[string]map[domain.Right]bool
			}{{"member", before.members, after.members}, {"role", before.roles, after.roles}, {"invitation", before.invitations, after.invitations}} {
				for id, rights := range kind.after {
					if kind.name == "member" && id == f.memberAID {
						continue
					}
					for r := range rights {
						if !kind.before[id][r] && !givable(r) {
							gaps = append(gaps, fmt.Sprintf("%s %s gained %s, which the caller cannot give", kind.name, id, r))
						}
					}
				}
			}
			sort.Strings(gaps)
			if why, pending := grantGapsElsewhere[op.Name]; pending {
				if len(gaps) == 0 {
					t.Errorf("%s no longer grants beyond its caller: remove it from grantGapsElsewhere", op.Name)
				} else {
					t.Logf("known gap, until %s: %v", why, gaps)
				}
				return
			}
			for _, g := range gaps {
				t.Errorf("%s (call returned %v)", g, err)
			}
		})
	}
}

// fromB is the fixture seen from organization B: B's admin acts there, and
// the member the inputs name (memberAID) is the same person, member of both.
func (f *fixture) fromB() *fixture {
	now := time.Now().UTC()
	if err := f.env.st.Create(context.Background(), &domain.Membership{ID: domain.NewID(), OrgID: f.orgB, AccountID: f.memberAID,
		Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now}); err != nil {
		f.env.t.Fatal(err)
	}
	return &fixture{env: f.env, orgA: f.orgB, orgB: f.orgA, adminA: f.adminB, adminAID: f.adminBID, adminB: f.adminA, adminBID: f.adminAID,
		memberA: f.memberA, memberAID: f.memberAID}
}

func accountRow(t *testing.T, st *store.Store, id string) string {
	t.Helper()
	var row map[string]any
	if err := st.DB(context.Background()).Table("accounts").Where("id = ?", id).Take(&row).Error; err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(row)
	return string(b)
}

// TestNoOperationOfAnotherOrganizationChangesAPersonsAccount walks every
// writing operation of the registry, run by organization B's admin with the
// case's input aimed at a person who is a member of both A and B: the
// person's account (name, email, phone, title, language...) is theirs and
// stays as it was; B may change only what belongs to B's membership. Like the
// rights walk it runs on SQLite only.
func TestNoOperationOfAnotherOrganizationChangesAPersonsAccount(t *testing.T) {
	for _, op := range Describe().Operations() {
		c := opCases[op.Name]
		if op.Access != Member || !op.Writes || c.input == nil {
			continue
		}
		t.Run(op.Name, func(t *testing.T) {
			f := newFixture(t, storetest.SQLite(t))
			fb := f.fromB()
			in := c.input(fb)
			before := accountRow(t, f.env.st, f.memberAID)
			_, err := f.env.call(op.Name, f.adminB, in)
			if accountRow(t, f.env.st, f.memberAID) != before {
				t.Errorf("organization B's admin changed the account of a person who is also a member of A (call returned %v)", err)
			}
		})
	}
}
