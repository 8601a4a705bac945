package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// textBases gives a valid input to the operations whose rights case has none
// (first run, sign-in, the account's own operations). Operations of an
// organization reuse the input of their rights case (opCases).
var textBases = map[string]func(f *fixture) string{
	// The rights case of invitations.resend already made organization A's pending invitation.
	"invitations.revoke":    func(*fixture) string { return `{"invitationId":"01900000-0000-7000-8000-000000000001"}` },
	"setup.createWorkspace": func(*fixture) string { return workspace },
	"backups.export":        func(*fixture) string { return `{"name":"atrium-20261203-101500-daily.db"}` },
	"backups.restore":       func(*fixture) string { return `{"name":"atrium-20261203-101500-daily.db"}` },
	"auth.signIn":           func(*fixture) string { return `{"email":"anne.martin@example.fr","password":"un mot de passe solide"}` },
	"auth.verifyTwoFactor":  func(*fixture) string { return `{"pendingToken":"un-jeton-en-attente","code":"123456"}` },
	"auth.forgotPassword":   func(*fixture) string { return `{"email":"anne.martin@example.fr"}` },
	"auth.resetPassword": func(*fixture) string {
		return `{"token":"un-jeton","email":"","code":"","password":"un nouveau mot de passe"}`
	},
	"account.updateProfile": func(*fixture) string {
		return `{"title":"mme","firstName":"Anne","lastName":"Martin","mobilePhone":"06 12 34 56 78","jobTitle":"Gérante"}`
	},
	"account.setLanguage": func(*fixture) string { return `{"language":"en"}` },
	"account.changePassword": func(*fixture) string {
		return `{"currentPassword":"un mot de passe solide","newPassword":"un autre mot de passe"}`
	},
	"account.requestEmailChange": func(*fixture) string { return `{"newEmail":"anne@nouveau.fr","password":"un mot de passe solide"}` },
	"account.confirmEmailChange": func(*fixture) string { return `{"token":"un-jeton","code":""}` },
	"account.delete": func(*fixture) string {
		return `{"code":"123456","password":"un mot de passe solide","twoFactorCode":""}`
	},
	"twoFactor.confirm":  func(*fixture) string { return `{"code":"123456"}` },
	"twoFactor.disable":  func(*fixture) string { return `{"password":"un mot de passe solide","code":"123456"}` },
	"sessions.revoke":    func(*fixture) string { return `{"id":"01900000-0000-7000-8000-000000000000"}` },
	"notifications.set":  func(*fixture) string { return `{"category":"security","enabled":true}` },
	"orgs.list":          func(*fixture) string { return `{"name":"cabinet","id":""}` },
	"orgs.switch":        func(f *fixture) string { return fmt.Sprintf(`{"orgId":%q}`, f.orgA) },
	"orgs.create":        func(*fixture) string { return `{"name":"Nouvelle","website":"nouvelle.fr","timezone":"Europe/Paris"}` },
	"invitations.lookup": func(*fixture) string { return `{"token":"un-jeton","code":""}` },
	"invitations.join":   func(*fixture) string { return `{"token":"un-jeton","code":""}` },
	"invitations.accept": func(*fixture) string {
		return `{"token":"un-jeton","code":"","title":"mme","firstName":"Léa","lastName":"Roux","mobilePhone":"06 12 34 56 78","password":"un mot de passe solide"}`
	},
}

// textField is one string of an input type, as JSON sees it: its path, its
// field error key, whether it sits in a list, and its kind (text tag).
type textField struct {
	path []string
	list bool
	kind string
}

func (f textField) key() string { return strings.Join(f.path, ".") }

// textFields lists every string an input type holds, nested ones included.
func textFields(t reflect.Type, path []string, list bool, kind string) []textField {
	switch t.Kind() {
	case reflect.Pointer:
		return textFields(t.Elem(), path, list, kind)
	case reflect.Slice, reflect.Array:
		return textFields(t.Elem(), path, true, kind)
	case reflect.String:
		return []textField{{path: path, list: list, kind: kind}}
	case reflect.Struct:
		var out []textField
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if !sf.IsExported() || name == "-" {
				continue
			}
			if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
				out = append(out, textFields(sf.Type, path, false, "")...)
				continue
			}
			if name == "" {
				name = sf.Name
			}
			out = append(out, textFields(sf.Type, append(append([]string{}, path...), name), false, sf.Tag.Get("text"))...)
		}
		return out
	}
	return nil
}

// inject puts bad into the field of a JSON input object.
func inject(t *testing.T, base string, f textField, bad string) string {
	t.Helper()
	obj := map[string]any{}
	if err := json.Unmarshal([]byte(base), &obj); err != nil {
		t.Fatalf("base input %s: %v", base, err)
	}
	m := obj
	for _, p := range f.path[:len(f.path)-1] {
		if list, ok := m[p].([]any); ok && len(list) > 0 {
			if first, ok := list[0].(map[string]any); ok {
				m = first // a list of objects: its first one
				continue
			}
		}
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	var v any = bad
	if f.list {
		v = []any{bad}
	}
	m[f.path[len(f.path)-1]] = v
	b, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Values no text field may hold, and those only a password may.
var (
	neverText = []string{"\x00", "Anne\x00", "\x00Martin", "a\x1bb", "a\x7fb", "a\u0085b", "a\tb", "ligne 1\nligne 2", "a\rb"}
	notShown  = []string{"\u202egnp.exe", "a\u202db", "\u2066x\u2069", "\u200b", "\u200b\u200c\u200d\u2060\ufeff", " \u200b ", "a\u2028b"}
)

// TestEveryTextFieldRefusesBadCharacters walks the registry: for every
// operation and every string of its input (nested ones and list items too),
// a valid input with a NUL, another control character, a line break, a
// bidirectional override or nothing but zero-width characters in that one
// field is refused with invalid_characters on that field, and nothing
// changes. Each operation gets a database of its own, as in the rights
// walker, since preparing its input writes records. On PostgreSQL, where a
// NUL that got through fails with "internal" (invalid byte sequence), a
// fresh schema per operation would cost half a minute: there the walk takes
// one operation of each shape (textOnPostgres); the check itself is the
// same Go code for both databases, run before any SQL.
func TestEveryTextFieldRefusesBadCharacters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ops, fields := 0, 0
		first := true
		for _, op := range Describe().Operations() {
			if st.Dialect() == store.Postgres && !textOnPostgres[op.Name] {
				continue
			}
			tf := textFields(op.Input, nil, false, "")
			if len(tf) == 0 {
				continue
			}
			base := opCases[op.Name].input
			if b, ok := textBases[op.Name]; ok {
				base = b
			}
			if base == nil {
				t.Errorf("%s has string fields: give it a valid input in textBases", op.Name)
				continue
			}
			ops++
			fields += len(tf)
			reuse := first
			first = false
			t.Run(op.Name, func(t *testing.T) {
				db := st
				if !reuse {
					db = freshStore(t, st)
				}
				walkTextFields(t, newFixture(t, db), op, tf, base)
			})
		}
		if st.Dialect() == store.Postgres {
			if ops != len(textOnPostgres) {
				t.Fatalf("%d of the %d operations of textOnPostgres walked", ops, len(textOnPostgres))
			}
		} else if ops < 40 || fields < 100 {
			t.Fatalf("only %d operations and %d fields walked: the enumeration is broken", ops, fields)
		}
	})
}

// textOnPostgres: the unauthenticated sign-in of the report, a first run, a
// public write, the account's own profile, an organization's writes and
// searches, a list of IDs, a nested object and an optional secret.
var textOnPostgres = map[string]bool{"auth.signIn": true, "setup.createWorkspace": true, "invitations.accept": true,
	"account.updateProfile": true, "tasks.create": true, "company.update": true, "members.list": true,
	"members.setRoles": true, "history.verify": true, "mail.saveSettings": true}

func walkTextFields(t *testing.T, f *fixture, op *Operation, tf []textField, base func(*fixture) string) {
	in := base(f)
	if err := decodeInput([]byte(in), reflect.New(op.Input).Interface()); err != nil {
		t.Fatalf("the base input %s is refused: %v", in, err)
	}
	token := f.adminA
	if op.Access == Public {
		token = ""
	}
	before := snapshot(t, f.env.st)
	for _, field := range tf {
		bad := append([]string{}, neverText...)
		if field.kind == "multiline" {
			bad = slicesWithout(bad, "ligne 1\nligne 2")
		}
		if field.kind != "secret" {
			bad = append(bad, notShown...)
		}
		for _, b := range bad {
			_, err := f.env.call(op.Name, token, inject(t, in, field, b))
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.CodeValidation || de.Fields[field.key()] != domain.FieldInvalidCharacters {
				t.Errorf("%s = %q: got %v, want invalid_characters on %s", field.key(), b, err, field.key())
			}
		}
	}
	if snapshot(t, f.env.st) != before {
		t.Errorf("a refused input changed the database")
	}
}

func slicesWithout(in []string, drop string) []string {
	out := in[:0:0]
	for _, s := range in {
		if s != drop {
			out = append(out, s)
		}
	}
	return out
}

// textProbe is an input shaped to reach every branch of the decoder's walk.
type textProbe struct {
	Name     string            `json:"name"`
	Notes    string            `json:"notes" text:"multiline"`
	Secret   *string           `json:"secret,omitempty" text:"secret"`
	Tags     []string          `json:"tags"`
	Labels   map[string]string `json:"labels"`
	Head     *ChainHead        `json:"head,omitempty"`
	Any      any               `json:"any"`
	Count    int               `json:"count"`
	Untagged string
	Skipped  string `json:"-"`
	textProbeInner
}

type textProbeInner struct {
	Inner string `json:"inner"`
}

func TestDecodeInputChecksEveryString(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want []string // fields refused
	}{
		{`{"name":"Anne","notes":"ligne 1\nligne 2\r\nligne 3","secret":"\u200b\u202e mot de passe","tags":["a","b"],"labels":{"clé":"valeur"},` +
			`"head":{"seq":1,"hash":"abc"},"any":{"x":["y"]},"count":3,"Untagged":"u","inner":"i"}`, nil},
		{`{"name":"\u0000"}`, []string{"name"}},
		{`{"name":"a\nb","notes":"a\u0000b"}`, []string{"name", "notes"}},
		{`{"notes":"\u202e"}`, []string{"notes"}},
		{`{"secret":"mot\u0000de passe"}`, []string{"secret"}},
		{`{"secret":"mot\tde passe"}`, []string{"secret"}},
		{`{"tags":["ok","\u200b"]}`, []string{"tags"}},
		{`{"labels":{"\u0000":"v"}}`, []string{"labels"}},
		{`{"labels":{"k":"a\u2066b"}}`, []string{"labels"}},
		{`{"head":{"hash":"\u0000"}}`, []string{"head.hash"}},
		{`{"any":{"x":[1,"\u0000"]}}`, []string{"any"}},
		{`{"any":{"\u202e":true}}`, []string{"any"}},
		{`{"Untagged":"\u0000","inner":"\u0000"}`, []string{"Untagged", "inner"}},
	} {
		var p textProbe
		err := decodeInput([]byte(c.raw), &p)
		if c.want == nil {
			if err != nil {
				t.Errorf("%s: %v", c.raw, err)
			}
			continue
		}
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.CodeValidation {
			t.Errorf("%s: got %v, want a validation error", c.raw, err)
			continue
		}
		var got []string
		for k, code := range de.Fields {
			if code != domain.FieldInvalidCharacters {
				t.Errorf("%s: field %s: %s", c.raw, k, code)
			}
			got = append(got, k)
		}
		sort.Strings(got)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: refused %v, want %v", c.raw, got, c.want)
		}
	}
}

// A text tag the decoder does not know stops the registry at start, so a
// typo cannot silently make a field one-line (or a secret).
func TestUnknownTextTagPanics(t *testing.T) {
	type bad struct {
		Notes string `json:"notes" text:"multi-line"`
	}
	defer func() {
		if recover() == nil {
			t.Fatal("an unknown text tag was accepted")
		}
	}()
	r := &Registry{ops: map[string]*Operation{}}
	add(r, Operation{Name: "probe"}, func(_ context.Context, _ domain.Actor, _ bad) (Empty, error) { return Empty{}, nil })
}

// FuzzDecodeInput: whatever bytes arrive, the decoder answers a validation
// error or a value whose every string is a text its field may hold.
func FuzzDecodeInput(f *testing.F) {
	for _, s := range []string{`{}`, `{"name":"\u0000"}`, `{"notes":"a\r\nb"}`, `{"secret":"\u202e"}`, `{"tags":["\u200b"]}`,
		`{"labels":{"\u0000":"x"}}`, `{"head":{"hash":"\u2066"}}`, `{"any":[{"a":"\u0085"}]}`, `{"inner":"ok"} x`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var p textProbe
		err := decodeInput(raw, &p)
		if err != nil {
			if domain.CodeOf(err) != domain.CodeValidation {
				t.Fatalf("%q: %v", raw, err)
			}
			return
		}
		for _, s := range stringsOf(reflect.ValueOf(p), "") {
			if !domain.ValidText(s.value, domain.TextKind(s.kind)) {
				t.Fatalf("%q: accepted %q as %q", raw, s.value, s.kind)
			}
		}
	})
}

type taggedString struct{ value, kind string }

// stringsOf collects every string of a decoded value with its field's kind.
func stringsOf(v reflect.Value, kind string) []taggedString {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return stringsOf(v.Elem(), kind)
	case reflect.String:
		return []taggedString{{v.String(), kind}}
	case reflect.Slice, reflect.Array:
		var out []taggedString
		for i := 0; i < v.Len(); i++ {
			out = append(out, stringsOf(v.Index(i), kind)...)
		}
		return out
	case reflect.Map:
		var out []taggedString
		for it := v.MapRange(); it.Next(); {
			out = append(out, stringsOf(it.Key(), kind)...)
			out = append(out, stringsOf(it.Value(), kind)...)
		}
		return out
	case reflect.Struct:
		var out []taggedString
		for i := 0; i < v.NumField(); i++ {
			if sf := v.Type().Field(i); sf.IsExported() {
				out = append(out, stringsOf(v.Field(i), sf.Tag.Get("text"))...)
			}
		}
		return out
	}
	return nil
}
