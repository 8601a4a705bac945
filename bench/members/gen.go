// Package members generates members for tests, end-to-end journeys and the
// member-list benchmark (SPEC C1: 100,000 members in one organization).
package members

import (
	"context"
	"fmt"
	"time"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// FirstOrgID returns the oldest organization of the database.
func FirstOrgID(ctx context.Context, st *store.Store) (string, error) {
	var o domain.Organization
	err := st.DB(ctx).Order("created_at, id").Take(&o).Error
	return o.ID, err
}

// AddMember inserts an account with an active membership (no role) in orgID.
func AddMember(ctx context.Context, st *store.Store, orgID, email, password, first, last string) (accountID string, err error) {
	email, ok := domain.NormalizeEmail(email)
	if !ok {
		return "", fmt.Errorf("invalid email %q", email)
	}
	hash, err := auth.HashPassword(password, auth.OWASP)
	if err != nil {
		return "", err
	}
	now := time.Now().UTC()
	acc := domain.Account{ID: domain.NewID(), Email: email, PasswordHash: hash, FirstName: first, LastName: last,
		Language: "fr", CreatedAt: now, UpdatedAt: now}
	mem := domain.Membership{ID: domain.NewID(), OrgID: orgID, AccountID: acc.ID, Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now}
	err = st.WriteTx(ctx, func(ctx context.Context) error {
		for _, row := range []any{&acc, &mem} {
			if err := st.Create(ctx, row); err != nil {
				return err
			}
		}
		return st.AppendChange(ctx, store.Change{OrgID: &orgID, Entity: "membership", EntityID: mem.ID, Action: "created"})
	})
	return acc.ID, err
}

var firstNames = []string{"Anne", "Bruno", "Camille", "David", "Élodie", "François", "Gabriel", "Hélène", "Inès", "Julien",
	"Karim", "Laura", "Mathieu", "Nadia", "Olivier", "Pauline", "Quentin", "Romain", "Sophie", "Thomas", "Valérie", "Yann"}
var lastNames = []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
	"Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
	"Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez"}

// Statuses a generated member gets, by position (mostly active).
var genStatuses = []string{domain.MemberActive, domain.MemberActive, domain.MemberActive, domain.MemberActive,
	domain.MemberActive, domain.MemberActive, domain.MemberAway, domain.MemberDisabled, domain.MemberInvited, domain.MemberDeleted}

// Generate adds n members to orgID, in batches, with varied names, employee
// references and statuses, and gives every tenth the role roleID (when set).
// All share one password hash (generating 100,000 argon2id hashes would take
// an hour and test nothing).
func Generate(ctx context.Context, st *store.Store, orgID, roleID string, n int) error {
	hash, err := auth.HashPassword("un mot de passe solide", auth.OWASP)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	const batch = 2000
	for start := 0; start < n; start += batch {
		err := st.Tx(ctx, func(ctx context.Context) error {
			var accs []domain.Account
			var mems []store.MemberRecord
			var roles []domain.MembershipRole
			for i := start; i < start+batch && i < n; i++ {
				first, last := firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)]
				acc := domain.Account{ID: domain.NewID(), Email: fmt.Sprintf("membre%06d@exemple.fr", i), PasswordHash: hash,
					FirstName: first, LastName: fmt.Sprintf("%s%d", last, i/(len(firstNames)*len(lastNames))), Language: "fr", CreatedAt: now, UpdatedAt: now}
				if i < len(firstNames)*len(lastNames) {
					acc.LastName = last
				}
				m := store.MemberRecord{ID: domain.NewID(), OrgID: orgID, AccountID: acc.ID, Status: genStatuses[i%len(genStatuses)],
					EmployeeRef: fmt.Sprintf("MAT-%06d", i), CreatedAt: now, UpdatedAt: now}
				accs, mems = append(accs, acc), append(mems, m)
				if roleID != "" && i%10 == 3 {
					roles = append(roles, domain.MembershipRole{MembershipID: m.ID, RoleID: roleID, OrgID: orgID})
				}
			}
			db := st.DB(ctx)
			if err := db.CreateInBatches(accs, 200).Error; err != nil {
				return err
			}
			if err := db.CreateInBatches(mems, 200).Error; err != nil {
				return err
			}
			if len(roles) > 0 {
				return db.CreateInBatches(roles, 200).Error
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
