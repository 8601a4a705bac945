package store

import (
	"context"
	"io/fs"
	"strconv"
	"strings"

	"atrium/backend/domain"
)

// A standalone desktop that connects to a server may send its own
// organizations there (service.Upload). The desktop reads one organization
// as it holds it (OrganizationForUpload); the server checks that the
// organization is not one it has already (OrganizationExists) and writes it
// through the write path.

// UploadMember is one membership with the account it names, without the
// account's password hash or any secret.
type UploadMember struct {
	MemberRecord
	Email     string
	FirstName string
	LastName  string
	Language  string
}

// OrgForUpload is an organization's rows as a desktop holds them, for the
// server: no password hash, second-factor secret, session, token or message.
type OrgForUpload struct {
	Org          OrgRecord
	Company      *CompanyProfile
	Security     OrgSecurity
	Roles        []domain.Role
	RoleRights   []domain.RoleRight
	Members      []UploadMember
	MemberRoles  []domain.MembershipRole
	MemberRights []domain.MembershipRight
	Tasks        []Task
	Absences     []Absence
}

// OrganizationForUpload reads organization orgID for an upload, in one read
// transaction.
func (s *Store) OrganizationForUpload(ctx context.Context, orgID string) (OrgForUpload, error) {
	var out OrgForUpload
	err := s.SnapshotRead(ctx, func(ctx context.Context) error {
		db := s.DB(ctx)
		if err := db.Where("id = ?", orgID).Take(&out.Org).Error; err != nil {
			return notFound(err, "organization")
		}
		var company []CompanyProfile
		if err := db.Where("org_id = ?", orgID).Find(&company).Error; err != nil {
			return err
		}
		if len(company) == 1 {
			out.Company = &company[0]
		}
		var sec []OrgSecurity
		if err := db.Where("org_id = ?", orgID).Find(&sec).Error; err != nil {
			return err
		}
		if len(sec) == 1 {
			out.Security = sec[0]
		}
		if err := db.Table("memberships m").
			Select("m.*, a.email, a.first_name, a.last_name, a.language").
			Joins("JOIN accounts a ON a.id = m.account_id").
			Where("m.org_id = ?", orgID).Order("m.created_at, m.id").Scan(&out.Members).Error; err != nil {
			return err
		}
		for _, q := range []struct {
			dest  any
			order string
		}{
			{&out.Roles, "created_at, id"},
			{&out.RoleRights, "role_id, right_name"},
			{&out.MemberRoles, "membership_id, role_id"},
			{&out.MemberRights, "membership_id, right_name"},
			{&out.Tasks, "created_at, id"},
			{&out.Absences, "membership_id"},
		} {
			if err := db.Where("org_id = ?", orgID).Order(q.order).Find(q.dest).Error; err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// OrganizationExists says whether an organization of that id is in the store.
func (s *Store) OrganizationExists(ctx context.Context, id string) (bool, error) {
	var n int64
	err := s.DB(ctx).Model(&OrgRecord{}).Where("id = ?", id).Count(&n).Error
	return n > 0, err
}

// KnownSchema is the newest schema version this build knows: the one its
// databases are migrated to. A connected desktop works only with a server of
// the same one (the two exchange rows as their schema holds them).
func KnownSchema() int64 {
	entries, err := fs.ReadDir(migrations, "migrations/"+string(SQLite))
	if err != nil {
		return 0
	}
	var latest int64
	for _, e := range entries {
		n, _, _ := strings.Cut(e.Name(), "_")
		if v, err := strconv.ParseInt(n, 10, 64); err == nil && v > latest {
			latest = v
		}
	}
	return latest
}

// AccountsByEmail finds the accounts of the (normalised) emails given, by email.
func (s *Store) AccountsByEmail(ctx context.Context, emails []string) (map[string]domain.Account, error) {
	out := map[string]domain.Account{}
	for start := 0; start < len(emails); start += 500 {
		var accs []domain.Account
		if err := s.DB(ctx).Where("email IN ?", emails[start:min(start+500, len(emails))]).Find(&accs).Error; err != nil {
			return nil, err
		}
		for _, a := range accs {
			a.PasswordHash = ""
			out[a.Email] = a
		}
	}
	return out, nil
}

// ManagedBy returns those of the accounts given who are active members of
// an organization adminID is an active admin of: people the admin already
// manages on the server.
func (s *Store) ManagedBy(ctx context.Context, adminID string, accountIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	for start := 0; start < len(accountIDs); start += 500 {
		var ids []string
		err := s.DB(ctx).Table("memberships").Distinct("account_id").
			Where("status = ? AND account_id IN ?", domain.MemberActive, accountIDs[start:min(start+500, len(accountIDs))]).
			Where("org_id IN (SELECT m.org_id FROM memberships m JOIN membership_roles mr ON mr.membership_id = m.id"+
				" JOIN roles r ON r.id = mr.role_id WHERE m.account_id = ? AND m.status = ? AND r.is_admin)", adminID, domain.MemberActive).
			Pluck("account_id", &ids).Error
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			out[id] = true
		}
	}
	return out, nil
}

// AdminOrganizations lists the active organizations accountID is an active
// admin of, by name: those a desktop's user may send to a server.
func (s *Store) AdminOrganizations(ctx context.Context, accountID string) ([]OrgRecord, error) {
	var out []OrgRecord
	err := s.DB(ctx).Where("id IN (SELECT m.org_id FROM memberships m JOIN membership_roles mr ON mr.membership_id = m.id"+
		" JOIN roles r ON r.id = mr.role_id WHERE m.account_id = ? AND m.status = ? AND r.is_admin)", accountID, domain.MemberActive).
		Order("search_name, id").Find(&out).Error
	return out, err
}

// CountOrgRows counts an organization's members and tasks, as the list of
// dossiers to send shows them.
func (s *Store) CountOrgRows(ctx context.Context, orgID string) (members, tasks int64, err error) {
	if err = s.DB(ctx).Model(&MemberRecord{}).Where("org_id = ? AND status <> ?", orgID, domain.MemberDeleted).Count(&members).Error; err != nil {
		return
	}
	err = s.DB(ctx).Model(&Task{}).Where("org_id = ?", orgID).Count(&tasks).Error
	return
}
