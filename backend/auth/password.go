// Package auth holds Atrium's credentials: argon2id password hashes and random
// session tokens stored only as hashes.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"

	"atrium/backend/domain"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
	SaltLen int
}

// OWASP is the recommended argon2id setting: 19 MiB, 2 iterations, 1 thread.
var OWASP = Params{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}

var b64 = base64.RawStdEncoding

// Each argon2id run holds its Memory (19 MiB with OWASP) until it ends, so
// runs at once are bounded: one per usable core (more would only queue for
// the processor while holding their memory). Password work then never has
// more than slots × Memory live, whatever the number of sign-ins at once (the
// heap may grow to about twice that between collections). A run waits a
// moment for a slot; beyond that it is refused with rate_limited and a short
// retry-after, which the caller answers. Every hash and check goes through
// idKey, so no caller can go around the bound.
var work atomic.Pointer[bound]

// slotWait is how long a run waits for a slot: a few runs' time, so a
// burst of people signing in together mostly goes through.
const slotWait = time.Second

func init() { work.Store(newBound(runtime.GOMAXPROCS(0), slotWait)) }

type bound struct {
	slots chan struct{}
	wait  time.Duration
}

func newBound(slots int, wait time.Duration) *bound {
	return &bound{slots: make(chan struct{}, max(slots, 0)), wait: wait}
}

func (b *bound) acquire() bool {
	select {
	case b.slots <- struct{}{}:
		return true
	default:
	}
	if b.wait <= 0 {
		return false
	}
	t := time.NewTimer(b.wait)
	defer t.Stop()
	select {
	case b.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	}
}

// SetConcurrency replaces the bound on argon2id runs at once (slots, and the
// wait for one) and returns what puts the previous one back. Tests use it;
// zero slots refuses every run, as a saturated server would.
func SetConcurrency(slots int, wait time.Duration) (restore func()) {
	prev := work.Swap(newBound(slots, wait))
	return func() { work.Store(prev) }
}

// inSlot, when set by a test, runs while a caller holds a slot.
var inSlot func()

func errBusy() error {
	return &domain.Error{Code: domain.CodeRateLimited, Message: "too many passwords being checked at once, try again in a moment", RetryAfter: 1}
}

// idKey is argon2id within the bound.
func idKey(password, salt []byte, iterations, memory uint32, threads uint8, keyLen uint32) ([]byte, error) {
	b := work.Load()
	if !b.acquire() {
		return nil, errBusy()
	}
	defer func() { <-b.slots }()
	if inSlot != nil {
		inSlot()
	}
	return argon2.IDKey(password, salt, iterations, memory, threads, keyLen), nil
}

// HashPassword returns the PHC string of password under p. When too many
// runs are already going, it answers a rate_limited *domain.Error.
func HashPassword(password string, p Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := idKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	if err != nil {
		return "", err
	}
	return encode(p, salt, key), nil
}

// UnusableHash is a PHC string under p that no password matches (its key is
// random): checking a password against it costs what checking a real hash
// costs, without hashing anything to make it.
func UnusableHash(p Params) string {
	salt, key := make([]byte, p.SaltLen), make([]byte, p.KeyLen)
	if _, err := rand.Read(salt); err != nil {
		panic(err) // the system's random source failing is not recoverable
	}
	if _, err := rand.Read(key); err != nil {
		panic(err)
	}
	return encode(p, salt, key)
}

func encode(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

var errBadHash = errors.New("auth: malformed password hash")

// VerifyPassword reports whether password matches the PHC string, in time that
// does not depend on where they differ. When too many runs are already going,
// it answers a rate_limited *domain.Error.
func VerifyPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	var p Params
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, errBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, errBadHash
	}
	got, err := idKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// NewToken returns a random bearer token and the hash to store in its place.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source failing is not recoverable
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is how a token is stored and looked up: tokens carry 256 random
// bits, so one SHA-256 is enough and keeps each request cheap.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
