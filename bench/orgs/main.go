// Command orgs measures the organization list and the task list through the
// registry, as a door calls them (SPEC B2; the figures of docs/PERFORMANCE.md): one account
// member of 5,000 organizations, one organization holding 50,000 tasks.
//
//	go run ./bench/orgs [-orgs 5000] [-tasks 50000] [-n 300] [-dsn path-or-postgres-url] [-only name] [-cpuprofile file]
package main

import (
	"atrium/bench/internal/latency"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"gorm.io/driver/postgres"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/service"
	"atrium/backend/store"
)

func main() {
	nOrgs := flag.Int("orgs", 5000, "organizations of the account")
	nTasks := flag.Int("tasks", 50000, "tasks in the current organization")
	n := flag.Int("n", 300, "calls per measure")
	dsn := flag.String("dsn", "", "database (default: a new SQLite file)")
	only := flag.String("only", "", "run only the measures whose name contains this")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the measures to this file")
	flag.Parse()
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "atrium-bench-orgs-")
	defer os.RemoveAll(dir)
	if *dsn == "" {
		*dsn = filepath.Join(dir, "atrium.db")
	}
	sys, err := service.Start(ctx, service.Config{DB: *dsn, StoreOptions: []store.Option{store.WithPostgres(postgres.Open)},
		HistoryKey: filepath.Join(dir, "history.key"),
		Deps:       service.Deps{Password: auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}}})
	if err != nil {
		log.Fatal(err)
	}
	defer sys.Close()
	st, reg := sys.Store, sys.Registry
	invoke := func(op, token, in string) service.Result {
		res, err := reg.Invoke(ctx, service.Call{Op: op, Token: token, Input: []byte(in)})
		if err != nil {
			log.Fatalf("%s: %v", op, err)
		}
		return res
	}
	res := invoke("setup.createWorkspace", "", `{"firstName":"Anne","lastName":"Martin","email":"anne@example.fr","password":"un mot de passe solide","organizationName":"Cabinet Martin","timezone":"Europe/Paris"}`)
	token := res.Token
	info := res.Output.(service.SessionInfo)

	start := time.Now()
	for i := 1; i < *nOrgs; i++ {
		o := invoke("orgs.create", token, fmt.Sprintf(`{"name":"Dossier client %05d","timezone":"Europe/Paris"}`, i)).Output.(service.OrgSummary)
		if i%10 == 0 { // one dossier in ten has a company profile: the list's left join finds some
			err := st.SaveCompanyProfile(ctx, store.CompanyProfile{OrgID: o.ID, LegalName: fmt.Sprintf("DOSSIER CLIENT %05d SARL", i), SIRET: "44306184100047"})
			if err != nil {
				log.Fatal(err)
			}
		}
	}
	log.Printf("seeded %d organizations in %v", *nOrgs, time.Since(start).Round(time.Millisecond))

	start = time.Now()
	members := []string{info.Account.ID}
	now := time.Now().UTC()
	for i := 0; i < *nTasks; i += 1000 {
		err := st.Tx(ctx, func(ctx context.Context) error {
			batch := make([]store.Task, 0, 1000)
			for j := i; j < i+1000 && j < *nTasks; j++ {
				status := store.TaskOpen
				if j%3 == 0 {
					status = store.TaskDone
				}
				var assignee *string
				if j%2 == 0 {
					assignee = &members[0]
				}
				batch = append(batch, store.Task{ID: domain.NewID(), OrgID: info.Organization.ID, Title: fmt.Sprintf("Tâche %d", j),
					Status: status, AssigneeID: assignee, CreatorID: &members[0], CreatedAt: now, UpdatedAt: now})
			}
			return st.DB(ctx).CreateInBatches(batch, 200).Error
		})
		if err != nil {
			log.Fatal(err)
		}
	}
	log.Printf("seeded %d tasks in %v", *nTasks, time.Since(start).Round(time.Millisecond))

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	measure := func(name, op, in string) {
		if !strings.Contains(name, *only) {
			return
		}
		invoke(op, token, in) // warm
		d := latency.Time(*n, func() { invoke(op, token, in) })
		p := func(q float64) string { return latency.Percentile(d, q).Round(time.Microsecond).String() }
		fmt.Printf("%-44s p50 %-9s p95 %-9s max %s\n", name, p(50), p(95), p(100))
	}
	fmt.Printf("%s, %d organizations, %d tasks, %d calls each\n", st.Dialect(), *nOrgs, *nTasks, *n)
	measure("session.current (baseline: resolve + rights)", "session.current", `{}`)
	measure("orgs.list first page (25)", "orgs.list", `{}`)
	measure("orgs.list page 100 (offset 2475)", "orgs.list", `{"offset":2475}`)
	measure("orgs.list filter name \"client 04\"", "orgs.list", `{"name":"client 04"}`)
	measure("orgs.list filter name no match", "orgs.list", `{"name":"zzz"}`)
	measure("orgs.list filter by ID", "orgs.list", fmt.Sprintf(`{"id":%q}`, info.Organization.ID))
	measure("orgs.list name Z to A, last page", "orgs.list", fmt.Sprintf(`{"sort":"name","desc":true,"offset":%d}`, *nOrgs-25))
	measure("orgs.list sort members (desc)", "orgs.list", `{"sort":"members","desc":true}`)
	measure("orgs.list sort open tasks (desc)", "orgs.list", `{"sort":"openTasks","desc":true}`)
	measure("orgs.list sort last activity (desc)", "orgs.list", `{"sort":"activity","desc":true}`)
	measure("orgs.list sort status, page 100", "orgs.list", `{"sort":"status","offset":2475}`)
	measure("orgs.list sort my role", "orgs.list", `{"sort":"roles"}`)
	measure("tasks.list first page (25)", "tasks.list", `{}`)
	measure("tasks.list status open", "tasks.list", `{"status":"open"}`)
	measure("tasks.list assignee + status", "tasks.list", fmt.Sprintf(`{"assigneeId":%q,"status":"open"}`, info.Account.ID))
	measure("tasks.list unassigned", "tasks.list", `{"assigneeId":"none"}`)
	measure("tasks.list page 200 (offset 4975)", "tasks.list", `{"offset":4975}`)
}
