package replica

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/httpapi"
	"atrium/backend/service"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// world is a real server on 127.0.0.1 (its store SQLite or PostgreSQL), its
// organization run by Anne, and a desktop whose empty replica is a real
// SQLite file, signed in to the server as Bruno, a member.
type world struct {
	t      testing.TB
	ctx    context.Context
	server *service.System
	url    string
	org    string
	anne   string // Anne's session token on the server
	bruno  string // Bruno's account
	member string // Bruno's membership
	// The desktop: its replica and its client of the server.
	desk   *service.System
	client *Client
}

const brunoEmail, brunoPassword = "bruno.durand@example.fr", "un mot de passe solide"

func newWorld(t testing.TB, st *store.Store) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{t: t, ctx: ctx}
	var err error
	w.server, err = service.Start(ctx, service.Config{Deps: service.Deps{Store: st, Version: "test", Log: quietLog(), Password: fastHash}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.server.Close() })
	res, err := w.server.Registry.Invoke(ctx, service.Call{Op: "setup.createWorkspace", Input: []byte(workspace)})
	if err != nil {
		t.Fatal(err)
	}
	w.anne, w.org = res.Token, res.Output.(service.SessionInfo).Organization.ID
	w.bruno, w.member = addMember(t, st, w.org, brunoEmail, "Bruno", "Durand")
	// The streams wake at each commit, as atrium-server's do.
	srv := httptest.NewServer(httpapi.New(httpapi.Options{Registry: w.server.Registry, Version: "test",
		ChangesAfter: w.server.Store.ChangesAfter}))
	t.Cleanup(srv.Close)
	w.url = srv.URL
	w.desk = startReplica(t)
	w.client = w.signIn(brunoEmail, brunoPassword, "poste-1")
	return w
}

// startReplica starts a desktop's system on a new, empty SQLite file.
func startReplica(t testing.TB) *service.System {
	t.Helper()
	db := filepath.Join(t.TempDir(), "replica.db")
	sys, err := service.Start(context.Background(), service.Config{DB: db,
		Deps: service.Deps{Version: "test", Log: quietLog(), Password: fastHash}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sys.Close() })
	return sys
}

// eachServer runs fn with the server on SQLite and, when ATRIUM_TEST_PG is
// set, on PostgreSQL; the replica is a SQLite file either way.
func eachServer(t *testing.T, fn func(t *testing.T, w *world)) {
	storetest.Each(t, func(t *testing.T, st *store.Store) { fn(t, newWorld(t, st)) })
}

// signIn returns a client of the server signed in as email.
func (w *world) signIn(email, password, computer string) *Client {
	w.t.Helper()
	c, err := NewClient(w.url, "test", "linux", computer)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := c.Call(w.ctx, "auth.signIn", "", map[string]string{"email": email, "password": password}, nil); err != nil {
		w.t.Fatal(err)
	}
	return c
}

// addMember creates an account straight in the server's store, an active
// member of org with no role and no right.
func addMember(t testing.TB, st *store.Store, org, email, first, last string) (accountID, memberID string) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	hash, _ := auth.HashPassword(brunoPassword, fastHash)
	acc := domain.Account{ID: domain.NewID(), Email: email, PasswordHash: hash, FirstName: first, LastName: last,
		Language: "fr", CreatedAt: now, UpdatedAt: now}
	mem := domain.Membership{ID: domain.NewID(), OrgID: org, AccountID: acc.ID, Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now}
	for _, r := range []any{&acc, &mem} {
		if err := st.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return acc.ID, mem.ID
}

// asAnne runs an operation on the server as the organization's admin.
func (w *world) asAnne(op, input string) service.Result {
	w.t.Helper()
	res, err := w.server.Registry.Invoke(w.ctx, service.Call{Op: op, Token: w.anne, Org: w.org, Input: []byte(input)})
	if err != nil {
		w.t.Fatalf("%s on the server: %v", op, err)
	}
	return res
}

// give switches one of Bruno's rights on the server.
func (w *world) give(right domain.Right, granted bool) {
	w.t.Helper()
	w.asAnne("members.setRight", fmt.Sprintf(`{"memberId":%q,"right":%q,"granted":%v}`, w.member, right, granted))
}

// pull pulls the replica and fails the test on an error.
func (w *world) pull() PullReport {
	w.t.Helper()
	rep, err := Pull(w.ctx, w.desk, w.client, PullOptions{})
	if err != nil {
		w.t.Fatalf("pull: %v", err)
	}
	return rep
}

// count counts the rows of a replica table matching where.
func (w *world) count(table, where string, args ...any) int64 {
	w.t.Helper()
	var n int64
	if err := w.desk.Store.DB(w.ctx).Table(table).Where(where, args...).Count(&n).Error; err != nil {
		w.t.Fatal(err)
	}
	return n
}

// localSession opens Bruno's session on the replica, as the desktop does.
func (w *world) localSession() string {
	w.t.Helper()
	token, err := LocalSession(w.ctx, w.desk, w.bruno, "", domain.Device{Kind: domain.SessionDesktop, Name: "poste-1"})
	if err != nil {
		w.t.Fatal(err)
	}
	return token
}

// queueTask makes a task on the replica, queued for the server, and returns its ID.
func (w *world) queueTask(token, title string) string {
	w.t.Helper()
	out, queued, err := w.desk.Registry.InvokeQueued(w.ctx, service.Call{Op: "tasks.create", Token: token, Org: w.org,
		Input: []byte(`{"title":"` + title + `"}`)}, 0)
	if err != nil || !queued {
		w.t.Fatalf("queued %v, %v", queued, err)
	}
	return out.Output.(service.Task).ID
}

// localCall runs an operation on the replica with a local session token.
func (w *world) localCall(token, op, input string) (service.Result, error) {
	return w.desk.Registry.Invoke(w.ctx, service.Call{Op: op, Token: token, Org: w.org, Input: []byte(input)})
}
