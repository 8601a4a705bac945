package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"atrium/backend/domain"

	"gorm.io/gorm"
)

// A connected desktop's replica holds copies of the server's rows for the
// organizations its account may read. The server reads them here as they
// are stored (ReadRows, in one consistent read: SnapshotRead); the replica
// replaces one organization's rows with them in one transaction
// (ReplaceOrganization), so a crash leaves the old rows or the new ones.

// ReplicaOrg is one organization a replica holds: the account it was pulled
// for, the server's change-log position its rows are consistent with, and
// the account's access there at that time.
type ReplicaOrg struct {
	OrgID     string `gorm:"primaryKey"`
	AccountID string
	Position  int64
	Access    string
	SyncedAt  time.Time
}

func (ReplicaOrg) TableName() string { return "replica_orgs" }

// TableRows is one table's rows as the store holds them: the column names
// once, then each row as a JSON array of values in that order.
type TableRows struct {
	Name    string          `json:"name"`
	Columns []string        `json:"columns"`
	Rows    json.RawMessage `json:"rows"`
	Count   int             `json:"count"`
}

// ReplicaHistoryTable is where a replica keeps the server's history: the
// server's audit_events rows, apart from the replica's own chain.
const ReplicaHistoryTable = "replica_history"

// replicaTable is the replica's table for a server table a snapshot carries.
func replicaTable(server string) string {
	if server == "audit_events" {
		return ReplicaHistoryTable
	}
	return server
}

// ReplicaHistoryHead is the newest entry of the server's history the replica
// holds for an organization (0 for none).
func (s *Store) ReplicaHistoryHead(ctx context.Context, orgID string) (int64, error) {
	var head int64
	err := s.DB(ctx).Raw("SELECT coalesce(max(seq), 0) FROM "+ReplicaHistoryTable+" WHERE org_id = ?", orgID).Scan(&head).Error
	return head, err
}

// SnapshotRead runs fn in one read transaction: every read in it sees the
// database at one moment. On PostgreSQL that is a repeatable-read snapshot;
// SQLite's transaction holds the write lock, so no write lands in between.
func (s *Store) SnapshotRead(ctx context.Context, fn func(ctx context.Context) error) error {
	if InTx(ctx) {
		return fn(ctx)
	}
	var opts []*sql.TxOptions
	if s.dialect == Postgres {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	}, opts...)
}

// ReadRows reads the rows of table that match where, every column as stored,
// except those named in blank, whose value is replaced (secrets that never
// leave the server).
func (s *Store) ReadRows(ctx context.Context, table, where string, args []any, blank map[string]any) (TableRows, error) {
	out := TableRows{Name: table}
	rows, err := s.DB(ctx).Raw("SELECT * FROM "+table+" WHERE "+where, args...).Rows()
	if err != nil {
		return out, err
	}
	defer rows.Close()
	if out.Columns, err = rows.Columns(); err != nil {
		return out, err
	}
	vals := make([]any, len(out.Columns))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var buf []byte
	buf = append(buf, '[')
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return out, err
		}
		for i, c := range out.Columns {
			if v, ok := blank[c]; ok {
				vals[i] = v
			} else if b, ok := vals[i].([]byte); ok {
				vals[i] = string(b)
			}
		}
		if out.Count > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '[')
		for i, v := range vals {
			if i > 0 {
				buf = append(buf, ',')
			}
			if buf, err = appendJSON(buf, v); err != nil {
				return out, err
			}
		}
		buf = append(buf, ']')
		out.Count++
	}
	out.Rows = append(buf, ']')
	return out, rows.Err()
}

// appendJSON writes one value as the drivers return them, as JSON: by hand
// for the kinds a row holds (a snapshot is hundreds of thousands of them),
// through encoding/json for anything else and for text to escape.
func appendJSON(buf []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case string:
		if plainText(x) {
			buf = append(buf, '"')
			buf = append(buf, x...)
			return append(buf, '"'), nil
		}
	case int64:
		return strconv.AppendInt(buf, x, 10), nil
	case bool:
		return strconv.AppendBool(buf, x), nil
	case time.Time:
		buf = append(buf, '"')
		buf = x.UTC().AppendFormat(buf, time.RFC3339Nano)
		return append(buf, '"'), nil
	}
	b, err := json.Marshal(v)
	return append(buf, b...), err
}

// plainText reports whether s is valid UTF-8 that JSON takes as it is.
func plainText(s string) bool {
	ascii := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c == '"' || c == '\\':
			return false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return ascii || utf8.ValidString(s)
}

// ReplicaOrgOf returns the replica's state of one organization, if the
// replica holds it (on a server or a standalone desktop, never).
func (s *Store) ReplicaOrgOf(ctx context.Context, orgID string) (ReplicaOrg, bool, error) {
	var ros []ReplicaOrg
	err := s.DB(ctx).Where("org_id = ?", orgID).Limit(1).Find(&ros).Error
	if err != nil || len(ros) == 0 {
		return ReplicaOrg{}, false, err
	}
	return ros[0], true, nil
}

// ReplicaOrgs lists the organizations the replica holds.
func (s *Store) ReplicaOrgs(ctx context.Context) ([]ReplicaOrg, error) {
	var out []ReplicaOrg
	err := s.DB(ctx).Order("org_id").Find(&out).Error
	return out, err
}

// ReplaceOrganization puts the server's rows of one organization in place of
// the replica's, in one transaction, and records the position and access
// they were read at. progress, when set, is told how many rows are in.
func (s *Store) ReplaceOrganization(ctx context.Context, ro ReplicaOrg, tables []TableRows, progress func(rows int)) error {
	return s.replace(ctx, ro, tables, progress, s.dropOrganization, derivedTables)
}

// ReplaceTasks puts the server's tasks of one organization (a snapshot's
// tasks part) in place of the replica's, in one transaction, adds the
// history entries that came with them, and records the position they were
// read at.
func (s *Store) ReplaceTasks(ctx context.Context, ro ReplicaOrg, tables []TableRows, progress func(rows int)) error {
	// Only the tasks' own triggers (their counters) matter here, and only
	// for many tasks: for a few, keeping them costs less than dropping and
	// creating them again (the counters are recounted either way).
	var derived []string
	if rowsOf(tables) >= bulkRows {
		derived = []string{"tasks"}
	}
	return s.replace(ctx, ro, tables, progress, func(ctx context.Context, orgID string) error {
		return s.DB(ctx).Exec("DELETE FROM tasks WHERE org_id = ?", orgID).Error
	}, derived)
}

// rowsOf is how many rows tables hold.
func rowsOf(tables []TableRows) int {
	n := 0
	for _, t := range tables {
		n += t.Count
	}
	return n
}

// replace removes rows of an organization with drop and writes tables in
// their place, the triggers of the derived tables suspended meanwhile.
func (s *Store) replace(ctx context.Context, ro ReplicaOrg, tables []TableRows, progress func(rows int),
	drop func(context.Context, string) error, derived []string) error {
	if s.dialect != SQLite {
		return errors.New("store: a replica is a SQLite file")
	}
	return s.WriteTx(ctx, func(ctx context.Context) error {
		// A large organization's rows and indexes stay in memory until
		// the commit instead of spilling to the file half-written.
		if err := s.DB(ctx).Exec("PRAGMA cache_size = -131072").Error; err != nil {
			return err
		}
		var version int64
		if err := s.DB(ctx).Raw("SELECT coalesce(max(rights_version), 0) FROM organizations WHERE id = ?", ro.OrgID).Scan(&version).Error; err != nil {
			return err
		}
		restore, err := s.suspendDerivedTriggers(ctx, derived)
		if err != nil {
			return err
		}
		if err := drop(ctx, ro.OrgID); err != nil {
			return err
		}
		reindex, err := s.suspendIndexes(ctx, tables)
		if err != nil {
			return err
		}
		done := 0
		for _, t := range tables {
			if err := s.insertRows(ctx, replicaTable(t.Name), t, func(n int) {
				if progress != nil {
					progress(done + n)
				}
			}); err != nil {
				return fmt.Errorf("store: %s: %w", t.Name, err)
			}
			done += t.Count
		}
		if err := reindex(); err != nil {
			return err
		}
		if err := s.recountOrganization(ctx, ro.OrgID, version); err != nil {
			return err
		}
		if err := restore(); err != nil {
			return err
		}
		if err := s.dropStrayAccounts(ctx, ro.AccountID); err != nil {
			return err
		}
		if err := s.DB(ctx).Save(&ro).Error; err != nil {
			return err
		}
		// The replica's own readers (the desktop's console) learn that the
		// organization was brought to the server's state.
		return s.AppendChange(ctx, Change{OrgID: &ro.OrgID, Entity: "organization", EntityID: ro.OrgID, Action: "synced"})
	})
}

// derivedTables are the tables whose triggers keep derived data: the member
// list's search and sort keys, the member and task counters, the rights
// version. A snapshot carries the keys as the server's triggers made them.
var derivedTables = []string{"accounts", "organizations", "roles", "role_rights", "memberships", "membership_roles",
	"membership_rights", "org_security", "account_security", "tasks"}

// suspendDerivedTriggers drops, inside the caller's transaction, the
// triggers of tables that would recompute, row by row, what the snapshot's rows
// already hold (a hundred thousand members cost three statements each
// otherwise), and returns the function that puts them back, as they were,
// before the transaction commits: a crash in between rolls both back.
func (s *Store) suspendDerivedTriggers(ctx context.Context, tables []string) (func() error, error) {
	type trigger struct{ Name, SQL string }
	var ts []trigger
	if len(tables) > 0 {
		err := s.DB(ctx).Raw("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ? ORDER BY name", tables).Scan(&ts).Error
		if err != nil {
			return nil, err
		}
	}
	for _, t := range ts {
		if err := s.DB(ctx).Exec(`DROP TRIGGER "` + t.Name + `"`).Error; err != nil {
			return nil, err
		}
	}
	return func() error {
		for _, t := range ts {
			if err := s.DB(ctx).Exec(t.SQL).Error; err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// bulkRows is how many rows a table must receive for its indexes to be
// built after them rather than kept up to date.
const bulkRows = 1000

// suspendIndexes drops, inside the caller's transaction, the indexes of
// each table that receives more rows than it holds (an organization's first
// sync): building an index once over sorted rows is several times cheaper
// than keeping it up to date row by row. The function it returns builds
// them again, as they were, before the transaction commits.
func (s *Store) suspendIndexes(ctx context.Context, tables []TableRows) (func() error, error) {
	var names []string
	for _, t := range tables {
		if t.Count < bulkRows {
			continue
		}
		var have int64
		if err := s.DB(ctx).Table(replicaTable(t.Name)).Count(&have).Error; err != nil {
			return nil, err
		}
		if int64(t.Count) > have {
			names = append(names, replicaTable(t.Name))
		}
	}
	type index struct{ Name, SQL string }
	var ix []index
	if len(names) > 0 {
		err := s.DB(ctx).Raw("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ? ORDER BY name", names).Scan(&ix).Error
		if err != nil {
			return nil, err
		}
	}
	for _, i := range ix {
		if err := s.DB(ctx).Exec(`DROP INDEX "` + i.Name + `"`).Error; err != nil {
			return nil, err
		}
	}
	return func() error {
		for _, i := range ix {
			if err := s.DB(ctx).Exec(i.SQL).Error; err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// recountOrganization writes what the suspended triggers keep for one
// organization: its member and task counters, and a rights version past any
// the replica's processes may have cached (the server's numbers are its own).
func (s *Store) recountOrganization(ctx context.Context, orgID string, before int64) error {
	db := s.DB(ctx)
	for _, q := range []string{
		"DELETE FROM member_counts WHERE org_id = ?",
		"INSERT INTO member_counts (org_id, status, n) SELECT org_id, status, count(*) FROM memberships WHERE org_id = ? GROUP BY org_id, status",
		"DELETE FROM task_counts WHERE org_id = ?",
		"INSERT INTO task_counts (org_id, assignee_key, status, n) SELECT org_id, coalesce(assignee_id, ''), status, count(*) FROM tasks WHERE org_id = ? GROUP BY org_id, coalesce(assignee_id, ''), status",
	} {
		if err := db.Exec(q, orgID).Error; err != nil {
			return err
		}
	}
	return db.Exec("UPDATE organizations SET rights_version = max(rights_version, ?) + 1 WHERE id = ?", before, orgID).Error
}

// ForgetOrganizations removes what the replica holds of the given
// organizations (all it holds when ids is nil), and the accounts and
// sessions no longer needed. The queue of operations is kept.
func (s *Store) ForgetOrganizations(ctx context.Context, ids []string, keepAccount string) error {
	return s.WriteTx(ctx, func(ctx context.Context) error {
		if ids == nil {
			if err := s.DB(ctx).Model(&ReplicaOrg{}).Pluck("org_id", &ids).Error; err != nil {
				return err
			}
		}
		for _, id := range ids {
			if err := s.dropOrganization(ctx, id); err != nil {
				return err
			}
			if err := s.AppendChange(ctx, Change{OrgID: &id, Entity: "organization", EntityID: id, Action: "deleted"}); err != nil {
				return err
			}
		}
		if keepAccount == "" {
			// Signed out: no session of the replica's accounts goes on.
			if err := s.DB(ctx).Exec("DELETE FROM sessions WHERE account_id NOT IN (SELECT account_id FROM memberships)").Error; err != nil {
				return err
			}
		}
		return s.dropStrayAccounts(ctx, keepAccount)
	})
}

// DeleteSessionByTokenHash removes a session the replica opened for its own
// use (re-applying the queue after a pull), so no trace of it stays in the
// account's list of devices.
func (s *Store) DeleteSessionByTokenHash(ctx context.Context, hash string) error {
	return s.DB(ctx).Where("token_hash = ?", hash).Delete(&domain.Session{}).Error
}

// dropOrganization removes an organization's rows: its own, those that
// cascade from it, the server's history copied for it, and its state.
func (s *Store) dropOrganization(ctx context.Context, orgID string) error {
	db := s.DB(ctx)
	for _, q := range []string{
		"DELETE FROM organizations WHERE id = ?",
		"DELETE FROM " + ReplicaHistoryTable + " WHERE org_id = ?",
		"DELETE FROM replica_orgs WHERE org_id = ?",
	} {
		if err := db.Exec(q, orgID).Error; err != nil {
			return err
		}
	}
	return nil
}

// dropStrayAccounts removes the accounts that no row of the replica names
// any longer, but keep (the replica's own account).
func (s *Store) dropStrayAccounts(ctx context.Context, keep string) error {
	return s.DB(ctx).Exec(`DELETE FROM accounts WHERE id <> ?
		AND id NOT IN (SELECT account_id FROM memberships)
		AND id NOT IN (SELECT responsible_id FROM organizations WHERE responsible_id IS NOT NULL)
		AND id NOT IN (SELECT assignee_id FROM tasks WHERE assignee_id IS NOT NULL)
		AND id NOT IN (SELECT creator_id FROM tasks WHERE creator_id IS NOT NULL)
		AND id NOT IN (SELECT invited_by FROM invitations WHERE invited_by IS NOT NULL)
		AND id NOT IN (SELECT delegate_id FROM member_absences WHERE delegate_id IS NOT NULL)
		AND id NOT IN (SELECT absent_id FROM task_stand_ins)
		AND id NOT IN (SELECT account_id FROM sessions)`, keep).Error
}

// column is one column of a local table, as SQLite declares it.
type column struct {
	typ string
	pk  bool
}

func (s *Store) columns(ctx context.Context, table string) (map[string]column, []string, error) {
	rows, err := s.DB(ctx).Raw("SELECT name, type, pk FROM pragma_table_info(?)", table).Rows()
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cols := map[string]column{}
	var pks []string
	for rows.Next() {
		var name, typ string
		var pk int
		if err := rows.Scan(&name, &typ, &pk); err != nil {
			return nil, nil, err
		}
		cols[name] = column{typ: strings.ToUpper(typ), pk: pk > 0}
		if pk > 0 {
			pks = append(pks, name)
		}
	}
	if len(cols) == 0 {
		return nil, nil, fmt.Errorf("no table %s here", table)
	}
	return cols, pks, rows.Err()
}

// ColumnTypes returns the declared type of each column of a local table,
// and its primary key's columns.
func (s *Store) ColumnTypes(ctx context.Context, table string) (map[string]string, []string, error) {
	cols, pks, err := s.columns(ctx, table)
	out := make(map[string]string, len(cols))
	for n, c := range cols {
		out[n] = c.typ
	}
	return out, pks, err
}

// sharedTables hold rows of accounts, which several organizations share.
var sharedTables = map[string]bool{"accounts": true, "account_security": true, "notification_prefs": true}

// insertValues bounds one INSERT's values: the SQLite driver matches each
// placeholder to its argument by a walk of the arguments, so a statement's
// cost grows with the square of its values, and short statements are fastest.
const insertValues = 240

// insertRows writes t's rows into the local table name, each value read as
// the local column's type: a server on PostgreSQL and a SQLite replica
// spell times and booleans differently.
func (s *Store) insertRows(ctx context.Context, name string, t TableRows, progress func(int)) error {
	if t.Count == 0 {
		return nil
	}
	cols, pks, err := s.columns(ctx, name)
	if err != nil {
		return err
	}
	types := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		col, ok := cols[c]
		if !ok {
			return fmt.Errorf("the server's column %s is unknown here", c)
		}
		types[i] = col.typ
	}
	dec := json.NewDecoder(bytes.NewReader(t.Rows))
	dec.UseNumber()
	var rows [][]any
	if err := dec.Decode(&rows); err != nil {
		return err
	}
	var head strings.Builder
	head.WriteString("INSERT INTO " + name + " (" + strings.Join(t.Columns, ", ") + ") VALUES ")
	// Only an account's rows may be there already (an account in several
	// organizations): they take the server's values. The organization's own
	// were just removed, and a plain insert is cheaper.
	var tail strings.Builder
	if sharedTables[name] {
		tail.WriteString(" ON CONFLICT (" + strings.Join(pks, ", ") + ") DO ")
		var sets []string
		for _, c := range t.Columns {
			if !cols[c].pk {
				sets = append(sets, c+" = excluded."+c)
			}
		}
		if len(sets) == 0 {
			tail.WriteString("NOTHING")
		} else {
			tail.WriteString("UPDATE SET " + strings.Join(sets, ", "))
		}
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.Columns)), ", ") + ")"
	tx, ok := s.DB(ctx).Statement.ConnPool.(interface {
		PrepareContext(context.Context, string) (*sql.Stmt, error)
	})
	if !ok {
		return errors.New("store: rows are inserted inside a transaction")
	}
	// Full batches share one prepared statement; the last one, shorter,
	// gets its own.
	statements := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range statements {
			st.Close()
		}
	}()
	batch := max(1, insertValues/len(t.Columns))
	args := make([]any, 0, batch*len(t.Columns))
	for start := 0; start < len(rows); start += batch {
		end := min(start+batch, len(rows))
		stmt := statements[end-start]
		if stmt == nil {
			q := head.String() + strings.TrimSuffix(strings.Repeat(one+", ", end-start), ", ") + tail.String()
			if stmt, err = tx.PrepareContext(ctx, q); err != nil {
				return err
			}
			statements[end-start] = stmt
		}
		args = args[:0]
		for _, r := range rows[start:end] {
			if len(r) != len(t.Columns) {
				return fmt.Errorf("a row of %d values for %d columns", len(r), len(t.Columns))
			}
			for j, v := range r {
				cv, err := LocalValue(types[j], v)
				if err != nil {
					return fmt.Errorf("%s: %w", t.Columns[j], err)
				}
				args = append(args, cv)
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return err
		}
		if progress != nil {
			progress(end)
		}
	}
	return nil
}

// LocalValue reads one JSON value as a local column of type typ holds it.
func LocalValue(typ string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch typ {
	case "DATETIME":
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("a time that is not one: %v", v)
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		return t.UTC(), err
	case "BOOLEAN":
		switch b := v.(type) {
		case bool:
			return b, nil
		case json.Number:
			return b.String() != "0", nil
		}
		return nil, fmt.Errorf("a yes/no that is not one: %v", v)
	case "INTEGER", "BIGINT":
		if n, ok := v.(json.Number); ok {
			return n.Int64()
		}
		return nil, fmt.Errorf("a number that is not one: %v", v)
	}
	if n, ok := v.(json.Number); ok {
		return n.String(), nil
	}
	return v, nil
}

// MembershipOf returns the id of an account's membership in an organization
// ("" when it has none).
func (s *Store) MembershipOf(ctx context.Context, orgID, accountID string) (string, error) {
	var ids []string
	err := s.DB(ctx).Raw("SELECT id FROM memberships WHERE org_id = ? AND account_id = ?", orgID, accountID).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return "", err
	}
	return ids[0], nil
}

// AccountsChangedSince returns the newest position after after at which an
// account a replica holds for an organization (every member's with
// members.view, else the caller's own) changed, 0 for none: an account's
// changes are logged outside any organization, so an organization's own
// entries do not show them. Without members.view the caller's own
// membership and the roles it holds are not in the entries it reads either,
// and are looked for here too.
func (s *Store) AccountsChangedSince(ctx context.Context, orgID string, after int64, members bool, self string) (int64, error) {
	q := s.DB(ctx).Model(&Change{}).Where("seq > ?", after)
	if members {
		q = q.Where("org_id IS NULL AND entity IN ? AND entity_id IN (SELECT account_id FROM memberships WHERE org_id = ?)",
			[]string{"account", "two_factor"}, orgID)
	} else {
		q = q.Where(`(org_id IS NULL AND entity IN ? AND entity_id = ?)
			OR (org_id = ? AND entity = 'membership' AND entity_id IN (SELECT id FROM memberships WHERE org_id = ? AND account_id = ?))
			OR (org_id = ? AND entity = 'role' AND entity_id IN (SELECT mr.role_id FROM membership_roles mr
				JOIN memberships m ON m.id = mr.membership_id WHERE m.org_id = ? AND m.account_id = ?))`,
			[]string{"account", "two_factor"}, self, orgID, orgID, self, orgID, orgID, self)
	}
	var newest *int64
	err := q.Select("MAX(seq)").Scan(&newest).Error
	if newest == nil {
		return 0, err
	}
	return *newest, err
}
