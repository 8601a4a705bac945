package store

import (
	"context"
	"time"

	"atrium/backend/domain"
)

// importBatch is how many addresses one query of the member import looks up.
const importBatch = 500

// ImportMember is a member an imported row may name, found by address.
type ImportMember struct {
	ID          string
	AccountID   string
	Email       string
	Status      string
	JobTitle    string
	EmployeeRef string
}

// MembersByEmails finds the organization's members (deleted ones left out)
// whose account has one of the given (normalized) addresses, by address,
// a few hundred addresses per query.
func (s *Store) MembersByEmails(ctx context.Context, orgID string, emails []string) (map[string]ImportMember, error) {
	out := make(map[string]ImportMember, len(emails))
	want := make(map[string]bool, len(emails))
	keys := make([]string, 0, len(emails))
	for _, e := range emails {
		want[e] = true
		keys = append(keys, FoldName(e))
	}
	// The member search index holds each member's folded address
	// (email_key): the addresses are looked up there, then matched exactly.
	for start := 0; start < len(keys); start += importBatch {
		batch := keys[start:min(start+importBatch, len(keys))]
		var rows []ImportMember
		err := s.DB(ctx).Table("memberships m").Joins("JOIN accounts a ON a.id = m.account_id").
			Where("m.org_id = ? AND m.email_key IN ? AND m.status <> ?", orgID, batch, domain.MemberDeleted).
			Select("m.id, m.account_id, a.email, m.status, m.job_title, m.employee_ref").Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if want[r.Email] {
				out[r.Email] = r
			}
		}
	}
	return out, nil
}

// RoleIDsOf returns the role IDs each given membership holds, a few hundred
// memberships per query.
func (s *Store) RoleIDsOf(ctx context.Context, orgID string, memberIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	for start := 0; start < len(memberIDs); start += importBatch {
		batch := memberIDs[start:min(start+importBatch, len(memberIDs))]
		var rows []domain.MembershipRole
		if err := s.DB(ctx).Where("org_id = ? AND membership_id IN ?", orgID, batch).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.MembershipID] = append(out[r.MembershipID], r.RoleID)
		}
	}
	return out, nil
}

// PendingInvitationExpiries returns, for each given address with a pending
// invitation in the organization, when that invitation expires.
func (s *Store) PendingInvitationExpiries(ctx context.Context, orgID string, emails []string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	for start := 0; start < len(emails); start += importBatch {
		batch := emails[start:min(start+importBatch, len(emails))]
		var rows []struct {
			Email     string
			ExpiresAt time.Time
		}
		err := s.DB(ctx).Model(&Invitation{}).Where("org_id = ? AND status = '"+InvitationPending+"' AND email IN ?", orgID, batch).
			Select("email, expires_at").Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.Email] = r.ExpiresAt
		}
	}
	return out, nil
}
