package service

import (
	"context"
	"crypto/rand"
	"math/big"
	netmail "net/mail"
	"strings"
	"time"

	"atrium/backend/audit"
	"atrium/backend/auth"
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

// Mail holds the SMTP settings and the outbox screen, and writes messages to
// the outbox for the other services.
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

// outgoing is a message to write to the outbox. OrgID names the
// organization whose outbox screen lists it; "" lists it in none (a message
// the person asked for themselves, which only the mail delivers).
type outgoing struct {
	OrgID, AccountID, To, Language, Kind string
	Data                                 mail.Data
}

// audienceOf says who may read a message's text, link and code on its
// organization's outbox screen (store.Audience*), by kind. A secret meant
// for a person is shown only to someone who could already act for them: the
// person, or the admins of the one organization the account belongs to (on
// a desktop without SMTP they pass resets on by hand, and could reset the
// password anyway). Deletion codes prove that the person reads their
// mailbox, so nobody sees them. A kind missing here is shown to nobody.
var audienceOf = map[string]string{
	mail.KindInvitation:    store.AudienceOrg, // the inviting admins pass it on by hand
	mail.KindTest:          store.AudienceOrg, // no secret
	mail.KindPasswordReset: store.AudienceCustodian,
	mail.KindEmailChange:   store.AudienceOwner,
	mail.KindEmailChanged:  store.AudienceOwner,
	mail.KindSecurityAlert: store.AudienceOwner,
}

// queue renders a message and writes it to the outbox, in the caller's
// transaction: the message exists if and only if the action happened.
func (s *Mail) queue(ctx context.Context, o outgoing) error {
	subject, txt, html, err := mail.Render(o.Kind, o.Language, o.Data)
	if err != nil {
		return err
	}
	on, err := s.Configured(ctx)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	m := store.OutboxMessage{ID: domain.NewID(), ToAddr: o.To, Language: o.Language, Kind: o.Kind, Subject: subject,
		TextBody: txt, HTMLBody: html, Link: o.Data.Link, Code: o.Data.Code, Status: store.OutboxLocal, NextAt: now, CreatedAt: now}
	if on {
		m.Status = store.OutboxPending
	}
	if o.OrgID != "" {
		m.OrgID = &o.OrgID
		m.Audience = audienceOf[o.Kind]
	}
	if o.AccountID != "" {
		m.AccountID = &o.AccountID
	}
	if err := s.Store.Create(ctx, &m); err != nil {
		return err
	}
	if s.Mail.Wake != nil {
		s.Mail.Wake()
	}
	return nil
}

// link builds the console's address of an action, or "" on the desktop.
func (s *Mail) link(path, token string) string {
	if s.Mail.PublicURL == "" {
		return ""
	}
	return strings.TrimRight(s.Mail.PublicURL, "/") + "/#" + path + "?token=" + token
}

// orgOfAccount names the organization whose outbox shows an account's own
// messages (the one it last worked in).
func (s *Mail) orgOfAccount(ctx context.Context, acc domain.Account) (string, error) {
	if acc.LastOrgID != nil {
		if ok, err := s.Store.IsActiveMember(ctx, *acc.LastOrgID, acc.ID); err != nil || ok {
			return *acc.LastOrgID, err
		}
	}
	return s.Store.FirstActiveOrgID(ctx, acc.ID)
}

// BridgeAlerts hands the security alerts (written by the security
// operations) to the outbox: each alert becomes one message and is marked
// sent in the same transaction, so none is lost or sent twice.
func (s *Mail) BridgeAlerts(ctx context.Context) error {
	return s.Store.Tx(ctx, func(ctx context.Context) error {
		alerts, err := s.Store.UnsentSecurityAlerts(ctx, 50)
		if err != nil {
			return err
		}
		for _, al := range alerts {
			acc, err := s.Store.AccountByID(ctx, al.AccountID)
			if err != nil {
				return err
			}
			org, err := s.orgOfAccount(ctx, acc)
			if err != nil {
				return err
			}
			d := mail.Data{Name: acc.FirstName, Alert: al.Kind, Detail: alertDetail(al.Details)}
			if err := s.queue(ctx, outgoing{OrgID: org, AccountID: acc.ID, To: acc.Email, Language: acc.Language, Kind: mail.KindSecurityAlert, Data: d}); err != nil {
				return err
			}
			if err := s.Store.MarkSecurityAlertSent(ctx, al.ID, time.Now().UTC()); err != nil {
				return err
			}
		}
		return nil
	})
}

func alertDetail(details string) string {
	// {"device":"..."}: the only detail shown.
	const key = `"device":"`
	if i := strings.Index(details, key); i >= 0 {
		rest := details[i+len(key):]
		if j := strings.Index(rest, `"`); j >= 0 {
			return rest[:j]
		}
	}
	return ""
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
func (s *Mail) Settings(ctx context.Context, _ Empty) (MailSettings, error) {
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
func (s *Mail) SaveSettings(ctx context.Context, in SaveMailSettingsInput) (MailSettings, error) {
	a, _ := domain.ActorFrom(ctx)
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
		errs.Add("username", domain.FieldTooLong)
	}
	if mail.PasswordInClear(mail.Settings{Host: host, Security: in.Security, Username: strings.TrimSpace(in.Username)}) {
		errs.Add("security", domain.FieldPasswordInClear)
	}
	if in.Password != nil && len(*in.Password) > 1024 {
		errs.Add("password", domain.FieldTooLong)
	}
	if err := errs.Err(); err != nil {
		return MailSettings{}, err
	}
	err := s.Store.Tx(ctx, func(ctx context.Context) error {
		cur, err := s.Store.MailSettings(ctx)
		if err != nil {
			return err
		}
		row := store.MailSettingsRow{Host: host, Port: in.Port, Security: in.Security, Username: strings.TrimSpace(in.Username),
			Password: cur.Password, Sender: sender, UpdatedAt: time.Now().UTC()}
		if in.Password != nil {
			row.Password = *in.Password
		}
		if err := s.Store.SaveMailSettings(ctx, row); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{OrgID: a.OrgID, Action: audit.MailSettingsChanged, SubjectType: "mail",
			Details: map[string]any{"host": host, "port": in.Port, "security": in.Security, "passwordChanged": in.Password != nil}})
	})
	if err != nil {
		return MailSettings{}, err
	}
	return s.Settings(ctx, Empty{})
}

// SendTest writes a test message to the caller's own address.
func (s *Mail) SendTest(ctx context.Context, _ Empty) (Empty, error) {
	a, _ := domain.ActorFrom(ctx)
	acc, err := s.Store.AccountByID(ctx, a.AccountID)
	if err != nil {
		return Empty{}, err
	}
	return Empty{}, s.Store.Tx(ctx, func(ctx context.Context) error {
		return s.queue(ctx, outgoing{OrgID: a.OrgID, AccountID: acc.ID, To: acc.Email, Language: acc.Language, Kind: mail.KindTest})
	})
}

// OutboxItem is one message of the outbox screen. Its text, link and code
// are shown until it is sent (then wiped), and only to who may read them:
// else Withheld says why they are not.
type OutboxItem struct {
	ID         string     `json:"id"`
	To         string     `json:"to"`
	Kind       string     `json:"kind"`
	Subject    string     `json:"subject"`
	Text       string     `json:"text"`
	Link       string     `json:"link"`
	Code       string     `json:"code"`
	Withheld   string     `json:"withheld"` // "" shown, else withheldOtherOrg or withheldPersonal
	Status     string     `json:"status"`
	Attempts   int        `json:"attempts"`
	LastReason string     `json:"lastReason"` // why the last attempt failed (mail.Reason*), "" if none
	CreatedAt  time.Time  `json:"createdAt"`
	SentAt     *time.Time `json:"sentAt"`
	NextAt     *time.Time `json:"nextAt"`
}

// Why the outbox screen does not show a message's content.
const (
	// The account also belongs to another organization: only the mail, to
	// the person's own address, may carry its link.
	withheldOtherOrg = "other_organization"
	// Meant for the person alone.
	withheldPersonal = "personal"
)

// OutboxList is the outbox of the organization, newest first.
type OutboxList struct {
	Items      []OutboxItem `json:"items"`
	Configured bool         `json:"configured"`
}

// Outbox lists the organization's last 200 messages. Who may read each
// one's content is decided again now from where its account belongs: an
// account that joined another organization since its reset was queued is no
// longer this organization's alone.
func (s *Mail) Outbox(ctx context.Context, _ Empty) (OutboxList, error) {
	a, ok := domain.ActorFrom(ctx)
	if !ok || a.OrgID == "" {
		return OutboxList{}, domain.Errorf(domain.CodeUnauthenticated, "no organization")
	}
	rows, err := s.Store.OutboxOf(ctx, a.OrgID, 200)
	if err != nil {
		return OutboxList{}, err
	}
	out := OutboxList{Items: []OutboxItem{}}
	if out.Configured, err = s.Configured(ctx); err != nil {
		return out, err
	}
	withheld := map[string]string{} // by account: why its custodian content is withheld
	custody := func(accountID *string) (string, error) {
		if accountID == nil {
			return withheldPersonal, nil
		}
		if why, ok := withheld[*accountID]; ok {
			return why, nil
		}
		here, elsewhere, err := s.Store.AccountPlaces(ctx, a.OrgID, *accountID)
		why := ""
		if elsewhere {
			why = withheldOtherOrg
		} else if !here {
			why = withheldPersonal
		}
		withheld[*accountID] = why
		return why, err
	}
	for _, m := range rows {
		it := OutboxItem{ID: m.ID, To: m.ToAddr, Kind: m.Kind, Subject: m.Subject, Status: m.Status, Attempts: m.Attempts,
			LastReason: m.LastReason, CreatedAt: m.CreatedAt, SentAt: m.SentAt}
		if m.Status == store.OutboxPending {
			next := m.NextAt
			it.NextAt = &next
		}
		switch {
		case m.Status == store.OutboxSent: // nothing left to withhold
		case m.Audience == store.AudienceOrg:
		case m.Audience == store.AudienceOwner || m.Audience == store.AudienceCustodian:
			if m.Audience == store.AudienceOwner && m.AccountID != nil && *m.AccountID == a.AccountID {
				break
			}
			if it.Withheld, err = custody(m.AccountID); err != nil {
				return OutboxList{}, err
			}
			if it.Withheld != "" && m.Audience == store.AudienceOwner {
				it.Withheld = withheldPersonal // meant for the person, whoever else holds the account
			}
		default:
			it.Withheld = withheldPersonal
		}
		if it.Withheld == "" {
			it.Text, it.Link, it.Code = m.TextBody, m.Link, m.Code
		}
		out.Items = append(out.Items, it)
	}
	return out, nil
}

// OutboxRef names a message of the outbox.
type OutboxRef struct {
	MessageID string `json:"messageId"`
}

// Retry sends a failed message again.
func (s *Mail) Retry(ctx context.Context, in OutboxRef) (Empty, error) {
	a, _ := domain.ActorFrom(ctx)
	return Empty{}, s.Store.Tx(ctx, func(ctx context.Context) error {
		m, err := s.Store.OutboxMessageByID(ctx, a.OrgID, in.MessageID)
		if err != nil {
			return err
		}
		ok, err := s.Store.RequeueOutbox(ctx, a.OrgID, m.ID, time.Now().UTC())
		if err != nil {
			return err
		}
		if !ok {
			return domain.FieldErrors{"messageId": domain.FieldInvalidStatus}.Err()
		}
		if s.Mail.Wake != nil {
			s.Mail.Wake()
		}
		return s.Audit.Record(ctx, audit.Entry{OrgID: a.OrgID, Action: audit.MailRequeued, SubjectType: "mail", SubjectID: m.ID})
	})
}

// Codes: links carry a 256-bit token (auth.NewToken); the short code typed
// instead is 10 characters of an unambiguous alphabet (50 bits), and the
// deletion codes are 6 digits bound to their account. All are stored hashed.
const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

func randomFrom(alphabet string, n int) string {
	var b strings.Builder
	max := big.NewInt(int64(len(alphabet)))
	for range n {
		i, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err)
		}
		b.WriteByte(alphabet[i.Int64()])
	}
	return b.String()
}

// newShortCode returns a code such as "K7PQ2-MX9TA" and its hash.
func newShortCode() (code, hash string) {
	c := randomFrom(codeAlphabet, 10)
	code = c[:5] + "-" + c[5:]
	return code, hashShortCode(code)
}

// hashShortCode hashes a typed code, ignoring case, spaces and dashes.
func hashShortCode(code string) string {
	c := strings.ToUpper(strings.Join(strings.FieldsFunc(code, func(r rune) bool { return r == ' ' || r == '-' }), ""))
	if c == "" {
		return ""
	}
	return auth.HashToken("code:" + c)
}

// newDigits returns a 6-digit code and its hash bound to scope.
func newDigits(scope string) (code, hash string) {
	code = randomFrom("0123456789", 6)
	return code, hashDigits(scope, code)
}

func hashDigits(scope, code string) string {
	return auth.HashToken("digits:" + scope + ":" + strings.Join(strings.Fields(code), ""))
}
