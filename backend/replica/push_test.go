package replica

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"atrium/backend/audit"
	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/httpapi"
	"atrium/backend/service"
	"atrium/backend/store"
)

var fastHash = auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

const workspace = `{"firstName":"Anne","lastName":"Martin","email":"anne.martin@example.fr","password":"un mot de passe solide","organizationName":"Cabinet Martin","timezone":"Europe/Paris","language":"fr"}`

func startSystem(t *testing.T, db string) *service.System {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sys, err := service.Start(context.Background(), service.Config{DB: db,
		Deps: service.Deps{Version: "test", Log: log, Password: fastHash}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sys.Close() })
	return sys
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// The door's names, repeated in this package so the desktop links no server
// code, are the door's.
func TestClientSpeaksTheServersHeaders(t *testing.T) {
	if csrfCookie != httpapi.CSRFCookie || csrfHeader != httpapi.CSRFHeader || orgHeader != httpapi.OrgHeader {
		t.Fatal("the client's header names differ from the server's")
	}
}

// A task made on the replica while the server is stopped waits in the queue;
// once the server is back it is pushed, accepted, and the server holds it
// under the replica's id. An answer lost on the way (the same push sent
// again) changes nothing more.
func TestQueuedOperationReachesTheServerOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	serverDB := filepath.Join(dir, "server.db")
	server := startSystem(t, serverDB)
	res, err := server.Registry.Invoke(ctx, service.Call{Op: "setup.createWorkspace", Input: []byte(workspace)})
	if err != nil {
		t.Fatal(err)
	}
	token := res.Token
	org := res.Output.(service.SessionInfo).Organization.ID

	// The replica starts as a copy of the server's database (until the
	// connect step fills it from the change log), with the same session.
	if _, err := store.BackupFile(ctx, serverDB, filepath.Join(dir, "replica.db")); err != nil {
		t.Fatal(err)
	}
	copyFile(t, audit.KeyFileBeside(serverDB), audit.KeyFileBeside(filepath.Join(dir, "replica.db")))
	replica := startSystem(t, filepath.Join(dir, "replica.db"))

	// The server is not listening yet.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	client, err := NewClient("http://"+addr, "test", "linux", "poste-1")
	if err != nil {
		t.Fatal(err)
	}

	out, queued, err := replica.Registry.InvokeQueued(ctx, service.Call{Op: "tasks.create", Token: token, Org: org,
		Input: []byte(`{"title":"Déclaration de TVA"}`)}, 0)
	if err != nil || !queued {
		t.Fatalf("on the replica: queued %v, %v", queued, err)
	}
	taskID := out.Output.(service.Task).ID
	rep, err := Push(ctx, replica.Store, client, time.Now)
	var offline *ErrUnreachable
	if !errors.As(err, &offline) || rep.Waiting != 1 {
		t.Fatalf("offline push: %+v, %v", rep, err)
	}

	// The server comes up on that address; the desktop signs in there.
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the port was taken meanwhile: %v", err)
	}
	srv := httptest.NewUnstartedServer(httpapi.New(httpapi.Options{Registry: server.Registry, Version: "test"}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	var signedIn service.SessionInfo
	if err := client.Call(ctx, "auth.signIn", "", map[string]string{"email": "anne.martin@example.fr", "password": "un mot de passe solide"}, &signedIn); err != nil {
		t.Fatal(err)
	}

	waiting, err := replica.Store.WaitingOperations(ctx, 10)
	if err != nil || len(waiting) != 1 {
		t.Fatalf("waiting: %v, %v", waiting, err)
	}
	rep, err = Push(ctx, replica.Store, client, time.Now)
	if err != nil || rep.Accepted != 1 || rep.Waiting != 0 {
		t.Fatalf("push: %+v, %v", rep, err)
	}
	if left, _ := replica.Store.PendingOperations(ctx); len(left) != 0 {
		t.Fatalf("%d operations left in the queue", len(left))
	}
	var titles []string
	server.Store.DB(ctx).Model(&store.Task{}).Where("id = ?", taskID).Pluck("title", &titles)
	if len(titles) != 1 || titles[0] != "Déclaration de TVA" {
		t.Fatalf("the server holds %v under the replica's id", titles)
	}

	// The same operation again, as after an answer lost on the way.
	again, err := client.Push(ctx, []service.PushedOperation{service.Pending(waiting[0])})
	if err != nil || again.Answers[0].Outcome != service.PushAccepted {
		t.Fatalf("pushed again: %+v, %v", again, err)
	}
	var tasks int64
	server.Store.DB(ctx).Model(&store.Task{}).Count(&tasks)
	if tasks != 1 {
		t.Fatalf("pushed twice, the server holds %d tasks", tasks)
	}

	// The server lists the desktop among the account's devices by its name.
	var devices service.DeviceSessions
	if err := client.Call(ctx, "sessions.list", "", struct{}{}, &devices); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range devices.Sessions {
		found = found || (d.Current && d.Kind == domain.SessionDesktop && d.DeviceName == "Atrium Desktop · poste-1" && d.Platform == "linux")
	}
	if !found {
		t.Errorf("the desktop's session is listed as %+v", devices.Sessions)
	}
}

// A refused operation stays in the queue with its reason, out of the pushes,
// and does not hold back those after it.
func TestRefusedOperationStaysWithItsReason(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	server := startSystem(t, filepath.Join(dir, "server.db"))
	res, err := server.Registry.Invoke(ctx, service.Call{Op: "setup.createWorkspace", Input: []byte(workspace)})
	if err != nil {
		t.Fatal(err)
	}
	org := res.Output.(service.SessionInfo).Organization.ID
	srv := httptest.NewServer(httpapi.New(httpapi.Options{Registry: server.Registry, Version: "test"}))
	t.Cleanup(srv.Close)
	client, _ := NewClient(srv.URL, "test", "linux", "poste-1")
	if err := client.Call(ctx, "auth.signIn", "", map[string]string{"email": "anne.martin@example.fr", "password": "un mot de passe solide"}, nil); err != nil {
		t.Fatal(err)
	}
	// Queued on a replica before the organization was closed on the server.
	replicaDB := filepath.Join(dir, "replica.db")
	replica, err := store.Open(ctx, replicaDB)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { replica.Close() })
	for i, title := range []string{"Déclaration de TVA", ""} {
		q := store.NewQueued(store.PendingOperation{ID: domain.NewID(), Op: "tasks.create", OrgID: &org,
			Input: `{"title":"` + title + `"}`, AccountID: "a", MadeAt: time.Now().Add(time.Duration(i) * time.Second)})
		if err := replica.WriteTx(store.WithQueued(ctx, q), func(context.Context) error { return nil }); err != nil || !q.Recorded() {
			t.Fatal(err)
		}
	}
	rep, err := Push(ctx, replica, client, time.Now)
	if err != nil || rep.Accepted != 1 || rep.Refused != 1 {
		t.Fatalf("push: %+v, %v", rep, err)
	}
	left, _ := replica.PendingOperations(ctx)
	if len(left) != 1 || left[0].State != store.PendingRefused || left[0].Refusal == nil {
		t.Fatalf("queue after the push: %+v", left)
	}
	var refusal domain.Error
	if err := json.Unmarshal([]byte(*left[0].Refusal), &refusal); err != nil || refusal.Fields["title"] != domain.FieldRequired {
		t.Fatalf("the refusal kept is %s (%v)", *left[0].Refusal, err)
	}
	if rep, err := Push(ctx, replica, client, time.Now); err != nil || rep != (PushReport{}) {
		t.Fatalf("a refused operation was pushed again: %+v, %v", rep, err)
	}
}
