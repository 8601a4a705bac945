package audit

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// An exported history is a CSV file a French spreadsheet opens as it is:
// UTF-8 with a byte order mark, cells separated by semicolons, headers and
// actions in the reader's language, times with their offset. Its first
// columns are for people; the others are the entry as it is chained (every
// field its hash covers), so that the file can be checked on its own: each
// row's hash recomputed from the row (CheckExport), and the organization's
// entry numbers showing whether rows are missing.

// ExportRow is one exported entry, with what people read already resolved
// by the caller.
type ExportRow struct {
	Event
	Number  int64     // its number in the organization's history (1 is the first)
	Local   time.Time // Event.At in the organization's timezone
	Actor   string    // the actor's name
	Subject string    // who or what the entry concerns, in words
}

// Export columns: first what people read, then the entry as chained.
const (
	colNumber = iota
	colTime
	colAction
	colActor
	colSubject
	colDevice
	colDetails
	colActionCode
	colSubjectType
	colSubjectID
	colActorID
	colSessionID
	colEntryID
	colTimestamp
	colOrg
	colSeq
	colOrgSeq
	colPrevHash
	colHash
	exportColumns
)

var exportHeaders = map[string][]string{
	"fr": {"N°", "Date et heure", "Action", "Par", "Concerne", "Appareil", "Détails", "Code de l'action",
		"Type de sujet", "Identifiant du sujet", "Identifiant de l'auteur", "Session", "Identifiant de l'entrée",
		"Horodatage UTC", "Organisation", "Position dans la chaîne", "N° chaîné dans l'organisation",
		"Empreinte précédente", "Empreinte"},
	"en": {"No.", "Date and time", "Action", "By", "Concerns", "Device", "Details", "Action code",
		"Subject type", "Subject ID", "Actor ID", "Session", "Entry ID",
		"UTC timestamp", "Organization", "Position in the chain", "Chained number in the organization",
		"Previous hash", "Hash"},
}

// exportTimeLayouts write the time people read, with its offset: the French
// way (jj/mm/aaaa) or ISO.
var exportTimeLayouts = map[string]string{"fr": "02/01/2006 15:04:05 -07:00", "en": "2006-01-02 15:04:05 -07:00"}

func exportLang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "fr"
}

// ExportHeader is the first line of an export in a language.
func ExportHeader(lang string) []string { return exportHeaders[exportLang(lang)] }

// WriteExport writes rows (newest first) as the export file. Every cell
// reads back as it was written, but for a carriage return, which no chained
// text holds (details are JSON, device names come from HTTP headers or the
// host name).
func WriteExport(w io.Writer, lang string, rows []ExportRow) error {
	lang = exportLang(lang)
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true // what spreadsheets on Windows write and expect
	if err := cw.Write(exportHeaders[lang]); err != nil {
		return err
	}
	rec := make([]string, exportColumns)
	for _, r := range rows {
		rec[colNumber] = itoa(r.Number)
		rec[colTime] = r.Local.Format(exportTimeLayouts[lang])
		rec[colAction] = ActionLabel(r.Action, lang)
		rec[colActor] = r.Actor
		rec[colSubject] = r.Subject
		rec[colDevice] = r.Device
		rec[colDetails] = r.Details
		rec[colActionCode] = r.Action
		rec[colSubjectType] = r.SubjectType
		rec[colSubjectID] = r.SubjectID
		rec[colActorID] = deref(r.ActorID)
		rec[colSessionID] = deref(r.SessionID)
		rec[colEntryID] = r.ID
		rec[colTimestamp] = r.At.UTC().Format(timeFormat)
		rec[colOrg] = deref(r.OrgID)
		rec[colSeq] = itoa(r.Seq)
		rec[colOrgSeq] = ""
		if r.OrgSeq != nil {
			rec[colOrgSeq] = itoa(*r.OrgSeq)
		}
		rec[colPrevHash] = r.PrevHash
		rec[colHash] = r.Hash
		for i := range rec {
			rec[i] = SafeCell(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SafeCell keeps a spreadsheet from running a cell as a formula: a cell that
// starts like one gets an apostrophe in front, and so does one that starts
// with an apostrophe, so that UnsafeCell gives every value back exactly.
// Every CSV file Atrium writes (the history, the member list) goes through it,
// and every one it reads back through UnsafeCell.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r'", rune(s[0])) {
		return "'" + s
	}
	return s
}

// UnsafeCell gives back the value SafeCell wrote.
func UnsafeCell(s string) string { return strings.TrimPrefix(s, "'") }

// ExportProblems lists what a check of an exported file may report, for the
// console to word.
var ExportProblems = []string{ProblemNotExport, ProblemAltered, ProblemMismatch, ProblemOrder, ProblemOtherOrg}

// Problems CheckExport reports, beside those of the chain (ProblemAltered).
const (
	// The rows hold, but they are another organization's: an organization
	// checks only its own history.
	ProblemOtherOrg = "other_org"
	// The file is not an exported history: no header of ours, or a row
	// without all its cells.
	ProblemNotExport = "not_export"
	// What people read in a row (number, time, action) does not say what
	// the chained part of the row does.
	ProblemMismatch = "mismatch"
	// Rows are not newest first, or come from more than one organization.
	ProblemOrder = "order"
)

// ExportCheck is what CheckExport found.
type ExportCheck struct {
	OK       bool
	Rows     int    // the rows that hold
	Org      string // the organization the rows are of
	Newest   int64  // the numbers of the newest and oldest rows
	Oldest   int64
	Missing  int64 // numbers between Oldest and Newest that the file does not hold
	Line     int   // the file's line of the first row that does not hold
	Number   int64 // and its number
	Problem  string
	Language string // of the headers
}

// CheckExport checks an exported history from the file alone: each row's
// hash recomputed from its cells (keyed with this recorder's key, or plain
// SHA-256 for entries from before the key), what people read in it against
// what is chained, and the organization's numbers in order. Missing counts
// the numbers the file skips: none in an export of the whole history, the
// entries left out by its filters otherwise. Names (by, concerns) are not
// chained and so not checked.
func (r *Recorder) CheckExport(_ context.Context, file io.Reader) (ExportCheck, error) {
	br := bufio.NewReader(file)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	var out ExportCheck
	head, err := cr.Read()
	if err != nil {
		out.Line, out.Problem = 1, ProblemNotExport
		return out, nil
	}
	for lang, h := range exportHeaders {
		if strings.Join(head, "\x1f") == strings.Join(h, "\x1f") {
			out.Language = lang
		}
	}
	if out.Language == "" {
		out.Line, out.Problem = 1, ProblemNotExport
		return out, nil
	}
	legacy := int64(-1) // number − chained number, the same for every keyed row
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var number int64
		problem := ""
		if err != nil || len(rec) != exportColumns {
			problem = ProblemNotExport
		} else {
			for i := range rec {
				rec[i] = UnsafeCell(rec[i])
			}
			var e Event
			e, number, problem = exportedEvent(rec, out.Language)
			switch {
			case problem != "":
			case !exportedHolds(r, e):
				problem = ProblemAltered
			case out.Rows > 0 && (deref(e.OrgID) != out.Org || number >= out.Oldest):
				problem = ProblemOrder
			case e.OrgSeq != nil && legacy >= 0 && number-*e.OrgSeq != legacy:
				problem = ProblemMismatch
			}
			if problem == "" {
				if e.OrgSeq != nil {
					legacy = number - *e.OrgSeq
				}
				if out.Rows == 0 {
					out.Org, out.Newest = deref(e.OrgID), number
				} else {
					out.Missing += out.Oldest - number - 1
				}
				out.Oldest = number
			}
		}
		if problem != "" {
			out.Line, out.Number, out.Problem = line, number, problem
			return out, nil
		}
		out.Rows++
	}
	out.OK = true
	return out, nil
}

// exportedEvent reads the chained part of a row back, and checks what people
// read in the row against it.
func exportedEvent(rec []string, lang string) (Event, int64, string) {
	number, err := strconv.ParseInt(rec[colNumber], 10, 64)
	if err != nil || number < 1 {
		return Event{}, 0, ProblemMismatch
	}
	e := Event{ID: rec[colEntryID], OrgID: nonEmpty(rec[colOrg]), ActorID: nonEmpty(rec[colActorID]),
		SessionID: nonEmpty(rec[colSessionID]), Device: rec[colDevice], Action: rec[colActionCode],
		SubjectType: rec[colSubjectType], SubjectID: rec[colSubjectID], Details: rec[colDetails],
		PrevHash: rec[colPrevHash], Hash: rec[colHash]}
	if e.Seq, err = strconv.ParseInt(rec[colSeq], 10, 64); err != nil {
		return e, number, ProblemNotExport
	}
	if rec[colOrgSeq] != "" {
		n, err := strconv.ParseInt(rec[colOrgSeq], 10, 64)
		if err != nil {
			return e, number, ProblemNotExport
		}
		e.OrgSeq = &n
	}
	if e.At, err = time.Parse(timeFormat, rec[colTimestamp]); err != nil || e.At.UTC().Format(timeFormat) != rec[colTimestamp] {
		return e, number, ProblemNotExport
	}
	shown, err := time.Parse(exportTimeLayouts[lang], rec[colTime])
	if err != nil || !shown.Equal(e.At.Truncate(time.Second)) || rec[colAction] != ActionLabel(e.Action, lang) ||
		(e.OrgSeq != nil && number < *e.OrgSeq) {
		return e, number, ProblemMismatch
	}
	return e, number, ""
}

// exportedHolds tells whether a row's hash is what its content gives: plain
// for entries chained before the key (no chained number), keyed after.
func exportedHolds(r *Recorder, e Event) bool {
	if e.OrgSeq == nil {
		return e.plainHash() == e.Hash
	}
	return r.keyedHash(e) == e.Hash
}

// Numbers returns the number of each of evs in its organization's history (1
// being its first entry), as the organization's integrity check counts them.
func (r *Recorder) Numbers(ctx context.Context, orgID string, evs []Event) (map[int64]int64, error) {
	db := r.store.DB(ctx)
	out := make(map[int64]int64, len(evs))
	var o orgHead
	if err := db.Where("org_id = ?", orgID).Limit(1).Find(&o).Error; err != nil {
		return nil, err
	}
	var legacySeqs map[int64]int64
	for _, e := range evs {
		if e.OrgSeq != nil {
			out[e.Seq] = o.LegacyCount + *e.OrgSeq
			continue
		}
		if legacySeqs == nil {
			// Entries from before the key are numbered by their order.
			var seqs []int64
			if err := db.Model(&Event{}).Where("org_id = ? AND org_seq IS NULL", orgID).Order("seq").Pluck("seq", &seqs).Error; err != nil {
				return nil, err
			}
			legacySeqs = make(map[int64]int64, len(seqs))
			for i, s := range seqs {
				legacySeqs[s] = int64(i + 1)
			}
		}
		out[e.Seq] = legacySeqs[e.Seq]
	}
	return out, nil
}

// String says what a check found, for logs and the operator's command.
func (c ExportCheck) String() string {
	if c.OK {
		return fmt.Sprintf("%d rows of organization %s hold (numbers %d to %d, %d not in the file)", c.Rows, c.Org, c.Oldest, c.Newest, c.Missing)
	}
	return fmt.Sprintf("line %d (number %d): %s", c.Line, c.Number, c.Problem)
}
