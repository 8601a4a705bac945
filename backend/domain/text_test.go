package domain

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidText(t *testing.T) {
	cases := []struct {
		name                    string
		s                       string
		line, multiline, secret bool
	}{
		{"empty", "", true, true, true},
		{"plain", "Société Générale d'Études", true, true, true},
		{"spaces only (left to required)", "   ", true, true, true},
		{"non-breaking spaces only (left to required)", "\u00a0\u3000", true, true, true},
		{"emoji with joiners", "👩\u200d💻 Léa", true, true, true},
		{"Persian with a non-joiner", "می\u200cخواهم", true, true, true},
		{"Arabic with a right-to-left mark", "شركة\u200f", true, true, true},
		{"punctuation of a password", `p@ss "w0rd" \ ~ {é}`, true, true, true},
		{"NUL", "\x00", false, false, false},
		{"NUL inside", "Anne\x00Martin", false, false, false},
		{"escape", "a\x1bb", false, false, false},
		{"delete", "a\x7fb", false, false, false},
		{"C1 control", "a\u0085b", false, false, false},
		{"tab", "a\tb", false, false, false},
		{"line break", "ligne 1\nligne 2", false, true, false},
		{"Windows line break", "ligne 1\r\nligne 2", false, true, false},
		{"lone carriage return", "ligne 1\rligne 2", false, false, false},
		{"line separator", "a\u2028b", false, false, true},
		{"paragraph separator", "a\u2029b", false, false, true},
		{"right-to-left override", "\u202egnp.exe", false, false, true},
		{"left-to-right embedding", "a\u202ab", false, false, true},
		{"pop directional formatting", "a\u202cb", false, false, true},
		{"first strong isolate", "a\u2068b\u2069", false, false, true},
		{"zero-width space alone", "\u200b", false, false, true},
		{"zero-width characters only", "\u200b\u200c\u200d\u2060\ufeff", false, false, true},
		{"zero-width among spaces", " \u200b ", false, false, true},
		{"Hangul filler alone", "\u3164", false, false, true},
		{"braille blank alone", "\u2800\u2800", false, false, true},
		{"variation selector alone", "\ufe0f", false, false, true},
		{"soft hyphen alone", "\u00ad", false, false, true},
		{"zero-width inside a word", "An\u200bne", true, true, true},
		{"invalid UTF-8", "caf\xe9", false, false, false},
	}
	for _, c := range cases {
		for kind, want := range map[TextKind]bool{TextLine: c.line, TextMultiline: c.multiline, TextSecret: c.secret} {
			if got := ValidText(c.s, kind); got != want {
				t.Errorf("%s (%q) as %q: got %v, want %v", c.name, c.s, kind, got, want)
			}
		}
	}
}

func TestParseTextKind(t *testing.T) {
	for tag, want := range map[string]TextKind{"": TextLine, "multiline": TextMultiline, "secret": TextSecret} {
		if got, ok := ParseTextKind(tag); !ok || got != want {
			t.Errorf("%q: got %q %v", tag, got, ok)
		}
	}
	for _, tag := range []string{"multi-line", "Secret", "line,secret"} {
		if _, ok := ParseTextKind(tag); ok {
			t.Errorf("%q accepted", tag)
		}
	}
}

// FuzzValidText checks the rule against its plain statement, character by
// character: whatever ValidText accepts holds no control character (but the
// line breaks of a multi-line text), and a shown text no bidirectional
// control.
func FuzzValidText(f *testing.F) {
	for _, s := range []string{"", "Anne", "\x00", "a\r\nb", "\u202e", "\u200b", " \u200b", "caf\xe9", "👩\u200d💻"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, kind := range []TextKind{TextLine, TextMultiline, TextSecret} {
			if !ValidText(s, kind) {
				continue
			}
			if !utf8.ValidString(s) {
				t.Fatalf("%q accepted as %q: not UTF-8", s, kind)
			}
			rest := s
			if kind == TextMultiline {
				rest = strings.ReplaceAll(strings.ReplaceAll(rest, "\r\n", ""), "\n", "")
			}
			for _, r := range rest {
				if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
					t.Fatalf("%q accepted as %q: control character %U", s, kind, r)
				}
				if kind != TextSecret && ((r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)) {
					t.Fatalf("%q accepted as %q: bidirectional control %U", s, kind, r)
				}
			}
		}
	})
}
