// Command sync holds many connected desktops on one real atrium-server
// process (SQLite or PostgreSQL) for a while: each desktop follows the
// server's change stream, and every few seconds makes a task on its replica
// (queued, as offline), pushes its queue and pulls. At the end every desktop
// pushes and pulls once more, and the server is stopped and checked: no
// error on the way, every operation applied exactly once (one task and one
// record per operation, none missing, none doubled), every replica's tasks
// those of the server. While the desktops are held, the server process's CPU
// (user + system, from /proc) and resident memory are sampled each second.
//
//	go build -o /tmp/atrium-server ./cmd/atrium-server
//	go run ./bench/sync -server /tmp/atrium-server [-replicas 100] [-orgs 20] [-for 1m] [-every 2s] [-db postgres://…/emptydb [-dbpid PID]]
//
// Without -db the server's database is a new SQLite file. A PostgreSQL
// database given with -db must be empty; the history's key goes in the
// temporary folder.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/replica"
	"atrium/backend/service"
	"atrium/backend/store"

	"gorm.io/driver/postgres"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fast is the password cost for the bench's accounts: nobody signs in with
// them (each desktop gets its session from the setup).
var fast = auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

const password = "un mot de passe solide"

type desk struct {
	n       int
	org     string
	account string
	sys     *service.System
	client  *replica.Client
	token   string // the local session on the replica
	queued  []string
	events  atomic.Int64
	pushes  int
	pulls   int
}

func main() {
	server := flag.String("server", "", "the atrium-server binary")
	n := flag.Int("replicas", 100, "connected desktops")
	orgs := flag.Int("orgs", 20, "organizations the desktops are members of, in turn")
	dur := flag.Duration("for", time.Minute, "how long the desktops are held")
	every := flag.Duration("every", 2*time.Second, "how often each desktop makes a change, pushes and pulls (jittered ±50%)")
	dsn := flag.String("db", "", "postgres:// URL of an empty database (default: a new SQLite file)")
	dbPid := flag.Int("dbpid", 0, "the PostgreSQL postmaster's pid, to count the database's CPU too (its processes and those that ended)")
	flag.Parse()
	if *server == "" {
		log.Fatal("-server: the atrium-server binary is needed")
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "atrium-bench-sync-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, key := *dsn, filepath.Join(dir, "history.key")
	if db == "" {
		db, key = filepath.Join(dir, "server.db"), ""
	}

	// The server's database: a workspace, its organizations, one account
	// per desktop with the rights over tasks, and a session for each.
	desks, err := setup(ctx, db, key, *n, *orgs)
	if err != nil {
		log.Fatal("setup: ", err)
	}

	// The server process, on a free loopback port.
	addr := freeAddr()
	cmd := exec.Command(*server, "-addr", addr, "-db", db, "-max-conns-per-ip", "0")
	if key != "" {
		cmd.Args = append(cmd.Args, "-history-key", key)
	}
	cmd.Stderr, cmd.Stdout = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	defer cmd.Process.Kill()
	url := "http://" + addr
	if err := waitHealth(url); err != nil {
		log.Fatal(err)
	}
	pid := cmd.Process.Pid
	base := procCPU(pid)

	// The desktops: a replica each, filled by a first pull, a local session,
	// the server's stream followed.
	var errs errorList
	for _, d := range desks {
		if d.sys, err = service.Start(ctx, service.Config{DB: filepath.Join(dir, fmt.Sprintf("replica-%d.db", d.n)),
			Deps: service.Deps{Version: "bench", Log: quiet, Password: fast}}); err != nil {
			log.Fatal(err)
		}
		defer d.sys.Close()
		if d.client, err = replica.NewClient(url, "bench", "linux", fmt.Sprintf("poste-%d", d.n), replica.ClientOptions{Session: d.token}); err != nil {
			log.Fatal(err)
		}
		if _, err := replica.Pull(ctx, d.sys, d.client, replica.PullOptions{}); err != nil {
			log.Fatalf("desktop %d, first pull: %v", d.n, err)
		}
		if d.token, err = replica.LocalSession(ctx, d.sys, d.account, d.org, domain.Device{Kind: domain.SessionDesktop, Name: "bench"}); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("%d desktops in %d organizations, on %s (%s); each makes a change, pushes and pulls every %v for %v\n",
		len(desks), *orgs, dialect(db), addr, *every, *dur)

	run, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, d := range desks {
		wg.Add(2)
		go func() { // the stream, as the desktop follows it
			defer wg.Done()
			for run.Err() == nil {
				err := d.client.Follow(run, func() { d.events.Add(1) })
				if run.Err() == nil {
					errs.add(fmt.Errorf("desktop %d, stream: %v", d.n, err))
					time.Sleep(time.Second)
				}
			}
		}()
		go func() {
			defer wg.Done()
			for {
				wait := time.Duration(float64(*every) * (0.5 + rand.Float64()))
				select {
				case <-run.Done():
					return
				case <-time.After(wait):
				}
				if err := d.change(ctx); err != nil {
					errs.add(err)
				}
				if err := d.sync(ctx); err != nil {
					errs.add(err)
				}
			}
		}()
	}

	// The server's CPU and memory while it holds them.
	t0 := time.Now()
	var rss []int64
	var hwm int64
	cpu0, db0 := procCPU(pid), clusterCPU(*dbPid)
	for time.Since(t0) < *dur {
		time.Sleep(time.Second)
		r, h := procMem(pid)
		rss, hwm = append(rss, r), h
	}
	held := time.Since(t0)
	cpu, dbCPU := procCPU(pid)-cpu0, clusterCPU(*dbPid)-db0
	streams := openStreams(pid)
	stop()
	wg.Wait()

	// Everyone syncs once more.
	for _, d := range desks {
		if err := d.sync(ctx); err != nil {
			errs.add(err)
		}
	}
	total := procCPU(pid) - base
	sort.Slice(rss, func(i, j int) bool { return rss[i] < rss[j] })
	ops, pushes, pulls, events := 0, 0, 0, int64(0)
	for _, d := range desks {
		ops, pushes, pulls, events = ops+len(d.queued), pushes+d.pushes, pulls+d.pulls, events+d.events.Load()
	}
	fmt.Printf("held %v: %d operations queued, %d pushes, %d pulls, %d stream events, %d sockets open on the server at the end\n",
		held.Round(time.Second), ops, pushes, pulls, events, streams)
	fmt.Printf("server process: CPU %.1f s over %.0f s held (%.0f%% of one core); resident memory median %s, max %s, peak %s; whole run CPU %.1f s\n",
		cpu.Seconds(), held.Seconds(), 100*cpu.Seconds()/held.Seconds(), mib(rss[len(rss)/2]), mib(rss[len(rss)-1]), mib(hwm), total.Seconds())
	if *dbPid != 0 {
		fmt.Printf("PostgreSQL's processes: CPU %.1f s over the same %.0f s (%.0f%% of one core)\n",
			dbCPU.Seconds(), held.Seconds(), 100*dbCPU.Seconds()/held.Seconds())
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = cmd.Wait()

	// The check, on the server's database once it stopped.
	if err := check(ctx, db, key, desks); err != nil {
		errs.add(err)
	}
	if len(errs.list) > 0 {
		for i, e := range errs.list {
			if i == 20 {
				fmt.Printf("… and %d more\n", len(errs.list)-20)
				break
			}
			fmt.Println("error:", e)
		}
		os.Exit(1)
	}
	fmt.Println("no error; every operation applied once; every replica holds the server's tasks")
}

// change makes a task on the replica, queued for the server.
func (d *desk) change(ctx context.Context) error {
	out, queued, err := d.sys.Registry.InvokeQueued(ctx, service.Call{Op: "tasks.create", Token: d.token, Org: d.org,
		Input: []byte(fmt.Sprintf(`{"title":"Tâche %d-%d"}`, d.n, len(d.queued)))}, 0)
	if err != nil || !queued {
		return fmt.Errorf("desktop %d, on its replica: queued %v, %v", d.n, queued, err)
	}
	d.queued = append(d.queued, out.Output.(service.Task).ID)
	return nil
}

// sync pushes the queue then pulls, as the desktop's loop does.
func (d *desk) sync(ctx context.Context) error {
	rep, err := replica.Push(ctx, d.sys.Store, d.client, time.Now)
	d.pushes++
	if err != nil || rep.Refused > 0 || rep.Waiting > 0 {
		return fmt.Errorf("desktop %d, push: %+v, %v", d.n, rep, err)
	}
	_, err = replica.Pull(ctx, d.sys, d.client, replica.PullOptions{})
	d.pulls++
	if err != nil {
		return fmt.Errorf("desktop %d, pull: %v", d.n, err)
	}
	return nil
}

func open(ctx context.Context, db, key string) (*service.System, error) {
	return service.Start(ctx, service.Config{DB: db, HistoryKey: key, StoreOptions: []store.Option{store.WithPostgres(postgres.Open)},
		Deps: service.Deps{Version: "bench", Log: quiet, Password: fast}})
}

func setup(ctx context.Context, db, key string, n, orgs int) ([]*desk, error) {
	sys, err := open(ctx, db, key)
	if err != nil {
		return nil, err
	}
	defer sys.Close()
	reg := sys.Registry
	ws := `{"firstName":"Anne","lastName":"Martin","email":"anne.martin@example.fr","password":"` + password +
		`","organizationName":"Cabinet 0","timezone":"Europe/Paris","language":"fr"}`
	res, err := reg.Invoke(ctx, service.Call{Op: "setup.createWorkspace", Input: []byte(ws)})
	if err != nil {
		return nil, err
	}
	admin := res.Token
	ids := []string{res.Output.(service.SessionInfo).Organization.ID}
	for i := 1; i < orgs; i++ {
		res, err := reg.Invoke(ctx, service.Call{Op: "orgs.create", Token: admin,
			Input: []byte(fmt.Sprintf(`{"name":"Cabinet %d","timezone":"Europe/Paris"}`, i))})
		if err != nil {
			return nil, err
		}
		ids = append(ids, orgID(res.Output))
	}
	hash, err := auth.HashPassword(password, fast)
	if err != nil {
		return nil, err
	}
	var desks []*desk
	for i := 0; i < n; i++ {
		now := time.Now().UTC()
		org := ids[i%len(ids)]
		acc := domain.Account{ID: domain.NewID(), Email: fmt.Sprintf("poste%d@example.fr", i), PasswordHash: hash,
			FirstName: "Poste", LastName: strconv.Itoa(i), Language: "fr", CreatedAt: now, UpdatedAt: now}
		mem := domain.Membership{ID: domain.NewID(), OrgID: org, AccountID: acc.ID, Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now}
		for _, r := range []any{&acc, &mem} {
			if err := sys.Store.Create(ctx, r); err != nil {
				return nil, err
			}
		}
		for _, right := range []domain.Right{domain.RightTasksView, domain.RightTasksManage} {
			if _, err := reg.Invoke(ctx, service.Call{Op: "members.setRight", Token: admin, Org: org,
				Input: []byte(fmt.Sprintf(`{"memberId":%q,"right":%q,"granted":true}`, mem.ID, right))}); err != nil {
				return nil, err
			}
		}
		token, err := reg.LocalSession(ctx, acc.ID, org, domain.Device{Kind: domain.SessionDesktop, Name: fmt.Sprintf("poste-%d", i)})
		if err != nil {
			return nil, err
		}
		desks = append(desks, &desk{n: i, org: org, account: acc.ID, token: token})
	}
	return desks, nil
}

// orgID reads the id of the organization orgs.create made.
func orgID(out any) string {
	b, _ := json.Marshal(out)
	var o struct {
		ID           string `json:"id"`
		Organization struct {
			ID string `json:"id"`
		} `json:"organization"`
	}
	_ = json.Unmarshal(b, &o)
	if o.ID != "" {
		return o.ID
	}
	return o.Organization.ID
}

// check reads the stopped server's database: each queued operation is one
// task and one accepted record there, nothing else; each replica holds its
// organization's tasks as the server does.
func check(ctx context.Context, db, key string, desks []*desk) error {
	sys, err := open(ctx, db, key)
	if err != nil {
		return err
	}
	defer sys.Close()
	st := sys.Store
	var problems []string
	byOrg := map[string]map[string]bool{}
	queued := 0
	for _, d := range desks {
		if byOrg[d.org] == nil {
			byOrg[d.org] = map[string]bool{}
		}
		for _, id := range d.queued {
			byOrg[d.org][id] = true
		}
		queued += len(d.queued)
		waiting, err := d.sys.Store.WaitingOperations(ctx, 1<<30)
		if err != nil {
			return err
		}
		if len(waiting) > 0 {
			problems = append(problems, fmt.Sprintf("desktop %d: %d operations still waiting", d.n, len(waiting)))
		}
	}
	var accepted, other int64
	st.DB(ctx).Model(&store.ReplayedOperation{}).Where("outcome = ?", store.ReplayAccepted).Count(&accepted)
	st.DB(ctx).Model(&store.ReplayedOperation{}).Where("outcome <> ?", store.ReplayAccepted).Count(&other)
	if int(accepted) != queued || other != 0 {
		problems = append(problems, fmt.Sprintf("%d operations queued, %d recorded accepted and %d otherwise", queued, accepted, other))
	}
	for org, want := range byOrg {
		var ids []string
		st.DB(ctx).Model(&store.Task{}).Where("org_id = ?", org).Pluck("id", &ids)
		seen := map[string]int{}
		for _, id := range ids {
			seen[id]++
		}
		for id := range want {
			if seen[id] != 1 {
				problems = append(problems, fmt.Sprintf("task %s of organization %s is on the server %d times", id, org, seen[id]))
			}
		}
		if len(ids) != len(want) {
			problems = append(problems, fmt.Sprintf("organization %s: %d tasks on the server for %d operations", org, len(ids), len(want)))
		}
		server := strings.Join(sorted(ids), ",")
		for _, d := range desks {
			if d.org != org {
				continue
			}
			var local []string
			d.sys.Store.DB(ctx).Model(&store.Task{}).Where("org_id = ?", org).Pluck("id", &local)
			if strings.Join(sorted(local), ",") != server {
				problems = append(problems, fmt.Sprintf("desktop %d holds %d tasks, the server %d", d.n, len(local), len(ids)))
			}
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

func sorted(s []string) []string { sort.Strings(s); return s }

type errorList struct {
	mu   sync.Mutex
	list []error
}

func (e *errorList) add(err error) {
	e.mu.Lock()
	e.list = append(e.list, err)
	e.mu.Unlock()
}

func dialect(db string) string {
	if strings.HasPrefix(db, "postgres") {
		return "PostgreSQL"
	}
	return "SQLite"
}

func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHealth(url string) error {
	for i := 0; i < 300; i++ {
		if resp, err := http.Get(url + "/api/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("the server did not come up")
}

// procCPU is a process's CPU time so far (user + system), from /proc.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command's name, which is in parentheses.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ
}

// clusterCPU is the CPU time of a PostgreSQL cluster so far: its postmaster
// and live processes, and those of its processes that ended (counted in the
// postmaster's children's time). 0 without a pid.
func clusterCPU(postmaster int) time.Duration {
	if postmaster == 0 {
		return 0
	}
	total := procCPU(postmaster) + procChildrenCPU(postmaster)
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil || p == postmaster {
			continue
		}
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p)); err == nil {
			f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
			if ppid, _ := strconv.Atoi(f[1]); ppid == postmaster {
				total += procCPU(p)
			}
		}
	}
	return total
}

// procChildrenCPU is the CPU time of a process's children that ended.
func procChildrenCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	cu, _ := strconv.ParseInt(f[13], 10, 64)
	cs, _ := strconv.ParseInt(f[14], 10, 64)
	return time.Duration(cu+cs) * time.Second / 100
}

// procMem is a process's resident memory now and at its peak, in bytes.
func procMem(pid int) (rss, hwm int64) {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb << 10
		case "VmHWM:":
			hwm = kb << 10
		}
	}
	return rss, hwm
}

// openStreams counts the server's established TCP connections (each desktop
// holds its stream's, and one for its calls).
func openStreams(pid int) int {
	ents, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	n := 0
	for _, e := range ents {
		if l, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, e.Name())); err == nil && strings.HasPrefix(l, "socket:") {
			n++
		}
	}
	return n
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
