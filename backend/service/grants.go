package service

import (
	"context"

	"atrium/backend/domain"
	"atrium/backend/store"
)

// The rules of giving rights (SPEC C11), shared by every operation that gives
// or takes them: members.setRight, members.setRoles, members.removeRole,
// roles.create/update/delete, and invitations (checkGrants). Nobody changes
// their own rights or roles. A member who is not an admin gives, and takes
// away, only the rights they hold themselves (domain.Actor.CanGive), never
// rights.edit, and only roles whose every right they could give one by one;
// so holding rights.edit never becomes a way to more rights.

// refuse is the forbidden error of a refused grant: the field names what the
// console shows the reason beside.
func refuse(field, code, message string) error {
	return &domain.Error{Code: domain.CodeForbidden, Message: message, Fields: map[string]string{field: code}}
}

// checkRight refuses a right the actor may not give or take.
func checkRight(a domain.Actor, field string, r domain.Right) error {
	switch {
	case a.CanGive(r):
		return nil
	case r == domain.RightRightsEdit:
		return refuse(field, domain.FieldRightsEditAdminOnly, "only an admin gives or takes the right to edit rights")
	}
	return refuse(field, domain.FieldRightNotHeld, "nobody gives or takes a right they do not hold: "+string(r))
}

// checkRoleGrant refuses a role of another organization (not found) and a
// role the actor may not give or take: the Admin role, or a role carrying a
// right the actor could not give directly.
func checkRoleGrant(ctx context.Context, st *store.Store, a domain.Actor, field, roleID string) error {
	role, err := st.RoleByID(ctx, a.OrgID, roleID)
	if err != nil || a.IsAdmin {
		return err
	}
	if role.IsAdmin {
		return refuse(field, domain.FieldRoleBeyondRights, "only an admin gives or takes the Admin role")
	}
	rights, err := st.RoleRights(ctx, a.OrgID, role.ID)
	if err != nil {
		return err
	}
	for _, r := range rights {
		if !a.CanGive(r) {
			return refuse(field, domain.FieldRoleBeyondRights, "the role carries a right the caller cannot give: "+string(r))
		}
	}
	return nil
}

// checkGrants refuses roles and direct rights the actor may not hand out, as
// when inviting someone with them (the caller has already refused unknown
// rights).
func checkGrants(ctx context.Context, st *store.Store, a domain.Actor, roleIDs, rights []string) error {
	for _, id := range roleIDs {
		if err := checkRoleGrant(ctx, st, a, "roleIds", id); err != nil {
			return err
		}
	}
	for _, r := range rights {
		if err := checkRight(a, "rights", domain.Right(r)); err != nil {
			return err
		}
	}
	return nil
}

// notOwnRights refuses a change of the actor's own rights or roles, an
// admin's too: an admin's own direct grants would outlive their Admin role,
// and a member stepping down asks another admin.
func notOwnRights(a domain.Actor, m store.MemberRecord) error {
	if m.AccountID == a.AccountID {
		return refuse("memberId", domain.FieldOwnRights, "nobody changes their own rights or roles")
	}
	return nil
}

// checkRoleEdit refuses a non-admin the change or deletion of a role they
// hold (it would change their own rights) or of a role carrying a right they
// could not give (it would take it from its holders).
func checkRoleEdit(ctx context.Context, st *store.Store, a domain.Actor, role domain.Role) error {
	if a.IsAdmin {
		return nil
	}
	held, err := heldRoles(ctx, st, a)
	if err != nil {
		return err
	}
	if held[role.ID] {
		return refuse("roleId", domain.FieldOwnRole, "nobody changes a role they hold")
	}
	return checkRoleGrant(ctx, st, a, "roleId", role.ID)
}

// heldRoles returns the IDs of the roles the actor holds in their organization.
func heldRoles(ctx context.Context, st *store.Store, a domain.Actor) (map[string]bool, error) {
	me, err := st.MemberByAccount(ctx, a.OrgID, a.AccountID)
	if err != nil {
		return nil, err
	}
	grants, err := st.RoleGrantsOf(ctx, a.OrgID, me.ID)
	out := map[string]bool{}
	for _, g := range grants {
		out[g.RoleID] = true
	}
	return out, err
}
