package service

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// importFixtures are the files of testdata/import, as spreadsheets write
// them: they are committed, and this is how they were made (a test checks
// they still are; ATRIUM_UPDATE_TESTDATA=1 writes them again).
func importFixtures(t testing.TB) map[string][]byte {
	t.Helper()
	cp1252, err := charmap.Windows1252.NewEncoder().String(
		// French Excel, "CSV (séparateur : point-virgule)": Windows-1252,
		// CRLF, and empty cells for columns once used.
		"Prénom;Nom;E-mail;Poste;Référence;Rôles;;\r\n" +
			"Hélène;Dupré;helene.dupre@example.fr;Comptable;E-101;Assistant;;\r\n" +
			"François;Lefèvre;francois.lefevre@example.fr;Chargé de clientèle;E-102;;;\r\n" +
			";;;;;;;\r\n")
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{
		"excel-windows-1252.csv": []byte(cp1252),
		// LibreOffice and Excel's "CSV UTF-8": a byte order mark, quoted
		// cells holding a line break, the separator and doubled quotes.
		"utf8-bom-quoted.csv": []byte("\ufeffPrénom;Nom;E-mail;Poste;Référence;Rôles\r\n" +
			"\"Zoé\";\"Brière\";\"zoe.briere@example.fr\";\"Responsable\r\nadministrative\";\"E-201\";\"Assistant\"\r\n" +
			"Noël;\"L'Hôte; fils\";noel.lhote@example.fr;\"Dit \"\"le chef\"\"\";E-202;\r\n"),
		// An English spreadsheet: commas, LF, no byte order mark.
		"english-comma.csv": []byte("First name,Last name,Email,Job title,Reference,Roles\n" +
			"Ana,Smith,ana.smith@example.com,Accountant,R-1,\n"),
		// Rows an import refuses, with one it takes.
		"with-errors.csv": []byte("\ufeffPrénom;Nom;E-mail;Poste;Référence;Rôles\r\n" +
			"Jean;Dupont;jean.dupont@;Comptable;;\r\n" +
			"Marie;Curie;marie.curie@example.fr;;;Compta\r\n" +
			"Paul;Durand;paul.durand@example.fr;;;\r\n" +
			"Paule;Durand;Paul.Durand@example.fr;;;\r\n" +
			"Sophie;Martin;sophie.martin@example.fr;Assistante;;\r\n"),
	}
}

func TestImportFixturesAreWhatTheHelperWrites(t *testing.T) {
	dir := filepath.Join("testdata", "import")
	for name, want := range importFixtures(t) {
		path := filepath.Join(dir, name)
		if os.Getenv("ATRIUM_UPDATE_TESTDATA") == "1" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what importFixtures makes", name)
		}
	}
}

func fixtureFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "import", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The reader takes each file as its spreadsheet wrote it: the encoding by
// the rule (BOM, valid UTF-8, else Windows-1252), the separator, the
// headers in French or English, quoted cells with line breaks.
func TestImportReadsSpreadsheetFiles(t *testing.T) {
	for _, c := range []struct {
		file, encoding string
		delimiter      rune
		rows           [][]string // first name, last name, email, job title, reference, roles as read
	}{
		{"excel-windows-1252.csv", encoding1252, ';', [][]string{
			{"Hélène", "Dupré", "helene.dupre@example.fr", "Comptable", "E-101", "Assistant"},
			{"François", "Lefèvre", "francois.lefevre@example.fr", "Chargé de clientèle", "E-102", ""}}},
		{"utf8-bom-quoted.csv", encodingUTF8BOM, ';', [][]string{
			{"Zoé", "Brière", "zoe.briere@example.fr", "Responsable administrative", "E-201", "Assistant"},
			{"Noël", "L'Hôte; fils", "noel.lhote@example.fr", `Dit "le chef"`, "E-202", ""}}},
		{"english-comma.csv", encodingUTF8, ',', [][]string{
			{"Ana", "Smith", "ana.smith@example.com", "Accountant", "R-1", ""}}},
	} {
		f, err := readImport(fixtureFile(t, c.file))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if f.encoding != c.encoding || f.delimiter != c.delimiter {
			t.Errorf("%s: read as %s with %q", c.file, f.encoding, f.delimiter)
		}
		m := autoMapping(f.headers)
		if m != [importFields]int{0, 1, 2, 3, 4, 5} {
			t.Errorf("%s: mapping %v of %q", c.file, m, f.headers)
		}
		if len(f.rows) != len(c.rows) {
			t.Fatalf("%s: %d rows", c.file, len(f.rows))
		}
		for i, want := range c.rows {
			var got []string
			for field := range importFields {
				got = append(got, importCell(f.rows[i], m, field))
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%s row %d: %q, want %q", c.file, i, got, want)
			}
		}
	}
}

// checkImport runs the dry run of a file.
func checkImport(t *testing.T, e *env, token string, file []byte, mapping string) ImportPlan {
	t.Helper()
	return out[ImportPlan](t, e.mustCall("members.importCheck", token, importJSON(file, mapping, "")))
}

func importJSON(file []byte, mapping, hash string) string {
	in := map[string]any{"content": base64.StdEncoding.EncodeToString(file)}
	if mapping != "" {
		in["mapping"] = json.RawMessage(mapping)
	}
	if hash != "" {
		in["planHash"] = hash
	}
	b, _ := json.Marshal(in)
	return string(b)
}

// applyImport runs the dry run and then the import of its plan.
func applyImport(t *testing.T, e *env, token string, file []byte) (ImportPlan, ImportResult) {
	t.Helper()
	p := checkImport(t, e, token, file, "")
	res := out[ImportResult](t, e.mustCall("members.import", token, importJSON(file, "", p.PlanHash)))
	return p, res
}

func outboxTo(t *testing.T, st *store.Store, email string) int64 {
	t.Helper()
	var n int64
	if err := st.DB(context.Background()).Table("outbox").Where("to_addr = ?", email).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// The dry run says line by line what the import will do, in plain words;
// the import does exactly that, in one write, its invitations queued in the
// outbox; importing the same file again changes nothing; and the refused
// rows come back as a file to correct and import.
func TestMembersImportDryRunThenImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		createRole(t, st, f.orgA, "Assistant", "", domain.RightInvoicesView)

		file := fixtureFile(t, "with-errors.csv")
		p := checkImport(t, e, f.adminA, file, "")
		if p.Totals != (ImportTotals{Created: 1, Refused: 4}) {
			t.Fatalf("totals %+v", p.Totals)
		}
		reasons := map[int]string{}
		for _, l := range p.Lines {
			reasons[l.Line] = l.Reason
		}
		for line, want := range map[int]string{
			2: "ligne 2 : adresse e-mail invalide « jean.dupont@ »",
			3: "ligne 3 : rôle inconnu « Compta »",
			4: "lignes 4 et 5 : même adresse « paul.durand@example.fr »",
			5: "lignes 4 et 5 : même adresse « paul.durand@example.fr »",
			6: "",
		} {
			if reasons[line] != want {
				t.Errorf("line %d: %q, want %q", line, reasons[line], want)
			}
		}
		if p.Refused == nil || p.Refused.Rows != 4 || !strings.HasPrefix(p.Refused.Content, "\ufeffMotif;Prénom;Nom;E-mail;") {
			t.Fatalf("refused file %+v", p.Refused)
		}

		before := snapshot(t, st)
		// A plan that is not the dry run's is refused, and changes nothing.
		_, err := e.call("members.import", f.adminA, importJSON(file, "", strings.Repeat("0", 64)))
		if domain.CodeOf(err) != domain.CodeValidation || !strings.Contains(fmt.Sprint(err), "import_changed") {
			t.Fatalf("another plan: %v", err)
		}
		if snapshot(t, st) != before {
			t.Fatal("a refused import changed the database")
		}

		_, res := applyImport(t, e, f.adminA, file)
		if res.Totals.Created != 1 || !res.MailWaits {
			t.Fatalf("result %+v", res)
		}
		if n := outboxTo(t, st, "sophie.martin@example.fr"); n != 1 {
			t.Fatalf("%d messages to the invitee", n)
		}
		// The import's history entries, written in bulk, extend the chain.
		if v := out[HistoryVerification](t, e.mustCall("history.verify", f.adminA, `{}`)); !v.OK {
			t.Fatalf("history after the import: %+v", v)
		}
		// The same file again: nothing to do.
		again := snapshot(t, st)
		p2, res2 := applyImport(t, e, f.adminA, file)
		if p2.Totals != (ImportTotals{Unchanged: 1, Refused: 4}) || res2.Totals.Created != 0 {
			t.Fatalf("second run %+v", p2.Totals)
		}
		if snapshot(t, st) != again {
			t.Fatal("importing the same file twice changed the database")
		}

		// The refused rows, corrected, are imported.
		fixed := strings.NewReplacer("jean.dupont@;", "jean.dupont@example.fr;", ";Compta", ";Assistant",
			"Paule;Durand;Paul.Durand@", "Paule;Durand;paule.durand@").Replace(p.Refused.Content)
		p3, res3 := applyImport(t, e, f.adminA, []byte(fixed))
		if p3.Mapping.Email != 3 || res3.Totals != (ImportTotals{Created: 4}) {
			t.Fatalf("corrected file: mapping %+v totals %+v lines %+v", p3.Mapping, res3.Totals, p3.Lines)
		}
		facts, err := st.InvitationFactsOf(context.Background(), f.orgA, []string{"marie.curie@example.fr"})
		if inv := facts["marie.curie@example.fr"].Pending; err != nil || inv == nil || !strings.Contains(inv.RoleIDs, `"`) {
			t.Fatalf("invitation with its role: %+v %v", facts, err)
		}
	})
}

// An existing member's job title, reference and roles follow the file; the
// name belongs to the person's account and is not changed; the export
// imported again changes nothing.
func TestMembersImportUpdatesAndExportRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		createRole(t, st, f.orgA, "Assistant", "", domain.RightInvoicesView)
		file := []byte("Prénom;Nom;E-mail;Poste;Référence;Rôles\r\nClaudine;Autre;Claire.Petit@example.fr;Assistante;E-42;Assistant\r\n")
		p, _ := applyImport(t, e, f.adminA, file)
		if p.Totals.Updated != 1 || strings.Join(p.Lines[0].Changes, ",") != "jobTitle,employeeRef,roles" {
			t.Fatalf("plan %+v", p.Lines)
		}
		d := out[MemberDetail](t, e.mustCall("members.get", f.adminA, fmt.Sprintf(`{"memberId":%q}`, f.memberOf(f.memberAID))))
		if d.Member.JobTitle != "Assistante" || d.Member.EmployeeRef != "E-42" || len(d.Member.Roles) != 1 || d.Member.FirstName != "Test" {
			t.Fatalf("member after import %+v", d.Member)
		}

		exported, _ := exportMembers(t, e, f.adminA, `{}`)
		before := snapshot(t, st)
		p2, _ := applyImport(t, e, f.adminA, []byte(exported.Content))
		if p2.Totals.Unchanged != 2 || p2.Totals.Unchanged != len(p2.Lines) {
			t.Fatalf("export imported again: %+v %+v", p2.Totals, p2.Lines)
		}
		if snapshot(t, st) != before {
			t.Fatal("importing the export changed the database")
		}
	})
}

// Rows that give roles need rights.edit, rows that change members
// members.edit: without them the dry run says which rows, and the import is
// refused with nothing changed. Nobody changes their own roles through a
// file, and the last admin keeps the Admin role.
func TestMembersImportRights(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	e, st := f.env, f.env.st
	createRole(t, st, f.orgA, "Assistant", "", domain.RightInvoicesView)
	me := f.memberOf(f.memberAID)
	if err := st.Create(context.Background(), &domain.MembershipRight{MembershipID: me, RightName: domain.RightMembersInvite, OrgID: f.orgA}); err != nil {
		t.Fatal(err)
	}
	file := []byte("Prénom;Nom;E-mail;Rôles\r\nLéa;Roux;lea.roux@example.fr;Assistant\r\n")
	p := checkImport(t, e, f.memberA, file, "")
	if p.MissingRight != string(domain.RightRightsEdit) || p.Lines[0].Code != "needs_rights_edit" {
		t.Fatalf("plan without rights.edit: %+v", p)
	}
	before := snapshot(t, st)
	_, err := e.call("members.import", f.memberA, importJSON(file, "", p.PlanHash))
	if domain.CodeOf(err) != domain.CodeForbidden || snapshot(t, st) != before {
		t.Fatalf("import without rights.edit: %v", err)
	}
	// Without the roles column, the same file invites.
	noRoles := `{"firstName":0,"lastName":1,"email":2,"jobTitle":-1,"employeeRef":-1,"roles":-1}`
	p = checkImport(t, e, f.memberA, file, noRoles)
	if p.MissingRight != "" || p.Totals.Created != 1 {
		t.Fatalf("plan without roles: %+v", p)
	}
	e.mustCall("members.import", f.memberA, importJSON(file, noRoles, p.PlanHash))

	// Nobody changes their own roles through a file; the last admin's
	// Admin role is then out of reach too (keepAnAdmin still guards).
	own := []byte("E-mail;Rôles\r\nanne.martin@example.fr;Assistant\r\n")
	if p := checkImport(t, e, f.adminA, own, ""); p.Lines[0].Code != "own_roles" {
		t.Fatalf("own roles: %+v", p.Lines)
	}
	// A non-admin rights editor neither gives nor takes the Admin role.
	if err := st.Create(context.Background(), &domain.MembershipRight{MembershipID: me, RightName: domain.RightRightsEdit, OrgID: f.orgA}); err != nil {
		t.Fatal(err)
	}
	admin := []byte("E-mail;Rôles\r\nnouveau@example.fr;Administrateur\r\nanne.martin@example.fr;\r\n")
	p = checkImport(t, e, f.memberA, admin, "")
	if p.Lines[0].Code != "role_not_givable" || p.Lines[1].Code != "role_not_givable" ||
		p.Lines[0].Reason != "ligne 2 : vous ne pouvez pas donner ou retirer le rôle « Administrateur »" {
		t.Fatalf("Admin role by a non-admin: %+v", p.Lines)
	}
}

func adminRoleOf(t *testing.T, st *store.Store, orgID string) string {
	t.Helper()
	roles, err := st.ListRoles(context.Background(), orgID)
	if err != nil || len(roles) == 0 || !roles[0].IsAdmin {
		t.Fatalf("roles %+v %v", roles, err)
	}
	return roles[0].ID
}

// A file too large, one that is not CSV, or a mapping naming a column the
// file does not have is refused with a field error and changes nothing.
func TestMembersImportRefusesBadFiles(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	e := f.env
	for _, c := range []struct{ in, code string }{
		{importJSON(bytes.Repeat([]byte("a;b\r\n"), maxImportBytes/5+1), "", ""), domain.FieldFileTooLarge},
		{`{"content":"pas du base64 !"}`, domain.FieldFileUnreadable},
		{importJSON([]byte("\r\n\r\n"), "", ""), domain.FieldFileUnreadable},
		{importJSON([]byte("E-mail\r\n\"a@b.fr\"x\"\r\n"), `{"firstName":-1,"lastName":-1,"email":4,"jobTitle":-1,"employeeRef":-1,"roles":-1}`, ""), domain.FieldInvalidChoice},
	} {
		_, err := e.call("members.importCheck", f.adminA, c.in)
		if domain.CodeOf(err) != domain.CodeValidation || !strings.Contains(fmt.Sprint(err), c.code) {
			t.Errorf("%.60s: %v, want %s", c.in, err, c.code)
		}
	}
}

// Headers are recognised folded, in French or English, whatever their
// spaces, dashes and accents; a "Title" column is a civility and is not read.
func TestImportMapsHeaderVariants(t *testing.T) {
	got := autoMapping([]string{"Title", "First name", "Surname", "E-mail address", "Position", "Matricule", "Rôle", "Statut"})
	if want := [importFields]int{1, 2, 3, 4, 5, 6}; got != want {
		t.Fatalf("mapping %v, want %v", got, want)
	}
	if got := autoMapping([]string{"Nom de famille", "PRÉNOM", "Courriel"}); got != [importFields]int{1, 0, 2, -1, -1, -1} {
		t.Fatalf("mapping %v", got)
	}
}
