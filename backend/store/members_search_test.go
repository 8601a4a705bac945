package store_test

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// The member list reads its matches from covering indexes, copies of the sort
// key in membership_roles and per-status counters, all kept by triggers. This
// test builds a random organization, changes it the ways the application
// does (renames, status changes, role grants and removals), and compares
// every page and total with a plain filter over the rows written in Go.

type searchMember struct {
	id, accountID, first, last, email, emp, status string
	roles                                          map[string]bool
}

func (m searchMember) sortKey() string { return store.FoldName(m.last + " " + m.first) }

// matches is the search rule stated plainly: without regard to case or
// accents, the longest word starts the last name, first name, email, employee
// reference or account ID; every other word starts a word of the name.
func (m searchMember) matches(query string) bool {
	words := strings.Fields(store.FoldName(query))
	if len(words) == 0 {
		return true
	}
	longest := 0
	for i, w := range words {
		if len(w) > len(words[longest]) {
			longest = i
		}
	}
	name := m.sortKey()
	for i, w := range words {
		if i == longest {
			ok := false
			for _, k := range []string{name, store.FoldName(m.first), store.FoldName(m.email), store.FoldName(m.emp), m.accountID} {
				ok = ok || strings.HasPrefix(k, w)
			}
			if !ok {
				return false
			}
		} else if !strings.HasPrefix(name, w) && !strings.Contains(name, " "+w) {
			return false
		}
	}
	return true
}

func TestMemberSearchMatchesThePlainRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx, _, org, _ := listFixture(t, st)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		now := time.Now().UTC()
		orgID, otherOrg := org("Cabinet"), org("Autre")
		roleA := domain.Role{ID: domain.NewID(), OrgID: orgID, Name: "Comptable", CreatedAt: now}
		roleB := domain.Role{ID: domain.NewID(), OrgID: orgID, Name: "Paie", CreatedAt: now}
		must(st.Create(ctx, &roleA))
		must(st.Create(ctx, &roleB))
		rnd := rand.New(rand.NewSource(7))
		firsts := []string{"Sophie", "hélène", "Jean Pierre", "Marc", "marie", "Yann", "Anne", "Émilie", "Élodie"}
		lasts := []string{"Martin", "Le Gall", "Marchand", "Dupont", "Du Pont", "hérault", "Mar", "Écuyer", "Œuvrard"}
		statuses := []string{domain.MemberActive, domain.MemberActive, domain.MemberDisabled, domain.MemberInvited, domain.MemberDeleted}
		var members []*searchMember
		grant := func(m *searchMember, roleID string) {
			must(st.Create(ctx, &domain.MembershipRole{MembershipID: m.id, RoleID: roleID, OrgID: orgID}))
			m.roles[roleID] = true
		}
		for i := 0; i < 160; i++ {
			m := &searchMember{first: firsts[rnd.Intn(len(firsts))], last: lasts[rnd.Intn(len(lasts))],
				email: fmt.Sprintf("p%03d@exemple.fr", i), emp: fmt.Sprintf("EMP-%03d", i%40),
				status: statuses[rnd.Intn(len(statuses))], roles: map[string]bool{}}
			a := domain.Account{ID: domain.NewID(), Email: m.email, FirstName: m.first, LastName: m.last, Language: "fr", CreatedAt: now, UpdatedAt: now}
			must(st.Create(ctx, &a))
			m.accountID, m.id = a.ID, domain.NewID()
			must(st.Create(ctx, &store.MemberRecord{ID: m.id, OrgID: orgID, AccountID: a.ID, Status: m.status, EmployeeRef: m.emp, CreatedAt: now, UpdatedAt: now}))
			if rnd.Intn(3) == 0 {
				grant(m, roleA.ID)
			}
			members = append(members, m)
			// The same people in another organization: never listed here.
			if i%4 == 0 {
				must(st.Create(ctx, &domain.Membership{ID: domain.NewID(), OrgID: otherOrg, AccountID: a.ID, Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now}))
			}
		}
		// Changes after the grants: renames move members in every index,
		// statuses move the counters, roles come and go.
		for i, m := range members {
			switch i % 9 {
			case 1:
				m.last, m.first = "Martinez", "Zoé"
				must(st.DB(ctx).Table("accounts").Where("id = ?", m.accountID).Updates(map[string]any{"last_name": m.last, "first_name": m.first}).Error)
			case 2:
				m.status = domain.MemberAway
				must(st.UpdateMember(ctx, orgID, m.id, map[string]any{"status": m.status}))
			case 3:
				if m.roles[roleA.ID] {
					_, err := st.RemoveMemberRole(ctx, orgID, m.id, roleA.ID)
					must(err)
					delete(m.roles, roleA.ID)
				} else {
					grant(m, roleA.ID)
				}
			case 4:
				m.emp = "MAT-" + m.emp
				must(st.UpdateMember(ctx, orgID, m.id, map[string]any{"employee_ref": m.emp}))
			}
			if i < 3 {
				grant(m, roleB.ID) // a role of three people among many
			}
		}

		queries := []string{"", "m", "mar", "MARTIN", "martinez z", "sophie", "sophie mar", "mar sophie", "hél", "hélène",
			"le gall", "gall yann", "jean pierre", "pierre", "du", "p01", "emp-01", "mat-emp", members[5].accountID[:13],
			"%", "_", "zzz", "an ma", "emilie", "ÉLO", "ecu", "écuyer élodie", "oeuv", "HERAULT"}
		for _, q := range queries {
			for _, status := range []string{"", domain.MemberActive, domain.MemberAway} {
				for _, role := range []string{"", roleA.ID, roleB.ID} {
					var want []string
					for _, m := range members {
						if m.matches(q) && (status == "" || m.status == status) && (role == "" || m.roles[role]) {
							want = append(want, m.sortKey()+"\x00"+m.id)
						}
					}
					sort.Strings(want)
					name := fmt.Sprintf("query %q status %q role %v", q, status, role != "")
					f := store.MemberFilter{Query: q, Status: status, RoleID: role, Limit: 7}
					var got []string
					for page := 0; page < 40; page++ {
						rows, err := st.ListMembers(ctx, orgID, f)
						must(err)
						for _, r := range rows {
							got = append(got, r.SortKey+"\x00"+r.ID)
						}
						if len(rows) < f.Limit {
							break
						}
						f.AfterKey, f.AfterID = rows[len(rows)-1].SortKey, rows[len(rows)-1].ID
					}
					if strings.Join(got, "|") != strings.Join(want, "|") {
						t.Fatalf("%s: pages give %d members, the rule %d\n got  %q\n want %q", name, len(got), len(want), got, want)
					}
					n, capped, err := st.CountMembers(ctx, orgID, store.MemberFilter{Query: q, Status: status, RoleID: role})
					must(err)
					if n != int64(len(want)) || capped {
						t.Fatalf("%s: total %d (capped %v), want %d", name, n, capped, len(want))
					}
				}
			}
		}
	})
}

// A broad search stops counting past store.TotalCap and says so; the exact
// total without a search comes from the counters, which follow deletions.
func TestMemberCountStopsAtTheCap(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx, _, org, _ := listFixture(t, st)
		orgID := org("Grand cabinet")
		now := time.Now().UTC()
		n := store.TotalCap + 5
		accs := make([]domain.Account, n)
		mems := make([]store.MemberRecord, n)
		for i := range accs {
			accs[i] = domain.Account{ID: domain.NewID(), Email: fmt.Sprintf("m%05d@exemple.fr", i), FirstName: "Claire", LastName: fmt.Sprintf("Nom%05d", i),
				Language: "fr", CreatedAt: now, UpdatedAt: now}
			mems[i] = store.MemberRecord{ID: domain.NewID(), OrgID: orgID, AccountID: accs[i].ID, Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now}
		}
		err := st.Tx(ctx, func(ctx context.Context) error {
			if err := st.DB(ctx).CreateInBatches(accs, 200).Error; err != nil {
				return err
			}
			return st.DB(ctx).CreateInBatches(mems, 200).Error
		})
		if err != nil {
			t.Fatal(err)
		}
		count := func(f store.MemberFilter) (int64, bool) {
			t.Helper()
			got, capped, err := st.CountMembers(ctx, orgID, f)
			if err != nil {
				t.Fatal(err)
			}
			return got, capped
		}
		if got, capped := count(store.MemberFilter{Query: "claire"}); got != store.TotalCap || !capped {
			t.Fatalf("broad search: %d capped %v, want %d capped", got, capped, store.TotalCap)
		}
		if got, capped := count(store.MemberFilter{Query: "nom0000"}); got != 10 || capped {
			t.Fatalf("narrow search: %d capped %v, want 10 exact", got, capped)
		}
		if got, capped := count(store.MemberFilter{}); got != int64(n) || capped {
			t.Fatalf("no filter: %d capped %v, want %d exact", got, capped, n)
		}
		if err := st.DB(ctx).Where("id IN ?", []string{mems[0].ID, mems[1].ID}).Delete(&store.MemberRecord{}).Error; err != nil {
			t.Fatal(err)
		}
		if err := st.UpdateMember(ctx, orgID, mems[2].ID, map[string]any{"status": domain.MemberDisabled}); err != nil {
			t.Fatal(err)
		}
		if got, _ := count(store.MemberFilter{}); got != int64(n-2) {
			t.Fatalf("after two removals: %d, want %d", got, n-2)
		}
		if got, _ := count(store.MemberFilter{Status: domain.MemberDisabled}); got != 1 {
			t.Fatalf("disabled: %d, want 1", got)
		}
	})
}

// The database folds names as FoldName does (SQLite calls FoldName itself;
// PostgreSQL has atrium_fold in SQL): a name folded differently would be
// missing from searches on one of them.
func TestDatabaseFoldsNamesLikeFoldName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		names := []string{"Émilie", "ÉLODIE  Écuyer", "Œuvrard", "Ægir", "Strauß", "Çağlar", "Müller-Lüdenscheidt",
			"Łukasz Żółć", "Dvořák", "Ďurovič", "Šťastný", "Niño", "Søren", "Ângela", "  Zoé\tdu  Pont  ", "O'Neil"}
		for _, n := range names {
			var got string
			if err := st.DB(context.Background()).Raw("SELECT atrium_fold(?)", n).Scan(&got).Error; err != nil {
				t.Fatal(err)
			}
			if want := store.FoldName(n); got != want {
				t.Errorf("%q: the database folds to %q, FoldName to %q", n, got, want)
			}
		}
	})
}
