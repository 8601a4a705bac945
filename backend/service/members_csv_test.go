package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// exportMembers calls members.export and reads the file as a spreadsheet
// would.
func exportMembers(t *testing.T, e *env, token, input string) (ExportFile, [][]string) {
	t.Helper()
	file := out[ExportFile](t, e.mustCall("members.export", token, input))
	return file, readExport(t, file.Content)
}

// The member list exports as French Excel opens it: UTF-8 with BOM, `;`,
// CRLF, headers and statuses in the reader's language, roles by name, a
// formula-looking cell neutralised; the filters of the list apply, every
// page of matches is read, and the export is in the history.
func TestMembersExportForSpreadsheets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e, ctx := f.env, context.Background()
		// 23:30 UTC on 30 March is already the 31st in Paris.
		e.clock.set(func() time.Time { return time.Date(2025, 3, 30, 23, 30, 0, 0, time.UTC) })
		defer e.clock.set(nil)

		elodieID, elodieToken := addAccount(t, e, "elodie.lefevre@example.fr", f.orgA, false)
		if err := st.DB(ctx).Exec("UPDATE accounts SET first_name = 'Élodie', last_name = 'Lefèvre' WHERE id = ?", elodieID).Error; err != nil {
			t.Fatal(err)
		}
		elodie := f.memberOf(elodieID)
		e.mustCall("members.update", f.adminA, fmt.Sprintf(`{"memberId":%q,"jobTitle":"=HYPERLINK(\"x\")","employeeRef":"E-007"}`, elodie))
		compta := createRole(t, st, f.orgA, "Comptable", elodie, domain.RightInvoicesView)
		createRole(t, st, f.orgA, "Paie", elodie, domain.RightInvoicesView)
		claire := f.memberOf(f.memberAID)
		e.mustCall("members.disable", f.adminA, fmt.Sprintf(`{"memberId":%q}`, claire))

		memberExportPage = 2 // three members: two pages
		defer func() { memberExportPage = defaultMemberExportPage }()
		file, rows := exportMembers(t, e, f.adminA, `{}`)
		if file.Filename != "membres-2025-03-31.csv" || file.ContentType != "text/csv" || file.Rows != 3 {
			t.Fatalf("file %q %q rows %d", file.Filename, file.ContentType, file.Rows)
		}
		if !strings.HasPrefix(file.Content, "\ufeffPrénom;Nom;E-mail;Poste;Référence;Rôles;Statut\r\n") {
			t.Fatalf("first line %q", file.Content[:min(80, len(file.Content))])
		}
		if len(rows) != 4 {
			t.Fatalf("rows %q", rows)
		}
		byEmail := map[string][]string{}
		for _, r := range rows[1:] {
			if len(r) != 7 {
				t.Fatalf("row %q", r)
			}
			byEmail[r[2]] = r
		}
		want := map[string][]string{
			"anne.martin@example.fr":    {"Anne", "Martin", "anne.martin@example.fr", "", "", "Administrateur", "Actif"},
			"elodie.lefevre@example.fr": {"Élodie", "Lefèvre", "elodie.lefevre@example.fr", `'=HYPERLINK("x")`, "E-007", "Comptable, Paie", "Actif"},
			"claire.petit@example.fr":   {"Test", "claire.petit@example.fr", "claire.petit@example.fr", "", "", "", "Désactivé"},
		}
		for email, w := range want {
			if strings.Join(byEmail[email], "|") != strings.Join(w, "|") {
				t.Errorf("row of %s: %q, want %q", email, byEmail[email], w)
			}
		}

		// The list's filters: status, role, search.
		if _, rows := exportMembers(t, e, f.adminA, `{"status":"disabled"}`); len(rows) != 2 || rows[1][2] != "claire.petit@example.fr" {
			t.Errorf("status filter: %q", rows)
		}
		if _, rows := exportMembers(t, e, f.adminA, fmt.Sprintf(`{"roleId":%q}`, compta)); len(rows) != 2 || rows[1][0] != "Élodie" {
			t.Errorf("role filter: %q", rows)
		}
		if _, rows := exportMembers(t, e, f.adminA, `{"query":"anne"}`); len(rows) != 2 || rows[1][1] != "Martin" {
			t.Errorf("search: %q", rows)
		}
		if _, err := e.call("members.export", f.adminA, `{"status":"asleep"}`); err == nil {
			t.Error("an unknown status is accepted")
		}
		if _, err := e.call("members.export", f.adminA, `{"cursor":"x"}`); err == nil {
			t.Error("a cursor is accepted: the export is every match")
		}

		// Each export is in the history, with its number of rows.
		var evs []audit.Event
		if err := st.DB(ctx).Where("action = ?", audit.MembersExported).Order("seq").Find(&evs).Error; err != nil {
			t.Fatal(err)
		}
		if len(evs) != 4 {
			t.Fatalf("%d exports recorded, want 4", len(evs))
		}
		var d map[string]any
		_ = json.Unmarshal([]byte(evs[0].Details), &d)
		if d["rows"] != float64(3) || evs[0].ActorID == nil || *evs[0].ActorID != f.adminAID || evs[0].OrgID == nil || *evs[0].OrgID != f.orgA {
			t.Errorf("first export recorded as %+v", evs[0])
		}
		_ = json.Unmarshal([]byte(evs[1].Details), &d)
		if d["rows"] != float64(1) || d["status"] != "disabled" {
			t.Errorf("filtered export recorded as %s", evs[1].Details)
		}

		// Only a member who may see the list exports it.
		before := auditCount(t, st, audit.MembersExported)
		if _, err := e.call("members.export", elodieToken, `{}`); domain.CodeOf(err) != domain.CodeForbidden {
			t.Errorf("member without members.view: %v", err)
		}
		if auditCount(t, st, audit.MembersExported) != before {
			t.Error("a refused export is recorded")
		}

		// In English for an English-speaking reader.
		e.mustCall("account.setLanguage", f.adminA, `{"language":"en"}`)
		file, rows = exportMembers(t, e, f.adminA, `{"status":"disabled"}`)
		if file.Filename != "members-2025-03-31.csv" || strings.Join(rows[0], ";") != "First name;Last name;Email;Job title;Reference;Roles;Status" || rows[1][6] != "Disabled" {
			t.Errorf("English export %q: %q", file.Filename, rows)
		}
	})
}
