// Package domain holds Atrium's plain types and pure rules. It performs no I/O
// and imports nothing else of Atrium's, so every door and service shares it.
package domain

import (
	"errors"
	"fmt"
	"strconv"
)

// Code is the stable, machine-readable kind of an error. The console translates
// codes; it never shows Go error text to a user.
type Code string

const (
	CodeValidation         Code = "validation"
	CodeUnauthenticated    Code = "unauthenticated"
	CodeInvalidCredentials Code = "invalid_credentials"
	CodeForbidden          Code = "forbidden"
	CodeNotFound           Code = "not_found"
	CodeConflict           Code = "conflict"
	CodeSetupDone          Code = "setup_done"
	CodeOrgClosed          Code = "org_closed"
	CodeTwoFactorRequired  Code = "two_factor_required"
	CodeRateLimited        Code = "rate_limited"
	CodeTooLarge           Code = "too_large"
	CodeStartupFailed      Code = "startup_failed"
	// A file offered to the desktop's restore that it refuses (nothing is
	// changed), a backup that did not fit on the disk (discarded), and a
	// restored backup that would not open (the desktop is back on the
	// database from before the restore).
	CodeNotABackup         Code = "not_a_backup"
	CodeBackupDamaged      Code = "backup_damaged"
	CodeBackupTooNew       Code = "backup_too_new"
	CodeBackupOtherDesktop Code = "backup_other_desktop"
	CodeDiskFull           Code = "disk_full"
	CodeRestoreFailed      Code = "restore_failed"
	// A desktop connecting to an Atrium server: the address answers but not
	// as Atrium; the server cannot be reached; its certificate is not one
	// the system trusts (its fingerprint is given, to accept once), or not
	// the one accepted (nothing was sent, the sync stopped); connected
	// already, or not connected.
	CodeNotAtriumServer      Code = "not_atrium_server"
	CodeServerUnreachable    Code = "server_unreachable"
	CodeCertificateUntrusted Code = "certificate_untrusted"
	CodeCertificateChanged   Code = "certificate_changed"
	CodeAlreadyConnected     Code = "already_connected"
	CodeNotConnected         Code = "not_connected"
	// The server and this desktop are of versions whose data differ: the
	// server is newer (update the desktop) or older (update the server).
	// Checked before any password is sent.
	CodeDesktopOutdated Code = "desktop_outdated"
	CodeServerOutdated  Code = "server_outdated"
	CodeInternal        Code = "internal"
)

// Codes lists every error code; atrium-gen writes them into the console's
// types (ERROR_CODES), where a test checks each has a sentence under
// "errors.<code>" in French and English.
var Codes = []Code{
	CodeValidation, CodeUnauthenticated, CodeInvalidCredentials, CodeForbidden, CodeNotFound, CodeConflict,
	CodeSetupDone, CodeOrgClosed, CodeTwoFactorRequired, CodeRateLimited, CodeTooLarge, CodeStartupFailed,
	CodeNotABackup, CodeBackupDamaged, CodeBackupTooNew, CodeBackupOtherDesktop, CodeDiskFull, CodeRestoreFailed,
	CodeNotAtriumServer, CodeServerUnreachable, CodeCertificateUntrusted, CodeCertificateChanged,
	CodeAlreadyConnected, CodeNotConnected, CodeDesktopOutdated, CodeServerOutdated, CodeInternal,
}

// Error is the only error shape that leaves the backend. Fields maps an input
// field (its JSON name) to a field error code such as "required".
type Error struct {
	Code    Code              `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	// RetryAfter is set on rate_limited errors: seconds to wait before trying again.
	RetryAfter int `json:"retryAfter,omitempty"`
	// Conflicts is set on a conflict refused field by field (see
	// FieldConflict): each field someone else changed since the caller read
	// it, with both values, so the person keeps one.
	Conflicts []FieldConflict `json:"conflicts,omitempty"`
}

// FieldConflict is one field of an edit refused because it was changed in
// the meantime: the caller read one value, someone else saved another
// (Theirs, the value stored now), and the caller sends a third (Mine).
type FieldConflict struct {
	Field  string `json:"field"`
	Mine   string `json:"mine"`
	Theirs string `json:"theirs"`
}

// EditConflict refuses an edit whose fields were changed since the caller
// read them. Each field also carries FieldChangedMeanwhile, so a form shows
// it under the field; nothing of the edit is applied.
func EditConflict(conflicts []FieldConflict) *Error {
	fields := map[string]string{}
	for _, c := range conflicts {
		fields[c.Field] = FieldChangedMeanwhile
	}
	return &Error{Code: CodeConflict, Message: "changed in the meantime", Fields: fields, Conflicts: conflicts}
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Fields)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf builds an Error of the given code.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of err, or CodeInternal for an error that is not ours.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// Public turns any error into the shape a door may show: our own errors keep
// their code and fields; anything else becomes a generic internal error so that
// no driver or Go text reaches a user.
func Public(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: CodeInternal, Message: "internal error"}
}

// FieldErrors collects field-level validation errors.
type FieldErrors map[string]string

// Add records code for field, keeping the first error found for a field.
func (f FieldErrors) Add(field, code string) {
	if _, ok := f[field]; !ok {
		f[field] = code
	}
}

// TooLong records that field is longer than max characters. The limit travels
// in the code ("too_long:100") so the console can say it; it is the only code
// that carries a number.
func (f FieldErrors) TooLong(field string, max int) {
	f.Add(field, FieldTooLong+":"+strconv.Itoa(max))
}

// Err returns a validation Error when any field failed, or nil.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: CodeValidation, Message: "invalid input", Fields: f}
}
