package service

import (
	"context"
	netmail "net/mail"
	"strings"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/mail"
	"atrium/backend/store"
)

// MailDeps configure mail (SPEC H5).
type MailDeps struct {
	// Env is the SMTP server given by the server's flags or environment; it
	// takes precedence over the console's settings, which are then read-only.
	Env *mail.Settings
	// ConsoleSettings lets the console change the SMTP settings: on the
	// desktop (one office's own machine), or on a server started with
	// --smtp-from-console. Otherwise a shared server's mail settings are its
	// operator's: an organization's admin could else send every other
	// organization's password resets through a server of their choosing.
	ConsoleSettings bool
	// PublicURL is where the console is reached (links in messages); empty
	// on the desktop, whose messages carry codes to type instead.
	PublicURL string
	// Wake asks the outbox worker for a round at once.
	Wake func()
}

// Mail is the mail service: the SMTP settings and the test message (here),
// the outbox screen and its retry (outbox.go), the messages the other
// services write to the outbox (mailqueue.go), and the security alerts' way
// to the outbox (alerts.go).
type Mail struct {
	Deps
	auth *Auth
}

// current returns the SMTP settings in force and whether the server fixes
// them (its flags or environment, or a server whose console may not change
// them: the saved settings then stay in force, read-only).
func (s *Mail) current(ctx context.Context) (mail.Settings, bool, error) {
	if s.Mail.Env != nil && s.Mail.Env.Configured() {
		return *s.Mail.Env, true, nil
	}
	r, err := s.Store.MailSettings(ctx)
	return mail.Settings{Host: r.Host, Port: r.Port, Security: r.Security, Username: r.Username, Password: r.Password, Sender: r.Sender},
		!s.Mail.ConsoleSettings, err
}

// SMTP returns the settings in force, for the outbox worker.
func (s *Mail) SMTP(ctx context.Context) (mail.Settings, error) {
	set, _, err := s.current(ctx)
	return set, err
}

// Configured reports whether messages are sent by SMTP (else they stay in
// the console's outbox).
func (s *Mail) Configured(ctx context.Context) (bool, error) {
	set, _, err := s.current(ctx)
	return set.Configured(), err
}

// MailSettings are the SMTP settings as the console shows them: the
// password never leaves the backend.
type MailSettings struct {
	Host            string `json:"host"`
	Port            int    `json:"port"`
	Security        string `json:"security"`
	Username        string `json:"username"`
	PasswordSet     bool   `json:"passwordSet"`
	Sender          string `json:"sender"`
	Configured      bool   `json:"configured"`
	ManagedByServer bool   `json:"managedByServer"`
	Pending         int64  `json:"pending"`
	Failed          int64  `json:"failed"`
}

// Settings returns the SMTP settings in force.
func (s *Mail) Settings(ctx context.Context, _ domain.Actor, _ Empty) (MailSettings, error) {
	set, env, err := s.current(ctx)
	if err != nil {
		return MailSettings{}, err
	}
	out := MailSettings{Host: set.Host, Port: set.Port, Security: set.Security, Username: set.Username, PasswordSet: set.Password != "",
		Sender: set.Sender, Configured: set.Configured(), ManagedByServer: env}
	if out.Pending, err = s.Store.CountOutbox(ctx, store.OutboxPending); err != nil {
		return out, err
	}
	out.Failed, err = s.Store.CountOutbox(ctx, store.OutboxFailed)
	return out, err
}

// SaveMailSettingsInput edits the SMTP settings; a null password keeps the
// saved one, an empty host turns sending off.
type SaveMailSettingsInput struct {
	Host     string  `json:"host"`
	Port     int     `json:"port"`
	Security string  `json:"security"`
	Username string  `json:"username"`
	Password *string `json:"password,omitempty" text:"secret"`
	Sender   string  `json:"sender"`
}

// SaveSettings saves the SMTP settings (refused when the server's flags or
// environment set them).
func (s *Mail) SaveSettings(ctx context.Context, a domain.Actor, in SaveMailSettingsInput) (MailSettings, error) {
	if _, env, err := s.current(ctx); err != nil || env {
		if err == nil {
			err = domain.FieldErrors{"host": domain.FieldManagedByServer}.Err()
		}
		return MailSettings{}, err
	}
	errs := domain.FieldErrors{}
	host := strings.TrimSpace(in.Host)
	sender := strings.TrimSpace(in.Sender)
	if len(host) > 253 || strings.ContainsAny(host, " /:@") {
		errs.Add("host", domain.FieldInvalidChoice)
	}
	if in.Port < 1 || in.Port > 65535 {
		errs.Add("port", domain.FieldInvalidPort)
	}
	switch in.Security {
	case mail.SecurityStartTLS, mail.SecurityTLS, mail.SecurityNone:
	default:
		errs.Add("security", domain.FieldInvalidChoice)
	}
	if host != "" || sender != "" {
		if host == "" {
			errs.Add("host", domain.FieldRequired)
		}
		if sender == "" {
			errs.Add("sender", domain.FieldRequired)
		} else if addr, err := netmail.ParseAddress(sender); err != nil {
			errs.Add("sender", domain.FieldInvalidEmail)
		} else if _, ok := domain.NormalizeEmail(addr.Address); !ok {
			errs.Add("sender", domain.FieldInvalidEmail)
		}
	}
	if len(in.Username) > 254 {
		errs.TooLong("username", 254)
	}
	if mail.PasswordInClear(mail.Settings{Host: host, Security: in.Security, Username: strings.TrimSpace(in.Username)}) {
		errs.Add("security", domain.FieldPasswordInClear)
	}
	if in.Password != nil && len(*in.Password) > 1024 {
		errs.TooLong("password", 1024)
	}
	if err := errs.Err(); err != nil {
		return MailSettings{}, err
	}
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		cur, err := s.Store.MailSettings(ctx)
		if err != nil {
			return err
		}
		row := store.MailSettingsRow{Host: host, Port: in.Port, Security: in.Security, Username: strings.TrimSpace(in.Username),
			Password: cur.Password, Sender: sender, UpdatedAt: s.now()}
		if in.Password != nil {
			row.Password = *in.Password
		}
		if err := s.Store.SaveMailSettings(ctx, row); err != nil {
			return err
		}
		// The settings of the whole installation, as the mail screen shows
		// them: never the password.
		state, err := s.Settings(ctx, a, Empty{})
		if err != nil {
			return err
		}
		if err := w.Changed("", "mail_settings", "smtp", "updated", state); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.MailSettingsChanged, SubjectType: "mail",
			Details: map[string]any{"host": host, "port": in.Port, "security": in.Security, "passwordChanged": in.Password != nil}})
	})
	if err != nil {
		return MailSettings{}, err
	}
	return s.Settings(ctx, a, Empty{})
}

// SendTest writes a test message to the caller's own address.
func (s *Mail) SendTest(ctx context.Context, a domain.Actor, _ Empty) (Empty, error) {
	acc, err := s.Store.AccountByID(ctx, a.AccountID)
	if err != nil {
		return Empty{}, err
	}
	return Empty{}, s.write(ctx, a, func(w *Write) error {
		id, err := s.enqueue(w.Ctx(), outgoing{OrgID: a.OrgID, AccountID: acc.ID, To: acc.Email, Language: acc.Language, Kind: mail.KindTest})
		if err != nil {
			return err
		}
		if err := w.Changed(a.OrgID, "outbox_message", id, "created", nil); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.MailTestSent, SubjectType: "mail", SubjectID: id})
	})
}
