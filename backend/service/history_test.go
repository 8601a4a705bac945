package service

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// An organization's admin checks what concerns them: their organization's
// entries (and the chain's checkpoints), never the whole server's history,
// whose size the answer does not tell; and a check cannot be repeated at will
// to load the server.
func TestHistoryVerifyIsScopedAndThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		clk := realClock()
		e.reg.svc.Auth.Now = clk.Now
		ctx := context.Background()
		// Another organization's busy history.
		const others = 12_000
		bulk := make([]audit.BulkEntry, others)
		for i := range bulk {
			bulk[i] = audit.BulkEntry{At: time.Now(), ActorID: f.adminBID, Entry: audit.Entry{OrgID: f.orgB, Action: audit.SignInSucceeded,
				SubjectType: "account", SubjectID: f.adminBID, Details: map[string]any{"n": i}}}
		}
		if err := e.rec.AppendBulk(ctx, bulk); err != nil {
			t.Fatal(err)
		}
		e.mustCall("account.setLanguage", f.adminA, `{"language":"en"}`)
		var own int64
		st.DB(ctx).Table("audit_events").Where("org_id = ?", f.orgA).Count(&own)
		total := count(t, st, "audit_events")

		read := e.rec.EntriesRead()
		res, err := e.call("history.verify", f.adminA, `{}`)
		if err != nil {
			t.Fatal(err)
		}
		// Its own entries, one per checkpoint and the head's: not the others'.
		if n, most := e.rec.EntriesRead()-read, own+total/audit.CheckpointEvery+2; n > most {
			t.Errorf("the check read %d entries, more than the organization's %d and the %d checkpoints", n, own, total/audit.CheckpointEvery)
		}
		v := res.Output.(HistoryVerification)
		if !v.OK || v.Checked != own {
			t.Fatalf("checked %d entries, want the organization's %d: %+v", v.Checked, own, v)
		}
		b, _ := json.Marshal(res.Output)
		for _, leak := range []string{strconv.FormatInt(total, 10), strconv.FormatInt(total+1, 10), "headSeq"} {
			if strings.Contains(string(b), leak) {
				t.Errorf("the answer tells the server's size (%s): %s", leak, b)
			}
		}

		// At once again: refused, with how long to wait; nothing recorded.
		before := count(t, st, "audit_events")
		_, err = e.call("history.verify", f.adminA, `{}`)
		if domain.CodeOf(err) != domain.CodeRateLimited || retryAfter(err) <= 0 {
			t.Fatalf("a repeated check was not throttled: %v", err)
		}
		if count(t, st, "audit_events") != before {
			t.Error("a refused check was recorded")
		}
		// Another organization is not held up by the first one's check.
		if _, err := e.call("history.verify", f.adminB, `{}`); err != nil {
			t.Fatalf("organization B: %v", err)
		}
		clk.Add(time.Duration(retryAfter(err)+1) * time.Second)
		if _, err := e.call("history.verify", f.adminA, `{}`); err != nil {
			t.Fatalf("after the wait: %v", err)
		}
	})
}

// sophie adds Sophie Lambert to organization A and has an admin act on her:
// with her own sign-in, six entries concern her.
func sophie(t *testing.T, f *fixture) (accountID, memberID string) {
	t.Helper()
	e, ctx := f.env, context.Background()
	id, _ := addAccount(t, e, "sophie.lambert@example.fr", f.orgA, false) // signin.succeeded
	if err := e.st.DB(ctx).Exec("UPDATE accounts SET first_name = 'Sophie', last_name = 'Lambert' WHERE id = ?", id).Error; err != nil {
		t.Fatal(err)
	}
	m := f.memberOf(id)
	role := createRole(t, e.st, f.orgA, "Comptable", "", domain.RightInvoicesView)
	e.mustCall("members.update", f.adminA, fmt.Sprintf(`{"memberId":%q,"jobTitle":"Comptable"}`, m))
	e.mustCall("members.setRoles", f.adminA, fmt.Sprintf(`{"memberId":%q,"roleIds":[%q]}`, m, role))
	e.mustCall("members.setRight", f.adminA, fmt.Sprintf(`{"memberId":%q,"right":"orders.place","granted":true}`, m))
	e.mustCall("members.disable", f.adminA, fmt.Sprintf(`{"memberId":%q}`, m))
	e.mustCall("members.enable", f.adminA, fmt.Sprintf(`{"memberId":%q}`, m))
	return id, m
}

func historyQuery(person, action, search string) string {
	return fmt.Sprintf(`{"person":%q,"action":%q,"from":"","to":"","search":%q,"before":0,"limit":100}`, person, action, search)
}

// Everything that concerns a person is found by their name and by the
// person filter, and names them in "Concerne", a disabled member included.
func TestHistoryFindsAndNamesThePersonConcerned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		id, _ := sophie(t, f)
		want := []string{audit.MemberEnabled, audit.MemberDisabled, audit.RightGranted, audit.MemberRolesChanged,
			audit.MemberUpdated, audit.SignInSucceeded}
		for _, q := range []string{historyQuery("", "", "Sophie"), historyQuery("", "", "lambert"), historyQuery(id, "", "")} {
			page := e.mustCall("history.list", f.adminA, q).Output.(HistoryPage)
			var got []string
			for _, en := range page.Entries {
				got = append(got, en.Action)
				if en.SubjectName != "Sophie Lambert" {
					t.Errorf("%s: %s concerns %q, want Sophie Lambert", q, en.Action, en.SubjectName)
				}
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s finds %v, want %v", q, got, want)
			}
		}
		// The roles changed are named, not given as IDs.
		page := e.mustCall("history.list", f.adminA, historyQuery("", audit.MemberRolesChanged, "")).Output.(HistoryPage)
		if len(page.Entries) != 1 || !hasValue(page.Entries[0].Names, "Comptable") {
			t.Errorf("roles changed: %+v", page.Entries)
		}
	})
}

func hasValue(m map[string]string, v string) bool {
	for _, x := range m {
		if x == v {
			return true
		}
	}
	return false
}

// declaredActions reads the actions declared in backend/audit/audit.go.
func declaredActions(t *testing.T) []string {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), "../audit/audit.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range file.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			for _, v := range s.(*ast.ValueSpec).Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					out = append(out, strings.Trim(lit.Value, `"`))
				}
			}
		}
	}
	if len(out) < 50 {
		t.Fatalf("found %d actions in audit.go", len(out))
	}
	return out
}

// The action filter offers every action the history records.
func TestHistoryFilterOffersEveryAction(t *testing.T) {
	st := storetest.SQLite(t)
	f := newFixture(t, st)
	page := f.env.mustCall("history.list", f.adminA, historyQuery("", "", "")).Output.(HistoryPage)
	offered := map[string]bool{}
	for _, a := range page.Actions {
		offered[a] = true
	}
	for _, a := range declaredActions(t) {
		if !offered[a] {
			t.Errorf("the filter does not offer %s", a)
		}
	}
}

var (
	frenchTime  = regexp.MustCompile(`^\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} [+-]\d{2}:\d{2}$`)
	englishTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{2}:\d{2}$`)
)

// readExport parses an exported history as a spreadsheet would: UTF-8 with
// a byte order mark, cells separated by semicolons.
func readExport(t *testing.T, content string) [][]string {
	t.Helper()
	if !strings.HasPrefix(content, "\ufeff") {
		t.Fatalf("no byte order mark: %q", content[:min(40, len(content))])
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(content, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// The export opens right in a French spreadsheet: French headers, actions in
// words, times with their offset, the organization's entry numbers; English
// for an English-speaking user.
func TestHistoryExportReadsInTheUsersLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		sophie(t, f)
		rows := readExport(t, e.mustCall("history.export", f.adminA, `{}`).Output.(ExportFile).Content)
		head := rows[0]
		if head[0] != "N°" || head[1] != "Date et heure" || head[2] != "Action" || head[3] != "Par" || head[4] != "Concerne" {
			t.Fatalf("French header %q", head)
		}
		found := false
		prev := int64(0)
		for i, r := range rows[1:] {
			if len(r) != len(head) {
				t.Fatalf("row %d has %d cells, the header %d", i, len(r), len(head))
			}
			if !frenchTime.MatchString(r[1]) {
				t.Errorf("time %q", r[1])
			}
			if strings.Contains(r[2], ".") {
				t.Errorf("action not in words: %q", r[2])
			}
			n, err := strconv.ParseInt(r[0], 10, 64)
			if err != nil || (prev != 0 && n != prev-1) {
				t.Errorf("entry number %q after %d", r[0], prev)
			}
			prev = n
			if r[2] == "Membre désactivé" && r[4] == "Sophie Lambert" && r[3] == "Anne Martin" {
				found = true
			}
		}
		if !found || prev != 1 {
			t.Errorf("the disabling of Sophie is not in words, or numbers do not end at 1 (%d):\n%q", prev, rows)
		}

		e.mustCall("account.setLanguage", f.adminA, `{"language":"en"}`)
		rows = readExport(t, e.mustCall("history.export", f.adminA, `{}`).Output.(ExportFile).Content)
		if rows[0][1] != "Date and time" || rows[0][4] != "Concerns" {
			t.Fatalf("English header %q", rows[0])
		}
		found = false
		for _, r := range rows[1:] {
			if !englishTime.MatchString(r[1]) {
				t.Errorf("time %q", r[1])
			}
			found = found || r[2] == "Member disabled"
		}
		if !found {
			t.Errorf("no disabling in English words: %q", rows)
		}
	})
}
