package domain

import (
	"regexp"
	"strings"
)

// LaPosteSIREN is La Poste's SIREN. INSEE numbers its thousands of
// establishments so that the digit sum of the SIRET is a multiple of 5, because
// the 5-digit NIC ran out of Luhn-valid values; such SIRETs fail Luhn yet are real.
const LaPosteSIREN = "356000000"

// maxIDInput bounds what the identifier validators look at, so a pasted page
// of text costs nothing; no accepted form is anywhere near this long.
const maxIDInput = 64

// compact removes the separators users type inside identifiers: any Unicode
// white space (including the no-break spaces that come with copy and paste)
// and the extra runes given.
func compact(s, extra string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0' || r == '\u202f' ||
			strings.ContainsRune(extra, r) {
			return -1
		}
		return r
	}, s)
}

// upperASCII upper-cases a-z only: strings.ToUpper would fold runes such as
// 'ſ' or 'ı' into ASCII letters and let them through as valid identifiers.
func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// luhn reports whether a string of ASCII digits passes the Luhn check, which
// INSEE uses for both the SIREN and the SIRET.
func luhn(d string) bool {
	sum := 0
	for i := 0; i < len(d); i++ {
		v := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

func digitSum(d string) int {
	sum := 0
	for i := 0; i < len(d); i++ {
		sum += int(d[i] - '0')
	}
	return sum
}

// NormalizeSIREN accepts a SIREN typed with spaces or dots and returns its 9
// digits when they pass Luhn. All zeros passes Luhn but is never assigned.
func NormalizeSIREN(s string) (string, bool) {
	if len(s) > maxIDInput {
		return "", false
	}
	d := compact(s, ".")
	if !isDigits(d, 9) || !luhn(d) || d == "000000000" {
		return "", false
	}
	return d, true
}

// NormalizeSIRET accepts a SIRET typed with spaces or dots and returns its 14
// digits. The SIREN part must itself be valid (a real SIRET always starts with
// one); the whole then passes Luhn, or, for La Poste only, has a digit sum that
// is a multiple of 5. La Poste SIRETs that pass Luhn (its head office
// 356 000 000 00048 does) are accepted too.
func NormalizeSIRET(s string) (string, bool) {
	if len(s) > maxIDInput {
		return "", false
	}
	d := compact(s, ".")
	if !isDigits(d, 14) {
		return "", false
	}
	if _, ok := NormalizeSIREN(d[:9]); !ok {
		return "", false
	}
	if luhn(d) || (d[:9] == LaPosteSIREN && digitSum(d)%5 == 0) {
		return d, true
	}
	return "", false
}

// vatFormats is the shape of the part after the country prefix for each EU
// member state, as VIES publishes it ("What is the format of a VAT number?").
// Greece uses EL, not its ISO code GR. Northern Ireland's XI is not a member
// state and is left out.
var vatFormats = map[string]*regexp.Regexp{
	"AT": regexp.MustCompile(`^U\d{8}$`),
	"BE": regexp.MustCompile(`^[01]\d{9}$`),
	"BG": regexp.MustCompile(`^\d{9,10}$`),
	"CY": regexp.MustCompile(`^\d{8}[A-Z]$`),
	"CZ": regexp.MustCompile(`^\d{8,10}$`),
	"DE": regexp.MustCompile(`^\d{9}$`),
	"DK": regexp.MustCompile(`^\d{8}$`),
	"EE": regexp.MustCompile(`^\d{9}$`),
	"EL": regexp.MustCompile(`^\d{9}$`),
	// Spain: first and last may each be a letter or a digit, but not both digits.
	"ES": regexp.MustCompile(`^([A-Z]\d{7}[A-Z0-9]|\d{8}[A-Z])$`),
	"FI": regexp.MustCompile(`^\d{8}$`),
	// France: a 2-character key (digits, or letters other than I and O) + SIREN.
	"FR": regexp.MustCompile(`^[0-9A-HJ-NP-Z]{2}\d{9}$`),
	"HR": regexp.MustCompile(`^\d{11}$`),
	"HU": regexp.MustCompile(`^\d{8}$`),
	// Ireland: 1234567X, 1234567XX (since 2013) and the old 1X23456X.
	"IE": regexp.MustCompile(`^(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$`),
	"IT": regexp.MustCompile(`^\d{11}$`),
	"LT": regexp.MustCompile(`^(\d{9}|\d{12})$`),
	"LU": regexp.MustCompile(`^\d{8}$`),
	"LV": regexp.MustCompile(`^\d{11}$`),
	"MT": regexp.MustCompile(`^\d{8}$`),
	"NL": regexp.MustCompile(`^\d{9}B\d{2}$`),
	"PL": regexp.MustCompile(`^\d{10}$`),
	"PT": regexp.MustCompile(`^\d{9}$`),
	"RO": regexp.MustCompile(`^[1-9]\d{1,9}$`),
	"SE": regexp.MustCompile(`^\d{10}01$`),
	"SI": regexp.MustCompile(`^\d{8}$`),
	"SK": regexp.MustCompile(`^\d{10}$`),
}

// FrenchVATKey is the numeric key of a French VAT number for a SIREN:
// (12 + 3 × (SIREN mod 97)) mod 97. siren must be 9 ASCII digits.
func FrenchVATKey(siren string) int {
	n := 0
	for i := 0; i < len(siren); i++ {
		n = (n*10 + int(siren[i]-'0')) % 97
	}
	return (12 + 3*n) % 97
}

// NormalizeVAT upper-cases an intra-EU VAT number, removes the spaces, dots
// and dashes users type, and checks the country prefix and that country's
// format. For France a numeric key must match the SIREN, which must pass Luhn;
// letter keys (given to businesses without a SIREN) are checked for shape only.
func NormalizeVAT(s string) (string, bool) {
	if len(s) > maxIDInput {
		return "", false
	}
	v := upperASCII(compact(s, ".-"))
	if len(v) < 3 {
		return "", false
	}
	re, ok := vatFormats[v[:2]]
	if !ok || !re.MatchString(v[2:]) {
		return "", false
	}
	if v[:2] == "FR" && isDigits(v[2:4], 2) {
		siren := v[4:]
		key := int(v[2]-'0')*10 + int(v[3]-'0')
		if _, ok := NormalizeSIREN(siren); !ok || key != FrenchVATKey(siren) {
			return "", false
		}
	}
	return v, true
}

// VATSIREN returns the SIREN inside a valid French VAT number, or "" for any
// other input, so a caller can compare it with the SIRET's first 9 digits.
func VATSIREN(vat string) string {
	v, ok := NormalizeVAT(vat)
	if !ok || v[:2] != "FR" {
		return ""
	}
	return v[4:]
}

// CheckCompanyIDs validates an optional SIRET and an optional VAT number into
// errs (an empty value means "not given"; whether one is required is the
// caller's rule). When both are valid and the VAT is French, the VAT's SIREN
// must be the SIRET's: the error goes on the VAT field, the one more often
// mistyped since its SIREN is preceded by a computed key.
func CheckCompanyIDs(errs FieldErrors, siretField, vatField, siret, vat string) {
	var s string
	siretOK := false
	if strings.TrimSpace(siret) != "" {
		if s, siretOK = NormalizeSIRET(siret); !siretOK {
			// Fourteen digits that fail the check are a typing slip, not a
			// wrong format: the sentence says which.
			if len(siret) <= maxIDInput && isDigits(compact(siret, "."), 14) {
				errs.Add(siretField, FieldSIRETCheck)
			} else {
				errs.Add(siretField, FieldInvalidSIRET)
			}
		}
	}
	if strings.TrimSpace(vat) == "" {
		return
	}
	if _, ok := NormalizeVAT(vat); !ok {
		errs.Add(vatField, FieldInvalidVAT)
		return
	}
	if vs := VATSIREN(vat); siretOK && vs != "" && vs != s[:9] {
		errs.Add(vatField, FieldVATSIRENMismatch)
	}
}

// postalFormats are the countries whose postal code has a known shape. Each
// pattern applies to the code with its spaces (and, where noted, its
// separator) removed; postalLayout then puts the separator back.
var postalFormats = map[string]*regexp.Regexp{
	// France: départements 01–98 (97/98 are overseas and Monaco's 980xx).
	"FR": regexp.MustCompile(`^(0[1-9]|[1-8]\d|9[0-8])\d{3}$`),
	"MC": regexp.MustCompile(`^980\d{2}$`),
	"BE": regexp.MustCompile(`^[1-9]\d{3}$`),
	"CH": regexp.MustCompile(`^[1-9]\d{3}$`),
	"LU": regexp.MustCompile(`^\d{4}$`),
	"DE": regexp.MustCompile(`^\d{5}$`),
	// Spain: the first two digits are the province, 01–52.
	"ES": regexp.MustCompile(`^(0[1-9]|[1-4]\d|5[0-2])\d{3}$`),
	"IT": regexp.MustCompile(`^\d{5}$`),
	// Netherlands: 4 digits not starting with 0, 2 letters; SA, SD and SS are never issued.
	"NL": regexp.MustCompile(`^[1-9]\d{3}([A-RT-Z][A-Z]|S[BCE-RT-Z])$`),
	"PT": regexp.MustCompile(`^[1-9]\d{6}$`),
	// United Kingdom: outward code (area, district) + inward code, or the
	// Girobank's GIR 0AA. The general shape only, not the per-area letter rules.
	"GB": regexp.MustCompile(`^([A-Z]{1,2}\d[A-Z\d]?|GIR)\d[A-Z]{2}$`),
}

// otherPostal is the loose rule for countries without a known format: 1 to 10
// letters, digits, spaces or dashes, starting and ending with a letter or digit.
var otherPostal = regexp.MustCompile(`^[A-Z0-9]([A-Z0-9 -]{0,8}[A-Z0-9])?$`)

// NormalizePostalCode checks a postal code against its country's format and
// returns it in the country's usual written form ("75001", "1234 AB",
// "1234-567", "SW1A 1AA"). country is an ISO 3166-1 alpha-2 code.
func NormalizePostalCode(country, s string) (string, bool) {
	if len(s) > maxIDInput {
		return "", false
	}
	country = upperASCII(strings.TrimSpace(country))
	// Upper-case and collapse runs of white space, the form every rule starts from.
	p := upperASCII(strings.Join(strings.Fields(s), " "))
	re, known := postalFormats[country]
	if !known {
		if !otherPostal.MatchString(p) {
			return "", false
		}
		return p, true
	}
	c := compact(p, "")
	switch country {
	case "LU":
		// Luxembourg codes are often written with their "L-" prefix.
		c = strings.TrimPrefix(strings.TrimPrefix(c, "L-"), "L")
	case "PT":
		c = strings.Replace(c, "-", "", 1)
	}
	if !re.MatchString(c) {
		return "", false
	}
	switch country {
	case "NL":
		return c[:4] + " " + c[4:], true
	case "PT":
		return c[:4] + "-" + c[4:], true
	case "GB":
		return c[:len(c)-3] + " " + c[len(c)-3:], true
	}
	return c, true
}
