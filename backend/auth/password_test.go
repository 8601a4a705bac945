package auth

import (
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"atrium/backend/domain"
)

var fast = Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("unexpected encoding %q", h)
	}
	if ok, err := VerifyPassword(h, "correct horse battery"); !ok || err != nil {
		t.Fatalf("right password refused: %v %v", ok, err)
	}
	if ok, _ := VerifyPassword(h, "correct horse batterY"); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := HashPassword("correct horse battery", fast)
	if h2 == h {
		t.Fatal("salt not random")
	}
	if _, err := VerifyPassword("$argon2id$garbage", "x"); err == nil {
		t.Fatal("malformed hash accepted")
	}
}

func TestOWASPEncoding(t *testing.T) {
	h, err := HashPassword("x", OWASP)
	if err != nil || !strings.Contains(h, "$m=19456,t=2,p=1$") {
		t.Fatalf("OWASP params not applied: %q %v", h, err)
	}
}

func TestTokens(t *testing.T) {
	a, ha := NewToken()
	b, _ := NewToken()
	if a == b || len(a) < 40 || HashToken(a) != ha || ha == a {
		t.Fatalf("tokens: %q %q %q", a, b, ha)
	}
}

func BenchmarkVerifyOWASP(b *testing.B) {
	h, _ := HashPassword("correct horse battery", OWASP)
	for b.Loop() {
		VerifyPassword(h, "correct horse battery")
	}
}

// More password work at once than there are slots: exactly `slots` run, and
// the others are refused with rate_limited while the slots are still taken
// (they do not queue until one frees up).
func TestPasswordWorkIsBounded(t *testing.T) {
	const slots, callers = 3, 12
	defer SetConcurrency(slots, 10*time.Millisecond)()
	h, err := HashPassword("correct horse battery", fast)
	if err != nil {
		t.Fatal(err)
	}
	var running, peak, entered atomic.Int32
	release := make(chan struct{})
	inSlot = func() {
		entered.Add(1)
		n := running.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		<-release
		running.Add(-1)
	}
	defer func() { inSlot = nil }()
	results := make(chan error, callers)
	for i := 0; i < callers; i++ {
		go func(i int) {
			var err error
			if i%2 == 0 {
				_, err = VerifyPassword(h, "correct horse battery")
			} else {
				_, err = HashPassword("another one", fast)
			}
			results <- err
		}(i)
	}
	for i := 0; i < callers-slots; i++ {
		select {
		case err := <-results:
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.CodeRateLimited || de.RetryAfter < 1 {
				t.Fatalf("an excess caller got %v, want rate_limited with a retry-after", err)
			}
		case <-time.After(5 * time.Second): // a guard against a hang, not a measure
			t.Fatalf("only %d of the %d excess callers were refused while %d ran (%d entered)", i, callers-slots, running.Load(), entered.Load())
		}
	}
	close(release)
	for i := 0; i < slots; i++ {
		if err := <-results; err != nil {
			t.Errorf("a caller holding a slot failed: %v", err)
		}
	}
	if entered.Load() != slots || peak.Load() != slots {
		t.Fatalf("%d ran, at most %d at once; want %d", entered.Load(), peak.Load(), slots)
	}
	// The slots are given back.
	if ok, err := VerifyPassword(h, "correct horse battery"); !ok || err != nil {
		t.Fatalf("after the burst: %v %v", ok, err)
	}
}

func TestPasswordWorkDefaultSlots(t *testing.T) {
	if n := cap(work.Load().slots); n != runtime.GOMAXPROCS(0) {
		t.Fatalf("%d slots, want one per usable core (%d)", n, runtime.GOMAXPROCS(0))
	}
}

func TestUnusableHash(t *testing.T) {
	h := UnusableHash(fast)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") || h == UnusableHash(fast) {
		t.Fatalf("unusable hash %q", h)
	}
	if ok, err := VerifyPassword(h, "atrium-no-such-account"); ok || err != nil {
		t.Fatalf("an unusable hash matched: %v %v", ok, err)
	}
}
