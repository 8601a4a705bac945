package service

import (
	"context"
	"time"

	"atrium/backend/audit"
	"atrium/backend/auth"
	"atrium/backend/domain"
)

// Sessions lists and signs out the devices and browsers of the caller's
// account (SPEC A7).
type Sessions struct {
	Deps
	auth *Auth
}

// sessionLifetime bounds a session of each kind: it ends after Idle without a
// call, and Absolute after its sign-in however much it is used. A browser may
// be a shared or borrowed computer, so its session lasts a working day idle
// and a week in all; the desktop's token never leaves the Atrium process of
// the person's own computer, so it may stay signed in for weeks.
var sessionLifetime = map[string]struct{ Idle, Absolute time.Duration }{
	domain.SessionBrowser: {Idle: 12 * time.Hour, Absolute: 7 * 24 * time.Hour},
	domain.SessionDesktop: {Idle: 30 * 24 * time.Hour, Absolute: 90 * 24 * time.Hour},
}

// sessionExpired reports whether a session has outlived its idle time or
// its absolute lifetime at now. A kind not known gets the browser's.
func sessionExpired(sess domain.Session, now time.Time) bool {
	l, ok := sessionLifetime[sess.Kind]
	if !ok {
		l = sessionLifetime[domain.SessionBrowser]
	}
	return now.Sub(sess.LastSeenAt) > l.Idle || now.Sub(sess.CreatedAt) > l.Absolute
}

// DeviceSession is one signed-in desktop installation or browser.
type DeviceSession struct {
	ID         string    `json:"id"`
	Kind       string    `json:"kind"` // desktop, browser
	DeviceName string    `json:"deviceName"`
	Platform   string    `json:"platform"`
	IP         string    `json:"ip"` // the approximate place, for the server
	FirstSeen  time.Time `json:"firstSeen"`
	LastSeen   time.Time `json:"lastSeen"`
	Current    bool      `json:"current"` // this device
}

// DeviceSessions is the list of the account's sessions, this one first.
type DeviceSessions struct {
	Sessions []DeviceSession `json:"sessions"`
}

// List returns every live session of the caller's account.
func (s *Sessions) List(ctx context.Context, a domain.Actor, _ Empty) (DeviceSessions, error) {
	rows, err := s.Store.LiveSessions(ctx, a.AccountID)
	out := DeviceSessions{Sessions: []DeviceSession{}}
	now := s.auth.now()
	for _, r := range rows {
		if sessionExpired(r, now) {
			continue // it is signed out at its next call
		}
		d := DeviceSession{ID: r.ID, Kind: r.Kind, DeviceName: r.DeviceName, Platform: r.Platform, IP: r.IP,
			FirstSeen: r.CreatedAt, LastSeen: r.LastSeenAt, Current: r.ID == a.SessionID}
		if d.Current {
			out.Sessions = append([]DeviceSession{d}, out.Sessions...)
		} else {
			out.Sessions = append(out.Sessions, d)
		}
	}
	return out, err
}

// RevokeSessionInput names a session of the caller's account.
type RevokeSessionInput struct {
	ID string `json:"id"`
}

// Revoke signs one session out; the device returns to the sign-in screen at
// its next call. A session of another account answers not_found.
func (s *Sessions) Revoke(ctx context.Context, a domain.Actor, in RevokeSessionInput) (Empty, error) {
	return Empty{}, s.write(ctx, a, func(w *Write) error {
		ok, err := s.Store.RevokeAccountSession(w.Ctx(), a.AccountID, in.ID, s.auth.now())
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.CodeNotFound, "session not found")
		}
		if err := w.Changed("", "session", in.ID, "deleted", nil); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.SessionRevoked, SubjectType: "session", SubjectID: in.ID})
	})
}

// RevokedSessions says how many sessions were signed out.
type RevokedSessions struct {
	SignedOut int64 `json:"signedOut"`
}

// RevokeOthers signs out every session of the account except this one.
func (s *Sessions) RevokeOthers(ctx context.Context, a domain.Actor, _ Empty) (RevokedSessions, error) {
	var out RevokedSessions
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		live, err := s.Store.LiveSessions(ctx, a.AccountID)
		if err != nil {
			return err
		}
		if out.SignedOut, err = s.Store.RevokeOtherSessions(ctx, a.AccountID, a.SessionID, s.auth.now()); err != nil {
			return err
		}
		if out.SignedOut == 0 {
			w.Nothing()
			return nil
		}
		for _, sess := range live {
			if sess.ID != a.SessionID {
				if err := w.Changed("", "session", sess.ID, "deleted", nil); err != nil {
					return err
				}
			}
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.SessionsRevokedOthers, SubjectType: "account", SubjectID: a.AccountID,
			Details: map[string]any{"signedOut": out.SignedOut}})
	})
	return out, err
}

// A rotation carries the new token an operation gave the caller's session, for
// Invoke to hand to the door (Result.Token), which keeps it in place of the old.
type rotation struct{ token string }

type rotationKey struct{}

func withRotation(ctx context.Context) (context.Context, *rotation) {
	r := &rotation{}
	return context.WithValue(ctx, rotationKey{}, r), r
}

// rotateSession gives the caller's session a new token, in the caller's
// transaction, after a change of what the session may do (password, two-step
// sign-in): a token seen before the change stops working, the device stays
// signed in with the new one.
func (s *Auth) rotateSession(ctx context.Context, a domain.Actor) error {
	r, slot := ctx.Value(rotationKey{}).(*rotation)
	if !slot || a.SessionID == "" {
		return domain.Errorf(domain.CodeInternal, "no session to give a new token")
	}
	token, hash := auth.NewToken()
	live, err := s.Store.RotateSessionToken(ctx, a.SessionID, hash)
	if err != nil {
		return err
	}
	if !live {
		return domain.Errorf(domain.CodeUnauthenticated, "not signed in")
	}
	r.token = token
	return nil
}

// endReplacedSession signs out the session a door sent with a call that
// opened another one (a sign-in on a browser or desktop already signed in).
func (s *Auth) endReplacedSession(ctx context.Context, token string) error {
	return s.Store.RevokeSessionByTokenHash(ctx, auth.HashToken(token), s.now())
}
