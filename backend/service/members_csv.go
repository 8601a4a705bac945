package service

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"time"

	"atrium/backend/audit"
	"atrium/backend/domain"
)

// ExportMembersInput is the member list's filters, as the list was showing
// them: the export holds every member they match.
type ExportMembersInput struct {
	Query  string `json:"query"`
	Status string `json:"status"`
	RoleID string `json:"roleId"`
}

// The export's columns are the ones the member import reads, so that a file
// exported and imported again changes nothing; the status is there for the
// reader.
var memberExportHeaders = map[string][]string{
	"fr": {"Prénom", "Nom", "E-mail", "Poste", "Référence", "Rôles", "Statut"},
	"en": {"First name", "Last name", "Email", "Job title", "Reference", "Roles", "Status"},
}

// memberStatusWords are the statuses as the member list shows them.
var memberStatusWords = map[string]domain.Text{
	domain.MemberInvited:  {Fr: "Invité", En: "Invited"},
	domain.MemberActive:   {Fr: "Actif", En: "Active"},
	domain.MemberAway:     {Fr: "Absent", En: "Away"},
	domain.MemberDisabled: {Fr: "Désactivé", En: "Disabled"},
	domain.MemberDeleted:  {Fr: "Supprimé", En: "Deleted"},
}

// memberExportRoleSep joins a member's role names in one cell.
const memberExportRoleSep = ", "

// defaultMemberExportPage is how many members one query of the export reads:
// the export pages through the list by its keyset cursor, so no query reads
// the whole organization at once (tests lower memberExportPage).
const defaultMemberExportPage = 5000

var memberExportPage = defaultMemberExportPage

// maxMemberExport bounds one export, as maxExport bounds the history's: the
// file travels whole in one answer. The largest organizations measured hold
// 100,000 members, which fit; past the bound the file stops there and its
// row count (in the answer and the history) says how many it holds.
const maxMemberExport = 100_000

// Export returns the members the list's filters match, in name order, as a
// CSV file a French spreadsheet opens as it is (UTF-8 with a byte order
// mark, `;`, CRLF), in the caller's language, named after the day in the
// organization's timezone. Cells that would run as formulas are neutralised
// (audit.SafeCell). The export itself is recorded in the history.
//
// It is the caller's job "members.export" (jobs.go): the members to write,
// counted first, and each one written, for the console's progress bar.
func (s *Members) Export(ctx context.Context, a domain.Actor, in ExportMembersInput) (ExportFile, error) {
	job := s.jobs.start(a, "members.export", 0)
	f, err := s.export(ctx, a, in, job)
	job.End(err)
	return f, err
}

func (s *Members) export(ctx context.Context, a domain.Actor, in ExportMembersInput, job *Job) (ExportFile, error) {
	errs := domain.FieldErrors{}
	f := memberFilter(errs, in.Query, in.Status, in.RoleID)
	if err := errs.Err(); err != nil {
		return ExportFile{}, err
	}
	if err := s.filterRole(ctx, a, f); err != nil {
		return ExportFile{}, err
	}
	if err := s.awayFilter(ctx, a.OrgID, &f); err != nil {
		return ExportFile{}, err
	}
	org, err := s.Store.OrganizationByID(ctx, a.OrgID)
	if err != nil {
		return ExportFile{}, err
	}
	loc, err := time.LoadLocation(org.Timezone)
	if err != nil {
		loc = time.UTC
	}
	lang := s.language(ctx, a)
	// A search or role filter counts up to TotalCap only: past it the total
	// is not known, and the bar counts the rows alone.
	if job != nil {
		n, capped, err := s.Store.CountMembers(ctx, a.OrgID, f)
		if err != nil {
			return ExportFile{}, err
		}
		if !capped {
			job.SetTotal(min(n, maxMemberExport))
		}
	}

	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	cw.UseCRLF = true // what spreadsheets on Windows write and expect
	if err := cw.Write(memberExportHeaders[lang]); err != nil {
		return ExportFile{}, err
	}
	count := 0
	rec := make([]string, len(memberExportHeaders[lang]))
	for count < maxMemberExport {
		f.Limit = min(memberExportPage, maxMemberExport-count)
		rows, err := s.Store.ListMembers(ctx, a.OrgID, f)
		if err != nil {
			return ExportFile{}, err
		}
		if len(rows) == 0 {
			break
		}
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		roles, err := s.Store.RoleNamesOf(ctx, a.OrgID, ids)
		if err != nil {
			return ExportFile{}, err
		}
		away, err := s.Store.CurrentAbsences(ctx, a.OrgID, dayIn(s.now(), org.Timezone).Format(time.DateOnly), ids)
		if err != nil {
			return ExportFile{}, err
		}
		for _, r := range rows {
			if _, ok := away[r.ID]; ok { // the status the list shows (members_away.go)
				r.Status = domain.MemberAway
			}
			names := make([]string, len(roles[r.ID]))
			for i, x := range roles[r.ID] {
				names[i] = x.Name
			}
			status := r.Status
			if w, ok := memberStatusWords[r.Status]; ok {
				status = w.In(lang)
			}
			copy(rec, []string{r.FirstName, r.LastName, r.Email, r.JobTitle, r.EmployeeRef, strings.Join(names, memberExportRoleSep), status})
			for i := range rec {
				rec[i] = audit.SafeCell(rec[i])
			}
			if err := cw.Write(rec); err != nil {
				return ExportFile{}, err
			}
			job.Add(1)
		}
		count += len(rows)
		if len(rows) < f.Limit {
			break
		}
		last := rows[len(rows)-1]
		f.AfterKey, f.AfterID = last.SortKey, last.ID
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return ExportFile{}, err
	}

	details := map[string]any{"rows": count}
	for k, v := range map[string]string{"query": f.Query, "status": in.Status, "roleId": f.RoleID} {
		if v != "" {
			details[k] = v
		}
	}
	err = s.Audit.Record(ctx, audit.Entry{By: a, OrgID: a.OrgID, Action: audit.MembersExported, SubjectType: "organization",
		SubjectID: a.OrgID, Details: details})
	if err != nil {
		return ExportFile{}, err
	}
	name := map[string]string{"fr": "membres-", "en": "members-"}[lang] + s.now().In(loc).Format("2006-01-02") + ".csv"
	return ExportFile{Filename: name, ContentType: "text/csv", Content: buf.String(), Rows: count}, nil
}
