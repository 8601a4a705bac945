package domain

import (
	"net"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// MaxNameLen bounds short free-text fields (names, job titles, organization names).
const MaxNameLen = 100

// CleanText trims a free-text field.
func CleanText(s string) string { return strings.TrimSpace(s) }

// CheckText validates a cleaned free-text field into errs.
func CheckText(errs FieldErrors, field, value string, required bool) {
	switch {
	case required && value == "":
		errs.Add(field, FieldRequired)
	case utf8.RuneCountInString(value) > MaxNameLen:
		errs.TooLong(field, MaxNameLen)
	}
}

// NormalizeEmail lower-cases and trims an address, and reports whether it is a
// plain, valid address (no display name).
func NormalizeEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > 254 {
		return s, false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return s, false
	}
	return s, true
}

// CheckEmail normalizes a typed address and records a field error when it is
// missing or malformed; it returns the normalized address.
func CheckEmail(errs FieldErrors, field, raw string) string {
	email, ok := NormalizeEmail(raw)
	switch {
	case email == "":
		errs.Add(field, FieldRequired)
	case !ok:
		errs.Add(field, FieldInvalidEmail)
	}
	return email
}

// DefaultPhoneRegion is the region assumed for numbers typed without a country code.
const DefaultPhoneRegion = "FR"

// NormalizePhone parses a phone number typed by a user (spaces, dots and dashes
// allowed) and returns it in E.164. An empty input is valid and means "none".
func NormalizePhone(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if len(s) > 32 {
		return "", false
	}
	n, err := phonenumbers.Parse(s, DefaultPhoneRegion)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// CheckPhone normalizes a phone number of any kind (a company's switchboard
// as well as a mobile), recording invalid_phone under field.
func CheckPhone(errs FieldErrors, field, s string) string {
	phone, ok := NormalizePhone(s)
	if !ok {
		errs.Add(field, FieldInvalidPhone)
	}
	return phone
}

// CheckMobile normalizes a mobile number: a valid number that can only be a
// landline, a service or a VoIP line (it cannot receive text messages) is
// refused with not_mobile, so the person knows it was read and what is
// wanted instead.
func CheckMobile(errs FieldErrors, field, s string) string {
	phone := CheckPhone(errs, field, s)
	if phone == "" {
		return phone
	}
	n, err := phonenumbers.Parse(phone, DefaultPhoneRegion)
	if err != nil {
		return phone
	}
	switch phonenumbers.GetNumberType(n) {
	case phonenumbers.FIXED_LINE, phonenumbers.VOIP, phonenumbers.TOLL_FREE, phonenumbers.PREMIUM_RATE,
		phonenumbers.SHARED_COST, phonenumbers.UAN, phonenumbers.VOICEMAIL:
		errs.Add(field, FieldNotMobile)
	}
	return phone
}

// NationalPhone formats an E.164 number for display in its own country's style.
func NationalPhone(e164 string) string {
	if e164 == "" {
		return ""
	}
	n, err := phonenumbers.Parse(e164, DefaultPhoneRegion)
	if err != nil {
		return e164
	}
	if phonenumbers.GetRegionCodeForNumber(n) == DefaultPhoneRegion {
		return phonenumbers.Format(n, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

// ValidTimezone reports whether tz is an IANA zone name.
func ValidTimezone(tz string) bool {
	if tz == "" || tz == "Local" {
		return false
	}
	_, err := time.LoadLocation(tz)
	return err == nil
}

// Languages of the interface; the first is the default.
var Languages = []string{"fr", "en"}

// ValidLanguage reports whether lang is an interface language.
func ValidLanguage(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Titles (civilité) an account may carry; empty means not given.
var Titles = []string{"", "mme", "m"}

// ValidTitle reports whether t is a known title.
func ValidTitle(t string) bool {
	for _, x := range Titles {
		if x == t {
			return true
		}
	}
	return false
}

// IsLoopbackHost reports whether a host name or address names this very
// computer, where an unencrypted connection crosses no network (the SMTP
// sign-in and a connected desktop's server address both allow it there only).
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
