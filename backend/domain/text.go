package domain

import (
	"unicode"
	"unicode/utf8"
)

// TextKind says which characters a text field may hold. An operation's input
// names it with the `text` struct tag of the field; a field without the tag
// is one line of text shown to people (a name, an address, an ID, a search).
type TextKind string

const (
	// TextLine is the default: printable characters on one line.
	TextLine TextKind = ""
	// TextMultiline (`text:"multiline"`) also keeps line breaks (\n, \r\n).
	TextMultiline TextKind = "multiline"
	// TextSecret (`text:"secret"`, passwords) is never shown, so it may hold
	// any printable character, invisible or bidirectional ones included:
	// refusing a character someone put in their password yesterday would
	// lock them out today. Control characters are still refused: none can
	// be typed in a password field, and NUL cannot be stored.
	TextSecret TextKind = "secret"
)

// ParseTextKind reads a `text` struct tag; ok is false for an unknown one.
func ParseTextKind(tag string) (kind TextKind, ok bool) {
	switch k := TextKind(tag); k {
	case TextLine, TextMultiline, TextSecret:
		return k, true
	}
	return "", false
}

// ValidText reports whether s may be stored in a field of the given kind.
//
// Every kind refuses text that is not UTF-8 and the C0 and C1 control
// characters (NUL, tab, escape, delete…), but for the line breaks of a
// multi-line text. Shown texts (lines and multi-line) also refuse the
// bidirectional embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069), which let a name display in another order than it is
// stored ("gnp.exe" shown as "exe.png"), the line and paragraph separators,
// and a text made of invisible characters only (zero-width spaces and
// joiners, word joiner, byte order mark, fillers): it would look empty yet
// pass as given. Blank text (spaces only) is left to each field's own
// "required" rule, which trims it.
func ValidText(s string, kind TextKind) bool {
	if !utf8.ValidString(s) {
		return false
	}
	shown := kind != TextSecret
	hidden, seen := false, false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\n' && kind == TextMultiline:
			continue
		case r == '\r' && kind == TextMultiline && i < len(s) && s[i] == '\n':
			continue
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			return false
		case !shown:
			continue
		case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x2028 || r == 0x2029:
			return false
		case invisible(r):
			hidden = true
		case !unicode.IsSpace(r):
			seen = true
		}
	}
	return seen || !hidden
}

// invisible reports characters that show nothing on their own: format
// characters (zero-width space, joiners, word joiner, byte order mark, soft
// hyphen…), the other default-ignorable ones (Hangul fillers, combining
// grapheme joiner), variation selectors and the blank braille pattern, a
// favourite of "empty" names.
func invisible(r rune) bool {
	return r == 0x2800 || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) ||
		unicode.Is(unicode.Variation_Selector, r)
}
