package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	qrcode "github.com/skip2/go-qrcode"
)

// TOTP settings (RFC 6238): 30-second steps, 6 digits, SHA-1, which every
// authenticator app understands. One step either side is accepted for clock drift.
const (
	TOTPPeriod = 30
	TOTPSkew   = 1
)

var totpOpts = totp.ValidateOpts{Period: TOTPPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// TOTPEnrollment is a new secret with what an authenticator app scans.
type TOTPEnrollment struct {
	Secret string // base32
	URL    string // otpauth:// URL
	QRCode string // data:image/png;base64,...
}

// NewTOTP generates a secret for the account named accountName.
func NewTOTP(issuer, accountName string) (TOTPEnrollment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: accountName, Period: TOTPPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return TOTPEnrollment{}, err
	}
	png, err := qrcode.Encode(key.URL(), qrcode.Medium, 256)
	if err != nil {
		return TOTPEnrollment{}, err
	}
	return TOTPEnrollment{Secret: key.Secret(), URL: key.URL(),
		QRCode: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)}, nil
}

// TOTPStep returns the time step of t.
func TOTPStep(t time.Time) int64 { return t.Unix() / TOTPPeriod }

// MatchTOTP returns the time step whose code equals code, within the allowed
// drift of now, or 0 when none does. Only steps after lastStep count, so a
// code already used (or an older one) is never accepted again.
func MatchTOTP(secret, code string, now time.Time, lastStep int64) int64 {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return 0
	}
	cur := TOTPStep(now)
	for step := cur - TOTPSkew; step <= cur+TOTPSkew; step++ {
		if step <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*TOTPPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step
		}
	}
	return 0
}

// TOTPCode computes the code of secret at t (tests and benchmarks use it).
func TOTPCode(secret string, t time.Time) string {
	c, _ := totp.GenerateCodeCustom(secret, t, totpOpts)
	return c
}

// recoveryAlphabet leaves out look-alike characters (0/o, 1/l/i).
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// NewRecoveryCodes returns n random codes shown as "xxxxx-xxxxx" (about 49 bits each).
func NewRecoveryCodes(n int) []string {
	out := make([]string, n)
	for i := range out {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			panic(err)
		}
		for j := range b {
			b[j] = recoveryAlphabet[int(b[j])%len(recoveryAlphabet)]
		}
		out[i] = string(b[:5]) + "-" + string(b[5:])
	}
	return out
}

// NormalizeRecoveryCode removes spaces and dashes and lower-cases a typed code.
func NormalizeRecoveryCode(code string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(code) {
		if r != ' ' && r != '-' {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// HashRecoveryCode is how a recovery code is stored: salted by its account.
// The codes carry enough randomness that one SHA-256 is enough.
func HashRecoveryCode(accountID, code string) string {
	sum := sha256.Sum256([]byte(accountID + ":" + NormalizeRecoveryCode(code)))
	return hex.EncodeToString(sum[:])
}
