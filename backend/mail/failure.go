package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/emersion/go-smtp"

	"atrium/backend/store"
)

// Why a delivery failed, in words the console translates (outbox.reasons.*):
// an office manager must see what to fix, not an SMTP transcript.
const (
	ReasonUnreachable  = "unreachable"   // no connection, or no answer in time
	ReasonTLS          = "tls"           // the encrypted connection failed (certificate not trusted…)
	ReasonNoStartTLS   = "starttls"      // STARTTLS mode, and the server does not offer it
	ReasonInsecureAuth = "insecure_auth" // a password would cross an unencrypted connection
	ReasonAuth         = "auth"          // username or password refused
	ReasonSender       = "sender"        // the From address refused
	ReasonRecipient    = "recipient"     // the To address refused
	ReasonRejected     = "rejected"      // the message itself refused
	ReasonTemporary    = "temporary"     // the server asked to try again later (4xx)
	ReasonOther        = "other"
	ReasonInterrupted  = store.OutboxInterrupted // the worker stopped mid-send
)

// Failure is a failed delivery with its reason.
type Failure struct {
	Reason string
	Err    error
}

func (f *Failure) Error() string { return f.Err.Error() }
func (f *Failure) Unwrap() error { return f.Err }

// ReasonOf returns why err happened: a Failure's reason, else ReasonOther.
func ReasonOf(err error) string {
	var f *Failure
	if errors.As(err, &f) {
		return f.Reason
	}
	return ReasonOther
}

// fail names err's reason from what the server or the network said, and, for
// a permanent refusal, from the step that was refused (stage).
func fail(stage string, err error) error {
	if err == nil {
		return nil
	}
	var f *Failure
	if errors.As(err, &f) {
		return err
	}
	var refused *smtp.SMTPError
	switch {
	case errors.As(err, &refused) && refused.Temporary():
		return &Failure{ReasonTemporary, err}
	case errors.As(err, &refused):
		return &Failure{stage, err}
	case isTLSError(err):
		return &Failure{ReasonTLS, err}
	case isNetError(err):
		return &Failure{ReasonUnreachable, err}
	}
	return &Failure{stage, err}
}

func isTLSError(err error) bool {
	var (
		verify   *tls.CertificateVerificationError
		header   tls.RecordHeaderError
		alert    tls.AlertError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
	)
	return errors.As(err, &verify) || errors.As(err, &header) || errors.As(err, &alert) ||
		errors.As(err, &unknown) || errors.As(err, &hostname) || errors.As(err, &invalid)
}

func isNetError(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, context.DeadlineExceeded)
}
