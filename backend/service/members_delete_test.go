package service

import (
	"context"
	"testing"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// C8: Claire leaves; her open tasks, the invitation she sent and the
// dossier's responsibility go to Anne in one write; her membership stays,
// deleted, with nothing left; her account survives and she can be invited again.
func TestDeleteHandsOverToTheSuccessor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e, ctx := f.env, context.Background()
		claire, anne := f.memberOf(f.memberAID), f.memberOf(f.adminAID)
		db := st.DB(ctx)
		var tasks []string
		grantDirect(t, st, f.orgA, claire, domain.RightTasksView) // who may be given tasks
		for _, title := range []string{"Déclaration de TVA", "Liasse fiscale", "Bilan 2025"} {
			task := out[Task](t, e.mustCall("tasks.create", f.adminA, jsonOf(TaskInput{Title: title, AssigneeID: f.memberAID})))
			tasks = append(tasks, task.ID)
		}
		e.mustCall("tasks.complete", f.adminA, jsonOf(TaskRefInput{ID: tasks[2]}))
		inv := out[InvitationItem](t, e.mustCall("invitations.create", f.adminA, `{"email":"paul.blanc@example.fr"}`))
		db.Table("invitations").Where("id = ?", inv.ID).Update("invited_by", f.memberAID)
		db.Table("organizations").Where("id = ?", f.orgA).Update("responsible_id", f.memberAID)

		plan := out[MemberSuccession](t, e.mustCall("members.succession", f.adminA, jsonOf(MemberRef{MemberID: claire})))
		if plan != (MemberSuccession{OpenTasks: 2, Invitations: 1, Responsible: true}) {
			t.Fatalf("succession %+v", plan)
		}

		// Refused, and nothing changed: no successor, one who cannot see the tasks
		// handed over, herself, a disabled member, oneself.
		danID, _ := addAccount(t, e, "dan.morel@example.fr", f.orgA, false)
		dan := f.memberOf(danID)
		f.setStatus(dan, domain.MemberDisabled)
		eveID, _ := addAccount(t, e, "eve.roux@example.fr", f.orgA, false) // active, cannot see tasks
		before := snapshot(t, st)
		_, err := e.call("members.delete", f.adminA, jsonOf(DeleteMemberInput{MemberID: claire, SuccessorID: f.memberOf(eveID)}))
		wantField(t, err, "successorId", domain.FieldCannotSeeTasks)
		_, err = e.call("members.delete", f.adminA, jsonOf(DeleteMemberInput{MemberID: claire}))
		wantField(t, err, "successorId", domain.FieldSuccessorNeeded)
		_, err = e.call("members.delete", f.adminA, jsonOf(DeleteMemberInput{MemberID: claire, SuccessorID: claire}))
		wantField(t, err, "successorId", domain.FieldSuccessorSelf)
		_, err = e.call("members.delete", f.adminA, jsonOf(DeleteMemberInput{MemberID: claire, SuccessorID: dan}))
		wantField(t, err, "successorId", domain.FieldInvalidMember)
		_, err = e.call("members.delete", f.adminA, jsonOf(DeleteMemberInput{MemberID: anne, SuccessorID: claire}))
		wantField(t, err, "memberId", domain.FieldNotYourself)
		if snapshot(t, st) != before {
			t.Fatal("a refused deletion changed the database")
		}

		d := out[MemberDetail](t, e.mustCall("members.delete", f.adminA, jsonOf(DeleteMemberInput{MemberID: claire, SuccessorID: anne})))
		if d.Member.Status != domain.MemberDeleted || len(d.Member.Roles) != 0 || len(d.DirectRights) != 0 {
			t.Fatalf("after deletion: %+v", d.Member)
		}
		var assignees []string
		db.Table("tasks").Where("id IN ?", tasks).Order("title").Pluck("coalesce(assignee_id, '')", &assignees)
		// Bilan 2025 (done) stays hers; the two open ones are Anne's.
		if len(assignees) != 3 || assignees[0] != f.memberAID || assignees[1] != f.adminAID || assignees[2] != f.adminAID {
			t.Fatalf("task assignees %v", assignees)
		}
		var by, responsible string
		db.Table("invitations").Where("id = ?", inv.ID).Pluck("invited_by", &by)
		db.Table("organizations").Where("id = ?", f.orgA).Pluck("responsible_id", &responsible)
		if by != f.adminAID || responsible != f.adminAID {
			t.Fatalf("invitation sent by %q, responsible %q", by, responsible)
		}
		if _, err := e.call("tasks.list", f.memberA, `{}`); err == nil {
			t.Error("a deleted member still works in the organization")
		}
		if auditCount(t, st, "member.deleted") != 1 {
			t.Error("the deletion is not in the history")
		}
		var accounts int64
		db.Table("accounts").Where("id = ?", f.memberAID).Count(&accounts)
		if accounts != 1 {
			t.Fatal("the account went with the membership")
		}
		// Deleted members are kept, not edited; deleting again is refused.
		_, err = e.call("members.delete", f.adminA, jsonOf(DeleteMemberInput{MemberID: claire, SuccessorID: anne}))
		wantField(t, err, "memberId", domain.FieldMemberDeleted)
		// Claire may come back, invited anew.
		e.mustCall("invitations.create", f.adminA, `{"email":"claire.petit@example.fr"}`)
	})
}

// A member allowed to delete members cannot delete the last active admin;
// with nothing to hand over, no successor is asked.
func TestDeleteKeepsAnAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		grantDirect(t, st, f.orgA, f.memberOf(f.memberAID), domain.RightMembersDelete)
		before := snapshot(t, st)
		_, err := e.call("members.delete", f.memberA, jsonOf(DeleteMemberInput{MemberID: f.memberOf(f.adminAID)}))
		wantField(t, err, "memberId", domain.FieldLastAdmin)
		if snapshot(t, st) != before {
			t.Fatal("deleting the last admin changed the database")
		}
		danID, _ := addAccount(t, e, "dan.morel@example.fr", f.orgA, false)
		e.mustCall("members.delete", f.memberA, jsonOf(DeleteMemberInput{MemberID: f.memberOf(danID)}))
	})
}

// A member whose access is suspended signs in to no organization: the session
// says where access is suspended and whom to ask, never another one's.
func TestSuspendedMemberIsToldWhomToAsk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		e.mustCall("members.disable", f.adminA, jsonOf(MemberRef{MemberID: f.memberOf(f.memberAID)}))
		res := e.mustCall("auth.signIn", "", `{"email":"claire.petit@example.fr","password":"un mot de passe solide"}`)
		info := res.Output.(SessionInfo)
		if info.Organization.ID != "" || len(info.Suspended) != 1 || info.Suspended[0].Organization != "Cabinet Martin" ||
			len(info.Suspended[0].Admins) != 1 || info.Suspended[0].Admins[0] != "Anne Martin" {
			t.Fatalf("session of a suspended member: %+v", info)
		}
		// An active member in some organization is not told about the others.
		if s := e.mustCall("session.current", f.adminA, `{}`).Output.(SessionInfo); len(s.Suspended) != 0 {
			t.Fatalf("an active member is told of suspensions: %+v", s.Suspended)
		}
	})
}
