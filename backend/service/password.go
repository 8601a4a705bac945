package service

import (
	"context"
	"time"

	"atrium/backend/auth"
	"atrium/backend/domain"
)

// newPassword is a password a person chose, on its way into an account.
type newPassword struct {
	// Field is the form's field that reports the policy's refusals.
	Field    string
	Password string
	// Email is the account's address: the policy refuses a password made of it.
	Email string
	// Errs are the form's other refusals, answered together with the
	// password's so that the person corrects the form in one go.
	Errs domain.FieldErrors
	// Verify, if set, runs once the form is valid and before the hash: a
	// check that must pass before the slow work (the current password).
	Verify func() error
	// AccountID names the existing account whose password is replaced (a
	// change or a reset): its hash, the time of the change (At), its
	// change-log entry and its security alert are written with the rest.
	// Empty when Write creates the account with the hash (first run, an
	// accepted invitation).
	AccountID string
	At        time.Time
	// Write does the operation's own writes on the same write path, before
	// the password's, given the hash.
	Write func(w *Write, hash string) error
}

// setPassword is the one way a chosen password reaches an account, at first
// run, a password change, a reset and an accepted invitation: the policy and
// the breached-password list first, then the hash, then the writes in one
// transaction. Hashing is the slow part: it is done before the transaction
// takes the write lock.
func (d *Deps) setPassword(ctx context.Context, a domain.Actor, p newPassword) error {
	errs := p.Errs
	if errs == nil {
		errs = domain.FieldErrors{}
	}
	domain.CheckPassword(errs, p.Field, p.Password, p.Email, d.CommonPasswords.Contains)
	if err := errs.Err(); err != nil {
		return err
	}
	if p.Verify != nil {
		if err := p.Verify(); err != nil {
			return err
		}
	}
	hash, err := auth.HashPassword(p.Password, d.Password)
	if err != nil {
		return err
	}
	return d.write(ctx, a, func(w *Write) error {
		if err := p.Write(w, hash); err != nil {
			return err
		}
		if p.AccountID == "" {
			return nil
		}
		ctx := w.Ctx()
		if err := d.Store.UpdateAccount(ctx, p.AccountID, map[string]any{"password_hash": hash}); err != nil {
			return err
		}
		sec, err := d.Store.SecurityOf(ctx, p.AccountID)
		if err != nil {
			return err
		}
		at := p.At
		sec.AccountID, sec.PasswordChangedAt = p.AccountID, &at
		if err := d.Store.SaveSecurity(ctx, sec); err != nil {
			return err
		}
		// The hash is a secret: the entry names the account only.
		if err := w.Changed("", "account", p.AccountID, "updated", nil); err != nil {
			return err
		}
		return recordAlert(ctx, d.Store, at, p.AccountID, AlertPasswordChanged, nil)
	})
}
