package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"atrium/backend/store"
	"atrium/backend/storetest"
)

// TestChangeLogCarriesState: a change-log entry carries the entity as the
// console reads it, so a reader can apply it elsewhere without asking; an
// entry about a session or a secret carries none.
func TestChangeLogCarriesState(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		last := func(entity string) store.Change {
			t.Helper()
			ch, err := st.ChangesSince(context.Background(), 0, 1000)
			if err != nil {
				t.Fatal(err)
			}
			for i := len(ch) - 1; i >= 0; i-- {
				if ch[i].Entity == entity {
					return ch[i]
				}
			}
			t.Fatalf("no %s entry in the change log", entity)
			return store.Change{}
		}
		task := e.mustCall("tasks.create", f.adminA, fmt.Sprintf(`{"title":"Relancer le client","dueDate":"2030-01-31","assigneeId":%q}`, f.adminAID)).Output.(Task)
		c := last("task")
		var got Task
		if c.State == nil || json.Unmarshal([]byte(*c.State), &got) != nil || got.ID != task.ID || got.Title != "Relancer le client" ||
			got.Assignee == nil || got.Assignee.ID != f.adminAID || c.OrgID == nil || *c.OrgID != f.orgA {
			t.Errorf("task entry %+v", c)
		}
		e.mustCall("orgs.update", f.adminA, `{"name":"Cabinet Martin et associés"}`)
		var org OrgDetails
		if c := last("organization"); c.State == nil || json.Unmarshal([]byte(*c.State), &org) != nil || org.Name != "Cabinet Martin et associés" {
			t.Errorf("organization entry %+v", c)
		}
		e.mustCall("notifications.set", f.adminA, `{"category":"members","enabled":false}`)
		if c := last("notification_preferences"); c.State == nil || !strings.Contains(*c.State, `{"category":"members","enabled":false,"locked":false}`) {
			t.Errorf("notification entry %+v", c)
		}
		e.mustCall("account.changePassword", f.adminA, `{"currentPassword":"un mot de passe solide","newPassword":"une toute nouvelle phrase"}`)
		if c := last("account"); c.State != nil {
			t.Errorf("a password change carries a state: %s", *c.State)
		}
		e.mustCall("auth.signIn", "", signInJSON(anneEmail, "une toute nouvelle phrase"))
		if c := last("session"); c.State != nil || c.Action != "created" {
			t.Errorf("session entry %+v", c)
		}
	})
}
