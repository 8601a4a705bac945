package replica

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"atrium/backend/service"
	"atrium/backend/store"
)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// localOnly are the columns a replica keeps for itself: the rights version
// its triggers raise with every row it writes (a cache key, never read
// across databases).
var localOnly = map[string]bool{"organizations.rights_version": true}

// compareReplica checks, table by table, that the replica holds exactly
// what the server lets the account read (its sync.state and one
// sync.snapshot per organization, read on the server with the account's
// session token): the same organizations, and in each table the same rows
// with the same values, none missing and none more. It returns the first
// difference found.
func compareReplica(ctx context.Context, server *service.System, token string, replica *store.Store) error {
	return compareWith(ctx, registrySource{server.Registry, token}, replica)
}

// syncSource is where the comparison reads what the server lets the account
// read: the server's registry in this process, or a real server over HTTP.
type syncSource interface {
	state(ctx context.Context) (service.SyncState, error)
	snapshot(ctx context.Context, org string) (service.Snapshot, error)
}

// registrySource reads the server's registry in this process.
type registrySource struct {
	reg   *service.Registry
	token string
}

func (s registrySource) state(ctx context.Context) (service.SyncState, error) {
	res, err := s.reg.Invoke(ctx, service.Call{Op: "sync.state", Token: s.token, Input: []byte(`{"since":-1}`)})
	if err != nil {
		return service.SyncState{}, err
	}
	return res.Output.(service.SyncState), nil
}

func (s registrySource) snapshot(ctx context.Context, org string) (service.Snapshot, error) {
	res, err := s.reg.Invoke(ctx, service.Call{Op: "sync.snapshot", Token: s.token, Org: org, Input: []byte(`{"part":""}`)})
	if err != nil {
		return service.Snapshot{}, err
	}
	return res.Output.(service.Snapshot), nil
}

// clientSource reads a server over HTTP, as the replica's client.
type clientSource struct{ c *Client }

func (s clientSource) state(ctx context.Context) (service.SyncState, error) {
	var state service.SyncState
	err := s.c.Call(ctx, "sync.state", "", service.SyncStateInput{Since: -1}, &state)
	return state, err
}

func (s clientSource) snapshot(ctx context.Context, org string) (service.Snapshot, error) {
	return s.c.snapshot(ctx, org, service.SnapshotInput{})
}

// compareWith is compareReplica with the server read from src.
func compareWith(ctx context.Context, src syncSource, replica *store.Store) error {
	state, err := src.state(ctx)
	if err != nil {
		return err
	}
	held, err := replica.ReplicaOrgs(ctx)
	if err != nil {
		return err
	}
	var want, got []string
	for _, o := range state.Orgs {
		want = append(want, o.ID)
	}
	for _, o := range held {
		got = append(got, o.OrgID)
	}
	if !slices.Equal(want, got) {
		return fmt.Errorf("organizations: the server lets the account read %v, the replica holds %v", want, got)
	}
	// Every row the server would send, by local table, keyed by the row.
	server_ := map[string]map[string]bool{}
	tables := map[string]bool{}
	for _, o := range state.Orgs {
		snap, err := src.snapshot(ctx, o.ID)
		if err != nil {
			return err
		}
		for _, t := range snap.Tables {
			name := t.Name
			if name == "audit_events" {
				name = store.ReplicaHistoryTable
			}
			tables[name] = true
			rows, err := canonical(ctx, replica, name, t)
			if err != nil {
				return err
			}
			if server_[name] == nil {
				server_[name] = map[string]bool{}
			}
			for _, r := range rows {
				server_[name][r] = true
			}
		}
	}
	// The replica's rows of every table a snapshot fills, or could fill.
	for _, name := range []string{"accounts", "organizations", "account_security", "notification_prefs", "company_profiles",
		"org_security", "org_applications", "roles", "role_rights", "memberships", "membership_roles", "membership_rights",
		"membership_applications", "member_absences", "invitations", "tasks", "task_stand_ins", store.ReplicaHistoryTable} {
		t, err := replica.ReadRows(ctx, name, "1 = 1", nil, nil)
		if err != nil {
			return err
		}
		rows, err := canonical(ctx, replica, name, t)
		if err != nil {
			return err
		}
		have := map[string]bool{}
		for _, r := range rows {
			have[r] = true
			if !server_[name][r] {
				return fmt.Errorf("%s: the replica holds a row the server does not give: %s", name, r)
			}
		}
		for r := range server_[name] {
			if !have[r] {
				return fmt.Errorf("%s: the replica lacks the server's row %s", name, r)
			}
		}
	}
	return nil
}

// canonical writes each row of t as one comparable line: its columns in
// name order, each value read as the replica's column holds it.
func canonical(ctx context.Context, replica *store.Store, name string, t store.TableRows) ([]string, error) {
	cols, _, err := replica.ColumnTypes(ctx, name)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(t.Rows))
	dec.UseNumber()
	var rows [][]any
	if err := dec.Decode(&rows); err != nil {
		return nil, err
	}
	order := make([]int, len(t.Columns))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(t.Columns[a], t.Columns[b]) })
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		var b strings.Builder
		for _, i := range order {
			c := t.Columns[i]
			if localOnly[name+"."+c] {
				continue
			}
			v, err := store.LocalValue(cols[c], r[i])
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", name, c, err)
			}
			if tm, ok := v.(time.Time); ok {
				v = tm.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)
			}
			fmt.Fprintf(&b, "%s=%v;", c, v)
		}
		out = append(out, b.String())
	}
	return out, nil
}

func nowUTC() time.Time { return time.Now().UTC() }

// fingerprint is every row of every table of a store, in one string: two
// equal fingerprints mean nothing was written in between.
func fingerprint(t interface {
	Helper()
	Fatal(...any)
}, st *store.Store) string {
	t.Helper()
	ctx := context.Background()
	tables, err := st.DB(ctx).Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(tables)
	var b strings.Builder
	for _, name := range tables {
		if name == "goose_db_version" || name == "sqlite_sequence" {
			continue
		}
		rows, err := st.ReadRows(ctx, name, "1 = 1", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		lines, err := canonical(ctx, st, name, rows)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(lines)
		b.WriteString(name + "\n" + strings.Join(lines, "\n") + "\n")
	}
	return b.String()
}
