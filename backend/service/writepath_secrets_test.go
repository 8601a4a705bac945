package service

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"atrium/backend/store"
	"atrium/backend/storetest"
)

// secretColumn names the columns whose values must never travel in the
// change log: password hashes, tokens and their hashes, codes, links, mail
// bodies, second-factor secrets, the SMTP password.
var secretColumn = regexp.MustCompile(`hash|secret|password|token|code|link|body`)

// TestChangeLogCarriesNoSecret walks every writing operation, as the write
// walk does, and then looks for every secret the database holds in the
// states of the change log: the offline sync and the live stream will hand
// them to other machines, which must never learn a link, a code or a hash.
// It runs on SQLite: what an operation declares does not depend on the
// database.
func TestChangeLogCarriesNoSecret(t *testing.T) {
	for _, c := range writeCalls(t) {
		t.Run(c.op.Name, func(t *testing.T) {
			f := newFixture(t, storetest.SQLite(t))
			caller, input := c.prepare(t, f)
			if _, err := f.env.callIn(f.orgA, c.op.Name, caller, input); err != nil {
				t.Fatalf("%s: %v", c.op.Name, err)
			}
			noSecretInChangeLog(t, f.env.st)
		})
	}
}

// noSecretInChangeLog fails when a state of the change log holds a value of
// a secret column of the database: the public journeys (a link followed, a
// code typed) check it too.
func noSecretInChangeLog(t *testing.T, st *store.Store) {
	t.Helper()
	states := changeStates(t, st)
	for where, secret := range secrets(t, st) {
		for _, s := range states {
			if strings.Contains(s, secret) {
				t.Errorf("the change log carries %s: %s", where, s)
			}
		}
	}
}

func changeStates(t *testing.T, st *store.Store) []string {
	t.Helper()
	var out []string
	if err := st.DB(context.Background()).Table("change_log").Where("state IS NOT NULL").Pluck("state", &out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// secrets returns every value of a secret column of the database, by
// table.column, long enough not to be found by chance.
func secrets(t *testing.T, st *store.Store) map[string]string {
	t.Helper()
	db := st.DB(context.Background())
	tables, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, table := range tables {
		if table == "change_log" || table == "audit_events" {
			continue
		}
		var rows []map[string]any
		if err := db.Table(table).Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			for col, v := range r {
				if !secretColumn.MatchString(col) || strings.HasSuffix(col, "_at") {
					continue
				}
				var s string
				switch v := v.(type) {
				case string:
					s = v
				case []byte:
					s = string(v)
				}
				if len(s) >= 8 {
					out[fmt.Sprintf("%s.%s (row %d)", table, col, i)] = s
				}
			}
		}
	}
	return out
}
