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

// Deletion deletes an account (SPEC A9) or an organization (SPEC B6), for
// good, after a 6-digit code sent by mail, or the password (and the second
// factor when it is on) when no mail is configured.
type Deletion struct {
	Deps
	auth *Auth
	mail *Mail
}

const deletionCodeTTL = 30 * time.Minute

// ruleDeletionCode throttles the deletion codes of one account.
var ruleDeletionCode = throttleRule{"delcode:", 5, 2 * time.Second, 15 * time.Minute}

// DeletionChallenge says how the deletion must be confirmed: "email" (a code
// was sent to sentTo) or "password" (with twoFactor when a code from the
// authenticator app is needed too).
type DeletionChallenge struct {
	Method    string `json:"method"`
	SentTo    string `json:"sentTo,omitempty"`
	TwoFactor bool   `json:"twoFactor"`
}

// ConfirmDeletionInput confirms a deletion.
type ConfirmDeletionInput struct {
	Code          string `json:"code"`
	Password      string `json:"password" text:"secret"`
	TwoFactorCode string `json:"twoFactorCode"`
}

// challenge mails a deletion code, unless no mail is configured: the password
// confirms then, and nothing is written. The change log says that the
// account asked (a code never travels); action names the history entry.
func (s *Deletion) challenge(ctx context.Context, a domain.Actor, acc domain.Account, orgID, kind, action string, send func(w *Write, code string) error) (DeletionChallenge, error) {
	on, err := s.mail.Configured(ctx)
	if err != nil {
		return DeletionChallenge{}, err
	}
	if !on {
		sec, err := s.Store.SecurityOf(ctx, acc.ID)
		return DeletionChallenge{Method: "password", TwoFactor: sec.TOTPEnabled}, err
	}
	now := s.auth.now()
	err = s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		if err := s.Store.KillAccountTokens(ctx, acc.ID, kind, now); err != nil {
			return err
		}
		scope := acc.ID + ":" + orgID
		code, codeHash := newDigits(scope)
		_, hash := auth.NewToken() // no link: the code alone confirms
		t := store.MailToken{ID: domain.NewID(), Kind: kind, TokenHash: hash, CodeHash: codeHash, AccountID: &acc.ID, CreatedAt: now,
			ExpiresAt: now.Add(deletionCodeTTL)}
		if orgID != "" {
			t.OrgID = &orgID
		}
		if err := s.Store.Create(ctx, &t); err != nil {
			return err
		}
		if err := send(w, code); err != nil {
			return err
		}
		if err := w.Changed(orgID, "deletion_request", acc.ID, "requested", nil); err != nil {
			return err
		}
		subject, id := "account", acc.ID
		if orgID != "" {
			subject, id = "organization", orgID
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: action, SubjectType: subject, SubjectID: id})
	})
	return DeletionChallenge{Method: "email", SentTo: acc.Email}, err
}

// confirm checks the code (mail configured) or the password and second
// factor (no mail), throttled per account, and uses the code up.
func (s *Deletion) confirm(ctx context.Context, acc domain.Account, orgID, kind string, in ConfirmDeletionInput) error {
	on, err := s.mail.Configured(ctx)
	if err != nil {
		return err
	}
	now := s.auth.now()
	if !on {
		errs := domain.FieldErrors{}
		domain.CheckText(errs, "password", in.Password, true)
		sec, err := s.Store.SecurityOf(ctx, acc.ID)
		if err != nil {
			return err
		}
		if sec.TOTPEnabled {
			domain.CheckText(errs, "twoFactorCode", strings.TrimSpace(in.TwoFactorCode), true)
		}
		if err := errs.Err(); err != nil {
			return err
		}
		if err := (&Security{Deps: s.Deps, auth: s.auth}).checkPassword(ctx, acc, in.Password, "password"); err != nil {
			return err
		}
		if sec.TOTPEnabled {
			key := throttleKey{ruleSecondFactor, acc.ID}
			if err := s.auth.throttle(ctx, key); err != nil {
				return err
			}
			var method string
			if err := s.Store.Tx(ctx, func(ctx context.Context) error {
				method, err = s.auth.checkSecondFactor(ctx, acc.ID, in.TwoFactorCode, now)
				return err
			}); err != nil {
				return err
			}
			if method == "" {
				return domain.FieldErrors{"twoFactorCode": fieldInvalidCode}.Err()
			}
			return s.auth.clearThrottle(ctx, key)
		}
		return nil
	}
	if strings.TrimSpace(in.Code) == "" {
		return domain.FieldErrors{"code": domain.FieldRequired}.Err()
	}
	key := throttleKey{ruleDeletionCode, acc.ID}
	if err := s.auth.throttle(ctx, key); err != nil {
		return err
	}
	t, err := s.Store.LiveToken(ctx, kind, "", hashDigits(acc.ID+":"+orgID, in.Code), now)
	if domain.CodeOf(err) == domain.CodeNotFound || (err == nil && (t.AccountID == nil || *t.AccountID != acc.ID)) {
		return domain.FieldErrors{"code": fieldInvalidCode}.Err()
	}
	if err != nil {
		return err
	}
	if err := spendToken(ctx, s.Store, t.ID, now, "code", fieldInvalidCode); err != nil {
		return err
	}
	return s.auth.clearThrottle(ctx, key)
}

// lastAdminOf returns an organization where the account is the last active
// admin, or "".
func (s *Deletion) lastAdminOf(ctx context.Context, accountID string) (string, error) {
	orgs, err := s.Store.AdminOrgsOf(ctx, accountID)
	for id, n := range orgs {
		if n <= 1 {
			return id, err
		}
	}
	return "", err
}

func (s *Deletion) refuseLastAdmin(ctx context.Context, accountID string) error {
	org, err := s.lastAdminOf(ctx, accountID)
	if err != nil {
		return err
	}
	if org != "" {
		return domain.FieldErrors{"account": domain.FieldLastAdmin}.Err()
	}
	return nil
}

// RequestAccount starts deleting the caller's account. It is refused while
// the account is the last admin of an organization.
func (s *Deletion) RequestAccount(ctx context.Context, _ Empty) (DeletionChallenge, error) {
	a, _ := domain.ActorFrom(ctx)
	if err := s.refuseLastAdmin(ctx, a.AccountID); err != nil {
		return DeletionChallenge{}, err
	}
	acc, err := s.Store.AccountByID(ctx, a.AccountID)
	if err != nil {
		return DeletionChallenge{}, err
	}
	return s.challenge(ctx, a, acc, "", store.TokenDeleteAccount, audit.AccountDeletionRequested, func(w *Write, code string) error {
		d := mail.Data{Name: acc.FirstName, Code: code, Expires: mail.Minutes30[acc.Language]}
		return w.Mail(outgoing{OrgID: a.OrgID, AccountID: acc.ID, To: acc.Email, Language: acc.Language, Kind: mail.KindDeleteAccount, Data: d})
	})
}

// DeleteAccount deletes the caller's account for good: its memberships,
// sessions and security settings go with it; the history keeps its entries.
func (s *Deletion) DeleteAccount(ctx context.Context, in ConfirmDeletionInput) (Empty, error) {
	a, _ := domain.ActorFrom(ctx)
	acc, err := s.Store.AccountByID(ctx, a.AccountID)
	if err != nil {
		return Empty{}, err
	}
	if err := s.refuseLastAdmin(ctx, acc.ID); err != nil {
		return Empty{}, err
	}
	if err := s.confirm(ctx, acc, "", store.TokenDeleteAccount, in); err != nil {
		return Empty{}, err
	}
	return Empty{}, s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		if err := s.refuseLastAdmin(ctx, acc.ID); err != nil {
			return err
		}
		if err := w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.AccountDeleted, SubjectType: "account", SubjectID: acc.ID}); err != nil {
			return err
		}
		if err := s.Store.DeleteAccount(ctx, acc.ID); err != nil {
			return err
		}
		return w.Changed("", "account", acc.ID, "deleted", nil)
	})
}

// RequestOrg starts deleting the session's organization.
func (s *Deletion) RequestOrg(ctx context.Context, _ Empty) (DeletionChallenge, error) {
	a, _ := domain.ActorFrom(ctx)
	acc, err := s.Store.AccountByID(ctx, a.AccountID)
	if err != nil {
		return DeletionChallenge{}, err
	}
	org, err := s.Store.OrganizationByID(ctx, a.OrgID)
	if err != nil {
		return DeletionChallenge{}, err
	}
	return s.challenge(ctx, a, acc, a.OrgID, store.TokenDeleteOrg, audit.OrgDeletionRequested, func(w *Write, code string) error {
		d := mail.Data{Name: acc.FirstName, Org: org.Name, Code: code, Expires: mail.Minutes30[acc.Language]}
		return w.Mail(outgoing{OrgID: a.OrgID, AccountID: acc.ID, To: acc.Email, Language: acc.Language, Kind: mail.KindDeleteOrg, Data: d})
	})
}

// OrgDeleted names the organization deleted.
type OrgDeleted struct {
	Name string `json:"name"`
}

// DeleteOrg deletes the session's organization for good: its memberships,
// company profile, tasks, roles, rights, applications and invitations. The
// history records it; the sessions working in it fall back to no organization.
func (s *Deletion) DeleteOrg(ctx context.Context, in ConfirmDeletionInput) (OrgDeleted, error) {
	a, _ := domain.ActorFrom(ctx)
	acc, err := s.Store.AccountByID(ctx, a.AccountID)
	if err != nil {
		return OrgDeleted{}, err
	}
	org, err := s.Store.OrganizationByID(ctx, a.OrgID)
	if err != nil {
		return OrgDeleted{}, err
	}
	if err := s.confirm(ctx, acc, a.OrgID, store.TokenDeleteOrg, in); err != nil {
		return OrgDeleted{}, err
	}
	err = s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		var members int64
		if err := s.Store.DB(ctx).Table("memberships").Where("org_id = ?", org.ID).Count(&members).Error; err != nil {
			return err
		}
		if err := w.Record(audit.Entry{OrgID: org.ID, Action: audit.OrgDeleted, SubjectType: "organization", SubjectID: org.ID,
			Details: map[string]any{"name": org.Name, "members": members}}); err != nil {
			return err
		}
		if err := s.Store.DeleteOrganization(ctx, org.ID); err != nil {
			return err
		}
		return w.Changed(org.ID, "organization", org.ID, "deleted", nil)
	})
	return OrgDeleted{Name: org.Name}, err
}
