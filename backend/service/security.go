package service

import (
	"context"
	"time"

	"atrium/backend/audit"
	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// Security lets a signed-in person protect their account: password (SPEC A3)
// and two-factor sign-in (SPEC A6); and an organization require two-factor.
type Security struct {
	Deps
	auth *Auth // clock, throttling and second-factor checks
}

// totpIssuer is the name authenticator apps show beside the code.
const totpIssuer = "Atrium"

// enrollmentTTL bounds the time between showing the QR code and confirming it.
const enrollmentTTL = 30 * time.Minute

// recoveryCodeCount is how many recovery codes an enrolment gives.
const recoveryCodeCount = 10

// ChangePasswordInput asks for the current password and the new one.
type ChangePasswordInput struct {
	CurrentPassword string `json:"currentPassword" text:"secret"`
	NewPassword     string `json:"newPassword" text:"secret"`
}

// ChangePasswordResult tells how many other sessions were signed out.
type ChangePasswordResult struct {
	SignedOut int64 `json:"signedOut"`
}

// ChangePassword replaces the password after checking the current one, then
// signs every other session and device out; this one stays signed in, with a
// new token.
func (s *Security) ChangePassword(ctx context.Context, a domain.Actor, in ChangePasswordInput) (ChangePasswordResult, error) {
	acc, err := s.Store.AccountByID(ctx, a.AccountID)
	if err != nil {
		return ChangePasswordResult{}, err
	}
	errs := domain.FieldErrors{}
	if in.CurrentPassword == "" {
		errs.Add("currentPassword", domain.FieldRequired)
	}
	now := s.auth.now()
	var out ChangePasswordResult
	err = s.setPassword(ctx, a, newPassword{Field: "newPassword", Password: in.NewPassword, Email: acc.Email, Errs: errs,
		Verify:    func() error { return s.checkPassword(ctx, acc, in.CurrentPassword, "currentPassword") },
		AccountID: acc.ID, At: now,
		Write: func(w *Write, _ string) error {
			var err error
			if out.SignedOut, err = s.Store.RevokeOtherSessions(w.Ctx(), acc.ID, a.SessionID, now); err != nil {
				return err
			}
			if err := s.auth.rotateSession(w.Ctx(), a); err != nil {
				return err
			}
			return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.PasswordChanged, SubjectType: "account", SubjectID: acc.ID,
				Details: map[string]any{"signedOut": out.SignedOut}})
		}})
	return out, err
}

// checkPassword verifies the account's current password, throttled per account.
func (s *Security) checkPassword(ctx context.Context, acc domain.Account, password, field string) error {
	key := throttleKey{rulePasswordCheck, acc.ID}
	if err := s.auth.throttle(ctx, key); err != nil {
		return err
	}
	ok, err := auth.VerifyPassword(acc.PasswordHash, password)
	if domain.CodeOf(err) == domain.CodeRateLimited {
		// Too many passwords being hashed at once: nothing was checked.
		if err := s.auth.refundThrottle(ctx, key); err != nil {
			return err
		}
	}
	if err != nil {
		return err
	}
	if !ok {
		return domain.FieldErrors{field: domain.FieldWrongPassword}.Err()
	}
	return s.auth.clearThrottle(ctx, key)
}

// TwoFactorStatus is the two-factor state of the caller's account.
type TwoFactorStatus struct {
	Enabled           bool       `json:"enabled"`
	EnabledAt         *time.Time `json:"enabledAt"`
	RecoveryCodesLeft int64      `json:"recoveryCodesLeft"`
	RequiredByOrg     bool       `json:"requiredByOrg"`
}

// TwoFactorStatus tells whether two-factor sign-in is on.
func (s *Security) TwoFactorStatus(ctx context.Context, a domain.Actor, _ Empty) (TwoFactorStatus, error) {
	return s.twoFactorStatus(ctx, a)
}

func (s *Security) twoFactorStatus(ctx context.Context, a domain.Actor) (TwoFactorStatus, error) {
	sec, err := s.Store.SecurityOf(ctx, a.AccountID)
	if err != nil {
		return TwoFactorStatus{}, err
	}
	out := TwoFactorStatus{Enabled: sec.TOTPEnabled}
	if sec.TOTPEnabled {
		out.EnabledAt = sec.EnabledAt
		if out.RecoveryCodesLeft, err = s.Store.RecoveryCodesLeft(ctx, a.AccountID); err != nil {
			return out, err
		}
	}
	if a.OrgID != "" {
		pol, err := s.Store.OrgSecurityOf(ctx, a.OrgID)
		if err != nil {
			return out, err
		}
		out.RequiredByOrg = pol.RequireTwoFactor
	}
	return out, nil
}

// TwoFactorEnrollment is what the enrolment screen shows: the QR code (a PNG
// data URL) and the same secret as text, for typing it by hand.
type TwoFactorEnrollment struct {
	Secret string `json:"secret"`
	QRCode string `json:"qrCode"`
	URL    string `json:"url"`
}

// BeginTwoFactor creates a new secret, kept pending until a code confirms it.
// Nothing changes for sign-in until then.
func (s *Security) BeginTwoFactor(ctx context.Context, a domain.Actor, _ Empty) (TwoFactorEnrollment, error) {
	acc, err := s.Store.AccountByID(ctx, a.AccountID)
	if err != nil {
		return TwoFactorEnrollment{}, err
	}
	enr, err := auth.NewTOTP(totpIssuer, acc.Email)
	if err != nil {
		return TwoFactorEnrollment{}, err
	}
	now := s.auth.now()
	err = s.write(ctx, a, func(w *Write) error {
		sec, err := s.Store.SecurityOf(w.Ctx(), acc.ID)
		if err != nil {
			return err
		}
		if sec.TOTPEnabled {
			return domain.Errorf(domain.CodeConflict, "two-factor sign-in is already on")
		}
		sec.PendingSecret, sec.PendingAt = enr.Secret, &now
		if err := s.Store.SaveSecurity(w.Ctx(), sec); err != nil {
			return err
		}
		// Only the pending secret changed: the entry carries no state.
		if err := w.Changed("", "two_factor", acc.ID, "updated", nil); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.TwoFactorStarted, SubjectType: "account", SubjectID: acc.ID})
	})
	if err != nil {
		return TwoFactorEnrollment{}, err
	}
	return TwoFactorEnrollment{Secret: enr.Secret, QRCode: enr.QRCode, URL: enr.URL}, nil
}

// ConfirmTwoFactorInput is the first code from the authenticator app.
type ConfirmTwoFactorInput struct {
	Code string `json:"code"`
}

// RecoveryCodes are shown once, right after enrolment.
type RecoveryCodes struct {
	Codes []string `json:"codes"`
}

// ConfirmTwoFactor turns two-factor sign-in on when the code matches the
// pending secret, and returns 10 single-use recovery codes (stored hashed).
func (s *Security) ConfirmTwoFactor(ctx context.Context, a domain.Actor, in ConfirmTwoFactorInput) (RecoveryCodes, error) {
	if in.Code == "" {
		return RecoveryCodes{}, domain.FieldErrors{"code": domain.FieldRequired}.Err()
	}
	key := throttleKey{ruleSecondFactor, a.AccountID}
	if err := s.auth.throttle(ctx, key); err != nil {
		return RecoveryCodes{}, err
	}
	now := s.auth.now()
	codes := auth.NewRecoveryCodes(recoveryCodeCount)
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		sec, err := s.Store.SecurityOf(ctx, a.AccountID)
		if err != nil {
			return err
		}
		if sec.TOTPEnabled {
			return domain.Errorf(domain.CodeConflict, "two-factor sign-in is already on")
		}
		if sec.PendingSecret == "" || sec.PendingAt == nil || now.Sub(*sec.PendingAt) > enrollmentTTL {
			return domain.FieldErrors{"code": domain.FieldSignInExpired}.Err()
		}
		step := auth.MatchTOTP(sec.PendingSecret, in.Code, now, 0)
		if step == 0 {
			return domain.FieldErrors{"code": domain.FieldInvalidCode}.Err()
		}
		sec.TOTPSecret, sec.TOTPEnabled, sec.TOTPLastStep, sec.EnabledAt = sec.PendingSecret, true, step, &now
		sec.PendingSecret, sec.PendingAt = "", nil
		if err := s.Store.SaveSecurity(ctx, sec); err != nil {
			return err
		}
		hashes := make([]string, len(codes))
		for i, c := range codes {
			hashes[i] = auth.HashRecoveryCode(a.AccountID, c)
		}
		if err := s.Store.ReplaceRecoveryCodes(ctx, a.AccountID, hashes, now); err != nil {
			return err
		}
		if err := s.auth.rotateSession(ctx, a); err != nil {
			return err
		}
		if err := s.changedTwoFactor(w, a); err != nil {
			return err
		}
		if err := w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.TwoFactorEnabled, SubjectType: "account", SubjectID: a.AccountID}); err != nil {
			return err
		}
		return recordAlert(ctx, s.Store, now, a.AccountID, AlertTwoFactorEnabled, nil)
	})
	if err != nil {
		return RecoveryCodes{}, err
	}
	return RecoveryCodes{Codes: codes}, s.auth.clearThrottle(ctx, key)
}

// changedTwoFactor records the account's two-step sign-in, as its screen
// shows it (never the secret nor the codes), in the change log.
func (s *Security) changedTwoFactor(w *Write, a domain.Actor) error {
	st, err := s.twoFactorStatus(w.Ctx(), a)
	if err != nil {
		return err
	}
	return w.Changed("", "two_factor", a.AccountID, "updated", st)
}

// DisableTwoFactorInput needs both the password and a current code (or a
// recovery code).
type DisableTwoFactorInput struct {
	Password string `json:"password" text:"secret"`
	Code     string `json:"code"`
}

// DisableTwoFactor turns two-factor sign-in off.
func (s *Security) DisableTwoFactor(ctx context.Context, a domain.Actor, in DisableTwoFactorInput) (Empty, error) {
	errs := domain.FieldErrors{}
	domain.CheckText(errs, "password", in.Password, true)
	domain.CheckText(errs, "code", in.Code, true)
	if err := errs.Err(); err != nil {
		return Empty{}, err
	}
	acc, err := s.Store.AccountByID(ctx, a.AccountID)
	if err != nil {
		return Empty{}, err
	}
	if err := s.checkPassword(ctx, acc, in.Password, "password"); err != nil {
		return Empty{}, err
	}
	key := throttleKey{ruleSecondFactor, a.AccountID}
	if err := s.auth.throttle(ctx, key); err != nil {
		return Empty{}, err
	}
	now := s.auth.now()
	err = s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		method, err := s.auth.checkSecondFactor(ctx, a.AccountID, in.Code, now)
		if err != nil {
			return err
		}
		if method == "" {
			return domain.FieldErrors{"code": domain.FieldInvalidCode}.Err()
		}
		if err := s.Store.SaveSecurity(ctx, store.AccountSecurity{AccountID: a.AccountID}); err != nil {
			return err
		}
		if err := s.Store.DeleteRecoveryCodes(ctx, a.AccountID); err != nil {
			return err
		}
		if err := s.auth.rotateSession(ctx, a); err != nil {
			return err
		}
		if err := s.changedTwoFactor(w, a); err != nil {
			return err
		}
		if err := w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.TwoFactorDisabled, SubjectType: "account", SubjectID: a.AccountID}); err != nil {
			return err
		}
		return recordAlert(ctx, s.Store, now, a.AccountID, AlertTwoFactorDisabled, nil)
	})
	if err != nil {
		return Empty{}, err
	}
	return Empty{}, s.auth.clearThrottle(ctx, key)
}

// OrgSecurityPolicy is an organization's security policy.
type OrgSecurityPolicy struct {
	RequireTwoFactor bool `json:"requireTwoFactor"`
}

// OrgPolicy returns the policy of the caller's organization.
func (s *Security) OrgPolicy(ctx context.Context, a domain.Actor, _ Empty) (OrgSecurityPolicy, error) {
	pol, err := s.Store.OrgSecurityOf(ctx, a.OrgID)
	return OrgSecurityPolicy{RequireTwoFactor: pol.RequireTwoFactor}, err
}

// SetOrgPolicy lets an organization require two-factor sign-in of its
// members; those without it are asked to turn it on after signing in.
func (s *Security) SetOrgPolicy(ctx context.Context, a domain.Actor, in OrgSecurityPolicy) (OrgSecurityPolicy, error) {
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		pol, err := s.Store.OrgSecurityOf(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if pol.RequireTwoFactor == in.RequireTwoFactor {
			w.Nothing()
			return nil
		}
		// Requiring it of others starts with having it: otherwise the admin
		// would lock themself out of the organization at once.
		if in.RequireTwoFactor {
			sec, err := s.Store.SecurityOf(ctx, a.AccountID)
			if err != nil {
				return err
			}
			if !sec.TOTPEnabled {
				return domain.FieldErrors{"requireTwoFactor": domain.FieldTwoFactorEnableFirst}.Err()
			}
		}
		pol.RequireTwoFactor, pol.UpdatedAt = in.RequireTwoFactor, s.auth.now()
		if err := s.Store.SaveOrgSecurity(ctx, pol); err != nil {
			return err
		}
		if err := w.Changed(a.OrgID, "org_security_policy", a.OrgID, "updated", OrgSecurityPolicy{RequireTwoFactor: pol.RequireTwoFactor}); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.OrgSecurityChanged, SubjectType: "organization", SubjectID: a.OrgID,
			Details: map[string]any{"requireTwoFactor": in.RequireTwoFactor}})
	})
	return in, err
}

// mustEnrollTwoFactor: the organization requires two-factor and the account has none.
func (s *Auth) mustEnrollTwoFactor(ctx context.Context, accountID, orgID string) (bool, error) {
	pol, err := s.Store.OrgSecurityOf(ctx, orgID)
	if err != nil || !pol.RequireTwoFactor {
		return false, err
	}
	sec, err := s.Store.SecurityOf(ctx, accountID)
	return !sec.TOTPEnabled, err
}
