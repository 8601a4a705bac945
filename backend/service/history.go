package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// History shows an organization's history to holders of audit.view (SPEC E2),
// and each account its own.
type History struct {
	Deps
	auth     *Auth
	verifies verifyGate
}

// HistoryQuery filters the history. Dates are days (YYYY-MM-DD) in the
// organization's timezone, both included.
type HistoryQuery struct {
	Person string `json:"person"` // an account ID, or ""
	Action string `json:"action"` // an action, or ""
	From   string `json:"from"`
	To     string `json:"to"`
	Search string `json:"search"`
	Before int64  `json:"before"` // paging: entries older than this seq
	Limit  int    `json:"limit"`
}

// HistoryEntry is one line of the history screen.
type HistoryEntry struct {
	Seq         int64          `json:"seq"`
	Number      int64          `json:"number"` // in the organization's history, as its check counts
	ID          string         `json:"id"`
	At          time.Time      `json:"at"`
	Action      string         `json:"action"`
	ActorID     string         `json:"actorId"`
	ActorName   string         `json:"actorName"`
	SubjectType string         `json:"subjectType"`
	SubjectID   string         `json:"subjectId"`
	SubjectName string         `json:"subjectName"`
	Device      string         `json:"device"`
	Details     map[string]any `json:"details"`
	// Names of the people and roles the details name by their IDs.
	Names map[string]string `json:"names"`
	// Pending: on a connected desktop, an entry of a change made on this
	// computer that the server's history does not hold yet (its operation
	// is still queued); it has no number in the server's history.
	Pending bool `json:"pending"`
}

// HistoryPerson is a person offered by the filter.
type HistoryPerson struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// HistoryPage is one page of the history, newest first.
type HistoryPage struct {
	Entries  []HistoryEntry  `json:"entries"`
	Next     int64           `json:"next"` // pass as before for the next page; 0 at the end
	Timezone string          `json:"timezone"`
	People   []HistoryPerson `json:"people"`
	Actions  []string        `json:"actions"`
	// ServerCopy: a connected desktop shows the server's history as its last
	// sync brought it; its checks are made on the server.
	ServerCopy bool `json:"serverCopy"`
}

// historyActions are offered by the action filter, in display order: every
// action the history records.
var historyActions = audit.ActionCodes()

// maxPeopleSearched bounds how many people a search by name looks for.
const maxPeopleSearched = 200

// filter turns a query into the recorder's filter, refusing impossible dates.
func (s *History) filter(ctx context.Context, a domain.Actor, q HistoryQuery) (audit.Filter, *time.Location, error) {
	org, err := s.Store.OrganizationByID(ctx, a.OrgID)
	if err != nil {
		return audit.Filter{}, nil, err
	}
	loc, err := time.LoadLocation(org.Timezone)
	if err != nil {
		loc = time.UTC
	}
	f := audit.Filter{OrgID: a.OrgID, Search: q.Search, BeforeSeq: q.Before, Limit: q.Limit}
	if q.Action != "" {
		f.Actions = []string{q.Action}
	}
	errs := domain.FieldErrors{}
	day := func(field, v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", v, loc)
		if err != nil || t.Year() < 2000 || t.Year() > 2200 {
			errs.Add(field, domain.FieldInvalidDate)
			return time.Time{}
		}
		return t
	}
	f.From = day("from", q.From)
	if to := day("to", q.To); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
		if !f.From.IsZero() && f.From.After(to) {
			errs.Add("to", domain.FieldDateRange)
		}
	}
	// A connected desktop reads the server's copy of the history.
	if ro, ok, err := s.Store.ReplicaOrgOf(ctx, a.OrgID); err != nil {
		return f, loc, err
	} else if ok {
		f.ServerCopy, f.LocalSince = true, ro.SyncedAt
	}
	if utf8.RuneCountInString(q.Search) > 200 {
		errs.TooLong("search", 200)
	}
	if err := errs.Err(); err != nil {
		return f, loc, err
	}
	// The person filter keeps what they did and what was done to them.
	if q.Person != "" {
		if f.Concerning, err = s.personIDs(ctx, a.OrgID, []string{q.Person}); err != nil {
			return f, loc, err
		}
	}
	if strings.TrimSpace(q.Search) != "" {
		if f.SearchIDs, err = s.searchIDs(ctx, a.OrgID, q.Search); err != nil {
			return f, loc, err
		}
	}
	return f, loc, nil
}

// replicaOrg returns the state of orgID in a connected desktop's replica:
// found, the History reads the server's copy of the organization's history
// (kept by the pull), and the replica's own entries since its last rebuild
// on top, as waiting. A server and a standalone desktop hold none.
// checkedOnServer refuses, on a connected desktop, a check of a dossier's
// history that needs the server's history key (the whole chain, an exported
// file, a receipt): the desktop holds the server's entries, not its key, and
// its own chain is not that history.
func (s *History) checkedOnServer(ctx context.Context, orgID string) error {
	if _, copied, err := s.Store.ReplicaOrgOf(ctx, orgID); err != nil || !copied {
		return err
	}
	return domain.Errorf(domain.CodeForbidden, "a connected dossier's history is checked on its server")
}

// personIDs returns the IDs that stand for accounts in an organization's
// history: the accounts themselves, their memberships and the invitations
// sent to their addresses.
func (s *History) personIDs(ctx context.Context, orgID string, accounts []string) ([]string, error) {
	if len(accounts) == 0 {
		return nil, nil
	}
	db := s.Store.DB(ctx)
	ids := append([]string(nil), accounts...)
	var more []string
	if err := db.Table("memberships").Where("org_id = ? AND account_id IN ?", orgID, accounts).Pluck("id", &more).Error; err != nil {
		return nil, err
	}
	ids = append(ids, more...)
	more = nil
	err := db.Table("invitations i").Joins("JOIN accounts a ON LOWER(a.email) = LOWER(i.email)").
		Where("i.org_id = ? AND a.id IN ?", orgID, accounts).Pluck("i.id", &more).Error
	return append(ids, more...), err
}

// searchIDs finds the people of the organization whose name or address
// holds every word of the search (folded like member names), and the
// invitations sent to such names, and returns the IDs standing for them.
func (s *History) searchIDs(ctx context.Context, orgID, search string) ([]string, error) {
	words := strings.Fields(store.FoldName(search))
	if len(words) == 0 {
		return nil, nil
	}
	esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)
	db := s.Store.DB(ctx)
	members := db.Table("memberships").Where("org_id = ?", orgID)
	invites := db.Table("invitations").Where("org_id = ?", orgID)
	for _, w := range words {
		like := "%" + esc.Replace(w) + "%"
		members = members.Where(`(sort_key LIKE ? ESCAPE '\' OR email_key LIKE ? ESCAPE '\')`, like, like)
		invites = invites.Where(`atrium_fold(last_name || ' ' || first_name || ' ' || email) LIKE ? ESCAPE '\'`, like)
	}
	var accounts, invitations []string
	if err := members.Limit(maxPeopleSearched).Pluck("account_id", &accounts).Error; err != nil {
		return nil, err
	}
	if err := invites.Limit(maxPeopleSearched).Pluck("id", &invitations).Error; err != nil {
		return nil, err
	}
	ids, err := s.personIDs(ctx, orgID, accounts)
	return append(ids, invitations...), err
}

// names resolves what history entries name by ID, in the language of the
// reader: people (accounts, memberships, invitations, sessions), roles,
// tasks, organizations, applications and messages. What no longer exists
// (a deleted account, a deleted role) is left out, or named from the entry's
// own details where they keep it (a role's name).
type names struct {
	byID     map[string]string // account, role, task, organization… → name
	accounts map[string]string // membership, session, message → account
}

func (n names) person(id string) string {
	if acc, ok := n.accounts[id]; ok {
		id = acc
	}
	return n.byID[id]
}

// idsIn collects the IDs an entry's details name: the roles added, removed
// or given, the accounts assigned or made responsible, the organizations
// switched between. add is told the key that named each.
func idsIn(details map[string]any, add func(key, id string)) {
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case string:
			switch key {
			case "accountId", "assigneeId", "responsibleId", "successorId", "delegateId", "added", "removed", "roles", "from", "to", "orgId":
				if x != "" {
					add(key, x)
				}
			}
		case []any:
			for _, y := range x {
				walk(key, y)
			}
		case map[string]any:
			for k, y := range x {
				if k == "from" || k == "to" {
					walk(key, y) // a change: {"assigneeId": {"from": …, "to": …}}
				} else {
					walk(k, y)
				}
			}
		}
	}
	for k, v := range details {
		walk(k, v)
	}
}

func (s *History) resolve(ctx context.Context, evs []audit.Event, details []map[string]any, lang string) (names, error) {
	n := names{byID: map[string]string{}, accounts: map[string]string{}}
	byType := map[string][]string{}
	for i, e := range evs {
		if e.ActorID != nil {
			byType["account"] = append(byType["account"], *e.ActorID)
		}
		if e.SubjectID != "" {
			byType[e.SubjectType] = append(byType[e.SubjectType], e.SubjectID)
		}
		// Details name accounts and roles by their IDs; both are looked up.
		idsIn(details[i], func(key, id string) {
			if key == "orgId" {
				byType["organization"] = append(byType["organization"], id)
				return
			}
			byType["account"] = append(byType["account"], id)
			byType["role"] = append(byType["role"], id)
		})
	}
	db := s.Store.DB(ctx)
	type pair struct{ ID, Ref string }
	pairs := func(table, cols string, ids []string, into map[string]string) error {
		if len(ids) == 0 {
			return nil
		}
		var rows []pair
		if err := db.Table(table).Select(cols).Where("id IN ?", ids).Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			into[r.ID] = r.Ref
		}
		return nil
	}
	// Who stands behind a membership, a session, a message.
	for _, q := range []struct{ typ, table string }{{"membership", "memberships"}, {"session", "sessions"}, {"mail", "outbox"}} {
		if err := pairs(q.table, "id, account_id AS ref", byType[q.typ], n.accounts); err != nil {
			return n, err
		}
	}
	accounts := byType["account"]
	for _, acc := range n.accounts {
		accounts = append(accounts, acc)
	}
	people, err := s.Store.AccountNames(ctx, accounts)
	if err != nil {
		return n, err
	}
	for id, name := range people {
		n.byID[id] = name
	}
	for _, q := range []struct{ typ, table, cols string }{
		{"role", "roles", "id, name AS ref"},
		{"task", "tasks", "id, title AS ref"},
		{"organization", "organizations", "id, name AS ref"},
		// An invitation is named by the person invited, or their address.
		{"invitation", "invitations", "id, TRIM(first_name || ' ' || last_name) AS ref"},
	} {
		if err := pairs(q.table, q.cols, byType[q.typ], n.byID); err != nil {
			return n, err
		}
	}
	// A role deleted since is named as its own entries last named it.
	if len(evs) > 0 && evs[0].OrgID != nil {
		var gone []string
		for _, id := range byType["role"] {
			if _, ok := n.byID[id]; !ok {
				gone = append(gone, id)
			}
		}
		recorded, err := s.Audit.RecordedNames(ctx, *evs[0].OrgID, []string{audit.RoleCreated, audit.RoleUpdated, audit.RoleDeleted}, gone)
		if err != nil {
			return n, err
		}
		for id, name := range recorded {
			n.byID[id] = name
		}
	}
	if ids := byType["invitation"]; len(ids) > 0 {
		var rows []pair
		if err := db.Table("invitations").Select("id, email AS ref").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
			return n, err
		}
		for _, r := range rows {
			if n.byID[r.ID] == "" {
				n.byID[r.ID] = r.Ref
			}
		}
	}
	for _, a := range domain.Applications {
		n.byID[a.Key] = a.Name.In(lang)
	}
	return n, nil
}

// subject names who or what an entry concerns.
func (n names) subject(e audit.Event, details map[string]any) string {
	name := ""
	switch e.SubjectType {
	case "account", "membership", "session", "mail":
		name = n.person(e.SubjectID)
	default:
		name = n.byID[e.SubjectID]
	}
	if name == "" {
		// What the entry keeps of a subject gone since, or of a failed
		// sign-in's unknown address.
		for _, k := range []string{"name", "email", "title"} {
			if v, ok := details[k].(string); ok && v != "" {
				return v
			}
		}
	}
	return name
}

// entries resolves names and details of stored events; those of the
// server's copy on a connected desktop (serverCopy) keep the server's numbers.
func (s *History) entries(ctx context.Context, evs []audit.Event, lang string, serverCopy bool) ([]HistoryEntry, error) {
	details := make([]map[string]any, len(evs))
	for i, e := range evs {
		details[i] = map[string]any{}
		_ = json.Unmarshal([]byte(e.Details), &details[i])
	}
	n, err := s.resolve(ctx, evs, details, lang)
	if err != nil {
		return nil, err
	}
	numbers := map[int64]int64{}
	if len(evs) > 0 && evs[0].OrgID != nil {
		switch {
		case serverCopy:
			// The server's copy: its entries keep the server's numbers.
			for _, e := range evs {
				if e.OrgSeq != nil {
					numbers[e.Seq] = *e.OrgSeq
				}
			}
		default:
			if numbers, err = s.Audit.Numbers(ctx, *evs[0].OrgID, evs); err != nil {
				return nil, err
			}
		}
	}
	out := make([]HistoryEntry, 0, len(evs))
	for i, e := range evs {
		h := HistoryEntry{Seq: e.Seq, Number: numbers[e.Seq], ID: e.ID, At: e.At, Action: e.Action, SubjectType: e.SubjectType,
			SubjectID: e.SubjectID, Device: e.Device, Details: details[i], Names: map[string]string{}}
		if e.ActorID != nil {
			h.ActorID, h.ActorName = *e.ActorID, n.byID[*e.ActorID]
		}
		h.SubjectName = n.subject(e, details[i])
		idsIn(details[i], func(_, id string) {
			if name := n.person(id); name != "" {
				h.Names[id] = name
			}
		})
		out = append(out, h)
	}
	return out, nil
}

// List returns one page of the organization's history.
func (s *History) List(ctx context.Context, a domain.Actor, q HistoryQuery) (HistoryPage, error) {
	f, loc, err := s.filter(ctx, a, q)
	if err != nil {
		return HistoryPage{}, err
	}
	evs, next, err := s.Audit.List(ctx, f)
	if err != nil {
		return HistoryPage{}, err
	}
	// On a connected desktop, the first page starts with what was done here
	// and is still on its way to the server.
	var pending []audit.Event
	if f.ServerCopy && q.Before == 0 {
		if pending, err = s.Audit.Pending(ctx, f); err != nil {
			return HistoryPage{}, err
		}
		evs = append(pending, evs...)
	}
	out := HistoryPage{Timezone: loc.String(), Actions: historyActions, People: []HistoryPerson{}, Next: next, ServerCopy: f.ServerCopy}
	if out.Entries, err = s.entries(ctx, evs, s.language(ctx, a), f.ServerCopy); err != nil {
		return out, err
	}
	for i := range pending {
		out.Entries[i].Pending, out.Entries[i].Number = true, 0
	}
	people, err := s.Store.OrgPeople(ctx, a.OrgID)
	for _, p := range people {
		out.People = append(out.People, HistoryPerson{ID: p.ID, Name: p.Name})
	}
	return out, err
}

// MyHistoryQuery pages through the caller's own history.
type MyHistoryQuery struct {
	Before int64 `json:"before"`
	Limit  int   `json:"limit"`
}

// Mine returns the caller's own history ("Mon historique"): what they did and
// what was done to their account, in any organization or none.
func (s *History) Mine(ctx context.Context, a domain.Actor, q MyHistoryQuery) (HistoryPage, error) {
	evs, next, err := s.Audit.List(ctx, audit.Filter{OwnAccountID: a.AccountID, BeforeSeq: q.Before, Limit: q.Limit})
	if err != nil {
		return HistoryPage{}, err
	}
	out := HistoryPage{Timezone: "", Actions: historyActions, People: []HistoryPerson{}, Next: next}
	out.Entries, err = s.entries(ctx, evs, s.language(ctx, a), false) // the desktop's own entries
	return out, err
}

// maxExport bounds one CSV export.
const maxExport = 100_000

// ExportFile is a file the console offers to save.
type ExportFile struct {
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"`
	Content     string `json:"content"`
	Rows        int    `json:"rows"`
}

// Export returns the filtered history as a CSV file for spreadsheets (see
// audit.WriteExport): in the caller's language, times in the organization's
// timezone, each row with what its chain's check needs. The export itself is
// recorded.
//
// It is the caller's job "history.export" (jobs.go): the entries to write,
// counted first, and each one read, for the console's progress bar; the
// file is written once they are all read.
func (s *History) Export(ctx context.Context, a domain.Actor, q HistoryQuery) (ExportFile, error) {
	job := s.jobs.start(a, "history.export", 0)
	file, err := s.export(ctx, a, q, job)
	job.End(err)
	return file, err
}

// historyExportPage is how many entries one query of the history export
// reads: its progress moves by that much.
var historyExportPage = 500

// historyExportRead, set by tests only, is told how many entries the export
// has read after each one, so a test can hold it midway and see its count.
var historyExportRead func(n int)

func (s *History) export(ctx context.Context, a domain.Actor, q HistoryQuery, job *Job) (ExportFile, error) {
	f, loc, err := s.filter(ctx, a, q)
	if err != nil {
		return ExportFile{}, err
	}
	f.BeforeSeq, f.Limit = 0, historyExportPage
	if job != nil {
		n, err := s.Audit.Count(ctx, f, maxExport)
		if err != nil {
			return ExportFile{}, err
		}
		job.SetTotal(n)
	}
	var evs []audit.Event
	if _, err := s.Audit.Each(ctx, f, maxExport, func(e audit.Event) error {
		evs = append(evs, e)
		job.Add(1)
		if historyExportRead != nil {
			historyExportRead(len(evs))
		}
		return nil
	}); err != nil {
		return ExportFile{}, err
	}
	lang := s.language(ctx, a)
	entries, err := s.entries(ctx, evs, lang, f.ServerCopy)
	if err != nil {
		return ExportFile{}, err
	}
	rows := make([]audit.ExportRow, len(evs))
	for i, e := range evs {
		rows[i] = audit.ExportRow{Event: e, Number: entries[i].Number, Local: e.At.In(loc),
			Actor: entries[i].ActorName, Subject: entries[i].SubjectName}
	}
	var buf bytes.Buffer
	if err := audit.WriteExport(&buf, lang, rows); err != nil {
		return ExportFile{}, err
	}
	err = s.Audit.Record(ctx, audit.Entry{By: a, OrgID: a.OrgID, Action: audit.HistoryExported, SubjectType: "organization", SubjectID: a.OrgID,
		Details: map[string]any{"rows": len(rows)}})
	name := map[string]string{"fr": "historique-", "en": "history-"}[lang] + s.auth.now().In(loc).Format("2006-01-02") + ".csv"
	return ExportFile{Filename: name, ContentType: "text/csv", Content: buf.String(), Rows: len(rows)}, err
}

// ChainHead is a link of the history chain, as exported: the organization's
// newest entry (seq is its number in the organization's history), keyed by
// the server so that it cannot be made up or edited.
type ChainHead struct {
	Org  string    `json:"org"`
	Seq  int64     `json:"seq"`
	Hash string    `json:"hash"`
	At   time.Time `json:"at"`
	MAC  string    `json:"mac"`
}

// VerifyHistoryInput optionally gives a head exported earlier, so that a tail
// cut off since (with the head row rewritten) is also found.
type VerifyHistoryInput struct {
	Head *ChainHead `json:"head,omitempty"`
}

// HistoryVerification is the result of the integrity check of the
// organization's history. Numbers count the organization's own entries (1 is
// its first); nothing in it tells the size of the server's whole history.
type HistoryVerification struct {
	OK        bool       `json:"ok"`
	Checked   int64      `json:"checked"`
	BrokenSeq int64      `json:"brokenSeq"` // the number of the first entry that does not hold
	BrokenID  string     `json:"brokenId"`
	BrokenAt  *time.Time `json:"brokenAt,omitempty"`
	Problem   string     `json:"problem"`
	Millis    int64      `json:"millis"`
}

// historyVerifyEvery is the least time between two checks of one
// organization; a check that took long waits ten times its duration, so no
// organization keeps more than a tenth of a processor busy checking.
const historyVerifyEvery = 10 * time.Second

// historyVerifyQueue is how long a check waits for the one running on
// another organization before it is answered rate_limited.
const historyVerifyQueue = 5 * time.Second

// verifyGate bounds the integrity checks of one server process: one at a
// time for the whole server, and for each organization at most one every
// historyVerifyEvery (or ten times its last duration).
type verifyGate struct {
	once    sync.Once
	slot    chan struct{} // the server's one running check
	mu      sync.Mutex
	next    map[string]time.Time // organization → when it may check again
	running map[string]bool      // organizations whose check is running
}

func (g *verifyGate) init() {
	g.once.Do(func() {
		g.slot = make(chan struct{}, 1)
		g.next, g.running = map[string]time.Time{}, map[string]bool{}
	})
}

func rateLimited(wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	return &domain.Error{Code: domain.CodeRateLimited, Message: "the history was checked a moment ago, try again later", RetryAfter: max(1, secs)}
}

// enter lets one check of org start, or answers rate_limited. The
// organization's turn is taken at once, so parallel calls of one
// organization run one check at most; leave gives it its next turn.
func (g *verifyGate) enter(ctx context.Context, org string, now time.Time) (leave func(now time.Time, took time.Duration), err error) {
	g.init()
	g.mu.Lock()
	if g.running[org] {
		g.mu.Unlock()
		return nil, rateLimited(historyVerifyEvery)
	}
	if at, ok := g.next[org]; ok && now.Before(at) {
		g.mu.Unlock()
		return nil, rateLimited(at.Sub(now))
	}
	g.running[org] = true
	g.mu.Unlock()
	release := func(next time.Time) {
		g.mu.Lock()
		delete(g.running, org)
		g.next[org] = next
		g.mu.Unlock()
	}
	timer := time.NewTimer(historyVerifyQueue)
	defer timer.Stop()
	select {
	case g.slot <- struct{}{}:
	case <-timer.C:
		release(now)
		return nil, rateLimited(historyVerifyQueue)
	case <-ctx.Done():
		release(now)
		return nil, ctx.Err()
	}
	return func(end time.Time, took time.Duration) {
		<-g.slot
		release(end.Add(max(historyVerifyEvery, 10*took)))
	}, nil
}

// Verify checks the organization's history: its own entries and the chain's
// keyed checkpoints and head, never the other organizations' entries (the
// whole chain is the operator's `atrium-server audit verify`). Checks are
// throttled per organization and run one at a time on the server.
func (s *History) Verify(ctx context.Context, a domain.Actor, in VerifyHistoryInput) (HistoryVerification, error) {
	if a.OrgID == "" {
		return HistoryVerification{}, domain.Errorf(domain.CodeForbidden, "no organization")
	}
	if err := s.checkedOnServer(ctx, a.OrgID); err != nil {
		return HistoryVerification{}, err
	}
	var exported *audit.Head
	if in.Head != nil {
		exported = &audit.Head{Org: in.Head.Org, Seq: in.Head.Seq, Hash: in.Head.Hash, At: in.Head.At, MAC: in.Head.MAC}
		if s.Audit.CheckExported(*exported, a.OrgID) != nil {
			return HistoryVerification{}, domain.FieldErrors{"head": domain.FieldInvalidHead}.Err()
		}
	}
	leave, err := s.verifies.enter(ctx, a.OrgID, s.auth.now())
	if err != nil {
		return HistoryVerification{}, err
	}
	start := s.auth.now()
	took := time.Duration(0)
	defer func() { leave(s.auth.now(), took) }()
	rep, err := s.Audit.VerifyOrg(ctx, a.OrgID, exported)
	took = s.auth.now().Sub(start)
	if errors.Is(err, audit.ErrHeadInvalid) {
		return HistoryVerification{}, domain.FieldErrors{"head": domain.FieldInvalidHead}.Err()
	}
	if err != nil {
		return HistoryVerification{}, err
	}
	out := HistoryVerification{OK: rep.OK, Checked: rep.Checked, BrokenSeq: rep.Number, BrokenID: rep.EntryID,
		Problem: rep.Problem, Millis: took.Milliseconds()}
	if !rep.At.IsZero() {
		out.BrokenAt = &rep.At
	}
	details := map[string]any{"ok": rep.OK, "checked": rep.Checked}
	if !rep.OK {
		details["brokenSeq"], details["problem"] = rep.Number, rep.Problem
	}
	err = s.Audit.Record(ctx, audit.Entry{By: a, OrgID: a.OrgID, Action: audit.HistoryVerified, SubjectType: "organization", SubjectID: a.OrgID, Details: details})
	return out, err
}

// ExportHead records the export and returns the organization's newest link,
// keyed, as a small JSON file to keep elsewhere; verifying later with it
// detects a cut-off tail.
func (s *History) ExportHead(ctx context.Context, a domain.Actor, _ Empty) (ExportFile, error) {
	if a.OrgID == "" {
		return ExportFile{}, domain.Errorf(domain.CodeForbidden, "no organization")
	}
	if err := s.checkedOnServer(ctx, a.OrgID); err != nil {
		return ExportFile{}, err
	}
	var h audit.Head
	err := s.Store.Tx(ctx, func(ctx context.Context) error {
		if err := s.Audit.Record(ctx, audit.Entry{By: a, OrgID: a.OrgID, Action: audit.HistoryHeadExported, SubjectType: "organization", SubjectID: a.OrgID}); err != nil {
			return err
		}
		var err error
		h, err = s.Audit.OrgHead(ctx, a.OrgID)
		return err
	})
	if err != nil {
		return ExportFile{}, err
	}
	b, _ := json.MarshalIndent(ChainHead{Org: h.Org, Seq: h.Seq, Hash: h.Hash, At: h.At, MAC: h.MAC}, "", "  ")
	name := "atrium-chaine-" + h.At.UTC().Format("20060102-150405") + ".json"
	return ExportFile{Filename: name, ContentType: "application/json", Content: string(b) + "\n", Rows: 1}, nil
}

// CheckExportInput is a file the History screen exported, as the console
// read it back from the reader's disk.
type CheckExportInput struct {
	Content string `json:"content" text:"multiline"`
}

// ExportCheck says whether an exported file still says what the history
// holds: how many rows hold, how many of the organization's entries between
// its oldest and newest rows it leaves out (its filters), and the first row
// that does not hold (its line in the file, its entry number, why).
type ExportCheck struct {
	OK      bool   `json:"ok"`
	Rows    int    `json:"rows"`
	Missing int64  `json:"missing"`
	Line    int    `json:"line"`
	Number  int64  `json:"number"`
	Problem string `json:"problem"`
}

// CheckExport checks a file exported from this organization's History from
// the file alone: every row's keyed hash recomputed from its cells (the key
// is this installation's, so the file is checked here), what people read
// against what is chained, and the entry numbers. A file of another
// organization is refused without saying whether it holds.
func (s *History) CheckExport(ctx context.Context, a domain.Actor, in CheckExportInput) (ExportCheck, error) {
	if err := s.checkedOnServer(ctx, a.OrgID); err != nil {
		return ExportCheck{}, err
	}
	if strings.TrimSpace(in.Content) == "" {
		return ExportCheck{}, domain.FieldErrors{"content": domain.FieldRequired}.Err()
	}
	c, err := s.Audit.CheckExport(ctx, strings.NewReader(in.Content))
	if err != nil {
		return ExportCheck{}, err
	}
	if c.Rows > 0 && c.Org != a.OrgID {
		return ExportCheck{Line: 2, Problem: audit.ProblemOtherOrg}, nil
	}
	return ExportCheck{OK: c.OK, Rows: c.Rows, Missing: c.Missing, Line: c.Line, Number: c.Number, Problem: c.Problem}, nil
}
