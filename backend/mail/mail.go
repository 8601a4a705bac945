// Package mail sends Atrium's e-mail: HTML and text templates in French and
// English, an SMTP sender built on github.com/wneessen/go-mail, and the
// outbox worker that delivers what the services wrote to the outbox table,
// with retries and exponential backoff (SPEC H5).
package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Security modes of an SMTP connection.
const (
	SecurityStartTLS = "starttls" // plain connection upgraded with STARTTLS (required)
	SecurityTLS      = "tls"      // implicit TLS from the first byte (port 465)
	SecurityNone     = "none"     // no encryption (a local relay or a test catcher)
)

// Settings are an SMTP server's coordinates.
type Settings struct {
	Host     string
	Port     int
	Security string
	Username string
	Password string
	Sender   string // From: address, possibly with a display name
}

// Configured reports whether mail can be sent at all.
func (s Settings) Configured() bool { return s.Host != "" && s.Sender != "" }

// Message is one message to send.
type Message struct {
	ID      string // outbox ID: becomes the Message-ID, so a resend is recognisable
	To      string
	Subject string
	Text    string
	HTML    string
}

// Send delivers one message through the SMTP server of s.
func Send(ctx context.Context, s Settings, m Message) error {
	if !s.Configured() {
		return errors.New("no SMTP server configured")
	}
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTimeout(20 * time.Second)}
	switch s.Security {
	case SecurityTLS:
		opts = append(opts, gomail.WithSSL())
	case SecurityNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	c, err := gomail.NewClient(s.Host, opts...)
	if err != nil {
		return err
	}
	msg := gomail.NewMsg()
	if err := msg.From(s.Sender); err != nil {
		return fmt.Errorf("sender address: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("recipient address: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	if m.ID != "" {
		domain := "atrium.local"
		if at := strings.LastIndex(s.Sender, "@"); at >= 0 {
			domain = strings.Trim(s.Sender[at+1:], "> ")
		}
		msg.SetMessageIDWithValue(m.ID + "@" + domain)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return c.DialAndSendWithContext(ctx, msg)
}
