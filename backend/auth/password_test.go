package auth

import (
	"strings"
	"testing"
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
