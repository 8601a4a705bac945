package replica

// Real processes for the fault and property tests: the atrium-server
// program, built once per test binary and run on a SQLite file or a
// PostgreSQL schema, and desktops, each the sync engine of a connected
// desktop run headless in a child process (this test binary run again as
// TestHelperProcess) on a real SQLite replica. The parent drives a desktop
// over its standard input and output, one JSON line per command, and may
// kill either process at any moment.

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gorm.io/driver/postgres"

	"atrium/backend/domain"
	"atrium/backend/service"
	"atrium/backend/store"
	"atrium/backend/storetest"
	"atrium/bench/members"
)

// The environment a desktop child reads.
const (
	envDesktop = "ATRIUM_TEST_DESKTOP" // "1": this process is a desktop
	envDeskDB  = "ATRIUM_TEST_DESKTOP_DB"
	envDeskURL = "ATRIUM_TEST_DESKTOP_SERVER"
	envDeskTok = "ATRIUM_TEST_DESKTOP_SESSION"
	envDeskAcc = "ATRIUM_TEST_DESKTOP_ACCOUNT"
	envDeskOrg = "ATRIUM_TEST_DESKTOP_ORG"
)

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// serverBinary builds ./cmd/atrium-server once for this test binary.
func serverBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "atrium-server-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "atrium-server")
		if runtime.GOOS == "windows" {
			binPath += ".exe"
		}
		out, err := exec.Command("go", "build", "-o", binPath, "atrium/cmd/atrium-server").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// seed prints the seed a test runs with and returns its random source:
// ATRIUM_TEST_SEED=n runs it again with seed n.
func seed(t testing.TB) (*rand.Rand, uint64) {
	t.Helper()
	s := uint64(time.Now().UnixNano())
	if v := os.Getenv("ATRIUM_TEST_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("ATRIUM_TEST_SEED: %v", err)
		}
		s = n
	}
	t.Logf("seed %d (ATRIUM_TEST_SEED=%d runs it again)", s, s)
	return rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15)), s
}

// envCount reads a count from the environment, def when unset.
func envCount(t testing.TB, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: a count", name, v)
	}
	return n
}

// ---- The server's data ----

// serverData is the server's database, seeded before the first start:
// Anne's organization (Anne its admin), Bruno and Chloé members, and some
// generated members. The test keeps a store of its own open on it to look.
type serverData struct {
	dsn, key string
	sqlite   string // the SQLite file, "" on PostgreSQL
	st       *store.Store
	org      string
	anne     string
	bruno    string // account
	chloe    string
	brunoM   string // membership
	chloeM   string
}

const chloeEmail = "chloe.petit@example.fr"

// newServerData seeds a server database on SQLite (pg false) or on a fresh
// PostgreSQL schema, with extra generated members. Bruno and Chloé hold
// the given rights.
func newServerData(t *testing.T, pg bool, extra int, rights ...domain.Right) *serverData {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	d := &serverData{key: filepath.Join(dir, "history.key")}
	if pg {
		base := os.Getenv(storetest.EnvPG)
		if base == "" {
			t.Skipf("%s not set", storetest.EnvPG)
		}
		d.dsn = storetest.NewSchema(t, base)
	} else {
		d.sqlite = filepath.Join(dir, "server.db")
		d.dsn = d.sqlite
	}
	sys, err := service.Start(ctx, service.Config{DB: d.dsn, HistoryKey: d.key, StoreOptions: []store.Option{store.WithPostgres(postgres.Open)},
		Deps: service.Deps{Version: "test", Log: quietLog(), Password: fastHash}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := sys.Registry.Invoke(ctx, service.Call{Op: "setup.createWorkspace", Input: []byte(workspace)})
	if err != nil {
		t.Fatal(err)
	}
	anne := res.Token
	d.org = res.Output.(service.SessionInfo).Organization.ID
	d.anne = res.Output.(service.SessionInfo).Account.ID
	d.bruno, d.brunoM = addMember(t, sys.Store, d.org, brunoEmail, "Bruno", "Durand")
	d.chloe, d.chloeM = addMember(t, sys.Store, d.org, chloeEmail, "Chloé", "Petit")
	for _, m := range []string{d.brunoM, d.chloeM} {
		for _, r := range rights {
			in := fmt.Sprintf(`{"memberId":%q,"right":%q,"granted":true}`, m, r)
			if _, err := sys.Registry.Invoke(ctx, service.Call{Op: "members.setRight", Token: anne, Org: d.org, Input: []byte(in)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if extra > 0 {
		if err := members.Generate(ctx, sys.Store, d.org, "", extra); err != nil {
			t.Fatal(err)
		}
	}
	sys.Close()
	d.st, err = store.Open(ctx, d.dsn, store.WithPostgres(postgres.Open))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.st.Close() })
	return d
}

// integrity runs PRAGMA integrity_check on the server's SQLite file, on a
// connection of its own ("" on PostgreSQL, or when it is ok).
func (d *serverData) integrity(t testing.TB) string {
	t.Helper()
	if d.sqlite == "" {
		return ""
	}
	return integrityOf(t, d.sqlite)
}

func integrityOf(t interface{ Helper() }, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err.Error()
	}
	defer db.Close()
	var res []string
	rows, err := db.Query("PRAGMA integrity_check")
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		rows.Scan(&s)
		res = append(res, s)
	}
	if len(res) == 1 && res[0] == "ok" {
		return ""
	}
	return strings.Join(res, "; ")
}

// replayed returns how the server answered each operation id it recorded:
// accepted or refused, and by which account.
func (d *serverData) replayed(t testing.TB) map[string]store.ReplayedOperation {
	t.Helper()
	var rows []store.ReplayedOperation
	if err := d.st.DB(context.Background()).Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]store.ReplayedOperation{}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out
}

// tasksTitled counts the server's tasks of each title, and the history
// entries of those tasks' creation.
func (d *serverData) tasksTitled(t testing.TB, titles []string) (tasks, created map[string]int) {
	t.Helper()
	ctx := context.Background()
	tasks, created = map[string]int{}, map[string]int{}
	var rows []struct{ ID, Title string }
	if err := d.st.DB(ctx).Table("tasks").Select("id, title").Where("org_id = ? AND title IN ?", d.org, titles).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, r := range rows {
		tasks[r.Title]++
		ids[r.ID] = r.Title
	}
	var subjects []string
	keys := make([]string, 0, len(ids))
	for id := range ids {
		keys = append(keys, id)
	}
	if len(keys) > 0 {
		if err := d.st.DB(ctx).Table("audit_events").Where("action = ? AND subject_id IN ?", "task.created", keys).
			Pluck("subject_id", &subjects).Error; err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range subjects {
		created[ids[s]]++
	}
	return tasks, created
}

// ---- The server's process ----

// serverProc is the atrium-server program serving d on a fixed loopback
// address, started, stopped and killed as the test says.
type serverProc struct {
	t    testing.TB
	bin  string
	data *serverData
	addr string
	logs string // its output, a file
	cmd  *exec.Cmd
	done chan struct{}
	// starts and their time, until the server answered its health.
	starts   int
	starting time.Duration
}

func newServerProc(t *testing.T, d *serverData) *serverProc {
	t.Helper()
	s := &serverProc{t: t, bin: serverBinary(t), data: d, addr: freeAddr(t), logs: filepath.Join(t.TempDir(), "server.log")}
	s.start()
	t.Cleanup(func() {
		s.kill()
		if t.Failed() {
			b, _ := os.ReadFile(s.logs)
			if len(b) > 8000 {
				b = b[len(b)-8000:]
			}
			t.Logf("the server's last output:\n%s", b)
		}
	})
	return s
}

func (s *serverProc) url() string { return "http://" + s.addr }

// start starts the program and waits until it answers its health.
func (s *serverProc) start() {
	s.t.Helper()
	logs, err := os.OpenFile(s.logs, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		s.t.Fatal(err)
	}
	defer logs.Close()
	t0 := time.Now()
	defer func() { s.starts, s.starting = s.starts+1, s.starting+time.Since(t0) }()
	s.cmd = exec.Command(s.bin, "--db", s.data.dsn, "--history-key", s.data.key, "--addr", s.addr)
	s.cmd.Stdout, s.cmd.Stderr = logs, logs
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { cmd.Wait(); close(done) }(s.cmd, s.done)
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case <-s.done:
			b, _ := os.ReadFile(s.logs)
			s.t.Fatalf("the server stopped at start:\n%s", b)
		default:
		}
		if res, err := client.Get(s.url() + "/api/health"); err == nil {
			res.Body.Close()
			return
		}
	}
	s.t.Fatal("the server did not answer within 30 s")
}

// kill kills the server at once (SIGKILL), as a crash or a power cut does.
func (s *serverProc) kill() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// stop stops the server as its operator does (SIGTERM).
func (s *serverProc) stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
	s.cmd = nil
}

// verifyHistory runs `atrium-server audit verify` on the server's database.
func (s *serverProc) verifyHistory() {
	s.t.Helper()
	out, err := exec.Command(s.bin, "audit", "verify", "--db", s.data.dsn, "--history-key", s.data.key).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "history intact") {
		s.t.Fatalf("the server's history: %v\n%s", err, out)
	}
}

// signIn signs email in on the server as a desktop and returns the session
// token the desktop keeps.
func signInAt(t testing.TB, url, email, computer string) string {
	t.Helper()
	c, err := NewClient(url, "test", "linux", computer)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Call(context.Background(), "auth.signIn", "", map[string]string{"email": email, "password": brunoPassword}, nil); err != nil {
		t.Fatalf("sign-in of %s: %v", email, err)
	}
	return c.Session()
}

// ---- A desktop, in a child process ----

// deskCall is one operation the desktop runs, as its window would.
type deskCall struct {
	Op    string          `json:"op"`
	Input json.RawMessage `json:"input"`
}

type deskCommand struct {
	Cmd   string     `json:"cmd"`
	Calls []deskCall `json:"calls,omitempty"`
}

// deskOp is an operation of the desktop's queue.
type deskOp struct {
	ID      string          `json:"id"`
	Op      string          `json:"op"`
	Input   json.RawMessage `json:"input"`
	State   string          `json:"state"`
	Refusal string          `json:"refusal,omitempty"`
}

// deskRef names a record the desktop shows.
type deskRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type deskReply struct {
	Started bool   `json:"started,omitempty"`
	Err     string `json:"err,omitempty"`
	// Kind: "offline" (unreachable), "signedOut", "version", else the
	// error's code.
	Kind string `json:"kind,omitempty"`
	// Queued: for each call, the id of the operation queued ("" when none
	// was) and its error's code.
	Queued []string    `json:"queued,omitempty"`
	Codes  []string    `json:"codes,omitempty"`
	Push   *PushReport `json:"push,omitempty"`
	Pull   *PullReport `json:"pull,omitempty"`
	Ops    []deskOp    `json:"ops,omitempty"`
	// Listed: the refused operations sync.refused lists.
	Listed []string `json:"listed,omitempty"`
	// Position: the newest change-log position the replica holds (queue).
	Position int64     `json:"position,omitempty"`
	Problem  string    `json:"problem,omitempty"`
	Tasks    []deskRef `json:"tasks,omitempty"`
	Members  []deskRef `json:"members,omitempty"`
	Roles    []deskRef `json:"roles,omitempty"`
}

// desktop is a connected desktop's sync engine in a child process, on the
// replica file db, signed in to the server at url with token.
type desktop struct {
	t                         testing.TB
	name, db, url, token, acc string
	org                       string
	cmd                       *exec.Cmd
	in                        *json.Encoder
	out                       *bufio.Scanner
	stderr                    *strings.Builder
	done                      chan struct{}
}

func newDesktop(t *testing.T, name, url, token, account, org string) *desktop {
	t.Helper()
	d := &desktop{t: t, name: name, db: filepath.Join(t.TempDir(), "replica.db"), url: url, token: token, acc: account, org: org}
	d.start()
	t.Cleanup(func() {
		d.kill()
		if t.Failed() && d.stderr != nil && d.stderr.Len() > 0 {
			t.Logf("desktop %s's last output:\n%s", d.name, d.stderr.String())
		}
	})
	return d
}

// start starts (or starts again, after a kill) the desktop's process.
func (d *desktop) start() {
	d.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), envDesktop+"=1", envDeskDB+"="+d.db, envDeskURL+"="+d.url, envDeskTok+"="+d.token,
		envDeskAcc+"="+d.acc, envDeskOrg+"="+d.org)
	in, err := cmd.StdinPipe()
	if err != nil {
		d.t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		d.t.Fatal(err)
	}
	d.stderr = &strings.Builder{}
	cmd.Stderr = &lockedWriter{w: d.stderr}
	if err := cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	d.cmd, d.in, d.out = cmd, json.NewEncoder(in), bufio.NewScanner(out)
	d.out.Buffer(make([]byte, 1<<20), 64<<20)
	d.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { cmd.Wait(); close(done) }(cmd, d.done)
}

// begin sends a command and waits until the desktop says it started it.
func (d *desktop) begin(c deskCommand) {
	d.t.Helper()
	if err := d.in.Encode(c); err != nil {
		d.t.Fatalf("desktop %s: %v", d.name, err)
	}
	if r := d.read(); !r.Started {
		d.t.Fatalf("desktop %s: %s answered %+v before starting", d.name, c.Cmd, r)
	}
}

// finish waits for the answer of the command begun.
func (d *desktop) finish() deskReply {
	d.t.Helper()
	return d.read()
}

// do runs one command and returns its answer.
func (d *desktop) do(cmd string, calls ...deskCall) deskReply {
	d.t.Helper()
	d.begin(deskCommand{Cmd: cmd, Calls: calls})
	return d.finish()
}

func (d *desktop) read() deskReply {
	d.t.Helper()
	for d.out.Scan() {
		line := d.out.Bytes()
		if len(line) == 0 || line[0] != '{' {
			continue // the test framework's own words
		}
		var r deskReply
		if err := json.Unmarshal(line, &r); err != nil {
			d.t.Fatalf("desktop %s: %q: %v", d.name, line, err)
		}
		return r
	}
	<-d.done
	d.t.Fatalf("desktop %s ended: %v\n%s", d.name, d.out.Err(), d.stderr.String())
	return deskReply{}
}

// kill kills the desktop's process at once (SIGKILL).
func (d *desktop) kill() {
	if d.cmd == nil {
		return
	}
	d.cmd.Process.Kill()
	<-d.done
	d.cmd = nil
}

// must fails the test when the answer carries an error.
func (d *desktop) must(r deskReply) deskReply {
	d.t.Helper()
	if r.Err != "" {
		d.t.Fatalf("desktop %s: %s", d.name, r.Err)
	}
	return r
}

// sound checks the replica after whatever happened: PRAGMA integrity_check
// and its own history's chain.
func (d *desktop) sound() {
	d.t.Helper()
	if r := d.do("check"); r.Err != "" || r.Problem != "" {
		d.t.Fatalf("desktop %s: the replica is not sound: %s%s", d.name, r.Err, r.Problem)
	}
}

// sameAsServer compares the replica with what the server lets its account
// read, table by table.
func (d *desktop) sameAsServer() {
	d.t.Helper()
	if r := d.do("compare"); r.Err != "" || r.Problem != "" {
		d.t.Fatalf("desktop %s: the replica differs from the server: %s%s", d.name, r.Err, r.Problem)
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w.Len() > 1<<20 {
		return len(p), nil
	}
	return l.w.Write(p)
}

// TestHelperProcess is a desktop's sync engine when the fault tests run
// this binary as a child (ATRIUM_TEST_DESKTOP=1); otherwise it does nothing.
func TestHelperProcess(t *testing.T) {
	if os.Getenv(envDesktop) != "1" {
		return
	}
	os.Exit(runDesktop())
}

// headless stands for the desktop's window where the sync operations need
// one: only sync.refused is used here.
type headless struct{}

func (headless) SavePath(context.Context, string, string) (string, error) { return "", nil }
func (headless) OpenPath(context.Context, string) (string, error)         { return "", nil }
func (headless) Status(context.Context) (service.SyncStatus, error)       { return service.SyncStatus{}, nil }
func (headless) Probe(context.Context, service.ProbeServerInput) (service.ServerProbe, error) {
	return service.ServerProbe{}, errors.ErrUnsupported
}
func (headless) Connect(context.Context, service.ConnectInput) (service.Connected, error) {
	return service.Connected{}, errors.ErrUnsupported
}
func (headless) Disconnect(context.Context) (service.Disconnected, error) {
	return service.Disconnected{}, errors.ErrUnsupported
}
func (headless) Retry(context.Context, store.PendingOperation, []byte) error {
	return errors.ErrUnsupported
}

// runDesktop is the child: the desktop's system on the replica file, its
// client of the server, and the commands read from standard input.
func runDesktop() int {
	ctx := context.Background()
	sys, err := service.Start(ctx, service.Config{DB: os.Getenv(envDeskDB), Deps: service.Deps{Version: "test", Log: quietLog(),
		Password: fastHash, Desktop: &service.DesktopDeps{Dialogs: headless{}, Connection: headless{}}}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "start:", err)
		return 2
	}
	defer sys.Close()
	client, err := NewClient(os.Getenv(envDeskURL), "test", "linux", "poste-test", ClientOptions{Session: os.Getenv(envDeskTok)})
	if err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		return 2
	}
	dk := &child{ctx: ctx, sys: sys, client: client, account: os.Getenv(envDeskAcc), org: os.Getenv(envDeskOrg)}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var c deskCommand
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			fmt.Fprintln(os.Stderr, "command:", err)
			return 2
		}
		out.Encode(deskReply{Started: true})
		out.Encode(dk.run(c))
	}
	return 0
}

func (*child) Helper() {}

type child struct {
	ctx          context.Context
	sys          *service.System
	client       *Client
	account, org string
	token        string // the local session, opened once the replica holds the account
}

func (k *child) run(c deskCommand) (r deskReply) {
	fail := func(err error) deskReply {
		r.Err = err.Error()
		var off *ErrUnreachable
		switch {
		case errors.As(err, &off):
			r.Kind = "offline"
		case errors.Is(err, ErrSignedOut):
			r.Kind = "signedOut"
		case errors.Is(err, ErrVersion):
			r.Kind = "version"
		default:
			r.Kind = string(domain.CodeOf(err))
		}
		return r
	}
	switch c.Cmd {
	case "push":
		rep, err := Push(k.ctx, k.sys.Store, k.client, time.Now)
		r.Push = &rep
		if err != nil {
			return fail(err)
		}
	case "pull":
		rep, err := Pull(k.ctx, k.sys, k.client, PullOptions{})
		r.Pull = &rep
		if err != nil {
			return fail(err)
		}
	case "sync": // as the desktop's loop: push, then pull
		rep, err := Push(k.ctx, k.sys.Store, k.client, time.Now)
		r.Push = &rep
		if err == nil || domain.CodeOf(err) == domain.CodeUnauthenticated {
			var pr PullReport
			pr, err = Pull(k.ctx, k.sys, k.client, PullOptions{})
			r.Pull = &pr
		}
		if err != nil {
			return fail(err)
		}
	case "invoke":
		token, err := k.session()
		if err != nil {
			return fail(err)
		}
		for _, call := range c.Calls {
			var base int64
			if orgs, err := k.sys.Store.ReplicaOrgs(k.ctx); err == nil {
				for _, o := range orgs {
					base = max(base, o.Position)
				}
			}
			_, queued, err := k.sys.Registry.InvokeQueued(k.ctx, service.Call{Op: call.Op, Token: token, Org: k.org, Input: call.Input}, base)
			id := ""
			if queued {
				var last store.PendingOperation
				if err := k.sys.Store.DB(k.ctx).Order("seq DESC").Limit(1).Find(&last).Error; err != nil {
					return fail(err)
				}
				id = last.ID
			}
			r.Queued, r.Codes = append(r.Queued, id), append(r.Codes, string(domain.CodeOf(err)))
		}
	case "queue":
		ops, err := k.sys.Store.PendingOperations(k.ctx)
		if err != nil {
			return fail(err)
		}
		orgs, err := k.sys.Store.ReplicaOrgs(k.ctx)
		if err != nil {
			return fail(err)
		}
		for _, o := range orgs {
			r.Position = max(r.Position, o.Position)
		}
		for _, p := range ops {
			o := deskOp{ID: p.ID, Op: p.Op, Input: json.RawMessage(p.Input), State: p.State}
			if p.Refusal != nil {
				o.Refusal = *p.Refusal
			}
			r.Ops = append(r.Ops, o)
		}
		token, err := k.session()
		if err != nil {
			return fail(err)
		}
		res, err := k.sys.Registry.Invoke(k.ctx, service.Call{Op: "sync.refused", Token: token, Input: []byte(`{}`)})
		if err != nil {
			return fail(err)
		}
		for _, ch := range res.Output.(service.RefusedChanges).Changes {
			r.Listed = append(r.Listed, ch.ID)
		}
	case "check":
		// On a connection of its own, as after a crash: integrity_check
		// opens the connection's temporary database, which the desktop's
		// own connections never do.
		if p := integrityOf(k, os.Getenv(envDeskDB)); p != "" {
			r.Problem = "integrity_check: " + p
		}
		rep, err := k.sys.History.VerifyWithHead(k.ctx, nil)
		if err != nil {
			return fail(err)
		}
		if !rep.OK {
			r.Problem += fmt.Sprintf(" history broken at %d: %s", rep.BrokenSeq, rep.Problem)
		}
	case "compare":
		if err := compareWith(k.ctx, clientSource{k.client}, k.sys.Store); err != nil {
			r.Problem = err.Error()
		}
	case "records": // what the desktop shows, in a stable order
		db := k.sys.Store.DB(k.ctx)
		if err := db.Table("tasks").Select("id, title AS name").Where("org_id = ?", k.org).Order("title, id").Scan(&r.Tasks).Error; err != nil {
			return fail(err)
		}
		if err := db.Table("memberships").Select("memberships.id AS id, accounts.email AS name").
			Joins("JOIN accounts ON accounts.id = memberships.account_id").
			Where("memberships.org_id = ? AND memberships.status = ?", k.org, domain.MemberActive).Order("accounts.email").Scan(&r.Members).Error; err != nil {
			return fail(err)
		}
		if err := db.Table("roles").Select("id, name").Where("org_id = ? AND is_admin = ?", k.org, false).Order("name, id").Scan(&r.Roles).Error; err != nil {
			return fail(err)
		}
	default:
		r.Err = "unknown command " + c.Cmd
	}
	return r
}

// session opens the account's session on the replica once it holds it.
func (k *child) session() (string, error) {
	if k.token != "" {
		var n int64
		k.sys.Store.DB(k.ctx).Table("sessions").Count(&n)
		if n > 0 {
			return k.token, nil
		}
	}
	token, err := LocalSession(k.ctx, k.sys, k.account, k.org, domain.Device{Kind: domain.SessionDesktop, Name: "poste-test"})
	k.token = token
	return token, err
}

// freeAddr finds a loopback port nobody listens on.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
