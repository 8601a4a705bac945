package service

import (
	"context"
	"sync"
	"time"

	"atrium/backend/audit"
	"atrium/backend/auth"
	"atrium/backend/domain"
)

// Auth signs people in and out and resolves the caller of each operation.
type Auth struct {
	Deps
	dummyOnce sync.Once
	dummy     string // a hash to verify against when the email is unknown
}

// SignInInput is what the sign-in form sends.
type SignInInput struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

var errInvalidCredentials = domain.Errorf(domain.CodeInvalidCredentials, "wrong email or password")

// SignIn checks an email and password and opens a session. A wrong email and a
// wrong password get the same answer after the same argon2id work.
func (s *Auth) SignIn(ctx context.Context, in SignInInput) (SessionInfo, error) {
	email, _ := domain.NormalizeEmail(in.Email)
	if email == "" || in.Password == "" {
		errs := domain.FieldErrors{}
		domain.CheckText(errs, "email", email, true)
		domain.CheckText(errs, "password", in.Password, true)
		return SessionInfo{}, errs.Err()
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
	if !found || !ok || verr != nil {
		e := audit.Entry{Action: audit.SignInFailed, SubjectType: "account", Details: map[string]any{"email": email}}
		if found {
			e.SubjectID = acc.ID
		}
		if err := s.Audit.Record(ctx, e); err != nil {
			return SessionInfo{}, err
		}
		return SessionInfo{}, errInvalidCredentials
	}
	orgID, err := s.pickOrganization(ctx, acc)
	if err != nil {
		return SessionInfo{}, err
	}
	var token string
	err = s.Store.Tx(ctx, func(ctx context.Context) error {
		token, err = s.openSession(ctx, acc.ID, orgID)
		return err
	})
	if err != nil {
		return SessionInfo{}, err
	}
	info, err := s.sessionInfo(ctx, acc.ID, orgID)
	info.token = token
	return info, err
}

func (s *Auth) dummyHash() string {
	s.dummyOnce.Do(func() {
		s.dummy, _ = auth.HashPassword("atrium-no-such-account", s.Password)
	})
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

// openSession creates a session row for the calling device and records the
// sign-in; it runs inside the caller's transaction.
func (s *Auth) openSession(ctx context.Context, accountID, orgID string) (string, error) {
	token, hash := auth.NewToken()
	dev := domain.DeviceFrom(ctx)
	now := time.Now().UTC()
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
	if err := s.Store.Create(ctx, &sess); err != nil {
		return "", err
	}
	actx := domain.WithActor(ctx, domain.Actor{AccountID: accountID, OrgID: orgID, SessionID: sess.ID})
	err := s.Audit.Record(actx, audit.Entry{OrgID: orgID, Action: audit.SignInSucceeded, SubjectType: "account", SubjectID: accountID})
	return token, err
}

// SignOut ends the caller's session.
func (s *Auth) SignOut(ctx context.Context, _ Empty) (Empty, error) {
	a, _ := domain.ActorFrom(ctx)
	return Empty{}, s.Store.Tx(ctx, func(ctx context.Context) error {
		if err := s.Store.RevokeSession(ctx, a.SessionID, time.Now().UTC()); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{OrgID: a.OrgID, Action: audit.SignOut, SubjectType: "account", SubjectID: a.AccountID})
	})
}

// Current returns who is signed in on this session.
func (s *Auth) Current(ctx context.Context, _ Empty) (SessionInfo, error) {
	a, _ := domain.ActorFrom(ctx)
	return s.sessionInfo(ctx, a.AccountID, a.OrgID)
}

// touchEvery bounds how often a session's "last seen" is written.
const touchEvery = time.Minute

// resolve turns a session token into the actor of a call.
func (s *Auth) resolve(ctx context.Context, token string) (domain.Actor, error) {
	unauth := domain.Errorf(domain.CodeUnauthenticated, "not signed in")
	if token == "" {
		return domain.Actor{}, unauth
	}
	sess, err := s.Store.SessionByTokenHash(ctx, auth.HashToken(token))
	if domain.CodeOf(err) == domain.CodeNotFound {
		return domain.Actor{}, unauth
	}
	if err != nil {
		return domain.Actor{}, err
	}
	a := domain.Actor{AccountID: sess.AccountID, SessionID: sess.ID}
	if sess.OrgID != nil {
		mr, err := s.Store.RightsOf(ctx, *sess.OrgID, sess.AccountID)
		if err != nil {
			return domain.Actor{}, err
		}
		a.OrgID = *sess.OrgID
		if mr.Active {
			a.IsAdmin, a.Rights, a.OrgClosed = mr.IsAdmin, mr.Rights, mr.OrgClosed
		}
	}
	if now := time.Now().UTC(); now.Sub(sess.LastSeenAt) > touchEvery {
		if err := s.Store.TouchSession(ctx, sess.ID, now); err != nil {
			return domain.Actor{}, err
		}
	}
	return a, nil
}
