package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// Company keeps the organization's company profile (SPEC B5).
type Company struct{ Deps }

// Length bounds of the company profile's free-text fields.
const (
	MaxAddressLen = 200
	MaxCityLen    = 100
)

// CompanyProfile is the company profile as the console shows and sends it.
// The whole section is saved at once, from its own form.
type CompanyProfile struct {
	LegalName    string `json:"legalName"`
	SIRET        string `json:"siret"`
	VAT          string `json:"vat"`
	Address      string `json:"address"`
	PostalCode   string `json:"postalCode"`
	City         string `json:"city"`
	Country      string `json:"country"` // ISO 3166-1 alpha-2
	MobilePhone  string `json:"mobilePhone"`
	CompanyPhone string `json:"companyPhone"`
	// Base holds the profile as the caller last read it: a field the caller
	// did not change keeps what is saved now, one changed by both is refused
	// (see concurrent.go). Without it the whole profile is saved as sent.
	Base *Base `json:"base,omitempty"`
}

// CompanyProfileView is the saved profile, with the phones also in their
// national written form.
type CompanyProfileView struct {
	LegalName            string `json:"legalName"`
	SIRET                string `json:"siret"`
	VAT                  string `json:"vat"`
	Address              string `json:"address"`
	PostalCode           string `json:"postalCode"`
	City                 string `json:"city"`
	Country              string `json:"country"`
	MobilePhone          string `json:"mobilePhone"`
	CompanyPhone         string `json:"companyPhone"`
	MobilePhoneNational  string `json:"mobilePhoneNational"`
	CompanyPhoneNational string `json:"companyPhoneNational"`
}

func companyView(p store.CompanyProfile) CompanyProfileView {
	return CompanyProfileView{LegalName: p.LegalName, SIRET: p.SIRET, VAT: p.VAT, Address: p.Address,
		PostalCode: p.PostalCode, City: p.City, Country: p.Country, MobilePhone: p.MobilePhone, CompanyPhone: p.CompanyPhone,
		MobilePhoneNational: domain.NationalPhone(p.MobilePhone), CompanyPhoneNational: domain.NationalPhone(p.CompanyPhone)}
}

// Get returns the company profile of the session's organization.
func (s *Company) Get(ctx context.Context, a domain.Actor, _ Empty) (CompanyProfileView, error) {
	p, err := s.Store.CompanyProfileOf(ctx, a.OrgID)
	return companyView(p), err
}

func checkLen(errs domain.FieldErrors, field, v string, max int) {
	if utf8.RuneCountInString(v) > max {
		errs.TooLong(field, max)
	}
}

// Update validates and saves the company profile. Identifiers typed with
// spaces or dots are normalised; the history keeps every company field's
// before → after, except the mobile phone, which may be a person's.
func (s *Company) Update(ctx context.Context, a domain.Actor, in CompanyProfile) (CompanyProfileView, error) {
	errs := domain.FieldErrors{}
	p := profileOf(errs, a.OrgID, in)
	if err := errs.Err(); err != nil {
		return CompanyProfileView{}, err
	}
	err := s.write(ctx, a, func(w *Write) error {
		before, err := s.Store.CompanyProfileOf(w.Ctx(), a.OrgID)
		if err != nil {
			return err
		}
		if err := mergeProfile(checkAgainst(in.Base), before, &p); err != nil {
			return err
		}
		changes := map[string]any{}
		var personal []string
		for _, f := range []struct {
			name          string
			before, after string
			byValue       bool
		}{
			{"legalName", before.LegalName, p.LegalName, true}, {"siret", before.SIRET, p.SIRET, true},
			{"vat", before.VAT, p.VAT, true}, {"address", before.Address, p.Address, true},
			{"postalCode", before.PostalCode, p.PostalCode, true}, {"city", before.City, p.City, true},
			{"country", before.Country, p.Country, true}, {"companyPhone", before.CompanyPhone, p.CompanyPhone, true},
			{"mobilePhone", before.MobilePhone, p.MobilePhone, false},
		} {
			if f.before == f.after {
				continue
			}
			if f.byValue {
				changes[f.name] = fromTo(f.before, f.after)
			} else {
				personal = append(personal, f.name)
			}
		}
		if len(changes) == 0 && len(personal) == 0 {
			w.Nothing()
			return nil
		}
		if err := s.Store.SaveCompanyProfile(w.Ctx(), p); err != nil {
			return err
		}
		if err := w.Changed(a.OrgID, "company_profile", a.OrgID, "updated", companyView(p)); err != nil {
			return err
		}
		details := map[string]any{"changes": changes}
		if len(personal) > 0 {
			details["fields"] = personal
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.CompanyProfileChanged,
			SubjectType: "organization", SubjectID: a.OrgID, Details: details})
	})
	if err != nil {
		return CompanyProfileView{}, err
	}
	return s.Get(ctx, a, Empty{})
}

// mergeProfile applies the rule of concurrent edits to each field of the
// profile p, against the one saved (before): the base is read as the
// fields were normalized, so a SIRET shown with spaces is the one saved.
func mergeProfile(c *baseCheck, before store.CompanyProfile, p *store.CompanyProfile) error {
	norm := func(f func(string) (string, bool)) func(string) string {
		return func(b string) string {
			if v, ok := f(b); ok {
				return v
			}
			return strings.TrimSpace(b)
		}
	}
	phone := func(b string) string { return domain.CheckPhone(domain.FieldErrors{}, "", b) }
	country := func(b string) string { return strings.ToUpper(strings.TrimSpace(b)) }
	postal := norm(func(b string) (string, bool) { return domain.NormalizePostalCode(p.Country, b) })
	for _, f := range []struct {
		name   string
		stored string
		mine   *string
		clean  func(string) string
	}{
		{"legalName", before.LegalName, &p.LegalName, domain.CleanText},
		{"siret", before.SIRET, &p.SIRET, norm(domain.NormalizeSIRET)},
		{"vat", before.VAT, &p.VAT, norm(domain.NormalizeVAT)},
		{"address", before.Address, &p.Address, domain.CleanText},
		{"postalCode", before.PostalCode, &p.PostalCode, postal},
		{"city", before.City, &p.City, domain.CleanText},
		{"country", before.Country, &p.Country, country},
		{"mobilePhone", before.MobilePhone, &p.MobilePhone, phone},
		{"companyPhone", before.CompanyPhone, &p.CompanyPhone, phone},
	} {
		*f.mine = c.value(f.name, f.stored, *f.mine, f.clean)
	}
	return c.err()
}

// profileOf is a company profile as it is saved: its fields cleaned and
// normalized (SIRET, VAT, postal code, phones), what is wrong added to errs.
// One rule for the profile's form and for a dossier sent from a desktop.
func profileOf(errs domain.FieldErrors, orgID string, in CompanyProfile) store.CompanyProfile {
	p := store.CompanyProfile{OrgID: orgID}
	p.LegalName = domain.CleanText(in.LegalName)
	domain.CheckText(errs, "legalName", p.LegalName, false)
	domain.CheckCompanyIDs(errs, "siret", "vat", in.SIRET, in.VAT)
	if strings.TrimSpace(in.SIRET) != "" {
		p.SIRET, _ = domain.NormalizeSIRET(in.SIRET)
	}
	if strings.TrimSpace(in.VAT) != "" {
		p.VAT, _ = domain.NormalizeVAT(in.VAT)
	}
	p.Address = domain.CleanText(in.Address)
	checkLen(errs, "address", p.Address, MaxAddressLen)
	p.City = domain.CleanText(in.City)
	checkLen(errs, "city", p.City, MaxCityLen)
	p.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	if p.Country != "" && !domain.ValidCountry(p.Country) {
		errs.Add("country", domain.FieldInvalidCountry)
	}
	if strings.TrimSpace(in.PostalCode) != "" {
		if p.Country == "" {
			errs.Add("country", domain.FieldRequired)
		} else if pc, ok := domain.NormalizePostalCode(p.Country, in.PostalCode); !ok {
			errs.Add("postalCode", domain.FieldInvalidPostalCode)
		} else {
			p.PostalCode = pc
		}
	}
	p.MobilePhone = domain.CheckMobile(errs, "mobilePhone", in.MobilePhone)
	p.CompanyPhone = domain.CheckPhone(errs, "companyPhone", in.CompanyPhone)
	return p
}
