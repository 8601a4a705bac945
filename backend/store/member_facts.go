package store

import (
	"context"

	"atrium/backend/domain"
)

// MemberFacts is what a member's record (the drawer, the change log's state)
// is made of: the membership, its account's names, its roles with their
// rights, its direct rights and applications, and in how many other
// organizations the account is a member.
type MemberFacts struct {
	Record           MemberRecord
	FirstName        string
	LastName         string
	Email            string
	Grants           []MemberRoleGrant
	Direct           []domain.Right
	Applications     []string
	OtherMemberships int64
}

// MemberFactsOf reads the facts of many members of an organization at once,
// a few hundred members per query, so that a write touching thousands of
// members (an import, a role changed) reads them in a few queries instead of
// several per member. Members not found are absent from the answer.
func (s *Store) MemberFactsOf(ctx context.Context, orgID string, memberIDs []string) (map[string]*MemberFacts, error) {
	out := make(map[string]*MemberFacts, len(memberIDs))
	for start := 0; start < len(memberIDs); start += importBatch {
		if err := s.memberFactsBatch(ctx, orgID, memberIDs[start:min(start+importBatch, len(memberIDs))], out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) memberFactsBatch(ctx context.Context, orgID string, ids []string, out map[string]*MemberFacts) error {
	db := s.DB(ctx)
	var recs []MemberRecord
	if err := db.Where("org_id = ? AND id IN ?", orgID, ids).Find(&recs).Error; err != nil {
		return err
	}
	if len(recs) == 0 {
		return nil
	}
	byAccount := make(map[string][]*MemberFacts, len(recs))
	accountIDs := make([]string, 0, len(recs))
	for _, r := range recs {
		f := &MemberFacts{Record: r, Grants: []MemberRoleGrant{}, Direct: []domain.Right{}, Applications: []string{}}
		out[r.ID] = f
		if byAccount[r.AccountID] == nil {
			accountIDs = append(accountIDs, r.AccountID)
		}
		byAccount[r.AccountID] = append(byAccount[r.AccountID], f)
	}
	var accounts []struct{ ID, FirstName, LastName, Email string }
	if err := db.Table("accounts").Where("id IN ?", accountIDs).Select("id, first_name, last_name, email").Scan(&accounts).Error; err != nil {
		return err
	}
	for _, acc := range accounts {
		for _, f := range byAccount[acc.ID] {
			f.FirstName, f.LastName, f.Email = acc.FirstName, acc.LastName, acc.Email
		}
	}
	var others []struct {
		AccountID string
		N         int64
	}
	err := db.Model(&MemberRecord{}).Where("account_id IN ? AND org_id <> ? AND status <> ?", accountIDs, orgID, domain.MemberDeleted).
		Group("account_id").Select("account_id, COUNT(*) AS n").Scan(&others).Error
	if err != nil {
		return err
	}
	for _, o := range others {
		for _, f := range byAccount[o.AccountID] {
			f.OtherMemberships = o.N
		}
	}
	// Roles in the order RoleGrantsOf gives them: Admin first, then by name.
	var grants []struct {
		MembershipID, RoleID, Name string
		IsAdmin                    bool
	}
	err = db.Table("membership_roles mr").Joins("JOIN roles r ON r.id = mr.role_id").
		Where("mr.org_id = ? AND mr.membership_id IN ?", orgID, ids).Order("r.is_admin DESC, r.name").
		Select("mr.membership_id, r.id AS role_id, r.name, r.is_admin").Scan(&grants).Error
	if err != nil {
		return err
	}
	var roleIDs []string
	seen := map[string]bool{}
	for _, g := range grants {
		if !g.IsAdmin && !seen[g.RoleID] {
			seen[g.RoleID] = true
			roleIDs = append(roleIDs, g.RoleID)
		}
	}
	roleRights := map[string][]domain.Right{}
	if len(roleIDs) > 0 {
		var rows []domain.RoleRight
		if err := db.Where("org_id = ? AND role_id IN ?", orgID, roleIDs).Order("right_name").Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			roleRights[r.RoleID] = append(roleRights[r.RoleID], r.RightName)
		}
	}
	for _, g := range grants {
		f := out[g.MembershipID]
		grant := MemberRoleGrant{RoleID: g.RoleID, Name: g.Name, IsAdmin: g.IsAdmin}
		if !g.IsAdmin {
			grant.Rights = roleRights[g.RoleID]
		}
		f.Grants = append(f.Grants, grant)
	}
	var direct []domain.MembershipRight
	if err := db.Where("org_id = ? AND membership_id IN ?", orgID, ids).Order("right_name").Find(&direct).Error; err != nil {
		return err
	}
	for _, r := range direct {
		out[r.MembershipID].Direct = append(out[r.MembershipID].Direct, r.RightName)
	}
	var apps []MemberApplication
	if err := db.Where("org_id = ? AND membership_id IN ?", orgID, ids).Order("app").Find(&apps).Error; err != nil {
		return err
	}
	for _, a := range apps {
		out[a.MembershipID].Applications = append(out[a.MembershipID].Applications, a.App)
	}
	return nil
}
