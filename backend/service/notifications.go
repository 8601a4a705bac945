package service

import (
	"context"
	"encoding/json"
	"time"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// Notifications holds each account's choice of e-mail notifications (SPEC A5).
type Notifications struct {
	Deps
	auth *Auth
}

// Notification categories: each one is sent (notify.go, digest.go); a
// category with nothing behind it yet (invoices) is not offered. Security
// alerts cannot be turned off.
const (
	NotifyTasks         = "tasks"
	NotifyAccess        = "access"
	NotifyMembers       = "members"
	NotifyRights        = "rights"
	NotifyWeeklyDigest  = "weekly_digest"
	NotifySecurityAlert = "security"
)

// notificationCategories in display order, with their default.
var notificationCategories = []struct {
	name string
	on   bool
}{
	{NotifyTasks, true}, {NotifyAccess, true}, {NotifyMembers, true}, {NotifyRights, true},
	{NotifyWeeklyDigest, false}, {NotifySecurityAlert, true},
}

// Security alert kinds, written to security_alerts for the mail outbox.
const (
	AlertNewDevice         = "new_device_signin"
	AlertPasswordChanged   = "password_changed"
	AlertTwoFactorEnabled  = "two_factor_enabled"
	AlertTwoFactorDisabled = "two_factor_disabled"
	AlertEmailChanged      = "email_changed"
)

// recordAlert records a security alert in the caller's transaction; the
// mail's alert bridge (Mail.BridgeAlerts, alerts.go) later turns each one
// into a message and marks it sent. Security alerts are always sent,
// whatever the preferences.
func recordAlert(ctx context.Context, st *store.Store, now time.Time, accountID, kind string, details map[string]any) error {
	b := []byte("{}")
	if len(details) > 0 {
		var err error
		if b, err = json.Marshal(details); err != nil {
			return err
		}
	}
	return st.Create(ctx, &store.SecurityAlert{ID: domain.NewID(), AccountID: accountID, Kind: kind, Details: string(b), CreatedAt: now})
}

// NotificationPreference is one category and whether it is on.
type NotificationPreference struct {
	Category string `json:"category"`
	Enabled  bool   `json:"enabled"`
	Locked   bool   `json:"locked"` // security alerts: always on
}

// NotificationPreferences lists every category. MailReady says whether
// Atrium can send mail at all (SMTP set up): until it can, no notification
// leaves, and the tab says so.
type NotificationPreferences struct {
	Categories []NotificationPreference `json:"categories"`
	MailReady  bool                     `json:"mailReady"`
}

// Preferences returns the caller's choices (defaults where never changed).
func (s *Notifications) Preferences(ctx context.Context, a domain.Actor, _ Empty) (NotificationPreferences, error) {
	return s.shown(ctx, a.AccountID)
}

// shown is the account's choices as the tab shows them: with whether mail
// can leave at all, which Wants (read for every recipient of a notice) has
// no need of.
func (s *Notifications) shown(ctx context.Context, accountID string) (NotificationPreferences, error) {
	out, err := s.preferences(ctx, accountID)
	if err != nil {
		return out, err
	}
	out.MailReady, err = (&Mail{Deps: s.Deps}).Configured(ctx)
	return out, err
}

func (s *Notifications) preferences(ctx context.Context, accountID string) (NotificationPreferences, error) {
	saved, err := s.Store.NotificationPrefs(ctx, accountID)
	if err != nil {
		return NotificationPreferences{}, err
	}
	out := NotificationPreferences{Categories: []NotificationPreference{}}
	for _, c := range notificationCategories {
		p := NotificationPreference{Category: c.name, Enabled: c.on, Locked: c.name == NotifySecurityAlert}
		if v, ok := saved[c.name]; ok && !p.Locked {
			p.Enabled = v
		}
		out.Categories = append(out.Categories, p)
	}
	return out, err
}

// Wants tells the outbox whether an account wants mail of a category.
func (s *Notifications) Wants(ctx context.Context, accountID, category string) (bool, error) {
	prefs, err := s.preferences(ctx, accountID)
	for _, p := range prefs.Categories {
		if p.Category == category {
			return p.Enabled, err
		}
	}
	return false, err
}

// SetNotificationInput switches one category on or off.
type SetNotificationInput struct {
	Category string `json:"category"`
	Enabled  bool   `json:"enabled"`
}

// SetPreference saves one category; security alerts cannot be turned off.
func (s *Notifications) SetPreference(ctx context.Context, a domain.Actor, in SetNotificationInput) (NotificationPreferences, error) {
	known := false
	for _, c := range notificationCategories {
		known = known || c.name == in.Category
	}
	if !known || in.Category == NotifySecurityAlert {
		return NotificationPreferences{}, domain.FieldErrors{"category": domain.FieldInvalidChoice}.Err()
	}
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		cur, err := s.Wants(ctx, a.AccountID, in.Category)
		if err != nil {
			return err
		}
		if cur == in.Enabled {
			w.Nothing()
			return nil
		}
		if err := s.Store.SaveNotificationPref(ctx, store.NotificationPref{AccountID: a.AccountID, Category: in.Category,
			Enabled: in.Enabled, UpdatedAt: s.auth.now()}); err != nil {
			return err
		}
		prefs, err := s.shown(ctx, a.AccountID)
		if err != nil {
			return err
		}
		if err := w.Changed("", "notification_preferences", a.AccountID, "updated", prefs); err != nil {
			return err
		}
		return w.Record(audit.Entry{Action: audit.NotificationsChanged, SubjectType: "account", SubjectID: a.AccountID,
			Details: map[string]any{"category": in.Category, "enabled": in.Enabled}})
	})
	if err != nil {
		return NotificationPreferences{}, err
	}
	return s.shown(ctx, a.AccountID)
}
