package domain

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The examples below were checked with an independent Luhn computation:
// SIREN 732829320 passes Luhn and its French VAT key is 44; SIRET
// 732 829 320 00074 passes Luhn. La Poste's head office SIRET 35600000000048
// passes plain Luhn (its digit sum, 26, is not a multiple of 5), while
// 35600000000010 fails Luhn and is valid only through the La Poste rule (sum 15).

func TestNormalizeSIREN(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"732829320", "732829320", true},
		{"732 829 320", "732829320", true},
		{"732.829.320", "732829320", true},
		{" 732\u00a0829\u202f320 ", "732829320", true}, // pasted no-break spaces
		{"356000000", "356000000", true},               // La Poste itself passes Luhn
		{"552100554", "552100554", true},
		{"732829321", "", false},  // checksum
		{"123456789", "", false},  // checksum
		{"73282932", "", false},   // 8 digits
		{"7328293200", "", false}, // 10 digits
		{"73282932O", "", false},  // letter O for zero
		{"732-829-320", "", false},
		{"000000000", "", false}, // passes Luhn, never assigned
		{"", "", false},
		{"٧٣٢٨٢٩٣٢٠", "", false}, // Arabic-Indic digits are not digits here
	}
	for _, c := range cases {
		got, ok := NormalizeSIREN(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("NormalizeSIREN(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestNormalizeSIRET(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"73282932000074", "73282932000074", true},
		{"732 829 320 00074", "73282932000074", true},
		{"732.829.320.00074", "73282932000074", true},
		{"55210055400013", "55210055400013", true},
		{"35600000000048", "35600000000048", true},    // La Poste head office: plain Luhn
		{"356 000 000 00010", "35600000000010", true}, // La Poste: fails Luhn, digit sum 15
		{"35600000000015", "35600000000015", true},
		{"35600000049837", "35600000049837", true}, // digit sum 45
		{"35600000000011", "", false},              // La Poste: neither Luhn nor sum % 5
		{"73282932000075", "", false},              // checksum
		{"73282932000010", "", false},              // sum % 5 == 0 but not La Poste
		{"7328293200007", "", false},               // 13 digits
		{"732829320000740", "", false},             // 15 digits
		{"7328293200007A", "", false},
		{"732-829-320-00074", "", false},
		{"", "", false},
		// 14 digits passing Luhn whose first 9 do not: no real SIRET looks like this.
		{"73282932100007", "", false},
		{"00000000000000", "", false},
	}
	for _, c := range cases {
		got, ok := NormalizeSIRET(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("NormalizeSIRET(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	// Guard the premises of the cases above, so a wrong example cannot pass silently.
	if !luhn("73282932100007") || luhn("732829321") {
		t.Error("73282932100007 should pass Luhn over 14 digits but not over its SIREN")
	}
	if !luhn("35600000000048") || digitSum("35600000000048")%5 == 0 {
		t.Error("La Poste head office should pass Luhn, not the sum rule")
	}
	if luhn("35600000000010") || luhn("35600000049837") {
		t.Error("La Poste sum-rule examples should fail Luhn")
	}
}

func TestFrenchVATKey(t *testing.T) {
	for siren, key := range map[string]int{
		"732829320": 44, // (12 + 3 × (732829320 mod 97 = 43)) mod 97 = 141 mod 97
		"356000000": 39,
		"552100554": 96,
		"443061841": 64,
		"000000000": 12,
	} {
		if got := FrenchVATKey(siren); got != key {
			t.Errorf("FrenchVATKey(%s) = %d, want %d", siren, got, key)
		}
	}
}

func TestNormalizeVAT(t *testing.T) {
	valid := []struct{ in, want string }{
		{"FR44732829320", "FR44732829320"},
		{"fr 44 732 829 320", "FR44732829320"},
		{"FR44.732.829.320", "FR44732829320"},
		{"FR-44-732829320", "FR44732829320"},
		{"FR39356000000", "FR39356000000"},
		{"FR96552100554", "FR96552100554"},
		{"FRXA732829320", "FRXA732829320"}, // letter keys: shape only
		{"FR4A123456789", "FR4A123456789"},
		{"ATU12345678", "ATU12345678"},
		{"BE0123456789", "BE0123456789"},
		{"BE1234567890", "BE1234567890"},
		{"BG123456789", "BG123456789"},
		{"BG1234567890", "BG1234567890"},
		{"CY12345678X", "CY12345678X"},
		{"CZ12345678", "CZ12345678"},
		{"CZ1234567890", "CZ1234567890"},
		{"DE123456789", "DE123456789"},
		{"DK12 34 56 78", "DK12345678"},
		{"EE123456789", "EE123456789"},
		{"EL123456789", "EL123456789"},
		{"ESX1234567X", "ESX1234567X"},
		{"ESA12345678", "ESA12345678"},
		{"ES12345678Z", "ES12345678Z"},
		{"FI12345678", "FI12345678"},
		{"HR12345678901", "HR12345678901"},
		{"HU12345678", "HU12345678"},
		{"IE1234567T", "IE1234567T"},
		{"IE1234567WA", "IE1234567WA"},
		{"IE1A23456T", "IE1A23456T"},
		{"IE1+23456T", "IE1+23456T"},
		{"IT12345678901", "IT12345678901"},
		{"LT123456789", "LT123456789"},
		{"LT123456789012", "LT123456789012"},
		{"LU12345678", "LU12345678"},
		{"LV12345678901", "LV12345678901"},
		{"MT12345678", "MT12345678"},
		{"NL123456789B01", "NL123456789B01"},
		{"nl123456789b01", "NL123456789B01"},
		{"PL1234567890", "PL1234567890"},
		{"PT123456789", "PT123456789"},
		{"RO12", "RO12"},
		{"RO1234567890", "RO1234567890"},
		{"SE123456789001", "SE123456789001"},
		{"SI12345678", "SI12345678"},
		{"SK1234567890", "SK1234567890"},
	}
	for _, c := range valid {
		got, ok := NormalizeVAT(c.in)
		if got != c.want || !ok {
			t.Errorf("NormalizeVAT(%q) = %q, %v; want %q, true", c.in, got, ok, c.want)
		}
	}
	seen := map[string]bool{}
	for _, c := range valid {
		seen[c.want[:2]] = true
	}
	if len(seen) != 27 || len(vatFormats) != 27 {
		t.Errorf("member states covered: %d by the cases, %d by the rules; want 27", len(seen), len(vatFormats))
	}
	for _, in := range []string{
		"FR45732829320", // wrong key for the SIREN
		"FR00732829320",
		"FR44732829321", // SIREN fails Luhn (key recomputed would not help)
		"FR47732829321", // right key for 732829321, but that SIREN fails Luhn
		"FRIO732829320", // I and O are never keys
		"FR4473282932",  // 8-digit SIREN
		"FR44 732 829 320 1",
		"GR123456789", // Greece is EL in VIES
		"XI123456789", // Northern Ireland: not a member state
		"GB123456789", // no longer in the EU
		"US123456789",
		"ATU1234567",
		"AT12345678",
		"BE2123456789",
		"BE123456789", // old 9-digit form
		"CY123456789",
		"CZ1234567",
		"DE12345678",
		"ES123456789", // both ends digits
		"ESX12345678X",
		"IE1234567Z",
		"NL123456789A01",
		"NL12345678B01",
		"RO0123",
		"RO1",
		"SE123456789012",
		"SK123456789",
		"", "FR", "F", "12345678901",
		"FR44\u0130732829320",
	} {
		if got, ok := NormalizeVAT(in); ok || got != "" {
			t.Errorf("NormalizeVAT(%q) = %q, %v; want invalid", in, got, ok)
		}
	}
}

func TestVATSIREN(t *testing.T) {
	for in, want := range map[string]string{
		"FR 44 732 829 320": "732829320",
		"FRXA732829320":     "732829320",
		"FR45732829320":     "", // invalid
		"DE123456789":       "",
		"":                  "",
	} {
		if got := VATSIREN(in); got != want {
			t.Errorf("VATSIREN(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckCompanyIDs(t *testing.T) {
	cases := []struct {
		name, siret, vat string
		want             FieldErrors
	}{
		{"both valid and matching", "732 829 320 00074", "FR44732829320", FieldErrors{}},
		{"neither given", "", " ", FieldErrors{}},
		{"only SIRET", "73282932000074", "", FieldErrors{}},
		{"only VAT", "", "FR44732829320", FieldErrors{}},
		{"foreign VAT with a SIRET", "73282932000074", "DE123456789", FieldErrors{}},
		{"La Poste", "35600000000010", "FR39356000000", FieldErrors{}},
		{"SIRET failing its check digit", "73282932000075", "FR44732829320",
			FieldErrors{"siret": FieldSIRETCheck}},
		{"SIRET of 13 digits", "7328293200007", "",
			FieldErrors{"siret": FieldInvalidSIRET}},
		{"SIRET with a letter", "7328293200007A", "",
			FieldErrors{"siret": FieldInvalidSIRET}},
		{"invalid VAT", "73282932000074", "FR45732829320",
			FieldErrors{"vat": FieldInvalidVAT}},
		{"both invalid", "1", "2",
			FieldErrors{"siret": FieldInvalidSIRET, "vat": FieldInvalidVAT}},
		{"VAT of another company", "55210055400013", "FR44732829320",
			FieldErrors{"vat": FieldVATSIRENMismatch}},
		{"letter key, other SIREN", "55210055400013", "FRXA732829320",
			FieldErrors{"vat": FieldVATSIRENMismatch}},
	}
	for _, c := range cases {
		errs := FieldErrors{}
		CheckCompanyIDs(errs, "siret", "vat", c.siret, c.vat)
		if len(errs) != len(c.want) {
			t.Errorf("%s: got %v, want %v", c.name, errs, c.want)
			continue
		}
		for k, v := range c.want {
			if errs[k] != v {
				t.Errorf("%s: got %v, want %v", c.name, errs, c.want)
			}
		}
	}
}

func TestNormalizePostalCode(t *testing.T) {
	cases := []struct {
		country, in, want string
		ok                bool
	}{
		{"FR", "75001", "75001", true},
		{"FR", "75 001", "75001", true},
		{"fr", " 13008 ", "13008", true},
		{"FR", "97400", "97400", true}, // La Réunion
		{"FR", "2A004", "", false},     // Corsica's 2A is an INSEE code, not a postal code
		{"FR", "00100", "", false},
		{"FR", "99000", "", false},
		{"FR", "7500", "", false},
		{"FR", "750011", "", false},
		{"FR", "75.001", "", false},
		{"MC", "98000", "98000", true},
		{"MC", "06000", "", false},
		{"BE", "1000", "1000", true},
		{"BE", "0999", "", false},
		{"BE", "10000", "", false},
		{"LU", "1234", "1234", true},
		{"LU", "L-1234", "1234", true},
		{"LU", "l 1234", "1234", true},
		{"LU", "12345", "", false},
		{"DE", "10115", "10115", true},
		{"DE", "01067", "01067", true},
		{"DE", "1011", "", false},
		{"ES", "28013", "28013", true},
		{"ES", "52001", "52001", true},
		{"ES", "53001", "", false},
		{"ES", "00001", "", false},
		{"IT", "00184", "00184", true},
		{"IT", "0018", "", false},
		{"NL", "1234 AB", "1234 AB", true},
		{"NL", "1234ab", "1234 AB", true},
		{"NL", "1234  ab", "1234 AB", true},
		{"NL", "1234 SA", "", false},
		{"NL", "1234 SS", "", false},
		{"NL", "1234 SB", "1234 SB", true},
		{"NL", "0234 AB", "", false},
		{"NL", "1234", "", false},
		{"PT", "1234-567", "1234-567", true},
		{"PT", "1234 567", "1234-567", true},
		{"PT", "1234567", "1234-567", true},
		{"PT", "1234", "", false},
		{"PT", "0234-567", "", false},
		{"PT", "1234--567", "", false},
		{"CH", "8001", "8001", true},
		{"CH", "0800", "", false},
		{"GB", "SW1A 1AA", "SW1A 1AA", true},
		{"GB", "sw1a1aa", "SW1A 1AA", true},
		{"GB", "M1 1AE", "M1 1AE", true},
		{"GB", "B33 8TH", "B33 8TH", true},
		{"GB", "CR2 6XH", "CR2 6XH", true},
		{"GB", "DN55 1PT", "DN55 1PT", true},
		{"GB", "EC1A 1BB", "EC1A 1BB", true},
		{"GB", "GIR 0AA", "GIR 0AA", true},
		{"GB", "SW1A", "", false},
		{"GB", "1AA SW1", "", false},
		{"US", "94105-1234", "94105-1234", true}, // no rule: loose shape
		{"JP", "100 0001", "100 0001", true},
		{"CA", "k1a 0b1", "K1A 0B1", true},
		{"", "ab-12", "AB-12", true},
		{"US", "12345678901", "", false}, // 11 chars
		{"US", "-123", "", false},
		{"US", "12_34", "", false},
		{"US", "", "", false},
		{"US", "   ", "", false},
		{"US", "12345é", "", false},
	}
	for _, c := range cases {
		got, ok := NormalizePostalCode(c.country, c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("NormalizePostalCode(%q, %q) = %q, %v; want %q, %v",
				c.country, c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestValidCountry(t *testing.T) {
	if len(Countries) != 249 || len(countrySet) != 249 {
		t.Errorf("%d codes (%d distinct), want 249", len(Countries), len(countrySet))
	}
	for code, ok := range map[string]bool{
		"FR": true, "MC": true, "GB": true, "DE": true, "AX": true, "SS": true, "BQ": true,
		"fr": false, "UK": false, "EL": false, "XK": false, "EU": false, "": false, "FRA": false,
	} {
		if ValidCountry(code) != ok {
			t.Errorf("ValidCountry(%q) = %v, want %v", code, !ok, ok)
		}
	}
	// Every EU VAT prefix is a country, except Greece's EL whose ISO code is GR.
	for p := range vatFormats {
		if p != "EL" && !ValidCountry(p) {
			t.Errorf("VAT prefix %s is not an ISO country", p)
		}
	}
	for p := range postalFormats {
		if !ValidCountry(p) {
			t.Errorf("postal rule for unknown country %s", p)
		}
	}
}

// The fuzz targets check properties that hold for every input, not specific
// answers: no panic, a normalised value is a fixed point, and what a valid
// value is made of.

func FuzzNormalizeSIRET(f *testing.F) {
	for _, s := range []string{"73282932000074", "732 829 320 00074", "35600000000048",
		"35600000000010", "73282932100007", "", "7.3.2", "\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := NormalizeSIRET(s)
		if !ok {
			if got != "" {
				t.Fatalf("invalid %q returned %q", s, got)
			}
			return
		}
		if !isDigits(got, 14) {
			t.Fatalf("%q normalised to non-SIRET %q", s, got)
		}
		if again, ok := NormalizeSIRET(got); !ok || again != got {
			t.Fatalf("%q -> %q -> %q, %v", s, got, again, ok)
		}
		siren, ok := NormalizeSIREN(got[:9])
		if !ok || siren != got[:9] {
			t.Fatalf("valid SIRET %q has invalid SIREN", got)
		}
		if got[:9] != LaPosteSIREN && !luhn(got) {
			t.Fatalf("non-La Poste SIRET %q fails Luhn", got)
		}
		// A French VAT built from the SIREN with its key must be valid and match.
		vat := "FR" + twoDigits(FrenchVATKey(siren)) + siren
		if v, ok := NormalizeVAT(vat); !ok || v != vat || VATSIREN(vat) != siren {
			t.Fatalf("VAT %q built from valid SIRET %q rejected", vat, got)
		}
		errs := FieldErrors{}
		CheckCompanyIDs(errs, "siret", "vat", s, vat)
		if len(errs) != 0 {
			t.Fatalf("CheckCompanyIDs(%q, %q) = %v", s, vat, errs)
		}
	})
}

func FuzzNormalizeVAT(f *testing.F) {
	for _, s := range []string{"FR44732829320", "fr 44.732-829-320", "FRXA732829320", "ESX1234567X",
		"IE1+23456T", "NL123456789B01", "EL123456789", "RO12", "", "FR", "ſE123456789001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := NormalizeVAT(s)
		if !ok {
			if got != "" {
				t.Fatalf("invalid %q returned %q", s, got)
			}
			if VATSIREN(s) != "" {
				t.Fatalf("VATSIREN of invalid %q is not empty", s)
			}
			return
		}
		if again, ok := NormalizeVAT(got); !ok || again != got {
			t.Fatalf("%q -> %q -> %q, %v", s, got, again, ok)
		}
		if got != upperASCII(got) || strings.ContainsAny(got, " .-") {
			t.Fatalf("%q normalised to %q, not upper-case and compact", s, got)
		}
		if _, member := vatFormats[got[:2]]; !member {
			t.Fatalf("%q accepted with prefix %q", s, got[:2])
		}
		siren := VATSIREN(s)
		if (siren != "") != (got[:2] == "FR") {
			t.Fatalf("VATSIREN(%q) = %q for %q", s, siren, got)
		}
		if got[:2] == "FR" && isDigits(got[2:4], 2) {
			if _, ok := NormalizeSIREN(siren); !ok || got[2:4] != twoDigits(FrenchVATKey(siren)) {
				t.Fatalf("French VAT %q accepted with a bad key or SIREN", got)
			}
		}
	})
}

func FuzzNormalizePostalCode(f *testing.F) {
	for _, c := range [][2]string{{"FR", "75 001"}, {"NL", "1234ab"}, {"PT", "1234 567"},
		{"GB", "sw1a1aa"}, {"LU", "L-1234"}, {"US", "94105-1234"}, {"", " a  b "}, {"mc", "98000"}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, country, s string) {
		got, ok := NormalizePostalCode(country, s)
		if !ok {
			if got != "" {
				t.Fatalf("invalid %q returned %q", s, got)
			}
			return
		}
		if again, ok := NormalizePostalCode(country, got); !ok || again != got {
			t.Fatalf("%s: %q -> %q -> %q, %v", country, s, got, again, ok)
		}
		if got == "" || len(got) > 10 || !utf8.ValidString(got) || got != strings.TrimSpace(got) ||
			strings.Contains(got, "  ") || got != upperASCII(got) {
			t.Fatalf("%s: %q normalised to %q", country, s, got)
		}
		for _, r := range got {
			if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == ' ' || r == '-') {
				t.Fatalf("%s: %q normalised to %q with rune %q", country, s, got, r)
			}
		}
	})
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }
