package service

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
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
		e.clock.set(clk.Now)
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
		// A role deleted since keeps the name its own entries gave it.
		roles := e.mustCall("roles.list", f.adminA, `{}`).Output
		b, _ := json.Marshal(roles)
		var list struct {
			Roles []struct{ ID, Name string }
		}
		_ = json.Unmarshal(b, &list)
		for _, r := range list.Roles {
			if r.Name == "Comptable" {
				e.mustCall("roles.delete", f.adminA, fmt.Sprintf(`{"roleId":%q}`, r.ID))
			}
		}
		page = e.mustCall("history.list", f.adminA, historyQuery("", audit.MemberRolesChanged, "")).Output.(HistoryPage)
		if len(page.Entries) != 1 || !hasValue(page.Entries[0].Names, "Comptable") {
			t.Errorf("roles changed, once the role is deleted: %+v", page.Entries)
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

// The action filter offers every action the history records.
func TestHistoryFilterOffersEveryAction(t *testing.T) {
	st := storetest.SQLite(t)
	f := newFixture(t, st)
	page := f.env.mustCall("history.list", f.adminA, historyQuery("", "", "")).Output.(HistoryPage)
	offered := map[string]bool{}
	for _, a := range page.Actions {
		offered[a] = true
	}
	// audit.ActionCodes is every declared action (TestEveryActionHasWords).
	for _, a := range audit.ActionCodes() {
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

// An exported file is checked from itself alone: every row's hash is
// recomputed from its cells and its numbers show what is missing; a row
// edited, removed or reworded in the file is found.
func TestHistoryExportIsCheckedOnItsOwn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		sophie(t, f)
		content := e.mustCall("history.export", f.adminA, `{}`).Output.(ExportFile).Content
		// The database is gone: only the file and the key are left.
		storetest.DropHistoryGuards(t, st)
		st.DB(context.Background()).Exec("DELETE FROM audit_events")
		ctx := context.Background()
		check := func(file string) audit.ExportCheck {
			t.Helper()
			c, err := e.rec.CheckExport(ctx, strings.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		rows := readExport(t, content)
		if c := check(content); !c.OK || c.Rows != len(rows)-1 || c.Oldest != 1 || c.Newest != int64(len(rows)-1) || c.Missing != 0 || c.Org != f.orgA {
			t.Fatalf("the export as written does not hold: %s", c)
		}
		lines := strings.Split(content, "\r\n")
		// Lines: 0 the header, 1 the newest entry… Edit the chained details of one.
		target := 3
		for i, l := range lines {
			if strings.Contains(l, audit.MemberDisabled) {
				target = i
			}
		}
		edited := append([]string(nil), lines...)
		edited[target] = strings.Replace(edited[target], `""from"":""active""`, `""from"":""away""`, 1)
		if edited[target] == lines[target] {
			t.Fatalf("nothing to edit in %q", lines[target])
		}
		if c := check(strings.Join(edited, "\r\n")); c.OK || c.Problem != audit.ProblemAltered || c.Line != target+1 {
			t.Errorf("edited details: %s", c)
		}
		// What people read must say what is chained.
		reworded := append([]string(nil), lines...)
		reworded[target] = strings.Replace(reworded[target], "Membre désactivé", "Membre réactivé", 1)
		if c := check(strings.Join(reworded, "\r\n")); c.OK || c.Problem != audit.ProblemMismatch {
			t.Errorf("reworded action: %s", c)
		}
		// A row taken out leaves a gap in the numbers.
		cut := append(append([]string(nil), lines[:target]...), lines[target+1:]...)
		if c := check(strings.Join(cut, "\r\n")); !c.OK || c.Missing != 1 {
			t.Errorf("a removed row: %s", c)
		}
		// Rows put out of order.
		swapped := append([]string(nil), lines...)
		swapped[1], swapped[2] = swapped[2], swapped[1]
		if c := check(strings.Join(swapped, "\r\n")); c.OK || c.Problem != audit.ProblemOrder {
			t.Errorf("rows out of order: %s", c)
		}
		if c := check("seq,time,action\n1,2,3\n"); c.OK || c.Problem != audit.ProblemNotExport {
			t.Errorf("not an export: %s", c)
		}
		// Another key (another server) cannot vouch for the file.
		if c, _ := audit.New(st).CheckExport(ctx, strings.NewReader(content)); c.OK {
			t.Error("a file was vouched for without its history's key")
		}
	})
}

// A filtered export holds too; its numbers show how many entries it leaves out.
func TestHistoryFilteredExportHolds(t *testing.T) {
	st := storetest.SQLite(t)
	f := newFixture(t, st)
	e := f.env
	sophie(t, f)
	// Anne created the workspace, then others signed in before she acted on Sophie.
	content := e.mustCall("history.export", f.adminA, historyQuery(f.adminAID, "", "")).Output.(ExportFile).Content
	c, err := e.rec.CheckExport(context.Background(), strings.NewReader(content))
	if err != nil || !c.OK || c.Rows != len(readExport(t, content))-1 || c.Oldest != 1 || c.Missing == 0 {
		t.Fatalf("filtered export: %s %v", c, err)
	}
}

// The History screen checks a file it exported, read back from the
// reader's disk: as written it holds; edited, it names the first row that
// does not; another organization's admin learns nothing of it.
func TestHistoryChecksAnExportedFile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		sophie(t, f)
		content := e.mustCall("history.export", f.adminA, `{}`).Output.(ExportFile).Content
		checkAs := func(token, file string) ExportCheck {
			t.Helper()
			return e.mustCall("history.checkExport", token, jsonOf(CheckExportInput{Content: file})).Output.(ExportCheck)
		}
		rows := len(readExport(t, content)) - 1
		if c := checkAs(f.adminA, content); !c.OK || c.Rows != rows || c.Missing != 0 {
			t.Fatalf("the file as exported: %+v", c)
		}
		edited := strings.Replace(content, "Membre désactivé", "Membre réactivé", 1)
		if edited == content {
			t.Fatal("nothing to edit in the export")
		}
		if c := checkAs(f.adminA, edited); c.OK || c.Problem != audit.ProblemMismatch || c.Line < 2 || c.Number == 0 {
			t.Errorf("an edited file: %+v", c)
		}
		if c := checkAs(f.adminB, content); c.OK || c.Problem != audit.ProblemOtherOrg || c.Rows != 0 {
			t.Errorf("another organization's file: %+v", c)
		}
		if c := checkAs(f.adminA, "Ceci n'est pas un export"); c.OK || c.Problem != audit.ProblemNotExport {
			t.Errorf("not an export: %+v", c)
		}
		if _, err := e.call("history.checkExport", f.adminA, `{"content":"  "}`); fieldsOf(t, err)["content"] != domain.FieldRequired {
			t.Errorf("an empty file: %v", err)
		}
	})
}
