package service

import (
	"context"
	"sort"

	"atrium/backend/audit"
	"atrium/backend/domain"
)

// Accounts lets a signed-in person manage their own account (SPEC A1, A4).
type Accounts struct{ Deps }

// UpdateProfileInput carries the fields of one profile section; a field left
// out (null) is not changed, so each section saves on its own.
type UpdateProfileInput struct {
	Title       *string `json:"title,omitempty"`
	FirstName   *string `json:"firstName,omitempty"`
	LastName    *string `json:"lastName,omitempty"`
	MobilePhone *string `json:"mobilePhone,omitempty"`
	JobTitle    *string `json:"jobTitle,omitempty"`
}

// UpdateProfile validates and saves the given profile fields. The history
// names the fields changed, not their values: personal data stays out of it.
func (s *Accounts) UpdateProfile(ctx context.Context, a domain.Actor, in UpdateProfileInput) (Account, error) {
	errs := domain.FieldErrors{}
	cols := map[string]any{}
	if in.Title != nil {
		if !domain.ValidTitle(*in.Title) {
			errs.Add("title", domain.FieldInvalidChoice)
		}
		cols["title"] = *in.Title
	}
	for _, f := range []struct {
		field, column string
		value         *string
		required      bool
	}{
		{"firstName", "first_name", in.FirstName, true},
		{"lastName", "last_name", in.LastName, true},
		{"jobTitle", "job_title", in.JobTitle, false},
	} {
		if f.value != nil {
			v := domain.CleanText(*f.value)
			domain.CheckText(errs, f.field, v, f.required)
			cols[f.column] = v
		}
	}
	if in.MobilePhone != nil {
		cols["mobile_phone"] = domain.CheckMobile(errs, "mobilePhone", *in.MobilePhone)
	}
	if err := errs.Err(); err != nil {
		return Account{}, err
	}
	return s.update(ctx, a, cols, audit.ProfileChanged)
}

// SetLanguageInput picks the interface language.
type SetLanguageInput struct {
	Language string `json:"language"`
}

// SetLanguage remembers the interface language of the account.
func (s *Accounts) SetLanguage(ctx context.Context, a domain.Actor, in SetLanguageInput) (Account, error) {
	if !domain.ValidLanguage(in.Language) {
		return Account{}, domain.FieldErrors{"language": domain.FieldInvalidChoice}.Err()
	}
	return s.update(ctx, a, map[string]any{"language": in.Language}, audit.LanguageChanged)
}

// update writes the columns that actually change, with the change log and the
// history entry, in one write.
func (s *Accounts) update(ctx context.Context, a domain.Actor, cols map[string]any, action string) (Account, error) {
	accountID := a.AccountID
	var out domain.Account
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		before, err := s.Store.AccountByID(ctx, accountID)
		if err != nil {
			return err
		}
		current := map[string]any{"title": before.Title, "first_name": before.FirstName, "last_name": before.LastName,
			"mobile_phone": before.MobilePhone, "job_title": before.JobTitle, "language": before.Language}
		var changed []string
		for col, v := range cols {
			if current[col] == v {
				delete(cols, col)
			} else {
				changed = append(changed, col)
			}
		}
		if len(changed) == 0 {
			w.Nothing()
			out = before
			return nil
		}
		sort.Strings(changed)
		if err := s.Store.UpdateAccount(ctx, accountID, cols); err != nil {
			return err
		}
		if out, err = s.Store.AccountByID(ctx, accountID); err != nil {
			return err
		}
		if err := w.Changed("", "account", accountID, "updated", accountView(out)); err != nil {
			return err
		}
		details := map[string]any{"fields": changed}
		if action == audit.LanguageChanged {
			details = map[string]any{"from": before.Language, "to": cols["language"]}
		}
		return w.Record(audit.Entry{Action: action, SubjectType: "account", SubjectID: accountID, Details: details})
	})
	return accountView(out), err
}
