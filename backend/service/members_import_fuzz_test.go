package service

import (
	"slices"
	"strings"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
)

// FuzzImportReader feeds the member import's reader and row checks any
// bytes: they never panic; every row has one outcome; a row taken passes the
// checks invitations.create makes of its fields; a row refused says why and
// is in the refused rows' file, which reads back with its cells as they were.
func FuzzImportReader(f *testing.F) {
	for _, b := range importFixtures(f) {
		f.Add(b)
	}
	f.Add([]byte("E-mail\nx@y.fr\nx@y.fr\n\"a\r\nb\";c\n"))
	f.Add([]byte("first name,email,roles\n=1+1,'a@b.fr,\"assistant, Admin\"\n"))
	f.Add([]byte("\xef\xbb\xbfNom;E-mail\n\xff\xfe;\x00@\x80.fr\n"))
	roles := map[string]store.RoleSummary{
		"assistant": {Role: domain.Role{ID: "r1", Name: "Assistant"}},
		"admin":     {Role: domain.Role{ID: "r0", Name: AdminRoleName, IsAdmin: true}},
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		file, err := readImport(raw)
		if err != nil {
			return
		}
		cols := autoMapping(file.headers)
		steps, _ := checkImportRows(file, cols, roles, "fr")
		p := importPlan{steps: steps}
		p.finish(cols, "fr")
		if len(p.Lines) != len(file.rows) || p.Totals.Created+p.Totals.Refused != len(file.rows) {
			t.Fatalf("%d rows, %d lines, totals %+v", len(file.rows), len(p.Lines), p.Totals)
		}
		var refused []*importStep
		for i, st := range steps {
			if i > 0 && st.rec.line <= steps[i-1].rec.line {
				t.Fatalf("line %d after line %d", st.rec.line, steps[i-1].rec.line)
			}
			switch st.line.Action {
			case ImportRefused:
				if _, ok := importReasons[st.line.Code]; !ok || st.line.Reason == "" ||
					strings.Contains(strings.ReplaceAll(st.line.Reason, st.reasonValue, ""), "%!") {
					t.Fatalf("refused without a reason: %+v", st.line)
				}
				refused = append(refused, st)
			case ImportCreate:
				errs := domain.FieldErrors{}
				if domain.CheckEmail(errs, "email", st.email) != st.email {
					t.Fatalf("address taken as %q", st.email)
				}
				for _, v := range []string{st.first, st.last, st.jobTitle, st.employeeRef} {
					domain.CheckText(errs, "text", v, false)
					if !domain.ValidText(v, domain.TextLine) || domain.CleanText(v) != v {
						t.Fatalf("text taken: %q", v)
					}
				}
				if len(errs) > 0 {
					t.Fatalf("row taken that an invitation refuses: %+v %v", st.line, errs)
				}
				if cols[colRoles] >= 0 && len(st.roleIDs) != len(splitRoleKeys(importCell(st.rec, cols, colRoles))) {
					t.Fatalf("roles taken %v from %q", st.roleIDs, importCell(st.rec, cols, colRoles))
				}
			default:
				t.Fatalf("outcome %q", st.line.Action)
			}
		}
		if len(refused) == 0 {
			return
		}
		back, err := refusedFile(file, p, "fr", time.Unix(0, 0))
		if err != nil {
			t.Fatal(err)
		}
		again, err := readImport([]byte(back.Content))
		if err != nil {
			t.Fatalf("the refused rows' file does not read back: %v\n%q", err, back.Content)
		}
		if len(again.rows) != len(refused) || back.Rows != len(refused) {
			t.Fatalf("%d refused, %d rows in the file", len(refused), len(again.rows))
		}
		norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
		for i, st := range refused {
			got := again.rows[i].cells
			if got[0] != st.line.Reason {
				t.Fatalf("reason %q, want %q", got[0], st.line.Reason)
			}
			for j, c := range st.rec.cells {
				if j+1 >= len(got) || norm(got[j+1]) != norm(c) {
					t.Fatalf("row %d read back as %q, was %q", i, got, st.rec.cells)
				}
			}
		}
	})
}

// splitRoleKeys is the distinct role names of a cell, folded.
func splitRoleKeys(cell string) []string {
	var keys []string
	for _, n := range splitRoles(cell) {
		k := store.FoldName(n)
		if k == "administrateur" || k == "administrator" {
			k = "admin"
		}
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}
