// Package mail sends Atrium's e-mail: HTML and text templates in French and
// English, an SMTP sender (github.com/emersion/go-smtp, the message composed
// with the standard library's MIME writers), and the outbox worker that
// delivers what the services wrote to the outbox table, with retries and
// exponential backoff (SPEC H5).
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"atrium/backend/domain"
)

// Security modes of an SMTP connection.
const (
	SecurityStartTLS = "starttls" // plain connection upgraded with STARTTLS (required)
	SecurityTLS      = "tls"      // implicit TLS from the first byte (port 465)
	SecurityNone     = "none"     // no encryption (a local relay or a test catcher)
)

// sendTimeout bounds one delivery, connection included, when ctx allows more.
const sendTimeout = 20 * time.Second

// rootCAs verifies SMTP servers' certificates: nil is the system's; the tests
// trust their own server's.
var rootCAs *x509.CertPool

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

// Send delivers one message through the SMTP server of s. A failure is a
// *Failure that says why (ReasonOf).
func Send(ctx context.Context, s Settings, m Message) error {
	if !s.Configured() {
		return errors.New("no SMTP server configured")
	}
	from, err := netmail.ParseAddress(s.Sender)
	if err != nil {
		return &Failure{ReasonSender, fmt.Errorf("sender address: %w", err)}
	}
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return &Failure{ReasonRecipient, fmt.Errorf("recipient address: %w", err)}
	}
	body, err := compose(from, to, m, time.Now())
	if err != nil {
		return fail(ReasonOther, err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, sendTimeout)
		defer cancel()
	}
	c, err := dial(ctx, s)
	if err != nil {
		return err
	}
	defer c.Close()
	if s.Username != "" {
		if err := fail(ReasonAuth, authenticate(c, s)); err != nil {
			return err
		}
	}
	if err := fail(ReasonSender, c.Mail(from.Address, nil)); err != nil {
		return err
	}
	if err := fail(ReasonRecipient, c.Rcpt(to.Address, nil)); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return fail(ReasonRejected, err)
	}
	if _, err := w.Write(body); err != nil {
		return fail(ReasonRejected, err)
	}
	if err := w.Close(); err != nil {
		return fail(ReasonRejected, err)
	}
	// The server has taken the message: a failing QUIT must not make it a
	// failure, which would send it again.
	_ = c.Quit()
	return nil
}

// dial connects as s.Security says; STARTTLS is required in its mode, never
// skipped when the server does not offer it. The connection is closed when ctx
// ends, which aborts whatever command is waiting. EHLO says "localhost"
// (go-smtp's default) in every mode: the server learns nothing of this
// machine's name.
func dial(ctx context.Context, s Settings) (*smtp.Client, error) {
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, &Failure{ReasonUnreachable, err}
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	context.AfterFunc(ctx, func() { conn.Close() })
	tlsConfig := &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12, RootCAs: rootCAs}
	switch s.Security {
	case SecurityTLS:
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, fail(ReasonTLS, err)
		}
		return smtp.NewClient(tc), nil
	case SecurityNone:
		return smtp.NewClient(conn), nil
	}
	c, err := smtp.NewClientStartTLS(conn, tlsConfig)
	if err != nil {
		conn.Close()
		// Neither a TLS nor a network error: the server does not offer STARTTLS.
		return nil, fail(ReasonNoStartTLS, fmt.Errorf("STARTTLS: %w", err))
	}
	return c, nil
}

// PasswordInClear reports whether s would send its password unencrypted to
// another machine: the console refuses such settings, and Send refuses to
// sign in over any connection that turned out unencrypted.
func PasswordInClear(s Settings) bool {
	return s.Username != "" && s.Security == SecurityNone && !isLoopback(s.Host)
}

// authenticate signs in with PLAIN, or LOGIN for servers that only offer it.
// A password never crosses an unencrypted connection except to this machine.
func authenticate(c *smtp.Client, s Settings) error {
	if _, secure := c.TLSConnectionState(); !secure && !isLoopback(s.Host) {
		return &Failure{ReasonInsecureAuth, errors.New("refusing to send the SMTP password over an unencrypted connection: choose STARTTLS or TLS")}
	}
	switch {
	case c.SupportsAuth(sasl.Plain):
		return c.Auth(sasl.NewPlainClient("", s.Username, s.Password))
	case c.SupportsAuth(sasl.Login):
		return c.Auth(sasl.NewLoginClient(s.Username, s.Password))
	}
	return errors.New("the SMTP server offers no sign-in method Atrium knows (PLAIN or LOGIN)")
}

func isLoopback(host string) bool { return domain.IsLoopbackHost(host) }

// compose writes the message: UTF-8 text, and HTML as its alternative when
// there is one, both quoted-printable so any server relays them unchanged.
func compose(from, to *netmail.Address, m Message, now time.Time) ([]byte, error) {
	var b bytes.Buffer
	header := func(name, value string) {
		b.WriteString(name + ": " + value + "\r\n")
	}
	header("From", from.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", oneLine(m.Subject)))
	header("Date", now.Format(time.RFC1123Z))
	if m.ID != "" {
		domain := "atrium.local"
		if at := strings.LastIndex(from.Address, "@"); at >= 0 {
			domain = from.Address[at+1:]
		}
		header("Message-ID", "<"+oneLine(m.ID)+"@"+domain+">")
	}
	header("MIME-Version", "1.0")
	if m.HTML == "" {
		header("Content-Type", "text/plain; charset=utf-8")
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, m.Text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	mw := multipart.NewWriter(&b)
	header("Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		if err := writeQP(w, part.body); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeQP(w io.Writer, s string) error {
	qw := quotedprintable.NewWriter(w)
	if _, err := qw.Write([]byte(s)); err != nil {
		return err
	}
	return qw.Close()
}

// oneLine keeps a header value on its line: a line break would start a header
// of the sender's choosing.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
}
