package store

import (
	"context"
	"time"

	"atrium/backend/domain"
)

// Invitation statuses.
const (
	InvitationPending  = "pending"
	InvitationAccepted = "accepted"
	InvitationRevoked  = "revoked"
)

// Invitation is an invitation to join an organization (SPEC C2-C4).
type Invitation struct {
	ID          string `gorm:"primaryKey"`
	OrgID       string
	Email       string
	FirstName   string
	LastName    string
	JobTitle    string
	EmployeeRef string
	RoleIDs     string `gorm:"column:role_ids"` // JSON array
	Rights      string // JSON array
	Language    string
	InvitedBy   *string
	Status      string
	CreatedAt   time.Time
	SentAt      time.Time
	ExpiresAt   time.Time
	EndedAt     *time.Time
}

func (Invitation) TableName() string { return "invitations" }

// Unsent reports an invitation prepared and never sent (a dossier sent from a
// desktop brings its members so): it expires the moment it is made, so its
// link works for nobody until the admin sends it, which gives it its days.
func (i Invitation) Unsent() bool { return i.ExpiresAt.Equal(i.SentAt) }

// Prepare makes i an invitation prepared at now and not sent (see Unsent).
func (i *Invitation) Prepare(now time.Time) { i.CreatedAt, i.SentAt, i.ExpiresAt = now, now, now }

// InvitationRow is a pending invitation with the name of who sent it.
type InvitationRow struct {
	Invitation
	InviterFirst string
	InviterLast  string
}

// PendingInvitations lists an organization's pending invitations, newest first.
func (s *Store) PendingInvitations(ctx context.Context, orgID string) ([]InvitationRow, error) {
	var out []InvitationRow
	err := s.DB(ctx).Table("invitations i").
		Select("i.*, a.first_name AS inviter_first, a.last_name AS inviter_last").
		Joins("LEFT JOIN accounts a ON a.id = i.invited_by").
		Where("i.org_id = ? AND i.status = ?", orgID, InvitationPending).
		Order("i.sent_at DESC, i.id").Find(&out).Error
	return out, err
}

// InvitationByID finds one invitation of an organization.
func (s *Store) InvitationByID(ctx context.Context, orgID, id string) (Invitation, error) {
	var inv Invitation
	err := s.DB(ctx).Where("org_id = ? AND id = ?", orgID, id).Take(&inv).Error
	return inv, notFound(err, "invitation")
}

// UpdateInvitation writes columns of a pending invitation; it answers false
// when the invitation is no longer pending.
func (s *Store) UpdateInvitation(ctx context.Context, id string, cols map[string]any) (bool, error) {
	res := s.DB(ctx).Model(&Invitation{}).Where("id = ? AND status = ?", id, InvitationPending).Updates(cols)
	return res.RowsAffected == 1, res.Error
}

// InvitationFacts is what inviting an address to an organization depends on.
type InvitationFacts struct {
	Member   bool        // an account with this address is a member (deleted ones aside)
	Pending  *Invitation // the address's pending invitation, if any
	Language string      // the language of the address's account; "" without one
}

// InvitationFactsOf reads the facts of many addresses (normalized) at once, a
// few hundred per query: one invitation and an import of thousands read
// them the same way.
func (s *Store) InvitationFactsOf(ctx context.Context, orgID string, emails []string) (map[string]InvitationFacts, error) {
	out := make(map[string]InvitationFacts, len(emails))
	db := s.DB(ctx)
	for start := 0; start < len(emails); start += importBatch {
		batch := emails[start:min(start+importBatch, len(emails))]
		var accounts []struct{ ID, Email, Language string }
		if err := db.Table("accounts").Where("email IN ?", batch).Select("id, email, language").Scan(&accounts).Error; err != nil {
			return nil, err
		}
		emailOf := make(map[string]string, len(accounts))
		ids := make([]string, 0, len(accounts))
		for _, a := range accounts {
			f := out[a.Email]
			f.Language = a.Language
			out[a.Email] = f
			emailOf[a.ID] = a.Email
			ids = append(ids, a.ID)
		}
		if len(ids) > 0 {
			// By the accounts' IDs: joined on the addresses, the query would
			// read the whole organization's memberships.
			var members []string
			err := db.Model(&MemberRecord{}).Where("org_id = ? AND account_id IN ? AND status <> ?", orgID, ids, domain.MemberDeleted).
				Pluck("account_id", &members).Error
			if err != nil {
				return nil, err
			}
			for _, id := range members {
				f := out[emailOf[id]]
				f.Member = true
				out[emailOf[id]] = f
			}
		}
		// The status is written out, not bound: only then may the database use
		// the partial index of pending invitations (org_id, email) instead of
		// reading every pending invitation of the organization.
		var pending []Invitation
		if err := db.Where("org_id = ? AND email IN ? AND status = '"+InvitationPending+"'", orgID, batch).Find(&pending).Error; err != nil {
			return nil, err
		}
		for i := range pending {
			f := out[pending[i].Email]
			f.Pending = &pending[i]
			out[pending[i].Email] = f
		}
	}
	return out, nil
}
