package service

import (
	"context"
	"crypto/rand"
	"math/big"
	"strings"
	"time"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// The secrets of mailed links and codes, shared by recovery, invitations and
// deletion, and the one way a link or code typed back is resolved.
//
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

// resolveToken finds the live token of a link or code of a kind, with a
// clear answer for expired, used and unknown ones. Typed codes are
// throttled per source.
func resolveToken(ctx context.Context, s *Auth, kind, token, code string) (store.MailToken, error) {
	field := "token"
	tokenHash, codeHash := "", ""
	switch {
	case strings.TrimSpace(token) != "":
		tokenHash = auth.HashToken(strings.TrimSpace(token))
	case strings.TrimSpace(code) != "":
		field, codeHash = "code", hashShortCode(code)
		if err := s.throttle(ctx, throttleKey{ruleMailCodeSource, sourceOf(domain.DeviceFrom(ctx))}); err != nil {
			return store.MailToken{}, err
		}
	default:
		return store.MailToken{}, domain.FieldErrors{"code": domain.FieldRequired}.Err()
	}
	t, err := s.Store.TokenByHash(ctx, kind, tokenHash, codeHash)
	switch {
	case domain.CodeOf(err) == domain.CodeNotFound:
		return t, domain.FieldErrors{field: fieldLinkInvalid}.Err()
	case err != nil:
		return t, err
	case t.UsedAt != nil:
		return t, domain.FieldErrors{field: fieldLinkUsed}.Err()
	case !s.now().Before(t.ExpiresAt):
		return t, domain.FieldErrors{field: fieldLinkExpired}.Err()
	}
	return t, nil
}

// spendToken uses a mailed link's or code's token once, in the caller's
// transaction: a second use, even one racing the first, is refused on field
// with code.
func spendToken(ctx context.Context, st *store.Store, tokenID string, now time.Time, field, code string) error {
	used, err := st.UseToken(ctx, tokenID, now)
	if err != nil {
		return err
	}
	if !used {
		return domain.FieldErrors{field: code}.Err()
	}
	return nil
}
