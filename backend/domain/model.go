package domain

import "time"

// Account is a person who can sign in. Email is stored lower-cased and is the login.
type Account struct {
	ID           string `gorm:"primaryKey"`
	Email        string
	PasswordHash string
	Title        string // "", "mme" or "m"
	FirstName    string
	LastName     string
	MobilePhone  string // E.164, or empty
	JobTitle     string
	Language     string // "fr" or "en"
	LastOrgID    *string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// FullName is how the console and the history name a person.
func (a Account) FullName() string {
	switch {
	case a.FirstName == "":
		return a.LastName
	case a.LastName == "":
		return a.FirstName
	}
	return a.FirstName + " " + a.LastName
}

// Organization statuses (SPEC B9).
const (
	OrgActive = "active"
	OrgClosed = "closed"
)

// Organization is a company or client dossier: the frame everything lives in.
type Organization struct {
	ID        string `gorm:"primaryKey"`
	Name      string
	Timezone  string
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Membership statuses (SPEC Concepts).
const (
	MemberInvited  = "invited"
	MemberActive   = "active"
	MemberAway     = "away"
	MemberDisabled = "disabled"
	MemberDeleted  = "deleted"
)

// Membership is an account inside an organization.
type Membership struct {
	ID        string `gorm:"primaryKey"`
	OrgID     string
	AccountID string
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Role is a named set of rights inside one organization. The Admin role
// (IsAdmin) holds every right of the catalog, present and future.
type Role struct {
	ID        string `gorm:"primaryKey"`
	OrgID     string
	Name      string
	IsAdmin   bool
	CreatedAt time.Time
}

// RoleRight grants a right to a custom role.
type RoleRight struct {
	RoleID    string `gorm:"primaryKey"`
	RightName Right  `gorm:"primaryKey"`
	OrgID     string
}

// MembershipRole gives a role to a membership.
type MembershipRole struct {
	MembershipID string `gorm:"primaryKey"`
	RoleID       string `gorm:"primaryKey"`
	OrgID        string
}

// MembershipRight is a right granted directly to a member (SPEC D5).
type MembershipRight struct {
	MembershipID string `gorm:"primaryKey"`
	RightName    Right  `gorm:"primaryKey"`
	OrgID        string
}

// Session kinds.
const (
	SessionDesktop = "desktop"
	SessionBrowser = "browser"
)

// Session is one signed-in device or browser. Only the hash of its token is kept.
type Session struct {
	ID         string `gorm:"primaryKey"`
	AccountID  string
	OrgID      *string // the organization the session is working in
	TokenHash  string
	Kind       string
	DeviceName string
	Platform   string
	IP         string
	CreatedAt  time.Time // first seen
	LastSeenAt time.Time
	RevokedAt  *time.Time
}

// Device describes where a call comes from; the door that received it fills it.
type Device struct {
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	Platform string `json:"platform"`
	IP       string `json:"ip,omitempty"`
}

// Actor is who performs an operation, in which organization, from which session.
type Actor struct {
	AccountID string
	OrgID     string
	OrgClosed bool // the organization is closed: read-only (SPEC B9)
	// MustEnrollTwoFactor: the organization requires two-step sign-in and
	// this account has not turned it on; it may only manage its own account.
	MustEnrollTwoFactor bool
	SessionID           string
	IsAdmin             bool
	Rights              map[Right]bool
}

// Has reports whether the actor holds right r in its current organization.
func (a Actor) Has(r Right) bool { return a.IsAdmin || a.Rights[r] }
