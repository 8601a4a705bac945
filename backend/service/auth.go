package service

import (
	"context"
	"strings"
	"sync"
	"time"

	"atrium/backend/audit"
	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// Auth signs people in and out and resolves the caller of each operation.
type Auth struct {
	Deps
	dummyOnce sync.Once
	dummy     string // a hash to verify against when the email is unknown
	rights    *rightsCache
}

// SignInInput is what the sign-in form sends.
type SignInInput struct {
	Email    string `json:"email"`
	Password string `json:"password" text:"secret"`
}

// pendingSignInTTL bounds the time between the password and the second factor.
const pendingSignInTTL = 5 * time.Minute

var errInvalidCredentials = domain.Errorf(domain.CodeInvalidCredentials, "wrong email or password")

// SignIn checks an email and password. Without a second factor it opens a
// session; with one it answers a short-lived pending token instead, and only
// auth.verifyTwoFactor opens the session. A wrong email and a wrong password
// get the same answer after the same argon2id work. Attempts are throttled per
// account, per source and per account from a source (see passwordKeys).
func (s *Auth) SignIn(ctx context.Context, _ domain.Actor, in SignInInput) (SessionInfo, error) {
	email, _ := domain.NormalizeEmail(in.Email)
	if email == "" || in.Password == "" {
		errs := domain.FieldErrors{}
		domain.CheckText(errs, "email", email, true)
		domain.CheckText(errs, "password", in.Password, true)
		return SessionInfo{}, errs.Err()
	}
	src := sourceOf(domain.DeviceFrom(ctx))
	keys := passwordKeys(email, src)
	if err := s.throttleAttempt(ctx, keys); err != nil {
		return SessionInfo{}, err
	}
	if len(in.Password) > 4*domain.MaxPasswordLen {
		return SessionInfo{}, errInvalidCredentials
	}
	acc, err := s.Store.AccountByEmail(ctx, email)
	if err != nil && domain.CodeOf(err) != domain.CodeNotFound {
		return SessionInfo{}, err
	}
	found := err == nil
	hash := acc.PasswordHash
	if !found {
		hash = s.dummyHash()
	}
	ok, verr := auth.VerifyPassword(hash, in.Password)
	if domain.CodeOf(verr) == domain.CodeRateLimited {
		// Too many passwords being hashed at once: nothing was checked, so
		// nothing is counted against the account or the source.
		if err := s.unchecked(ctx, keys); err != nil {
			return SessionInfo{}, err
		}
		return SessionInfo{}, verr
	}
	if !found || !ok || verr != nil {
		e := audit.Entry{Action: audit.SignInFailed, SubjectType: "account", Details: map[string]any{"email": email}}
		if found {
			e.SubjectID = acc.ID
		}
		// A refused sign-in changes no data: its history entry stands alone.
		if err := s.Audit.Record(ctx, e); err != nil {
			return SessionInfo{}, err
		}
		return SessionInfo{}, errInvalidCredentials
	}
	if err := s.succeeded(ctx, keys); err != nil {
		return SessionInfo{}, err
	}
	orgID, err := s.pickOrganization(ctx, acc)
	if err != nil {
		return SessionInfo{}, err
	}
	sec, err := s.Store.SecurityOf(ctx, acc.ID)
	if err != nil {
		return SessionInfo{}, err
	}
	if sec.TOTPEnabled {
		return s.startPending(ctx, acc.ID, orgID, src)
	}
	return s.completeSignIn(ctx, acc.ID, orgID, "password", "")
}

// startPending records a sign-in waiting for its second factor. The pending
// sign-in is the sign-in's own short-lived bookkeeping, like the throttle's:
// nothing the console shows or the sync replays, so it is not on the write
// path; the sign-in is recorded when its session opens.
func (s *Auth) startPending(ctx context.Context, accountID, orgID, src string) (SessionInfo, error) {
	now := s.now()
	token, hash := auth.NewToken()
	p := store.PendingSignIn{TokenHash: hash, AccountID: accountID, Source: src, CreatedAt: now, ExpiresAt: now.Add(pendingSignInTTL)}
	if orgID != "" {
		p.OrgID = &orgID
	}
	err := s.Store.Tx(ctx, func(ctx context.Context) error {
		if err := s.Store.PurgePendingSignIns(ctx, now.Add(-time.Hour)); err != nil {
			return err
		}
		return s.Store.Create(ctx, &p)
	})
	return SessionInfo{Rights: []string{}, Suspended: []Suspension{}, PendingTwoFactor: &token}, err
}

// completeSignIn opens the session; pendingHash, when set, is consumed in the
// same transaction so a pending sign-in opens one session at most.
func (s *Auth) completeSignIn(ctx context.Context, accountID, orgID, method, pendingHash string) (SessionInfo, error) {
	var token string
	// A sign-in is public: it acts for nobody until the session is open.
	err := s.write(ctx, domain.Actor{}, func(w *Write) error {
		if pendingHash != "" {
			ok, err := s.Store.UsePendingSignIn(w.Ctx(), pendingHash, s.now())
			if err != nil {
				return err
			}
			if !ok {
				return domain.FieldErrors{"pendingToken": domain.FieldSignInExpired}.Err()
			}
		}
		var err error
		token, err = s.newSession(w, accountID, orgID, method)
		return err
	})
	if err != nil {
		return SessionInfo{}, err
	}
	info, err := s.sessionInfo(ctx, accountID, orgID)
	info.token = token
	return info, err
}

// VerifyTwoFactorInput is the second step of a sign-in: the pending token and
// a 6-digit code from the authenticator app, or a recovery code.
type VerifyTwoFactorInput struct {
	PendingToken string `json:"pendingToken"`
	Code         string `json:"code"`
}

// VerifyTwoFactor checks the second factor of a pending sign-in and opens the
// session. A code is accepted once; attempts are throttled per account from a
// source and per account (see secondFactorKeys).
func (s *Auth) VerifyTwoFactor(ctx context.Context, _ domain.Actor, in VerifyTwoFactorInput) (SessionInfo, error) {
	if strings.TrimSpace(in.Code) == "" {
		return SessionInfo{}, domain.FieldErrors{"code": domain.FieldRequired}.Err()
	}
	now := s.now()
	hash := auth.HashToken(in.PendingToken)
	p, err := s.Store.PendingSignInByHash(ctx, hash, now)
	if domain.CodeOf(err) == domain.CodeNotFound || in.PendingToken == "" {
		return SessionInfo{}, domain.FieldErrors{"pendingToken": domain.FieldSignInExpired}.Err()
	}
	if err != nil {
		return SessionInfo{}, err
	}
	keys := secondFactorKeys(p.AccountID, sourceOf(domain.DeviceFrom(ctx)))
	if err := s.throttleAttempt(ctx, keys); err != nil {
		return SessionInfo{}, err
	}
	orgID := ""
	if p.OrgID != nil {
		orgID = *p.OrgID
	}
	// Using up the code is the check's bookkeeping, committed even when the
	// sign-in goes no further (a code is accepted once).
	var method string
	err = s.Store.Tx(ctx, func(ctx context.Context) error {
		var err error
		method, err = s.checkSecondFactor(ctx, p.AccountID, in.Code, now)
		return err
	})
	if err != nil {
		return SessionInfo{}, err
	}
	if method == "" {
		// A refused code changes no data: its history entry stands alone.
		err := s.Audit.Record(ctx, audit.Entry{OrgID: orgID, Action: audit.TwoFactorFailed, SubjectType: "account", SubjectID: p.AccountID})
		if err != nil {
			return SessionInfo{}, err
		}
		return SessionInfo{}, domain.FieldErrors{"code": domain.FieldInvalidCode}.Err()
	}
	if err := s.succeeded(ctx, keys); err != nil {
		return SessionInfo{}, err
	}
	return s.completeSignIn(ctx, p.AccountID, orgID, method, hash)
}

// checkSecondFactor accepts a current TOTP code never used before, or an
// unused recovery code (which it uses up). It answers the method, or "".
func (s *Auth) checkSecondFactor(ctx context.Context, accountID, code string, now time.Time) (string, error) {
	sec, err := s.Store.SecurityOf(ctx, accountID)
	if err != nil || !sec.TOTPEnabled {
		return "", err
	}
	c := strings.Join(strings.Fields(code), "")
	if len(c) == 6 && strings.Trim(c, "0123456789") == "" {
		step := auth.MatchTOTP(sec.TOTPSecret, c, now, sec.TOTPLastStep)
		if step == 0 {
			return "", nil
		}
		ok, err := s.Store.UseTOTPStep(ctx, accountID, step)
		if !ok || err != nil {
			return "", err
		}
		return "totp", nil
	}
	ok, err := s.Store.UseRecoveryCode(ctx, accountID, auth.HashRecoveryCode(accountID, c), now)
	if !ok || err != nil {
		return "", err
	}
	return "recovery", nil
}

// dummyHash is checked when the email is unknown. It is made without hashing,
// so a server too busy to hash at that moment cannot leave it empty (which
// would answer unknown emails faster than known ones).
func (s *Auth) dummyHash() string {
	s.dummyOnce.Do(func() { s.dummy = auth.UnusableHash(s.Password) })
	return s.dummy
}

// pickOrganization returns the organization a new session works in: the last
// one used if the account is still active there, else its oldest.
func (s *Auth) pickOrganization(ctx context.Context, acc domain.Account) (string, error) {
	if acc.LastOrgID != nil {
		mr, err := s.Store.RightsOf(ctx, *acc.LastOrgID, acc.ID)
		if err != nil {
			return "", err
		}
		if mr.Active {
			return *acc.LastOrgID, nil
		}
	}
	return s.Store.FirstActiveOrgID(ctx, acc.ID)
}

// newSession creates a session row for the calling device and records the
// sign-in, in the caller's write, which acts for the new session from then
// on. A sign-in from a device never seen on the account raises a security
// alert.
func (s *Auth) newSession(w *Write, accountID, orgID string, method ...string) (string, error) {
	ctx := w.Ctx()
	token, hash := auth.NewToken()
	dev := domain.DeviceFrom(ctx)
	now := s.now()
	sess := domain.Session{
		ID: domain.NewID(), AccountID: accountID, TokenHash: hash, Kind: dev.Kind,
		DeviceName: dev.Name, Platform: dev.Platform, IP: dev.IP, CreatedAt: now, LastSeenAt: now,
	}
	if sess.Kind == "" {
		sess.Kind = domain.SessionBrowser
	}
	if orgID != "" {
		sess.OrgID = &orgID
	}
	known, err := s.Store.KnownDevice(ctx, accountID, domain.Device{Kind: sess.Kind, Name: sess.DeviceName, Platform: sess.Platform})
	if err != nil {
		return "", err
	}
	if err := s.Store.Create(ctx, &sess); err != nil {
		return "", err
	}
	// A session holds its token: its entry says only that it exists.
	if err := w.Changed("", "session", sess.ID, "created", nil); err != nil {
		return "", err
	}
	var details map[string]any
	if len(method) > 0 && method[0] != "password" {
		details = map[string]any{"secondFactor": method[0]}
	}
	w.As(domain.Actor{AccountID: accountID, OrgID: orgID, SessionID: sess.ID})
	if err := w.Record(audit.Entry{OrgID: orgID, Action: audit.SignInSucceeded, SubjectType: "account", SubjectID: accountID, Details: details}); err != nil {
		return "", err
	}
	if !known && len(method) > 0 {
		return token, recordAlert(ctx, s.Store, now, accountID, AlertNewDevice, map[string]any{"device": dev.Label()})
	}
	return token, nil
}

// SignOut ends the caller's session.
func (s *Auth) SignOut(ctx context.Context, a domain.Actor, _ Empty) (Empty, error) {
	return Empty{}, s.write(ctx, a, func(w *Write) error {
		if err := s.Store.RevokeSession(w.Ctx(), a.SessionID, s.now()); err != nil {
			return err
		}
		if err := w.Changed("", "session", a.SessionID, "deleted", nil); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.SignOut, SubjectType: "account", SubjectID: a.AccountID})
	})
}

// Current returns who is signed in on this session.
func (s *Auth) Current(ctx context.Context, a domain.Actor, _ Empty) (SessionInfo, error) {
	return s.sessionInfo(ctx, a.AccountID, a.OrgID)
}

// access is what an account may do in an organization at the organization's
// rights version: the one resolution every call and the home page share.
func (s *Auth) access(ctx context.Context, orgID, accountID string, version int64) (memberAccess, error) {
	return s.rights.access(ctx, orgID, accountID, version, func(ctx context.Context) (memberAccess, error) {
		mr, err := s.Store.RightsOf(ctx, orgID, accountID)
		if err != nil || !mr.Active {
			return memberAccess{rights: mr}, err
		}
		must, err := s.mustEnrollTwoFactor(ctx, accountID, orgID)
		return memberAccess{rights: mr, mustEnrollTwoFactor: must}, err
	})
}

// touchEvery bounds how often a session's "last seen" is written.
const touchEvery = time.Minute

// resolve turns a session token into the actor of a call. A session signed out
// remotely (or by a password change), or past its idle time or lifetime
// (sessionLifetime), no longer resolves: the console then shows the sign-in
// screen.
//
// The call acts on the organization it names (orgID: each screen of the
// console names the dossier it shows, so two tabs on two dossiers never write
// into each other), or on the one the session remembers when it names none.
// A named organization the account is not an active member of gives an actor
// without one: whatever needs an organization is refused.
func (s *Auth) resolve(ctx context.Context, token, orgID string) (domain.Actor, error) {
	unauth := domain.Errorf(domain.CodeUnauthenticated, "not signed in")
	if token == "" {
		return domain.Actor{}, unauth
	}
	sess, err := s.Store.CallSessionByTokenHash(ctx, auth.HashToken(token), orgID)
	if domain.CodeOf(err) == domain.CodeNotFound {
		return domain.Actor{}, unauth
	}
	if err != nil {
		return domain.Actor{}, err
	}
	now := s.now()
	if sessionExpired(sess.Session, now) {
		// Signed out for good, so it leaves the account's list of devices too.
		if err := s.Store.RevokeSession(ctx, sess.ID, now); err != nil {
			return domain.Actor{}, err
		}
		return domain.Actor{}, unauth
	}
	a := domain.Actor{AccountID: sess.AccountID, SessionID: sess.ID}
	if callOrg := sess.CallOrgID; callOrg != "" {
		acc, err := s.access(ctx, callOrg, sess.AccountID, sess.RightsVersion)
		if err != nil {
			return domain.Actor{}, err
		}
		remembered := sess.OrgID != nil && *sess.OrgID == callOrg
		if acc.rights.Active || remembered {
			a.OrgID = callOrg
		}
		if acc.rights.Active {
			// The organization's status is read with the session, never cached.
			a.IsAdmin, a.Rights, a.OrgClosed = acc.rights.IsAdmin, acc.rights.Rights, sess.OrgStatus == domain.OrgClosed
			a.MustEnrollTwoFactor = acc.mustEnrollTwoFactor
		}
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		if err := s.Store.TouchSession(ctx, sess.ID, now); err != nil {
			return domain.Actor{}, err
		}
	}
	return a, nil
}
