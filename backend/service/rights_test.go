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
			if _, err := f.env.call(op.Name, f.adminA, in); err != nil {
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
