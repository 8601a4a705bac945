package service

import (
	"context"
	"errors"
	"strings"
	"testing"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// wantRefused checks a forbidden error that names the field and the reason
// the console translates.
func wantRefused(t *testing.T, err error, field, code string) {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeForbidden || de.Fields[field] != code {
		t.Errorf("want forbidden with %s=%s, got %v", field, code, err)
	}
}

func grantDirect(t *testing.T, st *store.Store, orgID, memberID string, rights ...domain.Right) {
	t.Helper()
	for _, r := range rights {
		if err := st.Create(context.Background(), &domain.MembershipRight{MembershipID: memberID, RightName: r, OrgID: orgID}); err != nil {
			t.Fatal(err)
		}
	}
}

func sessionRights(t *testing.T, e *env, token string) string {
	t.Helper()
	return strings.Join(out[SessionInfo](t, e.mustCall("session.current", token, `{}`)).Rights, ",")
}

// A member who may view members and edit rights is not an admin: they cannot
// give themselves anything (one right at a time, or by a role), nor give
// anyone a right they do not hold, nor rights.edit itself; they cannot take
// away from others what they could not give; they can still give others what
// they hold. So they never reach org.delete.
func TestRightsEditorGrantsOnlyWhatTheyHold(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		claire := f.memberOf(f.memberAID)
		grantDirect(t, st, f.orgA, claire, domain.RightMembersView, domain.RightRightsEdit)
		_, dan := seedMember(t, st, f.orgA, "dan.morel@example.fr", "Dan", "Morel", domain.MemberActive)
		wide := createRole(t, st, f.orgA, "Direction", "", domain.RightOrgDelete, domain.RightMembersView)
		narrow := createRole(t, st, f.orgA, "Lecture", "", domain.RightMembersView)
		admin := adminRoleID(t, e, f.adminA)

		// Herself: nothing, whatever the right or the role.
		before := snapshot(t, st)
		for _, r := range []string{"org.delete", "audit.view", "org.edit", "members.view"} {
			_, err := e.call("members.setRight", f.memberA, jsonOf(SetRightInput{MemberID: claire, Right: r, Granted: true}))
			wantRefused(t, err, "memberId", domain.FieldOwnRights)
		}
		_, err := e.call("members.setRight", f.memberA, jsonOf(SetRightInput{MemberID: claire, Right: "rights.edit", Granted: false}))
		wantRefused(t, err, "memberId", domain.FieldOwnRights)
		for _, roles := range [][]string{{wide}, {narrow}, {admin}, {}} {
			_, err := e.call("members.setRoles", f.memberA, jsonOf(SetRolesInput{MemberID: claire, RoleIDs: roles}))
			if domain.CodeOf(err) != domain.CodeForbidden {
				t.Errorf("setRoles on herself %v: %v", roles, err)
			}
		}
		// Others: not beyond what she holds, and never rights.edit.
		_, err = e.call("members.setRight", f.memberA, jsonOf(SetRightInput{MemberID: dan, Right: "org.delete", Granted: true}))
		wantRefused(t, err, "right", domain.FieldRightNotHeld)
		_, err = e.call("members.setRight", f.memberA, jsonOf(SetRightInput{MemberID: dan, Right: "rights.edit", Granted: true}))
		wantRefused(t, err, "right", domain.FieldRightsEditAdminOnly)
		_, err = e.call("members.setRoles", f.memberA, jsonOf(SetRolesInput{MemberID: dan, RoleIDs: []string{wide}}))
		wantRefused(t, err, "roleIds", domain.FieldRoleBeyondRights)
		// Roles: not with rights she does not hold, nor rights.edit.
		_, err = e.call("roles.create", f.memberA, `{"name":"Complices","rights":["members.view","org.delete"]}`)
		wantRefused(t, err, "rights", domain.FieldRightNotHeld)
		_, err = e.call("roles.create", f.memberA, `{"name":"Complices","rights":["rights.edit"]}`)
		wantRefused(t, err, "rights", domain.FieldRightsEditAdminOnly)
		_, err = e.call("roles.update", f.memberA, jsonOf(RoleInput{RoleID: narrow, Name: "Lecture", Rights: []string{"members.view", "audit.view"}}))
		wantRefused(t, err, "rights", domain.FieldRightNotHeld)
		// A role carrying more than she holds is not hers to change or delete.
		_, err = e.call("roles.update", f.memberA, jsonOf(RoleInput{RoleID: wide, Name: "Direction", Rights: []string{"members.view"}}))
		wantRefused(t, err, "roleId", domain.FieldRoleBeyondRights)
		_, err = e.call("roles.delete", f.memberA, jsonOf(RoleIDInput{RoleID: wide}))
		wantRefused(t, err, "roleId", domain.FieldRoleBeyondRights)
		if snapshot(t, st) != before {
			t.Fatal("a refused grant changed the database")
		}
		if _, err := e.call("orgs.delete", f.memberA, `{"password":"un mot de passe solide"}`); domain.CodeOf(err) != domain.CodeForbidden {
			t.Fatalf("the rights editor reached orgs.delete: %v", err)
		}

		// What she holds, she gives and takes back.
		e.mustCall("members.setRight", f.memberA, jsonOf(SetRightInput{MemberID: dan, Right: "members.view", Granted: true}))
		e.mustCall("members.setRoles", f.memberA, jsonOf(SetRolesInput{MemberID: dan, RoleIDs: []string{narrow}}))
		e.mustCall("members.removeRole", f.memberA, jsonOf(RemoveRoleInput{MemberID: dan, RoleID: narrow}))
		e.mustCall("members.setRight", f.memberA, jsonOf(SetRightInput{MemberID: dan, Right: "members.view", Granted: false}))
		created := out[RoleView](t, e.mustCall("roles.create", f.memberA, `{"name":"Consultation","rights":["members.view"]}`))
		e.mustCall("roles.update", f.memberA, jsonOf(RoleInput{RoleID: created.ID, Name: "Consultation des fiches", Rights: []string{"members.view"}}))
		e.mustCall("roles.delete", f.memberA, jsonOf(RoleIDInput{RoleID: created.ID}))

		// What an admin gave Dan beyond her rights, she cannot take away.
		e.mustCall("members.setRight", f.adminA, jsonOf(SetRightInput{MemberID: dan, Right: "org.delete", Granted: true}))
		e.mustCall("members.setRoles", f.adminA, jsonOf(SetRolesInput{MemberID: dan, RoleIDs: []string{wide}}))
		before = snapshot(t, st)
		_, err = e.call("members.setRight", f.memberA, jsonOf(SetRightInput{MemberID: dan, Right: "org.delete", Granted: false}))
		wantRefused(t, err, "right", domain.FieldRightNotHeld)
		_, err = e.call("members.setRoles", f.memberA, jsonOf(SetRolesInput{MemberID: dan, RoleIDs: []string{}}))
		wantRefused(t, err, "roleIds", domain.FieldRoleBeyondRights)
		_, err = e.call("members.removeRole", f.memberA, jsonOf(RemoveRoleInput{MemberID: dan, RoleID: wide}))
		wantRefused(t, err, "roleId", domain.FieldRoleBeyondRights)
		// Nor a role she holds herself: editing it would change her own rights.
		mine := createRole(t, st, f.orgA, "Mes droits", claire, domain.RightMembersView)
		for _, r := range out[RoleList](t, e.mustCall("roles.list", f.memberA, `{}`)).Roles {
			if r.Held != (r.ID == mine) {
				t.Errorf("role %s listed as held=%v", r.Name, r.Held)
			}
		}
		before = snapshot(t, st)
		_, err = e.call("roles.update", f.memberA, jsonOf(RoleInput{RoleID: mine, Name: "Mes droits", Rights: []string{}}))
		wantRefused(t, err, "roleId", domain.FieldOwnRole)
		_, err = e.call("roles.delete", f.memberA, jsonOf(RoleIDInput{RoleID: mine}))
		wantRefused(t, err, "roleId", domain.FieldOwnRole)
		_, err = e.call("members.removeRole", f.memberA, jsonOf(RemoveRoleInput{MemberID: claire, RoleID: mine}))
		wantRefused(t, err, "memberId", domain.FieldOwnRights)
		if snapshot(t, st) != before {
			t.Fatal("a refused change changed the database")
		}
		if got := sessionRights(t, e, f.memberA); got != "members.view,rights.edit" {
			t.Errorf("the rights editor now holds %s", got)
		}
	})
}

// Only an admin gives rights.edit (or a role carrying it); an admin gives
// anyone anything, but does not change their own rights or roles either: an
// admin's own direct grants would outlive their Admin role.
func TestAdminGrantsToOthersOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		me, claire := f.memberOf(f.adminAID), f.memberOf(f.memberAID)
		admin := adminRoleID(t, e, f.adminA)
		editors := out[RoleView](t, e.mustCall("roles.create", f.adminA, `{"name":"Gestion des droits","rights":["rights.edit","members.view","org.delete"]}`))
		e.mustCall("members.setRoles", f.adminA, jsonOf(SetRolesInput{MemberID: claire, RoleIDs: []string{editors.ID}}))
		e.mustCall("members.setRight", f.adminA, jsonOf(SetRightInput{MemberID: claire, Right: "audit.view", Granted: true}))
		if got := sessionRights(t, e, f.memberA); got != "audit.view,members.view,org.delete,rights.edit" {
			t.Fatalf("rights given by the admin: %s", got)
		}
		before := snapshot(t, st)
		_, err := e.call("members.setRight", f.adminA, jsonOf(SetRightInput{MemberID: me, Right: "org.delete", Granted: true}))
		wantRefused(t, err, "memberId", domain.FieldOwnRights)
		_, err = e.call("members.setRoles", f.adminA, jsonOf(SetRolesInput{MemberID: me, RoleIDs: []string{admin, editors.ID}}))
		wantRefused(t, err, "memberId", domain.FieldOwnRights)
		_, err = e.call("members.removeRole", f.adminA, jsonOf(RemoveRoleInput{MemberID: me, RoleID: admin}))
		wantRefused(t, err, "memberId", domain.FieldOwnRights)
		if snapshot(t, st) != before {
			t.Fatal("a refused change of the admin's own rights changed the database")
		}
		// An admin may still edit a role they hold: roles are the
		// organization's design, and the Admin role already holds everything.
		if err := st.Create(context.Background(), &domain.MembershipRole{MembershipID: me, RoleID: editors.ID, OrgID: f.orgA}); err != nil {
			t.Fatal(err)
		}
		e.mustCall("roles.update", f.adminA, jsonOf(RoleInput{RoleID: editors.ID, Name: "Gestion des droits", Rights: []string{"rights.edit", "members.view"}}))
	})
}

// The check invitations share: a non-admin invites with roles and rights they
// could give by hand, and nothing more.
func TestCheckGrants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		wide := createRole(t, st, f.orgA, "Direction", "", domain.RightOrgDelete)
		narrow := createRole(t, st, f.orgA, "Lecture", "", domain.RightMembersView)
		admin := adminRoleID(t, e, f.adminA)
		other := adminRoleID(t, e, f.adminB)
		editor := domain.Actor{AccountID: f.memberAID, OrgID: f.orgA,
			Rights: map[domain.Right]bool{domain.RightMembersView: true, domain.RightRightsEdit: true, domain.RightMembersInvite: true}}
		boss := domain.Actor{AccountID: f.adminAID, OrgID: f.orgA, IsAdmin: true, Rights: map[domain.Right]bool{}}
		ctx := context.Background()
		for _, c := range []struct {
			actor         domain.Actor
			roles         []string
			rights        []string
			field, field2 string
		}{
			{editor, []string{narrow}, []string{"members.view"}, "", ""},
			{editor, nil, []string{"org.delete"}, "rights", domain.FieldRightNotHeld},
			{editor, nil, []string{"rights.edit"}, "rights", domain.FieldRightsEditAdminOnly},
			{editor, []string{wide}, nil, "roleIds", domain.FieldRoleBeyondRights},
			{editor, []string{admin}, nil, "roleIds", domain.FieldRoleBeyondRights},
			{boss, []string{admin, wide}, []string{"rights.edit", "org.delete"}, "", ""},
		} {
			err := checkGrants(ctx, st, c.actor, c.roles, c.rights)
			if c.field == "" {
				if err != nil {
					t.Errorf("%v %v: %v", c.roles, c.rights, err)
				}
				continue
			}
			wantRefused(t, err, c.field, c.field2)
		}
		if err := checkGrants(ctx, st, boss, []string{other}, nil); domain.CodeOf(err) != domain.CodeNotFound {
			t.Errorf("another organization's role: %v", err)
		}
	})
}

// A person's name belongs to their account. An organization edits it only
// while the account belongs to it alone; once the person is also a member
// elsewhere, each organization keeps to its membership (job title, employee
// reference) and the name is the person's to change.
func TestMemberNameBelongsToTheAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		inA := f.memberOf(f.memberAID)
		d := out[MemberDetail](t, e.mustCall("members.update", f.adminA, jsonOf(UpdateMemberInput{MemberID: inA, FirstName: ptr("Claire"), LastName: ptr("Petit")})))
		if d.Member.LastName != "Petit" || !d.NameEditable {
			t.Fatalf("a member of A alone: %+v, nameEditable %v", d.Member, d.NameEditable)
		}

		fb := f.fromB() // Claire is now a member of B as well
		inB := fb.memberOf(f.memberAID)
		before := accountRow(t, st, f.memberAID)
		for _, c := range []struct{ token, member string }{{f.adminB, inB}, {f.adminA, inA}} {
			_, err := e.call("members.update", c.token, jsonOf(UpdateMemberInput{MemberID: c.member, FirstName: ptr("Claude"), LastName: ptr("Petit-Renaud")}))
			wantField(t, err, "firstName", domain.FieldNameOwnedByPerson)
			wantField(t, err, "lastName", domain.FieldNameOwnedByPerson)
			_, err = e.call("members.update", c.token, jsonOf(UpdateMemberInput{MemberID: c.member, LastName: ptr("Petit-Renaud"), JobTitle: ptr("Comptable")}))
			wantField(t, err, "lastName", domain.FieldNameOwnedByPerson)
			if d := out[MemberDetail](t, e.mustCall("members.get", c.token, jsonOf(MemberRef{MemberID: c.member}))); d.NameEditable {
				t.Error("the name of a person of two organizations is offered for editing")
			}
		}
		if accountRow(t, st, f.memberAID) != before {
			t.Fatal("an organization renamed a person who belongs to another")
		}
		// What belongs to the membership stays B's to edit; the unchanged name
		// the console sends along is no change.
		d = out[MemberDetail](t, e.mustCall("members.update", f.adminB, jsonOf(UpdateMemberInput{MemberID: inB, FirstName: ptr("Claire"), LastName: ptr("Petit"),
			EmployeeRef: ptr("B-12"), JobTitle: ptr("Auditrice")})))
		if d.Member.EmployeeRef != "B-12" || d.Member.JobTitle != "Auditrice" {
			t.Fatalf("membership fields %+v", d.Member)
		}
		if accountRow(t, st, f.memberAID) != before {
			t.Fatal("editing B's membership changed the account")
		}
		if m, _ := st.MemberByID(context.Background(), f.orgA, inA); m.JobTitle == "Auditrice" {
			t.Fatal("B's job title reached A's membership")
		}

		// The person changes their own name, through the member screen too.
		grantDirect(t, st, f.orgA, inA, domain.RightMembersView, domain.RightMembersEdit)
		if d := out[MemberDetail](t, e.mustCall("members.get", f.memberA, jsonOf(MemberRef{MemberID: inA}))); !d.NameEditable {
			t.Error("a person's own name is not editable by them")
		}
		e.mustCall("members.update", f.memberA, jsonOf(UpdateMemberInput{MemberID: inA, LastName: ptr("Petit-Renaud")}))

		// Once the membership in B is deleted, the account is A's alone again.
		fb.setStatus(inB, domain.MemberDeleted)
		d = out[MemberDetail](t, e.mustCall("members.update", f.adminA, jsonOf(UpdateMemberInput{MemberID: inA, LastName: ptr("Petit")})))
		if d.Member.LastName != "Petit" || !d.NameEditable {
			t.Fatalf("after leaving B: %+v, nameEditable %v", d.Member, d.NameEditable)
		}
	})
}

func ptr(s string) *string { return &s }
