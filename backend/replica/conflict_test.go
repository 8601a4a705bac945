package replica

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"atrium/backend/domain"
	"atrium/backend/service"
	"atrium/backend/store"
)

// desktopConn is the part of the desktop's connection the refused changes
// page drives: sending a refused change again runs it as a new queued
// operation on the replica and drops the refused one, as app/ does.
type desktopConn struct {
	sys   *service.System
	token string // the local session
}

func (c *desktopConn) Status(context.Context) (service.SyncStatus, error) {
	return service.SyncStatus{Connected: true, State: service.SyncOnline}, nil
}
func (c *desktopConn) Probe(context.Context, service.ProbeServerInput) (service.ServerProbe, error) {
	return service.ServerProbe{}, nil
}
func (c *desktopConn) Connect(context.Context, service.ConnectInput) (service.Connected, error) {
	return service.Connected{}, nil
}
func (c *desktopConn) Disconnect(context.Context) (service.Disconnected, error) {
	return service.Disconnected{}, nil
}
func (c *desktopConn) Retry(ctx context.Context, p store.PendingOperation, input []byte) error {
	org := ""
	if p.OrgID != nil {
		org = *p.OrgID
	}
	if _, _, err := c.sys.Registry.InvokeQueued(ctx, service.Call{Op: p.Op, Input: input, Token: c.token, Org: org}, 0); err != nil {
		return err
	}
	return c.sys.Store.DropRefused(ctx, p.ID)
}

type noDialogs struct{}

func (noDialogs) SavePath(context.Context, string, string) (string, error) { return "", nil }
func (noDialogs) OpenPath(context.Context, string) (string, error)         { return "", nil }

// desk is a second desktop of Bruno's, with the operations of its refused
// changes page.
type desk struct {
	sys    *service.System
	client *Client
	conn   *desktopConn
}

func (w *world) secondDesk(computer string) *desk {
	w.t.Helper()
	conn := &desktopConn{}
	sys, err := service.Start(w.ctx, service.Config{DB: filepath.Join(w.t.TempDir(), "replica.db"),
		Deps: service.Deps{Version: "test", Log: quietLog(), Password: fastHash,
			Desktop: &service.DesktopDeps{Dialogs: noDialogs{}, Connection: conn}}})
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { sys.Close() })
	conn.sys = sys
	d := &desk{sys: sys, client: w.signIn(brunoEmail, brunoPassword, computer), conn: conn}
	if _, err := Pull(w.ctx, sys, d.client, PullOptions{}); err != nil {
		w.t.Fatal(err)
	}
	if conn.token, err = LocalSession(w.ctx, sys, w.bruno, "", domain.Device{Kind: domain.SessionDesktop, Name: computer}); err != nil {
		w.t.Fatal(err)
	}
	return d
}

// edit makes an edit on a desktop's replica, queued for the server.
func edit(t *testing.T, sys *service.System, token, org, op, input string) {
	t.Helper()
	_, queued, err := sys.Registry.InvokeQueued(context.Background(), service.Call{Op: op, Token: token, Org: org, Input: []byte(input)}, 0)
	if err != nil || !queued {
		t.Fatalf("%s on the replica: queued %v, %v", op, queued, err)
	}
}

// memberOn reads a member's job title and employee reference in a store.
func memberOn(t *testing.T, st *store.Store, id string) (jobTitle, employeeRef string) {
	t.Helper()
	var row struct{ JobTitle, EmployeeRef string }
	if err := st.DB(context.Background()).Table("memberships").Select("job_title, employee_ref").Where("id = ?", id).Scan(&row).Error; err != nil {
		t.Fatal(err)
	}
	return row.JobTitle, row.EmployeeRef
}

// Two desktops of Bruno's edit Claire offline from what they both read.
// The first pushes its new job title. The second pulls before it pushes: its
// own edits are re-applied on top, the one of the job title now conflicts
// there and stays waiting. At its push the server takes its employee
// reference (another field: later wins field by field) and refuses its job
// title as a conflict, listed with both values on its refused changes page.
// Keeping its own (sent again with the value now stored as its base) lands.
func TestTwoDesktopsEditOneMemberFieldByField(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		w.give(domain.RightMembersView, true)
		w.give(domain.RightMembersEdit, true)
		_, claire := addMember(t, w.server.Store, w.org, "claire.petit@example.fr", "Claire", "Petit")
		w.asAnne("members.update", `{"memberId":"`+claire+`","jobTitle":"Comptable","employeeRef":"E-1"}`)
		w.pull()
		one := w.localSession()
		two := w.secondDesk("poste-2")

		// Offline, each from what its replica shows.
		edit(t, w.desk, one, w.org, "members.update", `{"memberId":"`+claire+`","jobTitle":"Comptable senior","base":{"jobTitle":"Comptable"}}`)
		edit(t, two.sys, two.conn.token, w.org, "members.update", `{"memberId":"`+claire+`","employeeRef":"E-2","base":{"employeeRef":"E-1"}}`)
		edit(t, two.sys, two.conn.token, w.org, "members.update", `{"memberId":"`+claire+`","jobTitle":"Assistante","base":{"jobTitle":"Comptable"}}`)

		if rep, err := Push(w.ctx, w.desk.Store, w.client, nowUTC); err != nil || rep.Accepted != 1 {
			t.Fatalf("first desktop's push: %+v, %v", rep, err)
		}
		// The second pulls first: the server's job title, its own employee
		// reference re-applied; its job title conflicts on the replica and
		// stays waiting for the server's answer.
		if _, err := Pull(w.ctx, two.sys, two.client, PullOptions{}); err != nil {
			t.Fatal(err)
		}
		if job, ref := memberOn(t, two.sys.Store, claire); job != "Comptable senior" || ref != "E-2" {
			t.Errorf("second replica after its pull: %q, %q", job, ref)
		}
		if waiting, err := two.sys.Store.WaitingOperations(w.ctx, 10); err != nil || len(waiting) != 2 {
			t.Fatalf("waiting after the pull: %d, %v", len(waiting), err)
		}

		rep, err := Push(w.ctx, two.sys.Store, two.client, nowUTC)
		if err != nil || rep.Accepted != 1 || rep.Refused != 1 {
			t.Fatalf("second desktop's push: %+v, %v", rep, err)
		}
		if job, ref := memberOn(t, w.server.Store, claire); job != "Comptable senior" || ref != "E-2" {
			t.Errorf("the server holds %q, %q", job, ref)
		}

		// Listed with both values.
		res, err := two.sys.Registry.Invoke(w.ctx, service.Call{Op: "sync.refused", Token: two.conn.token, Input: []byte(`{}`)})
		if err != nil {
			t.Fatal(err)
		}
		refused := res.Output.(service.RefusedChanges).Changes
		if len(refused) != 1 || refused[0].Reason == nil || refused[0].Reason.Code != domain.CodeConflict {
			t.Fatalf("refused changes: %+v", refused)
		}
		want := []domain.FieldConflict{{Field: "jobTitle", Mine: "Assistante", Theirs: "Comptable senior"}}
		if got := refused[0].Reason.Conflicts; len(got) != 1 || got[0] != want[0] {
			t.Fatalf("the conflict listed is %+v, want %+v", got, want)
		}

		// Keep mine: the same edit, its base now the value the server holds.
		var input map[string]any
		if err := json.Unmarshal(refused[0].Input, &input); err != nil {
			t.Fatal(err)
		}
		input["base"] = map[string]string{"jobTitle": refused[0].Reason.Conflicts[0].Theirs}
		retry, _ := json.Marshal(map[string]any{"id": refused[0].ID, "input": input})
		if _, err := two.sys.Registry.Invoke(w.ctx, service.Call{Op: "sync.retry", Token: two.conn.token, Input: retry}); err != nil {
			t.Fatalf("keep mine: %v", err)
		}
		if rep, err := Push(w.ctx, two.sys.Store, two.client, nowUTC); err != nil || rep.Accepted != 1 || rep.Refused != 0 {
			t.Fatalf("push of the kept edit: %+v, %v", rep, err)
		}
		if job, ref := memberOn(t, w.server.Store, claire); job != "Assistante" || ref != "E-2" {
			t.Errorf("after keeping mine the server holds %q, %q", job, ref)
		}
		if left, _ := two.sys.Store.PendingOperations(w.ctx); len(left) != 0 {
			t.Errorf("%d operations left on the second desktop", len(left))
		}
		// The first desktop reads it at its next pull, as the server holds it.
		w.pull()
		w.sameAsServer()
	})
}
