package service

import (
	"context"
	"sort"

	"atrium/backend/domain"
)

// Empty is the input or output of operations that carry nothing.
type Empty struct{}

// Account is an account as the console shows it.
type Account struct {
	ID                  string `json:"id"`
	Email               string `json:"email"`
	Title               string `json:"title"`
	FirstName           string `json:"firstName"`
	LastName            string `json:"lastName"`
	MobilePhone         string `json:"mobilePhone"`         // E.164
	MobilePhoneNational string `json:"mobilePhoneNational"` // for display
	JobTitle            string `json:"jobTitle"`
	Language            string `json:"language"`
}

func accountView(a domain.Account) Account {
	return Account{
		ID: a.ID, Email: a.Email, Title: a.Title, FirstName: a.FirstName, LastName: a.LastName,
		MobilePhone: a.MobilePhone, MobilePhoneNational: domain.NationalPhone(a.MobilePhone),
		JobTitle: a.JobTitle, Language: a.Language,
	}
}

// Organization is an organization as the console shows it.
type Organization struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Timezone string `json:"timezone"`
	Status   string `json:"status"` // active or closed (read-only)
}

func organizationView(o domain.Organization) Organization {
	return Organization{ID: o.ID, Name: o.Name, Timezone: o.Timezone, Status: o.Status}
}

// SessionInfo is who is signed in, where, and with which rights.
type SessionInfo struct {
	Account      Account      `json:"account"`
	Organization Organization `json:"organization"`
	Rights       []string     `json:"rights"`
	IsAdmin      bool         `json:"isAdmin"`
	// Timezone is the account's own (store.AccountTimezone), in which the
	// console shows the account's data; "" when it belongs to no organization.
	Timezone string `json:"timezone"`
	// PendingTwoFactor is set (and nothing else) when the password was right
	// and the second factor is still needed: send it to auth.verifyTwoFactor.
	PendingTwoFactor *string `json:"pendingTwoFactor,omitempty"`
	// MustEnrollTwoFactor: the organization requires two-factor sign-in and
	// this account has none yet (SPEC A6).
	MustEnrollTwoFactor *bool `json:"mustEnrollTwoFactor,omitempty"`
	// Suspended, for a session in no organization: the organizations where
	// the account's access is suspended and whom to ask, so the console says
	// so instead of offering to create a first organization.
	Suspended []Suspension `json:"suspended"`
	// ApplicationsOffered: some application of the catalog has an address,
	// so the pages about applications have something to show.
	ApplicationsOffered bool `json:"applicationsOffered"`
	token               string
}

// Suspension is an organization where the account's access is suspended.
type Suspension struct {
	Organization string   `json:"organization"`
	Admins       []string `json:"admins"`
}

func (s SessionInfo) issuedToken() string { return s.token }

// sessionInfo assembles what the console needs after sign-in or on reload.
func (s *Auth) sessionInfo(ctx context.Context, accountID, orgID string) (SessionInfo, error) {
	acc, err := s.Store.AccountByID(ctx, accountID)
	if err != nil {
		return SessionInfo{}, err
	}
	info := SessionInfo{Account: accountView(acc), Rights: []string{}, Suspended: []Suspension{}, ApplicationsOffered: len(s.offered()) > 0}
	if info.Timezone, err = s.Store.AccountTimezone(ctx, accountID); err != nil {
		return SessionInfo{}, err
	}
	if orgID == "" {
		sus, err := s.Store.SuspensionsOf(ctx, accountID)
		for _, x := range sus {
			info.Suspended = append(info.Suspended, Suspension{Organization: x.OrgName, Admins: x.Admins})
		}
		return info, err
	}
	org, err := s.Store.OrganizationByID(ctx, orgID)
	if err != nil {
		return SessionInfo{}, err
	}
	info.Organization = organizationView(org)
	mr, err := s.Store.RightsOf(ctx, orgID, accountID)
	if err != nil {
		return SessionInfo{}, err
	}
	info.IsAdmin = mr.IsAdmin
	if must, err := s.mustEnrollTwoFactor(ctx, accountID, orgID); err != nil {
		return SessionInfo{}, err
	} else if must {
		info.MustEnrollTwoFactor = &must
	}
	for _, r := range domain.AllRights() {
		if mr.IsAdmin || mr.Rights[r] {
			info.Rights = append(info.Rights, string(r))
		}
	}
	sort.Strings(info.Rights)
	return info, nil
}
