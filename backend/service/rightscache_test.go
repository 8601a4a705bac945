package service

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// The rights cache must never let a member act on rights they lost, nor
// refuse rights they gained, whichever process changed them: here every
// change is written straight to the database (as another server process or a
// sync would), and after each one the caching resolver must agree with a
// resolver that reads everything afresh.
func TestCachedRightsFollowEveryChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		cached := f.env.reg.svc.Auth
		fresh := &Auth{Deps: cached.Deps} // no cache: reads roles and grants each time
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		describe := func(a domain.Actor) string {
			var rights []string
			for r, ok := range a.Rights {
				if ok {
					rights = append(rights, string(r))
				}
			}
			slices.Sort(rights)
			return fmt.Sprintf("admin=%v closed=%v enroll=%v rights=%v", a.IsAdmin, a.OrgClosed, a.MustEnrollTwoFactor, rights)
		}
		check := func(step string) {
			t.Helper()
			got, err := cached.resolve(ctx, f.memberA, "")
			must(err)
			want, err := fresh.resolve(ctx, f.memberA, "")
			must(err)
			if describe(got) != describe(want) {
				t.Fatalf("after %s: the cache answers %s, the database %s", step, describe(got), describe(want))
			}
			// The cache was used: the entry is at the organization's version.
			if _, ok := cached.rights.entries[rightsKey{f.orgA, f.memberAID}]; !ok {
				t.Fatalf("after %s: nothing cached", step)
			}
		}
		member := f.memberOf(f.memberAID)
		now := time.Now().UTC()
		check("sign-in")
		role := createRole(t, st, f.orgA, "Comptable", member, domain.RightInvoicesView)
		check("a role given")
		must(st.Create(ctx, &domain.RoleRight{RoleID: role, RightName: domain.RightMembersView, OrgID: f.orgA}))
		check("a right added to the role")
		must(st.SetRoleRights(ctx, f.orgA, role, []domain.Right{domain.RightOrdersPlace}))
		check("the role's rights replaced")
		_, err := st.SetDirectRight(ctx, f.orgA, member, domain.RightAuditView, true)
		must(err)
		check("a direct right granted")
		_, err = st.SetDirectRight(ctx, f.orgA, member, domain.RightAuditView, false)
		must(err)
		check("a direct right withdrawn")
		admin := adminRoleID(t, f.env, f.adminA)
		must(st.SetMemberRoles(ctx, f.orgA, member, []string{role, admin}))
		check("made admin")
		_, err = st.RemoveMemberRole(ctx, f.orgA, member, admin)
		must(err)
		check("admin role taken back")
		f.setStatus(member, domain.MemberDisabled)
		check("disabled")
		f.setStatus(member, domain.MemberActive)
		check("enabled again")
		must(st.SaveOrgSecurity(ctx, store.OrgSecurity{OrgID: f.orgA, RequireTwoFactor: true, UpdatedAt: now}))
		check("two-factor required")
		must(st.SaveSecurity(ctx, store.AccountSecurity{AccountID: f.memberAID, TOTPEnabled: true, TOTPSecret: "JBSWY3DPEHPK3PXP"}))
		check("the member's second factor on")
		must(st.SaveSecurity(ctx, store.AccountSecurity{AccountID: f.memberAID}))
		check("the member's second factor off")
		must(st.SaveOrgSecurity(ctx, store.OrgSecurity{OrgID: f.orgA, UpdatedAt: now}))
		check("two-factor no longer required")
		must(st.DB(ctx).Table("organizations").Where("id = ?", f.orgA).Update("status", domain.OrgClosed).Error)
		check("organization closed")
		must(st.DB(ctx).Table("organizations").Where("id = ?", f.orgA).Update("status", domain.OrgActive).Error)
		_, err = st.DeleteRole(ctx, f.orgA, role)
		must(err)
		check("the role deleted")
		must(st.DB(ctx).Where("id = ?", member).Delete(&store.MemberRecord{}).Error)
		check("membership removed")
	})
}
