package domain

import (
	"strings"
	"unicode/utf8"
)

// Password policy (SPEC A3): long enough, not a well-known password, not the email.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// commonPasswords holds well-known passwords long enough to pass the length rule.
// They supplement the breached-password list given to CheckPassword.
var commonPasswords = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`
		123456789012 1234567890123 12345678901234 111111111111 000000000000 123123123123
		password1234 password12345 passwordpassword motdepasse123 motdepasse1234 azertyuiop12
		azertyuiop123 azertyuiopqsdf qwertyuiop12 qwertyuiop123 qwertyuiopasdf iloveyou1234
		jetaime123456 soleil123456 bonjour123456 administrator admin1234567 welcome12345
		changeme1234 letmein12345 abcdefghijkl abc123abc123 1q2w3e4r5t6y 1qaz2wsx3edc
		passw0rd1234 superman1234 football1234 baseball1234 marseille1234 atrium123456`) {
		commonPasswords[p] = true
	}
}

// CheckPassword validates a new password for the account with the given
// email. isCommon, when given, looks the password up in the breached-password
// list (auth.CommonPasswords); domain itself stays free of I/O.
func CheckPassword(errs FieldErrors, field, password, email string, isCommon func(string) bool) {
	n := utf8.RuneCountInString(password)
	lower := strings.ToLower(password)
	switch {
	case password == "":
		errs.Add(field, FieldRequired)
	case n < MinPasswordLen:
		errs.Add(field, FieldPasswordTooShort)
	case n > MaxPasswordLen:
		errs.TooLong(field, MaxPasswordLen)
	case commonPasswords[lower] || (isCommon != nil && isCommon(lower)):
		errs.Add(field, FieldPasswordTooCommon)
	case email != "" && (lower == email || lower == localPart(email)):
		errs.Add(field, FieldPasswordLikeEmail)
	}
}

func localPart(email string) string {
	if i := strings.LastIndex(email, "@"); i > 0 {
		return email[:i]
	}
	return email
}
