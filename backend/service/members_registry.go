package service

import "atrium/backend/domain"

// addMembers declares the operations of members, roles, rights and
// applications (issue 5). Reading members and roles needs members.view;
// changing roles and rights needs rights.edit; the Admin role is further
// guarded in the operations themselves.
func addMembers(r *Registry, s *Services) {
	add(r, Operation{Name: "rights.catalog", Access: Member}, s.Roles.Catalog)
	add(r, Operation{Name: "roles.list", Access: Member, Right: domain.RightMembersView}, s.Roles.List)
	add(r, Operation{Name: "roles.create", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Roles.Create)
	add(r, Operation{Name: "roles.update", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Roles.Update)
	add(r, Operation{Name: "roles.delete", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Roles.Delete)
	add(r, Operation{Name: "members.list", Access: Member, Right: domain.RightMembersView}, s.Members.List)
	add(r, Operation{Name: "members.get", Access: Member, Right: domain.RightMembersView}, s.Members.Get)
	add(r, Operation{Name: "members.update", Access: Member, Right: domain.RightMembersEdit, Writes: true}, s.Members.Update)
	add(r, Operation{Name: "members.setRoles", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Members.SetRoles)
	add(r, Operation{Name: "members.removeRole", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Members.RemoveRole)
	add(r, Operation{Name: "members.setRight", Access: Member, Right: domain.RightRightsEdit, Writes: true}, s.Members.SetRight)
	add(r, Operation{Name: "members.disable", Access: Member, Right: domain.RightMembersDisable, Writes: true}, s.Members.Disable)
	add(r, Operation{Name: "members.enable", Access: Member, Right: domain.RightMembersDisable, Writes: true}, s.Members.Enable)
	add(r, Operation{Name: "applications.list", Access: Member, Right: domain.RightMembersView}, s.Applications.List)
	add(r, Operation{Name: "applications.setEnabled", Access: Member, Right: domain.RightApplicationsManage, Writes: true}, s.Applications.SetEnabled)
	add(r, Operation{Name: "applications.grant", Access: Member, Right: domain.RightApplicationsManage, Writes: true}, s.Applications.Grant)
	add(r, Operation{Name: "account.applications", Access: SignedIn}, s.Applications.Mine)
}
