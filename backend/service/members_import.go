package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// MemberImport imports members from a CSV file (SPEC C9): a dry run says what
// each row would do, and the import applies that same plan in one write.
//
// Both operations compute the plan with one function (plan). The dry run
// returns it with its hash; the import takes the same file and mapping with
// that hash, computes the plan again inside its transaction, under the
// organization's member lock, and refuses when the hash differs (the file,
// the mapping or the members changed since): what is applied is, by
// construction, what the dry run showed.
type MemberImport struct {
	Deps
	inv     *Invitations
	members *Members
}

// ImportMapping says which column (from 0) each field is read from; -1 reads
// it from none. A field not read is left as it is on existing members.
type ImportMapping struct {
	FirstName   int `json:"firstName"`
	LastName    int `json:"lastName"`
	Email       int `json:"email"`
	JobTitle    int `json:"jobTitle"`
	EmployeeRef int `json:"employeeRef"`
	Roles       int `json:"roles"`
}

func (m ImportMapping) columns() [importFields]int {
	return [importFields]int{m.FirstName, m.LastName, m.Email, m.JobTitle, m.EmployeeRef, m.Roles}
}

func mappingOf(c [importFields]int) ImportMapping {
	return ImportMapping{FirstName: c[colFirstName], LastName: c[colLastName], Email: c[colEmail], JobTitle: c[colJobTitle],
		EmployeeRef: c[colEmployeeRef], Roles: c[colRoles]}
}

// CheckImportInput is a file to import: its bytes base64-encoded, and the
// columns to read (none: recognised from the header line).
type CheckImportInput struct {
	Content string         `json:"content"`
	Mapping *ImportMapping `json:"mapping,omitempty"`
}

// ImportMembersInput is the file and mapping of a dry run, with the plan hash
// it returned.
type ImportMembersInput struct {
	Content  string         `json:"content"`
	Mapping  *ImportMapping `json:"mapping,omitempty"`
	PlanHash string         `json:"planHash"`
}

// What a row of the file does.
const (
	ImportCreate    = "create"    // an invitation is sent
	ImportUpdate    = "update"    // an existing member's job title, reference or roles change
	ImportUnchanged = "unchanged" // already so, or already invited
	ImportRefused   = "refused"   // nothing happens; reason says why
)

// ImportLine is what one row of the file does. Line is its line in the file
// (the header is line 1). Changes names the fields an update changes
// (jobTitle, employeeRef, roles). Reason is in the caller's language, with
// its code (importReasons) for the console.
type ImportLine struct {
	Line    int      `json:"line"`
	Action  string   `json:"action"`
	Email   string   `json:"email"`
	Name    string   `json:"name"`
	Changes []string `json:"changes"`
	Code    string   `json:"code"`
	Reason  string   `json:"reason"`
}

// ImportTotals counts the rows by what they do.
type ImportTotals struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Refused   int `json:"refused"`
}

// ImportPlan is the dry run's answer: how the file was read (encoding,
// separator, headers, the first rows), the columns read, each row's outcome
// with the totals, the hash the import must be given, and the refused rows as
// a CSV file to correct and import again (its first column the reason).
// MissingRight is set when rows need a right the caller lacks (rights.edit
// to give roles, members.edit to change members): the import is then refused
// until those rows are removed or the column is no longer read.
type ImportPlan struct {
	Encoding     string        `json:"encoding"`
	Delimiter    string        `json:"delimiter"`
	Headers      []string      `json:"headers"`
	Preview      [][]string    `json:"preview"`
	Mapping      ImportMapping `json:"mapping"`
	Lines        []ImportLine  `json:"lines"`
	Totals       ImportTotals  `json:"totals"`
	PlanHash     string        `json:"planHash"`
	MissingRight string        `json:"missingRight"`
	Refused      *ExportFile   `json:"refused,omitempty"`
}

// ImportResult is what an import did.
type ImportResult struct {
	Totals ImportTotals `json:"totals"`
	// MailWaits: no mail server is set, so the invitations wait in the outbox.
	MailWaits bool `json:"mailWaits"`
}

// Why a row is refused: the code the console may use, and the words (with
// %s for the row's lines and the value at fault), which the dry run and the
// refused rows' file show.
var importReasons = map[string]domain.Text{
	"missing_email":     {Fr: "%s : adresse e-mail manquante", En: "%s: email address missing"},
	"invalid_email":     {Fr: "%s : adresse e-mail invalide « %s »", En: "%s: invalid email address “%s”"},
	"duplicate_email":   {Fr: "%s : même adresse « %s »", En: "%s: same address “%s”"},
	"unknown_role":      {Fr: "%s : rôle inconnu « %s »", En: "%s: unknown role “%s”"},
	"too_long":          {Fr: "%s : %s trop long (100 caractères au plus)", En: "%s: %s too long (100 characters at most)"},
	"invalid_chars":     {Fr: "%s : caractères non autorisés dans %s", En: "%s: characters not allowed in %s"},
	"own_roles":         {Fr: "%s : vous ne pouvez pas modifier vos propres rôles", En: "%s: you cannot change your own roles"},
	"role_not_givable":  {Fr: "%s : vous ne pouvez pas donner ou retirer le rôle « %s »", En: "%s: you cannot give or take the role “%s”"},
	"needs_rights_edit": {Fr: "%s : donner des rôles demande le droit de modifier les droits", En: "%s: giving roles needs the right to edit rights"},
	"needs_members_edit": {Fr: "%s : modifier un membre existant demande le droit de modifier les membres",
		En: "%s: changing an existing member needs the right to edit members"},
}

// Notes on rows that are not refused.
var importNotes = map[string]domain.Text{
	"already_invited": {Fr: "invitation déjà en attente", En: "invitation already pending"},
}

// The fields as the reasons name them.
var importFieldWords = [importFields]domain.Text{
	colFirstName:   {Fr: "le prénom", En: "the first name"},
	colLastName:    {Fr: "le nom", En: "the last name"},
	colEmail:       {Fr: "l'adresse e-mail", En: "the email address"},
	colJobTitle:    {Fr: "le poste", En: "the job title"},
	colEmployeeRef: {Fr: "la référence", En: "the reference"},
	colRoles:       {Fr: "les rôles", En: "the roles"},
}

// linesWords names one line or several: "ligne 14", "lignes 8 et 31".
func linesWords(lang string, lines []int) string {
	nums := make([]string, len(lines))
	for i, l := range lines {
		nums[i] = strconv.Itoa(l)
	}
	if len(nums) == 1 {
		return map[string]string{"fr": "ligne ", "en": "line "}[lang] + nums[0]
	}
	and := map[string]string{"fr": " et ", "en": " and "}[lang]
	return map[string]string{"fr": "lignes ", "en": "lines "}[lang] + strings.Join(nums[:len(nums)-1], ", ") + and + nums[len(nums)-1]
}

// importStep is one row of the plan with what applying it writes.
type importStep struct {
	rec                     importRecord
	line                    ImportLine
	email, first, last      string
	jobTitle, employeeRef   string
	roleIDs                 []string // the roles the row gives (when the roles column is read), sorted
	member                  *store.ImportMember
	cols                    map[string]any // an update's membership columns
	added, removed          []string       // an update's roles
	rolesRead               bool
	reasonCode, reasonValue string
	reasonLines             []int
}

func (st *importStep) refuse(code, value string) {
	if st.reasonCode == "" {
		st.reasonCode, st.reasonValue = code, value
	}
}

// importPlan is a computed plan with the steps applying it takes.
type importPlan struct {
	ImportPlan
	steps []*importStep
}

// readInput checks an import's input: the file decodes, is within the size
// limit, and reads as CSV; a mapping names columns of the file.
func readImportInput(content string, mapping *ImportMapping) (importFile, [importFields]int, error) {
	var cols [importFields]int
	if base64.StdEncoding.DecodedLen(len(content)) > maxImportBytes+3 {
		return importFile{}, cols, domain.FieldErrors{"content": domain.FieldFileTooLarge}.Err()
	}
	raw, err := base64.StdEncoding.DecodeString(content)
	switch {
	case err != nil:
		return importFile{}, cols, domain.FieldErrors{"content": domain.FieldFileUnreadable}.Err()
	case len(raw) > maxImportBytes:
		return importFile{}, cols, domain.FieldErrors{"content": domain.FieldFileTooLarge}.Err()
	}
	f, err := readImport(raw)
	switch {
	case err == errImportTooManyRows:
		return f, cols, domain.FieldErrors{"content": domain.FieldFileTooManyRows}.Err()
	case err != nil:
		return f, cols, domain.FieldErrors{"content": domain.FieldFileUnreadable}.Err()
	}
	cols = autoMapping(f.headers)
	if mapping != nil {
		cols = mapping.columns()
		seen := map[int]bool{}
		for _, c := range cols {
			if c < -1 || c >= len(f.headers) || (c >= 0 && seen[c]) {
				return f, cols, domain.FieldErrors{"mapping": domain.FieldInvalidChoice}.Err()
			}
			seen[c] = c >= 0
		}
	}
	return f, cols, nil
}

// Check is the dry run: what importing the file would do, row by row, with
// nothing changed. A file without an email column is read all the same: the
// answer's mapping says so, and every row is refused for its missing address.
func (s *MemberImport) Check(ctx context.Context, a domain.Actor, in CheckImportInput) (ImportPlan, error) {
	f, cols, err := readImportInput(in.Content, in.Mapping)
	if err != nil {
		return ImportPlan{}, err
	}
	p, err := s.plan(ctx, a, f, cols, s.language(ctx, a))
	if err != nil {
		return ImportPlan{}, err
	}
	return p.ImportPlan, nil
}

// Import applies the plan of a dry run, all or nothing, in one write: the
// invitations are written and their messages queued through the one
// invitation path (Invitations.invite), the updates through the members' own
// change declaration (memberChanged). Importing the same file again finds
// every row unchanged and changes nothing.
func (s *MemberImport) Import(ctx context.Context, a domain.Actor, in ImportMembersInput) (ImportResult, error) {
	f, cols, err := readImportInput(in.Content, in.Mapping)
	if err != nil {
		return ImportResult{}, err
	}
	lang := s.language(ctx, a)
	now := s.now()
	var res ImportResult
	// Running until the write has ended: its history and messages are
	// written at its end, after the rows (Write.Batch).
	job := s.jobs.start(a, "members.import", 0) // its plan is being worked out again
	defer func() { job.End(err) }()
	err = s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		if err := s.Store.LockMembers(ctx, a.OrgID); err != nil {
			return err
		}
		p, err := s.plan(ctx, a, f, cols, lang)
		if err != nil {
			return err
		}
		if p.PlanHash != in.PlanHash {
			return domain.FieldErrors{"planHash": domain.FieldImportChanged}.Err()
		}
		if p.MissingRight != "" {
			return domain.Errorf(domain.CodeForbidden, "the file needs the right %s", p.MissingRight)
		}
		res.Totals = p.Totals
		if p.Totals.Created+p.Totals.Updated == 0 {
			w.Nothing()
			return nil
		}
		w.Batch()
		var invited []string
		for _, st := range p.steps {
			if st.line.Action == ImportCreate {
				invited = append(invited, st.email)
			}
		}
		facts, err := s.Store.InvitationFactsOf(ctx, a.OrgID, invited)
		if err != nil {
			return err
		}
		job.SetTotal(int64(p.Totals.Created + p.Totals.Updated))
		rolesChanged := false
		var changes []memberChange
		for _, st := range p.steps {
			switch st.line.Action {
			case ImportCreate:
				inv := store.Invitation{ID: domain.NewID(), OrgID: a.OrgID, Email: st.email, FirstName: st.first, LastName: st.last,
					JobTitle: st.jobTitle, EmployeeRef: st.employeeRef, Language: lang, Status: store.InvitationPending, InvitedBy: &a.AccountID}
				f := facts[st.email]
				if err := s.inv.invite(w, a, &inv, st.roleIDs, nil, now, &f); err != nil {
					return err
				}
			case ImportUpdate:
				m := store.MemberRecord{ID: st.member.ID, AccountID: st.member.AccountID}
				if len(st.cols) > 0 {
					fields := make([]string, 0, len(st.cols))
					for c := range st.cols {
						fields = append(fields, c)
					}
					sort.Strings(fields)
					if err := s.Store.UpdateMember(ctx, a.OrgID, m.ID, st.cols); err != nil {
						return err
					}
					changes = append(changes, memberChange{m, audit.MemberUpdated, map[string]any{"fields": fields}})
				}
				if len(st.added)+len(st.removed) > 0 {
					rolesChanged = true
					if err := s.Store.SetMemberRoles(ctx, a.OrgID, m.ID, st.roleIDs); err != nil {
						return err
					}
					changes = append(changes, memberChange{m, audit.MemberRolesChanged,
						map[string]any{"added": nonNil(st.added), "removed": nonNil(st.removed)}})
				}
			}
			if st.line.Action == ImportCreate || st.line.Action == ImportUpdate {
				job.Add(1)
			}
		}
		if err := s.members.membersChanged(w, a, changes); err != nil {
			return err
		}
		if rolesChanged {
			if err := s.members.keepAnAdmin(ctx, a.OrgID); err != nil {
				return err
			}
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.MembersImported, SubjectType: "organization", SubjectID: a.OrgID,
			Details: map[string]any{"created": p.Totals.Created, "updated": p.Totals.Updated, "unchanged": p.Totals.Unchanged,
				"refused": p.Totals.Refused}})
	})
	if err != nil {
		return ImportResult{}, err
	}
	configured, err := s.inv.mail.Configured(ctx)
	res.MailWaits = res.Totals.Created > 0 && !configured
	return res, err
}

// plan works out what each row of the file does, reading the organization's
// roles, the members and pending invitations the file names (a few queries
// for the whole file, not per row), and the rights of the caller.
func (s *MemberImport) plan(ctx context.Context, a domain.Actor, f importFile, cols [importFields]int, lang string) (importPlan, error) {
	p := importPlan{ImportPlan: ImportPlan{Encoding: f.encoding, Delimiter: string(f.delimiter), Headers: f.headers,
		Preview: [][]string{}, Mapping: mappingOf(cols), Lines: []ImportLine{}}}
	for _, r := range f.rows[:min(importPreviewRows, len(f.rows))] {
		p.Preview = append(p.Preview, r.cells)
	}
	roles, err := s.Store.ListRoles(ctx, a.OrgID)
	if err != nil {
		return p, err
	}
	roleByKey := map[string]store.RoleSummary{}
	roleName := map[string]string{}
	for _, r := range roles {
		roleByKey[store.FoldName(r.Name)] = r
		roleName[r.ID] = r.Name
		if r.IsAdmin {
			for _, alias := range []string{"admin", "administrateur", "administrator"} {
				if _, taken := roleByKey[alias]; !taken {
					roleByKey[alias] = r
				}
			}
		}
	}

	var emails []string
	p.steps, emails = checkImportRows(f, cols, roleByKey, lang)

	// What the organization holds for those addresses.
	members, err := s.Store.MembersByEmails(ctx, a.OrgID, emails)
	if err != nil {
		return p, err
	}
	memberIDs := make([]string, 0, len(members))
	for _, m := range members {
		memberIDs = append(memberIDs, m.ID)
	}
	sort.Strings(memberIDs)
	held, err := s.Store.RoleIDsOf(ctx, a.OrgID, memberIDs)
	if err != nil {
		return p, err
	}
	pending, err := s.Store.PendingInvitationExpiries(ctx, a.OrgID, emails)
	if err != nil {
		return p, err
	}
	// Whether the caller may give or take each role (grants.go), asked once
	// per role.
	givable := map[string]error{}
	mayGive := func(roleID string) error {
		if err, ok := givable[roleID]; ok {
			return err
		}
		err := checkRoleGrant(ctx, s.Store, a, "roleIds", roleID)
		if err != nil && domain.CodeOf(err) != domain.CodeForbidden {
			return err
		}
		givable[roleID] = err
		return err
	}
	now := s.now()
	for _, st := range p.steps {
		if st.reasonCode != "" {
			continue
		}
		m, isMember := members[st.email]
		switch {
		case isMember:
			st.member = &m
			st.cols = map[string]any{}
			if cols[colJobTitle] >= 0 && st.jobTitle != m.JobTitle {
				st.cols["job_title"] = st.jobTitle
			}
			if cols[colEmployeeRef] >= 0 && st.employeeRef != m.EmployeeRef {
				st.cols["employee_ref"] = st.employeeRef
			}
			if !st.rolesRead {
				st.roleIDs = held[m.ID]
			}
			had := map[string]bool{}
			for _, id := range held[m.ID] {
				had[id] = true
			}
			want := map[string]bool{}
			for _, id := range st.roleIDs {
				want[id] = true
				if !had[id] {
					st.added = append(st.added, id)
				}
			}
			for _, id := range held[m.ID] {
				if !want[id] {
					st.removed = append(st.removed, id)
				}
			}
			sort.Strings(st.added)
			sort.Strings(st.removed)
			if len(st.cols) > 0 && !a.Has(domain.RightMembersEdit) {
				st.refuse("needs_members_edit", "")
			}
			if len(st.added)+len(st.removed) > 0 {
				switch {
				case !a.Has(domain.RightRightsEdit):
					st.refuse("needs_rights_edit", "")
				case m.AccountID == a.AccountID:
					st.refuse("own_roles", "")
				}
				for _, id := range append(append([]string{}, st.added...), st.removed...) {
					if err := mayGive(id); domain.CodeOf(err) == domain.CodeForbidden {
						st.refuse("role_not_givable", roleName[id])
					} else if err != nil {
						return p, err
					}
				}
			}
			for _, c := range []string{"job_title", "employee_ref"} {
				if _, ok := st.cols[c]; ok {
					st.line.Changes = append(st.line.Changes, map[string]string{"job_title": "jobTitle", "employee_ref": "employeeRef"}[c])
				}
			}
			if len(st.added)+len(st.removed) > 0 {
				st.line.Changes = append(st.line.Changes, "roles")
			}
		case now.Before(pending[st.email]):
			st.line.Action = ImportUnchanged
			st.line.Code = "already_invited"
			st.line.Reason = importNotes["already_invited"].In(lang)
		default:
			if len(st.roleIDs) > 0 && !a.Has(domain.RightRightsEdit) {
				st.refuse("needs_rights_edit", "")
			}
			for _, id := range st.roleIDs {
				if err := mayGive(id); domain.CodeOf(err) == domain.CodeForbidden {
					st.refuse("role_not_givable", roleName[id])
				} else if err != nil {
					return p, err
				}
			}
		}
	}
	p.finish(cols, lang)
	if p.Totals.Refused > 0 {
		file, err := refusedFile(f, p, lang, s.now())
		if err != nil {
			return p, err
		}
		p.Refused = &file
	}
	return p, nil
}

// checkImportRows reads each row on its own — the address, the texts, the
// roles it names (roleByKey: the organization's roles by folded name) — and
// refuses the rows sharing an address. It returns the steps in file order
// and the valid addresses, each once, in order.
func checkImportRows(f importFile, cols [importFields]int, roleByKey map[string]store.RoleSummary, lang string) (steps []*importStep, emails []string) {
	// Each row on its own: the address, the texts, the roles named.
	byEmail := map[string][]*importStep{}
	for _, rec := range f.rows {
		st := &importStep{rec: rec, rolesRead: cols[colRoles] >= 0}
		steps = append(steps, st)
		raw := importCell(rec, cols, colEmail)
		email, ok := domain.NormalizeEmail(raw)
		st.email = email
		switch {
		case email == "":
			st.refuse("missing_email", "")
		case !ok:
			st.email = raw
			st.refuse("invalid_email", raw)
		default:
			if byEmail[email] == nil {
				emails = append(emails, email)
			}
			byEmail[email] = append(byEmail[email], st)
		}
		texts := [importFields]*string{colFirstName: &st.first, colLastName: &st.last, colJobTitle: &st.jobTitle, colEmployeeRef: &st.employeeRef}
		for field, dst := range texts {
			if dst == nil {
				continue
			}
			v := importCell(rec, cols, field)
			*dst = v
			switch {
			case !domain.ValidText(v, domain.TextLine):
				st.refuse("invalid_chars", importFieldWords[field].In(lang))
			case utf8.RuneCountInString(v) > domain.MaxNameLen:
				st.refuse("too_long", importFieldWords[field].In(lang))
			}
		}
		if st.rolesRead {
			ids := map[string]bool{}
			for _, name := range splitRoles(importCell(rec, cols, colRoles)) {
				r, ok := roleByKey[store.FoldName(name)]
				if !ok {
					st.refuse("unknown_role", name)
					continue
				}
				ids[r.ID] = true
			}
			st.roleIDs = make([]string, 0, len(ids))
			for id := range ids {
				st.roleIDs = append(st.roleIDs, id)
			}
			sort.Strings(st.roleIDs)
		}
		st.line = ImportLine{Line: rec.line, Email: st.email, Name: strings.TrimSpace(st.first + " " + st.last), Changes: []string{}}
	}
	// The same address twice: every row holding it is refused.
	for _, email := range emails {
		if same := byEmail[email]; len(same) > 1 {
			lines := make([]int, len(same))
			for i, st := range same {
				lines[i] = st.rec.line
			}
			for _, st := range same {
				st.refuse("duplicate_email", email)
				if st.reasonCode == "duplicate_email" {
					st.reasonLines = lines
				}
			}
		}
	}

	return steps, emails
}

// finish words each step's outcome, counts them and hashes the plan.
func (p *importPlan) finish(cols [importFields]int, lang string) {
	h := sha256.New()
	fmt.Fprintf(h, "atrium-import-1 %v\n", cols)
	for _, st := range p.steps {
		l := &st.line
		switch {
		case st.reasonCode != "":
			l.Action, l.Code = ImportRefused, st.reasonCode
			lines := st.reasonLines
			if lines == nil {
				lines = []int{st.rec.line}
			}
			words := importReasons[st.reasonCode].In(lang)
			if strings.Count(words, "%s") == 2 {
				l.Reason = fmt.Sprintf(words, linesWords(lang, lines), st.reasonValue)
			} else {
				l.Reason = fmt.Sprintf(words, linesWords(lang, lines))
			}
			l.Changes = []string{}
			p.Totals.Refused++
			switch st.reasonCode {
			case "needs_rights_edit":
				p.MissingRight = string(domain.RightRightsEdit)
			case "needs_members_edit":
				if p.MissingRight == "" {
					p.MissingRight = string(domain.RightMembersEdit)
				}
			}
		case l.Action == ImportUnchanged:
			p.Totals.Unchanged++
		case st.member != nil && len(l.Changes) == 0:
			l.Action = ImportUnchanged
			p.Totals.Unchanged++
		case st.member != nil:
			l.Action = ImportUpdate
			p.Totals.Updated++
		default:
			l.Action = ImportCreate
			p.Totals.Created++
		}
		memberID := ""
		if st.member != nil {
			memberID = st.member.ID
		}
		fmt.Fprintf(h, "%d\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%v\x00%v\x00%v\x00%v\n", l.Line, l.Action, l.Code, st.email, memberID,
			st.first, st.last, st.jobTitle+"\x00"+st.employeeRef, st.roleIDs, st.added, st.removed, st.cols)
		p.Lines = append(p.Lines, *l)
	}
	p.PlanHash = hex.EncodeToString(h.Sum(nil))
}

// refusedFile is the refused rows as a CSV file written like the export (BOM,
// `;`, CRLF): the reason first, then the row's cells under the file's own
// headers, to correct and import again (the reason column is not read).
func refusedFile(f importFile, p importPlan, lang string, now time.Time) (ExportFile, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	cw.UseCRLF = true
	head := append([]string{map[string]string{"fr": "Motif", "en": "Reason"}[lang]}, f.headers...)
	for i := range head {
		head[i] = audit.SafeCell(head[i])
	}
	if err := cw.Write(head); err != nil {
		return ExportFile{}, err
	}
	n := 0
	for _, st := range p.steps {
		if st.line.Action != ImportRefused {
			continue
		}
		rec := append([]string{st.line.Reason}, st.rec.cells...)
		for i := range rec {
			rec[i] = audit.SafeCell(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return ExportFile{}, err
		}
		n++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return ExportFile{}, err
	}
	name := map[string]string{"fr": "lignes-refusees-", "en": "refused-rows-"}[lang] + now.Format("2006-01-02") + ".csv"
	return ExportFile{Filename: name, ContentType: "text/csv", Content: buf.String(), Rows: n}, nil
}
