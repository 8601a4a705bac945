package service

import (
	"context"
	"strings"
	"time"

	"atrium/backend/audit"
	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/mail"
	"atrium/backend/store"
)

// Recovery resets forgotten passwords and changes addresses (SPEC A11, C5, A2).
type Recovery struct {
	Deps
	auth *Auth
	mail *Mail
}

const (
	resetTTL       = time.Hour
	emailChangeTTL = 48 * time.Hour
)

// ForgotPasswordInput asks for reset instructions.
type ForgotPasswordInput struct {
	Email string `json:"email"`
}

// ForgotPassword sends reset instructions when the address has an account.
// The answer is the same either way, so it never tells whether an address
// is known; requests are throttled per source and per address.
func (s *Recovery) ForgotPassword(ctx context.Context, in ForgotPasswordInput) (Empty, error) {
	errs := domain.FieldErrors{}
	email := domain.CheckEmail(errs, "email", in.Email)
	if err := errs.Err(); err != nil {
		return Empty{}, err
	}
	src := sourceOf(domain.DeviceFrom(ctx))
	if err := s.auth.throttle(ctx, throttleKey{ruleSource, "forgot|" + src}, throttleKey{ruleMailRequest, email}); err != nil {
		return Empty{}, err
	}
	// A known address does more work (a token, a message, a history entry)
	// than an unknown one: the answer waits until the same fixed time has
	// passed either way, so its delay does not tell them apart. The timer
	// runs on the process's monotonic clock, not on the services' clock
	// (which tests move, and which the wall clock's changes would move).
	floor := time.NewTimer(forgotPasswordFloor)
	defer floor.Stop()
	err := s.forgotPassword(ctx, email)
	select {
	case <-floor.C:
	case <-ctx.Done():
	}
	return Empty{}, err
}

// forgotPasswordFloor is how long "forgotten password" takes to answer,
// whether or not the address has an account: far above the work of a known
// address (about 1 ms on SQLite, 2.5 ms on PostgreSQL), so that only a
// database slowed a hundredfold would let the difference through.
const forgotPasswordFloor = 250 * time.Millisecond

func (s *Recovery) forgotPassword(ctx context.Context, email string) error {
	acc, err := s.Store.AccountByEmail(ctx, email)
	known := err == nil
	if err != nil && domain.CodeOf(err) != domain.CodeNotFound {
		return err
	}
	// Whoever asks is not signed in: the history names the account the
	// instructions are for.
	who := domain.Actor{AccountID: acc.ID}
	return s.write(domain.WithActor(ctx, who), who, func(w *Write) error {
		if !known {
			w.Nothing()
			return nil
		}
		return s.sendReset(w, acc, "")
	})
}

// sendReset kills older reset links of the account and mails a new one. An
// admin's reset (orgID, SPEC C5) is listed in that organization's outbox,
// whose admins read it only while the account belongs to their organization
// alone. A reset the person asked for (orgID "") is in no organization's
// outbox: only the mail, to the account's own address, carries it, so
// without SMTP nothing is written but the history entry.
//
// The change log says that a reset was asked for the account, never its link
// or code.
func (s *Recovery) sendReset(w *Write, acc domain.Account, orgID string) error {
	ctx := w.Ctx()
	by, histOrg := "admin", orgID
	if orgID == "" {
		by = "self"
		var err error
		if histOrg, err = s.mail.orgOfAccount(ctx, acc); err != nil {
			return err
		}
		on, err := s.mail.Configured(ctx)
		if err != nil {
			return err
		}
		if !on {
			return s.resetRequested(w, acc, histOrg, by)
		}
	}
	now := s.auth.now()
	if err := s.Store.KillAccountTokens(ctx, acc.ID, store.TokenPasswordReset, now); err != nil {
		return err
	}
	token, hash := auth.NewToken()
	code, codeHash := newShortCode()
	t := store.MailToken{ID: domain.NewID(), Kind: store.TokenPasswordReset, TokenHash: hash, CodeHash: codeHash, AccountID: &acc.ID,
		CreatedAt: now, ExpiresAt: now.Add(resetTTL)}
	if err := s.Store.Create(ctx, &t); err != nil {
		return err
	}
	d := mail.Data{Name: acc.FirstName, Link: s.mail.link("/reset-password", token), Code: code, Expires: mail.OneHour[acc.Language]}
	if err := w.Mail(outgoing{OrgID: orgID, AccountID: acc.ID, To: acc.Email, Language: acc.Language, Kind: mail.KindPasswordReset, Data: d}); err != nil {
		return err
	}
	return s.resetRequested(w, acc, histOrg, by)
}

func (s *Recovery) resetRequested(w *Write, acc domain.Account, orgID, by string) error {
	if err := w.Changed("", "password_reset", acc.ID, "requested", nil); err != nil {
		return err
	}
	return w.Record(audit.Entry{OrgID: orgID, Action: audit.PasswordResetRequested, SubjectType: "account", SubjectID: acc.ID,
		Details: map[string]any{"by": by}})
}

// SendReset is an admin's "Envoyer les instructions de réinitialisation"
// (SPEC C5): the member gets a link; the admin never chooses the password.
func (s *Recovery) SendReset(ctx context.Context, in MemberRef) (Empty, error) {
	a, ok := domain.ActorFrom(ctx)
	if !ok || a.OrgID == "" {
		return Empty{}, domain.Errorf(domain.CodeUnauthenticated, "no organization")
	}
	return Empty{}, s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		m, err := s.Store.MemberByID(ctx, a.OrgID, in.MemberID)
		if err != nil {
			return err
		}
		if m.Status == domain.MemberDeleted || m.Status == domain.MemberDisabled {
			return domain.FieldErrors{"memberId": domain.FieldInvalidStatus}.Err()
		}
		acc, err := s.Store.AccountByID(ctx, m.AccountID)
		if err != nil {
			return err
		}
		return s.sendReset(w, acc, a.OrgID)
	})
}

// ResetPasswordInput sets a new password with a reset link's token, or with
// the address and the code of the message.
type ResetPasswordInput struct {
	Token    string `json:"token"`
	Email    string `json:"email"`
	Code     string `json:"code"`
	Password string `json:"password" text:"secret"`
}

// ResetPassword sets a new password (single use, within the hour) and ends
// every session of the account. Codes are throttled per source and address.
func (s *Recovery) ResetPassword(ctx context.Context, in ResetPasswordInput) (Empty, error) {
	if strings.TrimSpace(in.Token) == "" {
		email, _ := domain.NormalizeEmail(in.Email)
		errs := domain.FieldErrors{}
		domain.CheckText(errs, "email", email, true)
		domain.CheckText(errs, "code", strings.TrimSpace(in.Code), true)
		if err := errs.Err(); err != nil {
			return Empty{}, err
		}
		if err := s.auth.throttle(ctx, throttleKey{ruleMailCodeTarget, email}); err != nil {
			return Empty{}, err
		}
	}
	t, err := resolveToken(ctx, s.auth, store.TokenPasswordReset, in.Token, in.Code)
	if err != nil {
		return Empty{}, err
	}
	acc, err := s.Store.AccountByID(ctx, *t.AccountID)
	if err != nil {
		return Empty{}, err
	}
	if strings.TrimSpace(in.Token) == "" {
		if email, _ := domain.NormalizeEmail(in.Email); email != acc.Email {
			return Empty{}, domain.FieldErrors{"code": fieldLinkInvalid}.Err()
		}
	}
	now := s.auth.now()
	err = s.setPassword(ctx, domain.Actor{}, newPassword{Field: "password", Password: in.Password, Email: acc.Email, AccountID: acc.ID, At: now,
		Write: func(w *Write, _ string) error {
			if err := spendToken(w.Ctx(), s.Store, t.ID, now, "token", fieldLinkUsed); err != nil {
				return err
			}
			n, err := s.Store.RevokeOtherSessions(w.Ctx(), acc.ID, "", now)
			if err != nil {
				return err
			}
			w.As(domain.Actor{AccountID: acc.ID})
			return w.Record(audit.Entry{Action: audit.PasswordReset, SubjectType: "account", SubjectID: acc.ID,
				Details: map[string]any{"sessionsEnded": n}})
		}})
	if err != nil {
		return Empty{}, err
	}
	// A successful reset lifts the sign-in throttling of the account.
	return Empty{}, s.auth.clearThrottle(ctx, throttleKey{ruleAccount, acc.Email}, throttleKey{ruleMailCodeTarget, acc.Email})
}

// RequestEmailChangeInput asks to change the caller's address.
type RequestEmailChangeInput struct {
	NewEmail string `json:"newEmail"`
	Password string `json:"password" text:"secret"`
}

// EmailChangeRequested tells where the confirmation went.
type EmailChangeRequested struct {
	SentTo string `json:"sentTo"`
}

// ruleEmailChange bounds the address changes one account may ask for: each
// request mails an address of the caller's choosing. Three go through at
// once, then one after 5 minutes, 10, and one every 15 minutes at most.
var ruleEmailChange = throttleRule{"emailchg:", 3, 5 * time.Minute, 15 * time.Minute}

// RequestEmailChange mails a confirmation link to the new address (SPEC
// A2); nothing changes until it is confirmed. The answer is the same whether
// or not the address already has an account, so it never tells: an address
// in use gets, instead of a link, a notice that someone asked to use it (and
// the confirm step refuses an address in use anyway). With SMTP the message
// is in no organization's outbox, where an admin asking for addresses would
// see which kind was written; without SMTP the confirmation waits in the
// outbox for its owner (the desktop's way), and an address in use gets
// nothing.
func (s *Recovery) RequestEmailChange(ctx context.Context, in RequestEmailChangeInput) (EmailChangeRequested, error) {
	a, ok := domain.ActorFrom(ctx)
	if !ok {
		return EmailChangeRequested{}, domain.Errorf(domain.CodeUnauthenticated, "not signed in")
	}
	errs := domain.FieldErrors{}
	email := domain.CheckEmail(errs, "newEmail", in.NewEmail)
	domain.CheckText(errs, "password", in.Password, true)
	if err := errs.Err(); err != nil {
		return EmailChangeRequested{}, err
	}
	acc, err := s.Store.AccountByID(ctx, a.AccountID)
	if err != nil {
		return EmailChangeRequested{}, err
	}
	if email == acc.Email {
		return EmailChangeRequested{}, domain.FieldErrors{"newEmail": fieldSameEmail}.Err()
	}
	sec := &Security{Deps: s.Deps, auth: s.auth}
	if err := sec.checkPassword(ctx, acc, in.Password, "password"); err != nil {
		return EmailChangeRequested{}, err
	}
	if err := s.auth.throttle(ctx, throttleKey{ruleEmailChange, acc.ID}); err != nil {
		return EmailChangeRequested{}, err
	}
	on, err := s.mail.Configured(ctx)
	if err != nil {
		return EmailChangeRequested{}, err
	}
	now := s.auth.now()
	err = s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		owner, err := s.Store.AccountByEmail(ctx, email)
		taken := err == nil
		if err != nil && domain.CodeOf(err) != domain.CodeNotFound {
			return err
		}
		if err := s.Store.KillAccountTokens(ctx, acc.ID, store.TokenEmailChange, now); err != nil {
			return err
		}
		// The same writes either way: for an address in use the token is
		// born used, so it can never confirm it (and nobody receives it).
		token, hash := auth.NewToken()
		code, codeHash := newShortCode()
		t := store.MailToken{ID: domain.NewID(), Kind: store.TokenEmailChange, TokenHash: hash, CodeHash: codeHash, AccountID: &acc.ID,
			NewEmail: email, CreatedAt: now, ExpiresAt: now.Add(emailChangeTTL)}
		if taken {
			t.UsedAt = &now
		}
		if err := s.Store.Create(ctx, &t); err != nil {
			return err
		}
		o := outgoing{AccountID: acc.ID, To: email, Language: acc.Language, Kind: mail.KindEmailChange,
			Data: mail.Data{Name: acc.FirstName, Email: email, Link: s.mail.link("/confirm-email", token), Code: code, Expires: mail.TwoDays[acc.Language]}}
		if taken {
			o = outgoing{AccountID: owner.ID, To: owner.Email, Language: owner.Language, Kind: mail.KindEmailInUse, Data: mail.Data{Name: owner.FirstName}}
		} else if !on {
			o.OrgID = a.OrgID
		}
		if on || !taken {
			if err := w.Mail(o); err != nil {
				return err
			}
		}
		// The same entry either way, without the address asked for.
		if err := w.Changed("", "email_change", acc.ID, "requested", nil); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.EmailChangeRequested, SubjectType: "account", SubjectID: acc.ID})
	})
	return EmailChangeRequested{SentTo: email}, err
}

// ConfirmEmailInput confirms a new address with the link's token or the code.
type ConfirmEmailInput struct {
	Token string `json:"token"`
	Code  string `json:"code"`
}

// EmailChanged is the address now in force.
type EmailChanged struct {
	Email string `json:"email"`
}

// ConfirmEmailChange changes the address and tells the old one.
func (s *Recovery) ConfirmEmailChange(ctx context.Context, in ConfirmEmailInput) (EmailChanged, error) {
	t, err := resolveToken(ctx, s.auth, store.TokenEmailChange, in.Token, in.Code)
	if err != nil {
		return EmailChanged{}, err
	}
	now := s.auth.now()
	// Whoever holds the link is not signed in: the history names the account.
	who := domain.Actor{AccountID: *t.AccountID}
	err = s.write(domain.WithActor(ctx, who), who, func(w *Write) error {
		ctx := w.Ctx()
		acc, err := s.Store.AccountByID(ctx, *t.AccountID)
		if err != nil {
			return err
		}
		if err := spendToken(ctx, s.Store, t.ID, now, "token", fieldLinkUsed); err != nil {
			return err
		}
		if _, err := s.Store.AccountByEmail(ctx, t.NewEmail); err == nil {
			return domain.FieldErrors{"token": domain.FieldEmailTaken}.Err()
		} else if domain.CodeOf(err) != domain.CodeNotFound {
			return err
		}
		if err := s.Store.UpdateAccount(ctx, acc.ID, map[string]any{"email": t.NewEmail}); err != nil {
			return err
		}
		org, err := s.mail.orgOfAccount(ctx, acc)
		if err != nil {
			return err
		}
		d := mail.Data{Name: acc.FirstName, Email: t.NewEmail}
		if err := w.Mail(outgoing{OrgID: org, AccountID: acc.ID, To: acc.Email, Language: acc.Language, Kind: mail.KindEmailChanged, Data: d}); err != nil {
			return err
		}
		changed := acc
		changed.Email = t.NewEmail
		if err := w.Changed("", "account", acc.ID, "updated", accountView(changed)); err != nil {
			return err
		}
		return w.Record(audit.Entry{Action: audit.EmailChanged, SubjectType: "account", SubjectID: acc.ID})
	})
	return EmailChanged{Email: t.NewEmail}, err
}
