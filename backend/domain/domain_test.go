package domain

import "testing"

func TestNormalizePhone(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{"06 12 34 56 78", "+33612345678", true},
		{"06.12.34.56.78", "+33612345678", true},
		{"+33 6 12 34 56 78", "+33612345678", true},
		{"+44 7911 123456", "+447911123456", true},
		{"12", "", false},
		{"not a phone", "", false},
		{"06 12 34 56 78 90 12", "", false},
	}
	for _, c := range cases {
		got, ok := NormalizePhone(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if got := NationalPhone("+33612345678"); got != "06 12 34 56 78" {
		t.Errorf("NationalPhone = %q", got)
	}
}

func TestNormalizeEmail(t *testing.T) {
	for in, ok := range map[string]bool{
		"Anne.Martin@Example.fr ": true, "anne@example": false, "Anne <a@b.fr>": false,
		"": false, "no-at-sign.fr": false,
	} {
		if _, got := NormalizeEmail(in); got != ok {
			t.Errorf("NormalizeEmail(%q) ok = %v, want %v", in, got, ok)
		}
	}
	if got, _ := NormalizeEmail(" Anne@Example.FR"); got != "anne@example.fr" {
		t.Errorf("not lower-cased: %q", got)
	}
}

func TestCheckPassword(t *testing.T) {
	cases := map[string]string{
		"":                        FieldRequired,
		"short":                   FieldPasswordTooShort,
		"Password1234":            FieldPasswordTooCommon,
		"anne.martin@example.fr":  FieldPasswordLikeEmail,
		"correct horse battery 7": "",
	}
	for pw, want := range cases {
		errs := FieldErrors{}
		CheckPassword(errs, "password", pw, "anne.martin@example.fr", nil)
		if errs["password"] != want {
			t.Errorf("CheckPassword(%q) = %q, want %q", pw, errs["password"], want)
		}
	}
}

func TestValidTimezone(t *testing.T) {
	for tz, ok := range map[string]bool{"Europe/Paris": true, "America/Montreal": true, "Mars/Olympus": false, "": false, "Local": false} {
		if ValidTimezone(tz) != ok {
			t.Errorf("ValidTimezone(%q) != %v", tz, ok)
		}
	}
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"06 12 34 56 78", "+33612345678", "", "+1 (555) 010-9999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e164, ok := NormalizePhone(s)
		if !ok || e164 == "" {
			return
		}
		// A normalised number is stable: normalising it again gives itself.
		again, ok2 := NormalizePhone(e164)
		if !ok2 || again != e164 {
			t.Fatalf("%q -> %q -> %q (%v)", s, e164, again, ok2)
		}
	})
}

func TestCanGive(t *testing.T) {
	editor := Actor{Rights: map[Right]bool{RightMembersView: true, RightRightsEdit: true}}
	admin := Actor{IsAdmin: true, Rights: map[Right]bool{}}
	for _, c := range []struct {
		a    Actor
		r    Right
		want bool
	}{
		{editor, RightMembersView, true},
		{editor, RightOrgDelete, false},
		{editor, RightRightsEdit, false}, // held, but only an admin gives it
		{admin, RightRightsEdit, true},
		{admin, RightOrgDelete, true},
		{Actor{}, RightMembersView, false},
	} {
		if got := c.a.CanGive(c.r); got != c.want {
			t.Errorf("CanGive(%s) by %+v = %v", c.r, c.a, got)
		}
	}
}

// A mobile field refuses a landline, a VoIP or a service number with its own
// reason; the company phone takes both kinds.
func TestCheckMobile(t *testing.T) {
	for _, c := range []struct {
		in, want, code string
	}{
		{"06 12 34 56 78", "+33612345678", ""},
		{"+33 7 81 23 45 67", "+33781234567", ""},
		{"01 42 68 53 00", "+33142685300", FieldNotMobile},
		{"09 70 12 34 56", "+33970123456", FieldNotMobile},
		{"08 00 12 34 56", "+33800123456", FieldNotMobile},
		{"+44 7911 123456", "+447911123456", ""},
		{"06 12", "", FieldInvalidPhone},
		{"", "", ""},
	} {
		errs := FieldErrors{}
		if got := CheckMobile(errs, "mobilePhone", c.in); got != c.want || errs["mobilePhone"] != c.code {
			t.Errorf("CheckMobile(%q) = %q %v, want %q %q", c.in, got, errs, c.want, c.code)
		}
		errs = FieldErrors{}
		if CheckPhone(errs, "companyPhone", "01 42 68 53 00"); len(errs) != 0 {
			t.Errorf("a company phone refused a landline: %v", errs)
		}
	}
}
