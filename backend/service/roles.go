package service

import (
	"context"
	"sort"
	"strings"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// Roles manages the roles of the session's organization (SPEC D1-D3) and
// serves the rights catalog.
type Roles struct{ Deps }

// CatalogRight is one right with its labels.
type CatalogRight struct {
	Name        string      `json:"name"`
	Label       domain.Text `json:"label"`
	Description domain.Text `json:"description"`
}

// CatalogGroup is one application's block of rights.
type CatalogGroup struct {
	Key    string         `json:"key"`
	Name   domain.Text    `json:"name"`
	Rights []CatalogRight `json:"rights"`
}

// RightsCatalog is the whole catalog as the console shows it.
type RightsCatalog struct {
	Groups []CatalogGroup `json:"groups"`
}

// Catalog returns the rights catalog with French and English labels: the
// rights that do something here. An application's rights are shown once it
// has an address; a right whose feature is not built yet is not shown.
func (s *Roles) Catalog(ctx context.Context, _ domain.Actor, _ Empty) (RightsCatalog, error) {
	return s.rightsCatalog(), nil
}

// shownRight reports whether the console shows a right: its feature is
// built, and it is not the right of an application without an address.
func (d Deps) shownRight(r domain.Right) bool {
	g := domain.GroupOf(r)
	return !domain.NotBuilt[r] && (!domain.KnownApplication(g) || d.isOffered(g))
}

func (d Deps) rightsCatalog() RightsCatalog {
	out := RightsCatalog{Groups: []CatalogGroup{}}
	for _, g := range domain.Catalog {
		cg := CatalogGroup{Key: g.Application, Name: domain.GroupName(g.Application), Rights: []CatalogRight{}}
		for _, r := range g.Rights {
			if !d.shownRight(r) {
				continue
			}
			t := domain.RightTexts[r]
			cg.Rights = append(cg.Rights, CatalogRight{Name: string(r), Label: t.Label, Description: t.Description})
		}
		if len(cg.Rights) > 0 {
			out.Groups = append(out.Groups, cg)
		}
	}
	return out
}

// RoleView is a role with its rights and number of members; held says the
// caller holds it (so the console does not offer to change it, grants.go).
type RoleView struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	IsAdmin     bool     `json:"isAdmin"`
	Rights      []string `json:"rights"`
	MemberCount int64    `json:"memberCount"`
	Held        bool     `json:"held"`
}

// RoleList is the organization's roles, Admin first.
type RoleList struct {
	Roles []RoleView `json:"roles"`
}

// List returns the roles with their rights and member counts (SPEC D1).
func (s *Roles) List(ctx context.Context, a domain.Actor, _ Empty) (RoleList, error) {
	roles, err := s.Store.ListRoles(ctx, a.OrgID)
	if err != nil {
		return RoleList{}, err
	}
	held, err := heldRoles(ctx, s.Store, a)
	out := RoleList{Roles: []RoleView{}}
	for _, r := range roles {
		out.Roles = append(out.Roles, roleView(r, held))
	}
	return out, err
}

func roleView(r store.RoleSummary, held map[string]bool) RoleView {
	v := RoleView{ID: r.ID, Name: r.Name, IsAdmin: r.IsAdmin, Rights: []string{}, MemberCount: r.MemberCount, Held: held[r.ID]}
	for _, x := range r.Rights {
		v.Rights = append(v.Rights, string(x))
	}
	return v
}

// roleState is a role as the roles screen lists it, for the change log.
func (s *Roles) roleState(ctx context.Context, a domain.Actor, roleID string) (RoleView, error) {
	roles, err := s.Store.ListRoles(ctx, a.OrgID)
	if err != nil {
		return RoleView{}, err
	}
	held, err := heldRoles(ctx, s.Store, a)
	if err != nil {
		return RoleView{}, err
	}
	for _, r := range roles {
		if r.ID == roleID {
			return roleView(r, held), nil
		}
	}
	return RoleView{}, domain.Errorf(domain.CodeNotFound, "role %s", roleID)
}

// RoleInput creates a role, or renames it and sets its rights (roleId given).
type RoleInput struct {
	RoleID string   `json:"roleId,omitempty"`
	Name   string   `json:"name"`
	Rights []string `json:"rights"`
	// Base holds an edit's name and rights as the caller last read them (see
	// concurrent.go): the name is one field; each right is one too, so two
	// edits that tick or untick different rights both land.
	Base *RoleBase `json:"base,omitempty"`
}

// RoleBase is a role as the caller of an edit last read it.
type RoleBase struct {
	Name   *string   `json:"name,omitempty"`
	Rights *[]string `json:"rights,omitempty"`
}

// checkRole validates a role's name and rights.
func (s *Roles) checkRole(ctx context.Context, orgID string, in RoleInput) (string, []domain.Right, error) {
	errs := domain.FieldErrors{}
	name := domain.CleanText(in.Name)
	domain.CheckText(errs, "name", name, true)
	for _, reserved := range adminRoleNames {
		if name != "" && strings.EqualFold(name, reserved) {
			errs.Add("name", domain.FieldNameTaken)
		}
	}
	seen := map[domain.Right]bool{}
	var rights []domain.Right
	for _, r := range in.Rights {
		if !domain.KnownRight(domain.Right(r)) {
			errs.Add("rights", domain.FieldUnknownRight)
			continue
		}
		if !seen[domain.Right(r)] {
			seen[domain.Right(r)] = true
			rights = append(rights, domain.Right(r))
		}
	}
	if err := errs.Err(); err != nil {
		return "", nil, err
	}
	if taken, err := s.Store.RoleNameTaken(ctx, orgID, name, in.RoleID); err != nil || taken {
		if err == nil {
			err = domain.FieldErrors{"name": domain.FieldNameTaken}.Err()
		}
		return "", nil, err
	}
	sort.Slice(rights, func(i, j int) bool { return rights[i] < rights[j] })
	return name, rights, nil
}

func rightNames(rs []domain.Right) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

// Create adds a custom role with its rights (SPEC D3); a non-admin puts in it
// only rights they could give directly (grants.go).
func (s *Roles) Create(ctx context.Context, a domain.Actor, in RoleInput) (RoleView, error) {
	if in.RoleID != "" {
		return RoleView{}, domain.FieldErrors{"roleId": domain.FieldInvalidChoice}.Err()
	}
	role := domain.Role{ID: domain.NewIDIn(ctx), OrgID: a.OrgID, CreatedAt: s.now()}
	var rights []domain.Right
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		var err error
		if role.Name, rights, err = s.checkRole(ctx, a.OrgID, in); err != nil {
			return err
		}
		for _, r := range rights {
			if err := checkRight(a, "rights", r); err != nil {
				return err
			}
		}
		if err := s.Store.Create(ctx, &role); err != nil {
			return err
		}
		if err := s.Store.SetRoleRights(ctx, a.OrgID, role.ID, rights); err != nil {
			return err
		}
		state, err := s.roleState(ctx, a, role.ID)
		if err != nil {
			return err
		}
		if err := w.Changed(a.OrgID, "role", role.ID, "created", state); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.RoleCreated, SubjectType: "role", SubjectID: role.ID,
			Details: map[string]any{"name": role.Name, "rights": rightNames(rights)}})
	})
	if err != nil {
		return RoleView{}, err
	}
	return RoleView{ID: role.ID, Name: role.Name, Rights: rightNames(rights)}, nil
}

// Update renames a custom role and sets its rights. The Admin role cannot be
// renamed or reduced (SPEC D2). A non-admin changes only a role they do not
// hold and whose rights, before and after, they could give directly.
func (s *Roles) Update(ctx context.Context, a domain.Actor, in RoleInput) (RoleView, error) {
	var out RoleView
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		role, err := s.Store.RoleByID(ctx, a.OrgID, in.RoleID)
		if err != nil {
			return err
		}
		if role.IsAdmin {
			return domain.FieldErrors{"roleId": domain.FieldAdminRoleLocked}.Err()
		}
		if err := checkRoleEdit(ctx, s.Store, a, role); err != nil {
			return err
		}
		name, rights, err := s.checkRole(ctx, a.OrgID, in)
		if err != nil {
			return err
		}
		for _, r := range rights {
			if err := checkRight(a, "rights", r); err != nil {
				return err
			}
		}
		before, err := s.Store.RoleRights(ctx, a.OrgID, role.ID)
		if err != nil {
			return err
		}
		if name, rights, err = mergeRole(in.Base, role.Name, before, name, rights); err != nil {
			return err
		}
		held, err := heldRoles(ctx, s.Store, a)
		if err != nil {
			return err
		}
		out = RoleView{ID: role.ID, Name: name, Rights: rightNames(rights), Held: held[role.ID]}
		if name == role.Name && strings.Join(rightNames(before), ",") == strings.Join(out.Rights, ",") {
			w.Nothing()
			return nil
		}
		if err := s.Store.RenameRole(ctx, a.OrgID, role.ID, name); err != nil {
			return err
		}
		if err := s.Store.SetRoleRights(ctx, a.OrgID, role.ID, rights); err != nil {
			return err
		}
		state, err := s.roleState(ctx, a, role.ID)
		if err != nil {
			return err
		}
		if err := w.Changed(a.OrgID, "role", role.ID, "updated", state); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.RoleUpdated, SubjectType: "role", SubjectID: role.ID,
			Details: map[string]any{"from": role.Name, "name": name, "rightsBefore": rightNames(before), "rights": out.Rights}})
	})
	return out, err
}

// RoleIDInput names a role by its ID.
type RoleIDInput struct {
	RoleID string `json:"roleId"`
}

// Delete removes a custom role; its members lose it (SPEC D3). The Admin role
// cannot be deleted, and a non-admin deletes only a role they could edit.
func (s *Roles) Delete(ctx context.Context, a domain.Actor, in RoleIDInput) (Empty, error) {
	return Empty{}, s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		role, err := s.Store.RoleByID(ctx, a.OrgID, in.RoleID)
		if err != nil {
			return err
		}
		if role.IsAdmin {
			return domain.FieldErrors{"roleId": domain.FieldAdminRoleLocked}.Err()
		}
		if err := checkRoleEdit(ctx, s.Store, a, role); err != nil {
			return err
		}
		holders, err := s.Store.DeleteRole(ctx, a.OrgID, role.ID)
		if err != nil {
			return err
		}
		if err := w.Changed(a.OrgID, "role", role.ID, "deleted", nil); err != nil {
			return err
		}
		if err := (&Members{Deps: s.Deps}).statesChanged(w, a, holders); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.RoleDeleted, SubjectType: "role", SubjectID: role.ID,
			Details: map[string]any{"name": role.Name, "members": len(holders)}})
	})
}

// mergeRole applies the rule of concurrent edits to a role's edit: its name
// as one field, and its rights each as one: a right the caller ticked or
// unticked since its reading is ticked or unticked on the rights saved now,
// the others stay as saved. Two edits cannot disagree on one right (each
// either changed it, to the same value, or left it), so only the name can
// conflict.
func mergeRole(base *RoleBase, storedName string, stored []domain.Right, name string, rights []domain.Right) (string, []domain.Right, error) {
	if base == nil {
		return name, rights, nil
	}
	b := Base{}
	if base.Name != nil {
		b["name"] = *base.Name
	}
	c := checkAgainst(&b)
	name = c.value("name", storedName, name, domain.CleanText)
	if err := c.err(); err != nil {
		return "", nil, err
	}
	if base.Rights == nil {
		return name, rights, nil
	}
	read, mine, now := map[domain.Right]bool{}, map[domain.Right]bool{}, map[domain.Right]bool{}
	for _, r := range *base.Rights {
		read[domain.Right(r)] = true
	}
	for _, r := range rights {
		mine[r] = true
	}
	for _, r := range stored {
		now[r] = true
	}
	for r := range mine {
		if !read[r] {
			now[r] = true // ticked
		}
	}
	for r := range read {
		if !mine[r] {
			delete(now, r) // unticked
		}
	}
	out := make([]domain.Right, 0, len(now))
	for r := range now {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return name, out, nil
}
