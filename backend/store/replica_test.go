package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
	"atrium/bench/members"
)

// schemaObjects lists a SQLite store's triggers and indexes with their SQL.
func schemaObjects(t *testing.T, st *store.Store) []string {
	t.Helper()
	var out []string
	if err := st.DB(context.Background()).Raw("SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master WHERE type IN ('trigger', 'index') ORDER BY name").Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// An organization of 1,500 members put on a replica, then put there again:
// the triggers and indexes suspended during the first (more rows than the
// table held) are all back, with their SQL; the counters are right; the
// member list's keys are the server's; and the organization is there once.
func TestReplaceOrganizationPutsTheSchemaBack(t *testing.T) {
	ctx := context.Background()
	server := storetest.SQLite(t)
	now := time.Now().UTC()
	org := domain.Organization{ID: domain.NewID(), Name: "Cabinet Martin", Timezone: "Europe/Paris", Status: domain.OrgActive, CreatedAt: now, UpdatedAt: now}
	if err := server.Create(ctx, &org); err != nil {
		t.Fatal(err)
	}
	if err := members.Generate(ctx, server, org.ID, "", 1500); err != nil {
		t.Fatal(err)
	}
	var tables []store.TableRows
	for _, q := range [][2]string{{"accounts", "1 = 1"}, {"organizations", "1 = 1"}, {"memberships", "1 = 1"}} {
		rows, err := server.ReadRows(ctx, q[0], q[1], nil, map[string]any{"password_hash": ""})
		if err != nil {
			t.Fatal(err)
		}
		tables = append(tables, rows)
	}

	replica := storetest.SQLite(t)
	before := schemaObjects(t, replica)
	for round := range 2 {
		ro := store.ReplicaOrg{OrgID: org.ID, AccountID: "", Position: int64(round), Access: "admin", SyncedAt: now}
		if err := replica.ReplaceOrganization(ctx, ro, tables, nil); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if after := schemaObjects(t, replica); !slices.Equal(before, after) {
			t.Fatalf("round %d: the schema's triggers and indexes differ after the replace", round)
		}
		var n, counted int64
		replica.DB(ctx).Table("memberships").Where("org_id = ?", org.ID).Count(&n)
		replica.DB(ctx).Raw("SELECT coalesce(sum(n), 0) FROM member_counts WHERE org_id = ?", org.ID).Scan(&counted)
		if n != 1500 || counted != 1500 {
			t.Fatalf("round %d: %d memberships, counted %d", round, n, counted)
		}
		var keys, serverKeys []string
		replica.DB(ctx).Table("memberships").Order("id").Pluck("sort_key", &keys)
		server.DB(ctx).Table("memberships").Order("id").Pluck("sort_key", &serverKeys)
		if !slices.Equal(keys, serverKeys) || keys[0] == "" {
			t.Fatalf("round %d: the member list's keys differ from the server's", round)
		}
	}
	// The triggers work again: a rename on the replica moves its member's key.
	var first string
	replica.DB(ctx).Table("accounts").Order("id").Limit(1).Pluck("id", &first)
	if err := replica.DB(ctx).Exec("UPDATE accounts SET last_name = 'Zola' WHERE id = ?", first).Error; err != nil {
		t.Fatal(err)
	}
	var key string
	replica.DB(ctx).Table("memberships").Where("account_id = ?", first).Pluck("sort_key", &key)
	if len(key) < 4 || key[:4] != "zola" {
		t.Errorf("after a rename on the replica the member's key is %q", key)
	}
}

// Rows read for a snapshot are JSON whatever their text holds, and read back
// the same.
func TestReadRowsWritesAnyTextAsJSON(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	now := time.Now().UTC()
	names := []string{`Cabinet "Martin"`, `C:\dossiers`, "é\"x", "ligne\nligne", "Zoé ☂", "\u2028", string([]byte{0xff, 'a'})}
	for _, n := range names {
		org := domain.Organization{ID: domain.NewID(), Name: n, Timezone: "Europe/Paris", Status: domain.OrgActive, CreatedAt: now, UpdatedAt: now}
		if err := st.Create(ctx, &org); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := st.ReadRows(ctx, "organizations", "1 = 1", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var decoded [][]any
	if err := json.Unmarshal(rows.Rows, &decoded); err != nil || len(decoded) != len(names) {
		t.Fatalf("%d rows, not JSON: %v\n%s", len(decoded), err, rows.Rows)
	}
	col := slices.Index(rows.Columns, "name")
	var got []string
	for _, r := range decoded {
		got = append(got, r[col].(string))
	}
	for _, n := range names[:len(names)-1] {
		if !slices.Contains(got, n) {
			t.Errorf("%q did not come back: %q", n, got)
		}
	}
}
