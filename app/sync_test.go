package app

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/httpapi"
	"atrium/backend/replica"
	"atrium/backend/service"
)

// These run a real Atrium server (its HTTP door on 127.0.0.1, on its own
// SQLite file) and a desktop (the binding the window calls, on real SQLite
// files in its data folder): the desktop connects, works offline, syncs.

var testHash = auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

const (
	annePassword  = "un mot de passe solide"
	anneWorkspace = `{"firstName":"Anne","lastName":"Martin","email":"anne.martin@example.fr","password":"` + annePassword +
		`","organizationName":"Cabinet Martin","timezone":"Europe/Paris","language":"fr"}`
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// testServer is an Atrium server that can be stopped and started again on
// its address, over http or with a certificate of the test's.
type testServer struct {
	t      *testing.T
	sys    *service.System
	addr   string
	tls    bool
	cert   atomic.Pointer[tls.Certificate]
	srv    *httptest.Server
	pushes atomic.Int64 // pushes that reached the door
	org    string
	mu     sync.Mutex
}

func newTestServer(t *testing.T, withTLS bool) *testServer {
	t.Helper()
	sys, err := service.Start(context.Background(), service.Config{DB: filepath.Join(t.TempDir(), "server.db"),
		Deps: service.Deps{Version: "test", Log: quiet(), Password: testHash}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sys.Close() })
	res, err := sys.Registry.Invoke(context.Background(), service.Call{Op: "setup.createWorkspace", Input: []byte(anneWorkspace)})
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{t: t, sys: sys, tls: withTLS, org: res.Output.(service.SessionInfo).Organization.ID}
	if withTLS {
		s.cert.Store(selfSigned(t))
	}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *testServer) start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	api := httpapi.New(httpapi.Options{Registry: s.sys.Registry, Version: "test", Log: quiet()})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/sync/push" {
			s.pushes.Add(1)
		}
		api.ServeHTTP(w, r)
	})
	srv := httptest.NewUnstartedServer(h)
	if s.addr != "" {
		srv.Listener.Close()
		ln, err := net.Listen("tcp", s.addr)
		if err != nil {
			s.t.Skipf("the server's port was taken meanwhile: %v", err)
		}
		srv.Listener = ln
	}
	if s.tls {
		srv.TLS = &tls.Config{GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return s.cert.Load(), nil }}
		srv.StartTLS()
		// The handshake asks GetCertificate, so the test can change it.
		srv.TLS.Certificates = nil
	} else {
		srv.Start()
	}
	s.addr, s.srv = srv.Listener.Addr().String(), srv
}

func (s *testServer) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		// As a server going down does: the desktop's open change stream
		// is cut too (Close alone waits for it to end). The listener is
		// closed first, so no stream opens again between the two.
		s.srv.Listener.Close()
		s.srv.CloseClientConnections()
		s.srv.Close()
		s.srv = nil
	}
}

func (s *testServer) url() string {
	if s.tls {
		return "https://" + s.addr
	}
	return "http://" + s.addr
}

// signIn opens a session on the server itself (as the browser would).
func (s *testServer) signIn() string {
	s.t.Helper()
	res, err := s.sys.Registry.Invoke(context.Background(), service.Call{Op: "auth.signIn",
		Input: []byte(`{"email":"anne.martin@example.fr","password":"` + annePassword + `"}`)})
	if err != nil {
		s.t.Fatal(err)
	}
	return res.Token
}

func (s *testServer) call(token, op, in string) any {
	s.t.Helper()
	res, err := s.sys.Registry.Invoke(context.Background(), service.Call{Op: op, Input: []byte(in), Token: token, Org: s.org})
	if err != nil {
		s.t.Fatalf("on the server, %s: %v", op, err)
	}
	return res.Output
}

// selfSigned makes a certificate for 127.0.0.1 signed by nobody the system
// trusts, as a small firm's own server has.
func selfSigned(t *testing.T) *tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "atrium.cabinet.local"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// newTestDesktop opens a desktop on the data folder dir, its sync loop
// left to the test (syncNow) but for its first run.
func newTestDesktop(t *testing.T, dir string) *Desktop {
	t.Helper()
	syncEvery, kickDelay, followRetry, offlineRetry = time.Hour, time.Hour, 100*time.Millisecond, time.Hour
	d := NewDesktop(dir, func(db string, desk *service.DesktopDeps) (*service.System, error) {
		return service.Start(context.Background(), service.Config{DB: db, Deps: service.Deps{Version: "test", Log: quiet(),
			Password: testHash, Desktop: desk}})
	})
	t.Cleanup(func() { Shutdown(d) })
	return d
}

func invoke[T any](t *testing.T, d *Desktop, op, in, org string) T {
	t.Helper()
	out, err := d.Invoke(op, in, org)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	var v T
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func status(t *testing.T, d *Desktop) service.SyncStatus {
	t.Helper()
	return invoke[service.SyncStatus](t, d, "sync.status", `{}`, "")
}

func syncNow(d *Desktop) { d.conn.syncOnce(context.Background()) }

func connect(t *testing.T, d *Desktop, s *testServer, fingerprint string) {
	t.Helper()
	in, _ := json.Marshal(service.ConnectInput{Server: s.url(), Fingerprint: fingerprint, Email: "anne.martin@example.fr", Password: annePassword})
	c := invoke[service.Connected](t, d, "sync.connect", string(in), "")
	if c.Organizations != 1 {
		t.Fatalf("connected with %d organizations", c.Organizations)
	}
	if st := status(t, d); !st.Connected || st.State != service.SyncOnline {
		t.Fatalf("after connecting: %+v", st)
	}
	// The window is signed in on the replica, in the organization the server remembers.
	if me := invoke[service.SessionInfo](t, d, "session.current", `{}`, ""); me.Account.Email != "anne.martin@example.fr" || me.Organization.ID != s.org {
		t.Fatalf("after connecting the window is %+v", me)
	}
}

// Before any password leaves: an address that is not an Atrium server is
// refused in plain words, and plain http to another computer is refused
// without even reaching it.
func TestConnectRefusesWhatWouldExposeThePassword(t *testing.T) {
	var posts atomic.Int64
	var sawPassword atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts.Add(1)
		}
		b, _ := io.ReadAll(r.Body)
		sawPassword.Store(sawPassword.Load() || strings.Contains(string(b), annePassword))
		fmt.Fprint(w, `<html><body>Bienvenue sur notre site</body></html>`)
	}))
	defer other.Close()
	d := newTestDesktop(t, t.TempDir())
	in, _ := json.Marshal(service.ConnectInput{Server: other.URL, Email: "anne.martin@example.fr", Password: annePassword})
	if _, err := d.Invoke("sync.connect", string(in), ""); domain.CodeOf(err) != domain.CodeNotAtriumServer {
		t.Fatalf("connecting to a web site: %v, want not_atrium_server", err)
	}
	if _, err := d.Invoke("sync.probe", `{"server":"`+other.URL+`"}`, ""); domain.CodeOf(err) != domain.CodeNotAtriumServer {
		t.Fatalf("probing a web site: %v", err)
	}
	if posts.Load() != 0 || sawPassword.Load() {
		t.Fatalf("%d requests posted to a server that is not Atrium (password seen: %v)", posts.Load(), sawPassword.Load())
	}
	for _, addr := range []string{"http://192.0.2.10:8080", "http://atrium.cabinet.fr"} {
		in, _ := json.Marshal(service.ConnectInput{Server: addr, Email: "anne.martin@example.fr", Password: annePassword})
		_, err := d.Invoke("sync.connect", string(in), "")
		var e *domain.Error
		if !asDomain(err, &e) || e.Fields["server"] != domain.FieldInsecureServer {
			t.Errorf("plain http to %s: %v, want insecure_server", addr, err)
		}
	}
	if st := status(t, d); st.Connected || st.State != service.SyncLocal {
		t.Errorf("a refused connection left %+v", st)
	}
}

func asDomain(err error, e **domain.Error) bool {
	de, ok := err.(*domain.Error)
	*e = de
	return ok
}

// A self-signed certificate is shown by its fingerprint, accepted once and
// pinned; when the server later shows another one, the sync stops with that
// state and nothing is sent, the change still waiting.
func TestAChangedCertificateStopsTheSync(t *testing.T) {
	s := newTestServer(t, true)
	d := newTestDesktop(t, t.TempDir())
	probe := invoke[service.ServerProbe](t, d, "sync.probe", `{"server":"`+s.url()+`"}`, "")
	if want := replica.Fingerprint(s.cert.Load().Certificate[0]); probe.Fingerprint != want {
		t.Fatalf("the probe shows fingerprint %q, want %q", probe.Fingerprint, want)
	}
	in, _ := json.Marshal(service.ConnectInput{Server: s.url(), Email: "anne.martin@example.fr", Password: annePassword})
	if _, err := d.Invoke("sync.connect", string(in), ""); domain.CodeOf(err) != domain.CodeCertificateUntrusted {
		t.Fatalf("connecting without accepting the certificate: %v", err)
	}
	connect(t, d, s, probe.Fingerprint)

	// The server comes back with another certificate on the same address.
	s.stop()
	s.cert.Store(selfSigned(t))
	s.start()
	before := s.pushes.Load()
	invoke[service.Task](t, d, "tasks.create", `{"title":"Bilan 2026"}`, s.org)
	syncNow(d)
	st := status(t, d)
	if st.State != service.SyncCertificateChanged || st.Waiting != 1 {
		t.Fatalf("after the certificate changed: %+v", st)
	}
	if n := s.pushes.Load() - before; n != 0 {
		t.Fatalf("%d pushes reached the server behind another certificate", n)
	}
}

// A change made while the server is stopped is applied on the replica and
// waits; the status says offline, 1 waiting. The desktop restarted reopens
// on the replica. Once the server is back the change is pushed and the
// server holds it.
func TestAWriteOfflineWaitsThenReachesTheServer(t *testing.T) {
	s := newTestServer(t, false)
	dir := t.TempDir()
	d := newTestDesktop(t, dir)
	connect(t, d, s, "")

	s.stop()
	task := invoke[service.Task](t, d, "tasks.create", `{"title":"Déclaration de TVA"}`, s.org)
	syncNow(d)
	if st := status(t, d); st.State != service.SyncOffline || st.Waiting != 1 || !st.Connected {
		t.Fatalf("offline: %+v", st)
	}

	// Closed and opened again: still on the replica, the change still waiting.
	Shutdown(d)
	d = newTestDesktop(t, dir)
	if !d.conn.connected() || !strings.Contains(d.sys.Store.Path(), "servers") {
		t.Fatalf("restarted on %s, connected %v", d.sys.Store.Path(), d.conn.connected())
	}
	if st := status(t, d); st.Waiting != 1 {
		t.Fatalf("after a restart: %+v", st)
	}

	s.start()
	syncNow(d)
	st := status(t, d)
	if st.State != service.SyncOnline || st.Waiting != 0 || st.LastSyncAt == nil {
		t.Fatalf("back online: %+v", st)
	}
	token := s.signIn()
	got := s.call(token, "tasks.list", `{}`).(service.TaskPage)
	if len(got.Items) != 1 || got.Items[0].ID != task.ID || got.Items[0].Title != "Déclaration de TVA" {
		t.Fatalf("the server holds %+v", got.Items)
	}
}

// A change the server refuses is listed with what, who, when and why;
// discarding it removes it and puts the discard in the server's history.
func TestARefusedChangeIsListedAndItsDiscardReachesTheHistory(t *testing.T) {
	s := newTestServer(t, false)
	d := newTestDesktop(t, t.TempDir())
	connect(t, d, s, "")

	// The organization is closed on the server while the desktop is offline.
	s.stop()
	token := s.signIn()
	s.call(token, "orgs.close", `{}`)
	invoke[service.Task](t, d, "tasks.create", `{"title":"Relance client"}`, s.org)
	s.start()
	syncNow(d)
	st := status(t, d)
	if st.Refused != 1 || st.Waiting != 0 {
		t.Fatalf("after the push: %+v", st)
	}
	list := invoke[service.RefusedChanges](t, d, "sync.refused", `{}`, "")
	if len(list.Changes) != 1 {
		t.Fatalf("refused list: %+v", list)
	}
	c := list.Changes[0]
	if c.Op != "tasks.create" || c.By != "Anne Martin" || c.Reason == nil || c.Reason.Code != domain.CodeOrgClosed ||
		!strings.Contains(string(c.Input), "Relance client") || c.OrgID != s.org || time.Since(c.MadeAt) > time.Minute {
		t.Fatalf("the refused change reads %+v", c)
	}

	invoke[service.RefusedRef](t, d, "sync.discard", `{"id":"`+c.ID+`"}`, c.OrgID)
	if list := invoke[service.RefusedChanges](t, d, "sync.refused", `{}`, ""); len(list.Changes) != 0 {
		t.Fatalf("still listed after the discard: %+v", list)
	}
	syncNow(d)
	if st := status(t, d); st.Waiting != 0 || st.Refused != 0 || st.State != service.SyncOnline {
		t.Fatalf("after pushing the discard: %+v", st)
	}
	page := s.call(token, "history.list", `{"action":"sync.discarded"}`).(service.HistoryPage)
	if len(page.Entries) != 1 || page.Entries[0].Details["operation"] != "tasks.create" || page.Entries[0].Details["reason"] != "org_closed" {
		t.Fatalf("the server's history: %+v", page.Entries)
	}
}

// Keeping mine of a conflict before any pull put the server's value back on
// the replica (which still shows the edit, so finds nothing to change) still
// sends it: an operation is queued by its write even when it changes nothing
// locally, so the refused change gives way to a waiting one, which lands.
func TestKeepingMineBeforeAPullStillReachesTheServer(t *testing.T) {
	s := newTestServer(t, false)
	d := newTestDesktop(t, t.TempDir())
	connect(t, d, s, "")

	s.stop()
	token := s.signIn()
	s.call(token, "orgs.update", `{"website":"https://martin-associes.fr","base":{"website":""}}`)
	invoke[service.OrgDetails](t, d, "orgs.update", `{"website":"https://cabinet-martin.fr","base":{"website":""}}`, s.org)
	s.start()
	// The push alone: the pull that follows it has not come yet.
	if _, err := replica.Push(context.Background(), d.sys.Store, d.conn.client, time.Now); err != nil {
		t.Fatal(err)
	}
	list := invoke[service.RefusedChanges](t, d, "sync.refused", `{}`, "")
	if len(list.Changes) != 1 || list.Changes[0].Reason == nil || len(list.Changes[0].Reason.Conflicts) != 1 {
		t.Fatalf("refused: %+v", list)
	}
	c := list.Changes[0]
	mine := `{"website":"https://cabinet-martin.fr","base":{"website":"` + c.Reason.Conflicts[0].Theirs + `"}}`
	invoke[service.RefusedRef](t, d, "sync.retry", `{"id":"`+c.ID+`","input":`+mine+`}`, "")
	if st := status(t, d); st.Waiting != 1 || st.Refused != 0 {
		t.Fatalf("kept mine: %+v (it must wait to be sent, not vanish)", st)
	}
	syncNow(d)
	if st := status(t, d); st.Waiting != 0 || st.Refused != 0 || st.State != service.SyncOnline {
		t.Fatalf("after the sync: %+v", st)
	}
	if got := s.call(token, "orgs.current", `{}`).(service.OrgDetails); got.Website != "https://cabinet-martin.fr" {
		t.Fatalf("the server's website is %q", got.Website)
	}
}

// The device signed out from the server (from the browser): the next sync
// stops, says signed out, and keeps the change that was waiting.
func TestSignedOutFromTheServerKeepsTheQueue(t *testing.T) {
	s := newTestServer(t, false)
	d := newTestDesktop(t, t.TempDir())
	connect(t, d, s, "")
	invoke[service.Task](t, d, "tasks.create", `{"title":"Inventaire"}`, s.org)

	token := s.signIn()
	devices := s.call(token, "sessions.list", `{}`).(service.DeviceSessions)
	revoked := 0
	for _, dev := range devices.Sessions {
		if dev.Kind == domain.SessionDesktop && strings.HasPrefix(dev.DeviceName, "Atrium Desktop") {
			s.call(token, "sessions.revoke", `{"id":"`+dev.ID+`"}`)
			revoked++
		}
	}
	if revoked != 1 {
		t.Fatalf("the desktop is listed %d times among the devices: %+v", revoked, devices.Sessions)
	}
	syncNow(d)
	st := status(t, d)
	if st.State != service.SyncSignedOut || st.Waiting != 1 || !st.Connected {
		t.Fatalf("signed out from the server: %+v", st)
	}
	if n, _ := d.sys.Store.WaitingOperations(context.Background(), 10); len(n) != 1 {
		t.Fatalf("the queue holds %d operations", len(n))
	}

	// Signing in again keeps the replica and its queue, which then goes.
	connect(t, d, s, "")
	syncNow(d)
	if st := status(t, d); st.State != service.SyncOnline || st.Waiting != 0 {
		t.Fatalf("signed in again: %+v", st)
	}
	got := s.call(token, "tasks.list", `{}`).(service.TaskPage)
	if len(got.Items) != 1 || got.Items[0].Title != "Inventaire" {
		t.Fatalf("the server holds %+v", got.Items)
	}
}

// A desktop that held its own dossiers connects (they stay in their file),
// then disconnects with a change never sent: it is counted, the replica is
// gone, and the desktop is back on its own data, signed out.
func TestDisconnectGoesBackToTheDesktopsOwnData(t *testing.T) {
	s := newTestServer(t, false)
	dir := t.TempDir()
	d := newTestDesktop(t, dir)
	if _, err := d.Invoke("setup.createWorkspace", `{"firstName":"Paul","lastName":"Roche","email":"paul@poste.fr","password":"un mot de passe du poste","organizationName":"Dossiers du poste","timezone":"Europe/Paris"}`, ""); err != nil {
		t.Fatal(err)
	}
	if st := status(t, d); st.Connected || !st.LocalDossiers {
		t.Fatalf("before connecting: %+v", st)
	}
	connect(t, d, s, "")
	if st := status(t, d); !st.LocalDossiers {
		t.Fatalf("connected, the status forgets the local dossiers: %+v", st)
	}
	replicaFile := d.sys.Store.Path()
	s.stop()
	invoke[service.Task](t, d, "tasks.create", `{"title":"Jamais envoyée"}`, s.org)
	out := invoke[service.Disconnected](t, d, "sync.disconnect", `{}`, "")
	if out.Dropped != 1 {
		t.Fatalf("disconnecting says %d changes were not sent", out.Dropped)
	}
	if st := status(t, d); st.Connected || st.State != service.SyncLocal {
		t.Fatalf("after disconnecting: %+v", st)
	}
	if _, err := d.Invoke("session.current", "", ""); domain.CodeOf(err) != domain.CodeUnauthenticated {
		t.Fatalf("after disconnecting the window is still signed in: %v", err)
	}
	if strings.Contains(d.sys.Store.Path(), "servers") || fileExists(replicaFile) || fileExists(filepath.Join(dir, settingsFile)) {
		t.Fatalf("disconnected, yet on %s (replica kept: %v)", d.sys.Store.Path(), fileExists(replicaFile))
	}
	invoke[service.SessionInfo](t, d, "auth.signIn", `{"email":"paul@poste.fr","password":"un mot de passe du poste"}`, "")
	if orgs := invoke[json.RawMessage](t, d, "orgs.list", `{}`, ""); !strings.Contains(string(orgs), "Dossiers du poste") || strings.Contains(string(orgs), "Cabinet Martin") {
		t.Fatalf("back on the desktop's own data: %s", orgs)
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// A change made on the server (a colleague in the browser) reaches the
// connected desktop by itself in a moment: the server's change stream wakes
// the sync, with no periodic pull due for an hour.
func TestAChangeOnTheServerReachesTheReplicaByItself(t *testing.T) {
	s := newTestServer(t, false)
	d := newTestDesktop(t, t.TempDir())
	kickDelay = 20 * time.Millisecond // read when the desktop reopens on the replica
	connect(t, d, s, "")
	token := s.signIn()
	time.Sleep(300 * time.Millisecond) // the stream opens
	s.call(token, "tasks.create", `{"title":"Faite dans le navigateur"}`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		page := invoke[service.TaskPage](t, d, "tasks.list", `{}`, s.org)
		if len(page.Items) == 1 && page.Items[0].Title == "Faite dans le navigateur" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server's change has not reached the replica: %+v", page.Items)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A server back after a cut is found in a few seconds, not at the next
// periodic sync: while offline the loop tries again sooner (no periodic sync
// due for an hour here), and the change made meanwhile reaches the server.
func TestAServerBackIsFoundSoon(t *testing.T) {
	s := newTestServer(t, false)
	d := newTestDesktop(t, t.TempDir())
	kickDelay, offlineRetry = 20*time.Millisecond, 50*time.Millisecond // read when the desktop reopens on the replica
	connect(t, d, s, "")
	s.stop()
	invoke[service.Task](t, d, "tasks.create", `{"title":"Faite hors ligne"}`, s.org)
	deadline := time.Now().Add(10 * time.Second)
	for status(t, d).State != service.SyncOffline {
		if time.Now().After(deadline) {
			t.Fatalf("never offline: %+v", status(t, d))
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.start()
	for st := status(t, d); st.State != service.SyncOnline || st.Waiting != 0; st = status(t, d) {
		if time.Now().After(deadline) {
			t.Fatalf("the server is back but the desktop has not found it: %+v", st)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := s.call(s.signIn(), "tasks.list", `{}`).(service.TaskPage); len(got.Items) != 1 {
		t.Fatalf("the server holds %+v", got.Items)
	}
}
