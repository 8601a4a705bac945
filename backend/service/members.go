package service

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// Members manages the members of the session's organization (SPEC C1, C5,
// C6, C10, D4, D5, D7, B8).
type Members struct{ Deps }

// RoleRef names a role.
type RoleRef struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	IsAdmin bool   `json:"isAdmin"`
}

// MemberItem is one line of the member list.
type MemberItem struct {
	ID          string      `json:"id"`
	AccountID   string      `json:"accountId"`
	FirstName   string      `json:"firstName"`
	LastName    string      `json:"lastName"`
	Email       string      `json:"email"`
	Status      string      `json:"status"`
	EmployeeRef string      `json:"employeeRef"`
	JobTitle    string      `json:"jobTitle"`
	Roles       []RoleRef   `json:"roles"`
	Away        *MemberAway `json:"away"` // while the status is away (members_away.go)
}

// ListMembersInput filters and pages the member list. Cursor is the
// nextCursor of the previous page; withTotal asks for the number of matches.
type ListMembersInput struct {
	Query     string `json:"query"`
	Status    string `json:"status"`
	RoleID    string `json:"roleId"`
	Cursor    string `json:"cursor"`
	Limit     int    `json:"limit"`
	WithTotal bool   `json:"withTotal"`
}

// MemberPage is one page of members; nextCursor is empty on the last page.
// total is -1 when it was not asked for. A search or role filter counts at
// most store.TotalCap matches: totalCapped then says there are more.
type MemberPage struct {
	Items       []MemberItem `json:"items"`
	NextCursor  string       `json:"nextCursor"`
	Total       int64        `json:"total"`
	TotalCapped bool         `json:"totalCapped"`
}

const (
	defaultPage = 50
	maxPage     = 200
)

var memberStatuses = []string{domain.MemberInvited, domain.MemberActive, domain.MemberAway, domain.MemberDisabled, domain.MemberDeleted}

func validStatus(s string) bool {
	for _, x := range memberStatuses {
		if x == s {
			return true
		}
	}
	return false
}

func encodeCursor(key, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key + "\x00" + id))
}

func decodeCursor(c string) (key, id string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", false
	}
	key, id, ok = strings.Cut(string(b), "\x00")
	// Only a cursor we wrote decodes to two valid texts without NUL; anything
	// else would reach the database as a malformed string.
	return key, id, ok && id != "" && domain.ValidText(key, domain.TextLine) && domain.ValidText(id, domain.TextLine)
}

// List returns one page of the organization's members in name order, with
// search by name, email, employee reference or account ID, and filters by
// status and role (SPEC C1, D4, B8). Deleted members are listed too.
func (s *Members) List(ctx context.Context, a domain.Actor, in ListMembersInput) (MemberPage, error) {
	errs := domain.FieldErrors{}
	f := memberFilter(errs, in.Query, in.Status, in.RoleID)
	f.Limit = in.Limit
	if in.Cursor != "" {
		var ok bool
		if f.AfterKey, f.AfterID, ok = decodeCursor(in.Cursor); !ok {
			errs.Add("cursor", domain.FieldInvalidChoice)
		}
	}
	switch {
	case f.Limit <= 0:
		f.Limit = defaultPage
	case f.Limit > maxPage:
		f.Limit = maxPage
	}
	if err := errs.Err(); err != nil {
		return MemberPage{}, err
	}
	if err := s.filterRole(ctx, a, f); err != nil {
		return MemberPage{}, err
	}
	if err := s.awayFilter(ctx, a.OrgID, &f); err != nil {
		return MemberPage{}, err
	}
	want := f.Limit
	f.Limit++
	page := MemberPage{Items: []MemberItem{}, Total: -1}
	// The total is counted beside the page, on another connection: a broad
	// search then costs the longer of the two, not their sum.
	var countErr error
	count := func() { page.Total, page.TotalCapped, countErr = s.Store.CountMembers(ctx, a.OrgID, f) }
	counted := make(chan struct{})
	switch {
	case !in.WithTotal:
		close(counted)
	case store.InTx(ctx): // a transaction has one connection: count first
		count()
		close(counted)
	default:
		go func() {
			defer func() {
				if r := recover(); r != nil { // the registry's recover does not reach this goroutine
					countErr = fmt.Errorf("counting members: %v", r)
				}
				close(counted)
			}()
			count()
		}()
	}
	rows, err := s.Store.ListMembers(ctx, a.OrgID, f)
	<-counted
	if err = errors.Join(err, countErr); err != nil {
		return MemberPage{}, err
	}
	if len(rows) > want {
		rows = rows[:want]
		last := rows[want-1]
		page.NextCursor = encodeCursor(last.SortKey, last.ID)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	roles, err := s.Store.RoleNamesOf(ctx, a.OrgID, ids)
	if err != nil {
		return MemberPage{}, err
	}
	for _, r := range rows {
		page.Items = append(page.Items, memberItem(r, roles[r.ID]))
	}
	return page, s.markAway(ctx, a.OrgID, page.Items)
}

// memberFilter reads the member list's filters (the list and its export),
// adding what is wrong with them to errs.
func memberFilter(errs domain.FieldErrors, query, status, roleID string) store.MemberFilter {
	f := store.MemberFilter{Query: strings.TrimSpace(query), Status: status, RoleID: roleID}
	if utf8.RuneCountInString(f.Query) > domain.MaxNameLen {
		errs.TooLong("query", domain.MaxNameLen)
	}
	if f.Status != "" && !validStatus(f.Status) {
		errs.Add("status", domain.FieldInvalidChoice)
	}
	return f
}

// filterRole checks that a role filter names a role of the organization
// (another organization's role is not found).
func (s *Members) filterRole(ctx context.Context, a domain.Actor, f store.MemberFilter) error {
	if f.RoleID == "" {
		return nil
	}
	_, err := s.Store.RoleByID(ctx, a.OrgID, f.RoleID)
	return err
}

func memberItem(r store.MemberRow, roles []store.MemberRole) MemberItem {
	it := MemberItem{ID: r.ID, AccountID: r.AccountID, FirstName: r.FirstName, LastName: r.LastName, Email: r.Email,
		Status: r.Status, EmployeeRef: r.EmployeeRef, JobTitle: r.JobTitle, Roles: []RoleRef{}}
	for _, x := range roles {
		it.Roles = append(it.Roles, RoleRef{ID: x.ID, Name: x.Name, IsAdmin: x.IsAdmin})
	}
	return it
}

// EffectiveRight is one right of the catalog for a member, and why they hold
// it (SPEC D7): the Admin role, other roles, a direct grant, or nothing.
type EffectiveRight struct {
	Right   string    `json:"right"`
	Granted bool      `json:"granted"`
	ByAdmin bool      `json:"byAdmin"`
	Roles   []RoleRef `json:"roles"`
	Direct  bool      `json:"direct"`
}

// MemberDetail is a member with roles, direct rights, effective rights and
// applications. NameEditable says whether the caller's organization may
// change the member's name (see nameEditable).
type MemberDetail struct {
	Member       MemberItem       `json:"member"`
	IsMe         bool             `json:"isMe"`
	NameEditable bool             `json:"nameEditable"`
	Active       bool             `json:"active"`
	DirectRights []string         `json:"directRights"`
	Effective    []EffectiveRight `json:"effective"`
	Applications []string         `json:"applications"`
}

// MemberRef names a member by the ID of their membership.
type MemberRef struct {
	MemberID string `json:"memberId"`
}

// Get returns one member with the explanation of their rights.
func (s *Members) Get(ctx context.Context, a domain.Actor, in MemberRef) (MemberDetail, error) {
	return s.detail(ctx, a, in.MemberID)
}

func (s *Members) detail(ctx context.Context, a domain.Actor, memberID string) (MemberDetail, error) {
	ds, err := s.details(ctx, a, []string{memberID})
	if err != nil {
		return MemberDetail{}, err
	}
	if len(ds) == 0 {
		_, err := s.Store.MemberByID(ctx, a.OrgID, memberID) // the store's own "not found"
		if err == nil {
			err = domain.Errorf(domain.CodeNotFound, "member not found")
		}
		return MemberDetail{}, err
	}
	return ds[0], nil
}

// details is detail for many members at once, in the order of the IDs given
// (members not found left out), read in a few queries for the lot.
func (s *Members) details(ctx context.Context, a domain.Actor, memberIDs []string) ([]MemberDetail, error) {
	facts, err := s.Store.MemberFactsOf(ctx, a.OrgID, memberIDs)
	if err != nil {
		return nil, err
	}
	out := make([]MemberDetail, 0, len(facts))
	items := make([]MemberItem, 0, len(facts))
	for _, id := range memberIDs {
		f, ok := facts[id]
		if !ok {
			continue
		}
		m := f.Record
		row := store.MemberRow{ID: m.ID, AccountID: m.AccountID, FirstName: f.FirstName, LastName: f.LastName,
			Email: f.Email, Status: m.Status, EmployeeRef: m.EmployeeRef, JobTitle: m.JobTitle}
		var roles []store.MemberRole
		for _, g := range f.Grants {
			roles = append(roles, store.MemberRole{ID: g.RoleID, Name: g.Name, IsAdmin: g.IsAdmin})
		}
		d := MemberDetail{Member: memberItem(row, roles), IsMe: m.AccountID == a.AccountID, NameEditable: nameEditable(a, m, f.OtherMemberships),
			Active: m.Status == domain.MemberActive, DirectRights: []string{}, Applications: []string{}}
		for _, r := range f.Direct {
			d.DirectRights = append(d.DirectRights, string(r))
		}
		d.Applications = append(d.Applications, f.Applications...)
		d.Effective = []EffectiveRight{}
		for _, e := range Explain(m.Status == domain.MemberActive, f.Grants, f.Direct) {
			if s.shownRight(domain.Right(e.Right)) {
				d.Effective = append(d.Effective, e)
			}
		}
		out = append(out, d)
		items = append(items, d.Member)
	}
	if err := s.markAway(ctx, a.OrgID, items); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Member = items[i]
	}
	return out, nil
}

// Explain says, for every right of the catalog, whether a member holds it and
// why. It follows the rule the registry enforces (store.RightsOf and
// domain.Actor.Has): only an active member holds rights; the Admin role holds
// every right; otherwise a right comes from a role or a direct grant.
func Explain(active bool, grants []store.MemberRoleGrant, direct []domain.Right) []EffectiveRight {
	out := []EffectiveRight{}
	isDirect := map[domain.Right]bool{}
	for _, r := range direct {
		isDirect[r] = true
	}
	admin := false
	for _, g := range grants {
		admin = admin || g.IsAdmin
	}
	for _, r := range domain.AllRights() {
		e := EffectiveRight{Right: string(r), Roles: []RoleRef{}, Direct: isDirect[r], ByAdmin: admin}
		for _, g := range grants {
			holds := g.IsAdmin
			for _, x := range g.Rights {
				holds = holds || x == r
			}
			if holds {
				e.Roles = append(e.Roles, RoleRef{ID: g.RoleID, Name: g.Name, IsAdmin: g.IsAdmin})
			}
		}
		e.Granted = active && (len(e.Roles) > 0 || e.Direct)
		out = append(out, e)
	}
	return out
}

// nameEditable says whether the actor's organization may change a member's
// name (SPEC C11). The name is the account's, seen by every organization the
// person belongs to: an organization changes it only while the account
// belongs to it alone (memberships elsewhere that are deleted do not count),
// and the person may always change their own. Everyone who has an account
// has signed in with it (a pending invitee has none yet, and the invitation's
// name is the organization's own), so there is no "never used" account to
// name on the person's behalf.
func (s *Members) nameEditable(ctx context.Context, a domain.Actor, m store.MemberRecord) (bool, error) {
	if m.AccountID == a.AccountID {
		return true, nil
	}
	n, err := s.Store.OtherMemberships(ctx, m.AccountID, a.OrgID)
	return nameEditable(a, m, n), err
}

// nameEditable is the rule itself, given the number of the account's
// memberships in other organizations.
func nameEditable(a domain.Actor, m store.MemberRecord, elsewhere int64) bool {
	return m.AccountID == a.AccountID || elsewhere == 0
}

// rightsTarget locks the organization's members (so the last-admin rule
// sees every concurrent change) and loads the member whose roles or rights
// the actor changes: one that may be edited, and not the actor themself.
func (s *Members) rightsTarget(ctx context.Context, a domain.Actor, memberID string) (store.MemberRecord, error) {
	if err := s.Store.LockMembers(ctx, a.OrgID); err != nil {
		return store.MemberRecord{}, err
	}
	m, err := s.editable(ctx, a.OrgID, memberID)
	if err != nil {
		return m, err
	}
	return m, notOwnRights(a, m)
}

// editable loads a member that may be changed: a deleted member is kept for
// the record and cannot be edited.
func (s *Members) editable(ctx context.Context, orgID, memberID string) (store.MemberRecord, error) {
	m, err := s.Store.MemberByID(ctx, orgID, memberID)
	if err != nil {
		return m, err
	}
	if m.Status == domain.MemberDeleted {
		return m, domain.FieldErrors{"memberId": domain.FieldMemberDeleted}.Err()
	}
	return m, nil
}

// keepAnAdmin enforces the last-admin rule (SPEC C10) after a write, inside
// its transaction and under the organization's member lock: when no active
// admin would remain, the whole write is rolled back.
func (s *Members) keepAnAdmin(ctx context.Context, orgID string) error {
	beforeAdminCheck()
	ids, err := s.Store.ActiveAdminIDs(ctx, orgID)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return domain.FieldErrors{"memberId": domain.FieldLastAdmin}.Err()
	}
	return nil
}

// beforeAdminCheck lets the concurrency test hold two writers between their
// write and their check, where a missing lock would let both pass.
var beforeAdminCheck = func() {}

// UpdateMemberInput edits a member (SPEC C5); a field left out is not changed.
type UpdateMemberInput struct {
	MemberID    string  `json:"memberId"`
	FirstName   *string `json:"firstName,omitempty"`
	LastName    *string `json:"lastName,omitempty"`
	EmployeeRef *string `json:"employeeRef,omitempty"`
	JobTitle    *string `json:"jobTitle,omitempty"`
	// Base holds the fields as the caller last read them: a field changed
	// since by someone else, to another value, refuses the edit as a
	// conflict (see concurrent.go). Without it the last write wins.
	Base *Base `json:"base,omitempty"`
}

// Update edits a member's name (on their account), employee reference and job
// title (in this organization). The history names the fields changed. The
// name belongs to the person's account: see nameEditable.
func (s *Members) Update(ctx context.Context, a domain.Actor, in UpdateMemberInput) (MemberDetail, error) {
	errs := domain.FieldErrors{}
	type edit struct {
		field, column, value string
		account              bool // on the person's account, not the membership
	}
	var edits []edit
	for _, f := range []struct {
		field, column string
		value         *string
		required      bool
	}{
		{"firstName", "first_name", in.FirstName, true},
		{"lastName", "last_name", in.LastName, true},
		{"employeeRef", "employee_ref", in.EmployeeRef, false},
		{"jobTitle", "job_title", in.JobTitle, false},
	} {
		if f.value != nil {
			v := domain.CleanText(*f.value)
			domain.CheckText(errs, f.field, v, f.required)
			edits = append(edits, edit{f.field, f.column, v, f.column == "first_name" || f.column == "last_name"})
		}
	}
	if err := errs.Err(); err != nil {
		return MemberDetail{}, err
	}
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		m, err := s.editable(ctx, a.OrgID, in.MemberID)
		if err != nil {
			return err
		}
		acc, err := s.Store.AccountByID(ctx, m.AccountID)
		if err != nil {
			return err
		}
		current := map[string]string{"first_name": acc.FirstName, "last_name": acc.LastName,
			"employee_ref": m.EmployeeRef, "job_title": m.JobTitle}
		check := checkAgainst(in.Base)
		accCols, memCols := map[string]any{}, map[string]any{}
		var changed []string
		for _, e := range edits {
			v := check.value(e.field, current[e.column], e.value, domain.CleanText)
			if v == current[e.column] {
				continue
			}
			changed = append(changed, e.column)
			if e.account {
				accCols[e.column] = v
			} else {
				memCols[e.column] = v
			}
		}
		if err := check.err(); err != nil {
			return err
		}
		if len(changed) == 0 {
			w.Nothing()
			return nil
		}
		if len(accCols) > 0 {
			editable, err := s.nameEditable(ctx, a, m)
			if err != nil {
				return err
			}
			if !editable {
				owned := domain.FieldErrors{}
				for col := range accCols {
					owned.Add(map[string]string{"first_name": "firstName", "last_name": "lastName"}[col], domain.FieldNameOwnedByPerson)
				}
				return owned.Err()
			}
		}
		sort.Strings(changed)
		if len(accCols) > 0 {
			if err := s.Store.UpdateAccount(ctx, acc.ID, accCols); err != nil {
				return err
			}
			acc, err := s.Store.AccountByID(ctx, acc.ID)
			if err != nil {
				return err
			}
			if err := w.Changed("", "account", acc.ID, "updated", accountView(acc)); err != nil {
				return err
			}
		}
		if len(memCols) > 0 {
			if err := s.Store.UpdateMember(ctx, a.OrgID, m.ID, memCols); err != nil {
				return err
			}
		}
		return s.memberChanged(w, a, m, audit.MemberUpdated, map[string]any{"fields": changed})
	})
	if err != nil {
		return MemberDetail{}, err
	}
	return s.detail(ctx, a, in.MemberID)
}

// SetRolesInput replaces the roles of a member.
type SetRolesInput struct {
	MemberID string   `json:"memberId"`
	RoleIDs  []string `json:"roleIds"`
}

// SetRoles gives a member exactly the given roles of the organization. The
// last active admin cannot lose the Admin role; nobody changes their own
// roles, and a non-admin gives or takes only roles within their own rights
// (grants.go).
func (s *Members) SetRoles(ctx context.Context, a domain.Actor, in SetRolesInput) (MemberDetail, error) {
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		m, err := s.rightsTarget(ctx, a, in.MemberID)
		if err != nil {
			return err
		}
		before, err := s.Store.RoleGrantsOf(ctx, a.OrgID, m.ID)
		if err != nil {
			return err
		}
		want := map[string]bool{}
		for _, id := range in.RoleIDs {
			if _, err := s.Store.RoleByID(ctx, a.OrgID, id); err != nil {
				return err // another organization's role is not found
			}
			want[id] = true
		}
		var added, removed []string
		had := map[string]bool{}
		for _, g := range before {
			had[g.RoleID] = true
			if !want[g.RoleID] {
				removed = append(removed, g.RoleID)
			}
		}
		ids := make([]string, 0, len(want))
		for id := range want {
			ids = append(ids, id)
			if !had[id] {
				added = append(added, id)
			}
		}
		if len(added)+len(removed) == 0 {
			w.Nothing()
			return nil
		}
		for _, id := range append(append([]string{}, added...), removed...) {
			if err := checkRoleGrant(ctx, s.Store, a, "roleIds", id); err != nil {
				return err
			}
		}
		sort.Strings(ids)
		sort.Strings(added)
		sort.Strings(removed)
		if err := s.Store.SetMemberRoles(ctx, a.OrgID, m.ID, ids); err != nil {
			return err
		}
		if err := s.keepAnAdmin(ctx, a.OrgID); err != nil {
			return err
		}
		return s.memberChanged(w, a, m, audit.MemberRolesChanged, map[string]any{"added": nonNil(added), "removed": nonNil(removed)})
	})
	if err != nil {
		return MemberDetail{}, err
	}
	return s.detail(ctx, a, in.MemberID)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// memberChanged declares a write to a member: the membership's new state in
// the change log, as the member's drawer reads it, and the history entry
// (which names the member's account).
func (s *Members) memberChanged(w *Write, a domain.Actor, m store.MemberRecord, action string, details map[string]any) error {
	return s.membersChanged(w, a, []memberChange{{m, action, details}})
}

// memberChange is one member's change, as the history will tell it.
type memberChange struct {
	m       store.MemberRecord
	action  string
	details map[string]any
}

// membersChanged is memberChanged for many changes in one write (an
// import): each member's record is read once, for a few hundred members
// per query, and the change log gets it once per member.
func (s *Members) membersChanged(w *Write, a domain.Actor, changes []memberChange) error {
	var ids []string
	seen := map[string]bool{}
	for _, c := range changes {
		if !seen[c.m.ID] {
			seen[c.m.ID] = true
			ids = append(ids, c.m.ID)
		}
	}
	if err := s.statesChanged(w, a, ids); err != nil {
		return err
	}
	for _, c := range changes {
		details := c.details
		if details == nil {
			details = map[string]any{}
		}
		details["accountId"] = c.m.AccountID
		if err := w.Record(audit.Entry{OrgID: a.OrgID, Action: c.action, SubjectType: "membership", SubjectID: c.m.ID, Details: details}); err != nil {
			return err
		}
	}
	return nil
}

// statesChanged gives the change log the new record of each member named
// (each once), as the member's drawer reads it.
func (s *Members) statesChanged(w *Write, a domain.Actor, ids []string) error {
	for start := 0; start < len(ids); start += membersChangedBatch {
		batch := ids[start:min(start+membersChangedBatch, len(ids))]
		ds, err := s.details(w.Ctx(), a, batch)
		if err != nil {
			return err
		}
		if len(ds) != len(batch) {
			return domain.Errorf(domain.CodeNotFound, "member not found")
		}
		for _, d := range ds {
			if err := w.Changed(a.OrgID, "membership", d.Member.ID, "updated", d); err != nil {
				return err
			}
		}
	}
	return nil
}

// membersChangedBatch is how many members' records statesChanged reads at once.
const membersChangedBatch = 500

// RemoveRoleInput takes one role from a member.
type RemoveRoleInput struct {
	MemberID string `json:"memberId"`
	RoleID   string `json:"roleId"`
}

// RemoveRole takes a role from a member (SPEC D4); the last active admin
// keeps the Admin role, and the rules of grants.go apply.
func (s *Members) RemoveRole(ctx context.Context, a domain.Actor, in RemoveRoleInput) (Empty, error) {
	return Empty{}, s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		m, err := s.rightsTarget(ctx, a, in.MemberID)
		if err != nil {
			return err
		}
		if err := checkRoleGrant(ctx, s.Store, a, "roleId", in.RoleID); err != nil {
			return err
		}
		removed, err := s.Store.RemoveMemberRole(ctx, a.OrgID, m.ID, in.RoleID)
		if err != nil {
			return err
		}
		if !removed {
			w.Nothing()
			return nil
		}
		if err := s.keepAnAdmin(ctx, a.OrgID); err != nil {
			return err
		}
		return s.memberChanged(w, a, m, audit.MemberRolesChanged, map[string]any{"added": []string{}, "removed": []string{in.RoleID}})
	})
}

// SetRightInput grants or withdraws one direct right (SPEC D5).
type SetRightInput struct {
	MemberID string `json:"memberId"`
	Right    string `json:"right"`
	Granted  bool   `json:"granted"`
}

// SetRight switches one direct right of a member. Nothing is sent to the
// member; the history records it. Nobody switches their own rights, and a
// non-admin only the rights they hold (grants.go).
func (s *Members) SetRight(ctx context.Context, a domain.Actor, in SetRightInput) (MemberDetail, error) {
	r := domain.Right(in.Right)
	if !domain.KnownRight(r) {
		return MemberDetail{}, domain.FieldErrors{"right": domain.FieldUnknownRight}.Err()
	}
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		m, err := s.editable(ctx, a.OrgID, in.MemberID)
		if err != nil {
			return err
		}
		if err := notOwnRights(a, m); err != nil {
			return err
		}
		if err := checkRight(a, "right", r); err != nil {
			return err
		}
		changed, err := s.Store.SetDirectRight(ctx, a.OrgID, m.ID, r, in.Granted)
		if err != nil {
			return err
		}
		if !changed {
			w.Nothing()
			return nil
		}
		action := audit.RightGranted
		if !in.Granted {
			action = audit.RightRevoked
		}
		return s.memberChanged(w, a, m, action, map[string]any{"right": in.Right})
	})
	if err != nil {
		return MemberDetail{}, err
	}
	return s.detail(ctx, a, in.MemberID)
}

// Disable suspends a member (SPEC C6): they can no longer act in this
// organization and their sessions working in it end at once; their other
// organizations are not affected. The last active admin cannot be disabled,
// and nobody disables themselves.
func (s *Members) Disable(ctx context.Context, a domain.Actor, in MemberRef) (MemberDetail, error) {
	return s.setStatus(ctx, a, in.MemberID, domain.MemberDisabled)
}

// Enable gives a disabled member their access back.
func (s *Members) Enable(ctx context.Context, a domain.Actor, in MemberRef) (MemberDetail, error) {
	return s.setStatus(ctx, a, in.MemberID, domain.MemberActive)
}

func (s *Members) setStatus(ctx context.Context, a domain.Actor, memberID, status string) (MemberDetail, error) {
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		if err := s.Store.LockMembers(ctx, a.OrgID); err != nil {
			return err
		}
		m, err := s.editable(ctx, a.OrgID, memberID)
		if err != nil {
			return err
		}
		if m.Status == status {
			w.Nothing()
			return nil
		}
		from := domain.MemberActive
		if status == domain.MemberActive {
			from = domain.MemberDisabled
		}
		if m.Status != from {
			return domain.FieldErrors{"memberId": domain.FieldInvalidStatus}.Err()
		}
		if status == domain.MemberDisabled && m.AccountID == a.AccountID {
			return domain.FieldErrors{"memberId": domain.FieldNotYourself}.Err()
		}
		now := s.now()
		if err := s.Store.UpdateMember(ctx, a.OrgID, m.ID, map[string]any{"status": status}); err != nil {
			return err
		}
		details := map[string]any{"from": m.Status, "to": status}
		action := audit.MemberEnabled
		if status == domain.MemberDisabled {
			action = audit.MemberDisabled
			if err := s.keepAnAdmin(ctx, a.OrgID); err != nil {
				return err
			}
			n, err := s.Store.RevokeOrgSessions(ctx, m.AccountID, a.OrgID, now)
			if err != nil {
				return err
			}
			details["sessionsEnded"] = n
		}
		return s.memberChanged(w, a, m, action, details)
	})
	if err != nil {
		return MemberDetail{}, err
	}
	return s.detail(ctx, a, memberID)
}
