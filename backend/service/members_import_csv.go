package service

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"atrium/backend/audit"
	"atrium/backend/store"
)

// The member import reads a CSV file as French spreadsheets write it: `;` or
// `,` between cells (`;` when the header line holds one), UTF-8 with or
// without a byte order mark, or Windows-1252 (Excel's "CSV" on a French
// Windows). The rule is fixed and needs no guess: a BOM means UTF-8; else
// text that is valid UTF-8 is UTF-8; else it is Windows-1252, in which any
// byte is a character.

// Encodings of an imported file, as the dry run names them.
const (
	encodingUTF8BOM = "utf-8-bom"
	encodingUTF8    = "utf-8"
	encoding1252    = "windows-1252"
)

// maxImportBytes bounds the file: it travels base64-encoded in one operation
// body, which the server takes up to 1 MiB (httpapi.MaxBody), and 720 KiB
// hold 10,000 members of ordinary length.
const maxImportBytes = 720 << 10

// maxImportRows bounds the members of one file.
const maxImportRows = 20_000

// importPreviewRows is how many rows the dry run shows as read, so the user
// sees the accents came out right.
const importPreviewRows = 5

// The fields an import reads, in the order of ImportMapping.
const (
	colFirstName = iota
	colLastName
	colEmail
	colJobTitle
	colEmployeeRef
	colRoles
	importFields
)

// importHeaderNames are the header names each field is recognised by,
// folded (store.FoldName: lower case, no accents) and with spaces, dashes,
// dots and underscores removed: the export's own headers in both languages
// (memberExportHeaders) and the usual variants.
var importHeaderNames = [importFields][]string{
	colFirstName:   {"prenom", "firstname", "givenname", "prenoms"},
	colLastName:    {"nom", "lastname", "surname", "familyname", "nomdefamille", "name"},
	colEmail:       {"email", "mail", "adresseemail", "adressemail", "courriel", "emailaddress"},
	colJobTitle:    {"poste", "jobtitle", "fonction", "intituledeposte", "job", "position"}, // not "title": a civility
	colEmployeeRef: {"reference", "ref", "employeeref", "employeereference", "matricule", "referencesalarie", "employeeid"},
	colRoles:       {"roles", "role", "profil", "profils"},
}

// headerKey folds a header cell for matching.
func headerKey(s string) string {
	s = store.FoldName(s)
	return strings.NewReplacer(" ", "", "-", "", ".", "", "_", "", "'", "", "’", "").Replace(s)
}

// autoMapping maps the header cells to the fields they name; a field no
// header names is -1. The first header naming a field wins.
func autoMapping(headers []string) [importFields]int {
	var m [importFields]int
	for i := range m {
		m[i] = -1
	}
	for col, h := range headers {
		k := headerKey(h)
		for f, names := range importHeaderNames {
			for _, n := range names {
				if k == headerKey(n) && m[f] < 0 {
					m[f] = col
				}
			}
		}
	}
	return m
}

// importRecord is one data row of the file: its line in the file (where the
// record starts, the header being line 1) and its cells as read.
type importRecord struct {
	line  int
	cells []string
}

// importFile is a file as read: how, its headers and its rows.
type importFile struct {
	encoding  string
	delimiter rune
	headers   []string
	rows      []importRecord
}

// errImportUnreadable says the file is not a CSV file the import can read
// (empty, binary, or malformed quoting): the field error the console words.
var errImportUnreadable = errors.New("import: unreadable file")

// decodeImport turns the file's bytes into text by the rule above.
func decodeImport(raw []byte) (string, string) {
	if b, ok := bytes.CutPrefix(raw, []byte("\xef\xbb\xbf")); ok {
		return strings.ToValidUTF8(string(b), "\uFFFD"), encodingUTF8BOM
	}
	if utf8.Valid(raw) {
		return string(raw), encodingUTF8
	}
	text, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	if err != nil { // every byte decodes in Windows-1252; kept for safety
		return strings.ToValidUTF8(string(raw), "\uFFFD"), encoding1252
	}
	return string(text), encoding1252
}

// detectDelimiter picks `;` when the header line holds one outside quotes
// (French spreadsheets, and the files Atrium writes), else `,`.
func detectDelimiter(text string) rune {
	quoted := false
	for _, r := range text {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '\n':
			return ','
		case r == ';':
			return ';'
		}
	}
	return ','
}

// readImport reads a file's bytes into its header and rows. Blank rows are
// skipped; trailing empty cells (spreadsheets write them for columns once
// used) are kept and ignored by the mapping.
func readImport(raw []byte) (importFile, error) {
	text, enc := decodeImport(raw)
	// Lines may end with CRLF, LF or CR alone (old Mac spreadsheets); the
	// CSV reader knows the first two only.
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	f := importFile{encoding: enc, delimiter: detectDelimiter(text)}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = f.delimiter
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return f, errImportUnreadable
		}
		if blankRecord(rec) {
			continue
		}
		line, _ := r.FieldPos(0)
		for i, c := range rec {
			rec[i] = audit.UnsafeCell(c)
		}
		if f.headers == nil {
			f.headers = rec
			continue
		}
		if len(f.rows) == maxImportRows {
			return f, errImportTooManyRows
		}
		f.rows = append(f.rows, importRecord{line: line, cells: rec})
	}
	if f.headers == nil {
		return f, errImportUnreadable
	}
	return f, nil
}

var errImportTooManyRows = errors.New("import: too many rows")

func blankRecord(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// importCell is a row's cell for a field (empty when the field is not read or
// the row is shorter), on one line: a line break inside a quoted cell is read
// as a space, and spaces around are trimmed.
func importCell(rec importRecord, m [importFields]int, field int) string {
	col := m[field]
	if col < 0 || col >= len(rec.cells) {
		return ""
	}
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, rec.cells[col])), " ")
}

// splitRoles reads a roles cell: names separated by commas (the export joins
// them with ", ") or semicolons.
func splitRoles(cell string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(cell, func(r rune) bool { return r == ',' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
