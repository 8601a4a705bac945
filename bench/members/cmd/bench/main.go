// Command bench measures the member list (SPEC C1) in an organization of
// 100,000 members on SQLite: latency of the service call (p50/p95), requests
// per second of the HTTP list endpoint, and the cost of the rights check.
//
//	go run ./bench/members/cmd/bench [--members 100000] [--calls 300] [--http-seconds 5]
package main

import (
	"atrium/bench/internal/latency"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/httpapi"
	"atrium/backend/service"
	"atrium/bench/members"
)

func main() {
	n := flag.Int("members", 100000, "members to generate")
	calls := flag.Int("calls", 300, "calls per scenario")
	secs := flag.Int("http-seconds", 5, "duration of the HTTP load")
	workers := flag.Int("http-clients", 8, "parallel HTTP clients")
	flag.Parse()
	if err := run(*n, *calls, time.Duration(*secs)*time.Second, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(n, calls int, httpFor time.Duration, workers int) error {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "atrium-bench-members")
	defer os.RemoveAll(dir)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sys, err := service.Start(ctx, service.Config{DB: filepath.Join(dir, "atrium.db"), Deps: service.Deps{Password: auth.OWASP, Log: log}})
	if err != nil {
		return err
	}
	defer sys.Close()
	st, svc, reg := sys.Store, sys.Services, sys.Registry
	res, err := reg.Invoke(ctx, service.Call{Op: "setup.createWorkspace", Input: []byte(`{"firstName":"Anne","lastName":"Martin","email":"anne.martin@example.fr","password":"un mot de passe solide","organizationName":"Cabinet Martin","timezone":"Europe/Paris","language":"fr"}`)})
	if err != nil {
		return err
	}
	token := res.Token
	orgID := res.Output.(service.SessionInfo).Organization.ID
	role, err := reg.Invoke(ctx, service.Call{Op: "roles.create", Token: token, Input: []byte(`{"name":"Comptable","rights":["invoices.view"]}`)})
	if err != nil {
		return err
	}
	roleID := role.Output.(service.RoleView).ID
	t0 := time.Now()
	if err := members.Generate(ctx, st, orgID, roleID, n); err != nil {
		return err
	}
	fmt.Printf("generated %d members in %s\n", n, time.Since(t0).Round(time.Millisecond))

	// A cursor deep in the list (after ~half the members).
	deep := ""
	for i := 0; i < 5; i++ {
		p, err := reg.Invoke(ctx, service.Call{Op: "members.list", Token: token, Input: []byte(fmt.Sprintf(`{"limit":200,"cursor":%q}`, deep))})
		if err != nil {
			return err
		}
		deep = p.Output.(service.MemberPage).NextCursor
	}
	// The console asks for the total with every first page (withTotal), so
	// the first-page scenarios do too.
	scenarios := []struct{ name, in string }{
		{"first page, no filter", `{"limit":50,"withTotal":true}`},
		{"page after 1,000 rows (cursor)", fmt.Sprintf(`{"limit":50,"cursor":%q}`, deep)},
		{"search last name 'dup'", `{"query":"dup","limit":50,"withTotal":true}`},
		{"search 'dupont'", `{"query":"dupont","limit":50,"withTotal":true}`},
		{"search first name 'hélène'", `{"query":"hélène","limit":50,"withTotal":true}`},
		{"search prefix 'hél'", `{"query":"hél","limit":50,"withTotal":true}`},
		{"search two words 'sophie mar'", `{"query":"sophie mar","limit":50,"withTotal":true}`},
		{"search email 'membre04217'", `{"query":"membre04217","limit":50,"withTotal":true}`},
		{"search employee ref 'mat-0999'", `{"query":"mat-0999","limit":50,"withTotal":true}`},
		{"search rare (no match) 'zzz'", `{"query":"zzz","limit":50,"withTotal":true}`},
		{"status = disabled", `{"status":"disabled","limit":50,"withTotal":true}`},
		{"role filter (10k members)", fmt.Sprintf(`{"roleId":%q,"limit":50,"withTotal":true}`, roleID)},
		{"role + search 'dub'", fmt.Sprintf(`{"roleId":%q,"query":"dub","limit":50,"withTotal":true}`, roleID)},
		{"status + search 'mar'", `{"status":"active","query":"mar","limit":50,"withTotal":true}`},
	}
	fmt.Printf("\nmembers.list through Registry.Invoke (session → rights → check → query), %d calls each:\n", calls)
	fmt.Printf("%-34s %9s %9s %9s %6s\n", "scenario", "p50", "p95", "max", "rows")
	var worst time.Duration
	for _, s := range scenarios {
		d := make([]time.Duration, 0, calls)
		rows := 0
		for i := 0; i < calls; i++ {
			t := time.Now()
			r, err := reg.Invoke(ctx, service.Call{Op: "members.list", Token: token, Input: []byte(s.in)})
			d = append(d, time.Since(t))
			if err != nil {
				return fmt.Errorf("%s: %v", s.name, err)
			}
			rows = len(r.Output.(service.MemberPage).Items)
		}
		p50, p95, max := pct(d, 50), pct(d, 95), pct(d, 100)
		worst = maxD(worst, p95)
		fmt.Printf("%-34s %9s %9s %9s %6d\n", s.name, us(p50), us(p95), us(max), rows)
	}
	fmt.Printf("worst p95: %s\n", us(worst))

	// The roles page: every role with its rights and number of members.
	d0 := make([]time.Duration, 0, calls)
	for i := 0; i < calls; i++ {
		t := time.Now()
		if _, err := reg.Invoke(ctx, service.Call{Op: "roles.list", Token: token, Input: []byte(`{}`)}); err != nil {
			return fmt.Errorf("roles.list: %v", err)
		}
		d0 = append(d0, time.Since(t))
	}
	fmt.Printf("%-34s %9s %9s %9s\n", "roles.list (10,000 holders)", us(pct(d0, 50)), us(pct(d0, 95)), us(pct(d0, 100)))

	// The service method alone (actor already resolved).
	admin := domain.Actor{AccountID: "", OrgID: orgID, IsAdmin: true, Rights: map[domain.Right]bool{}}
	d := make([]time.Duration, 0, calls)
	for i := 0; i < calls; i++ {
		t := time.Now()
		if _, err := svc.Members.List(ctx, admin, service.ListMembersInput{Query: "dup", Limit: 50}); err != nil {
			return err
		}
		d = append(d, time.Since(t))
	}
	fmt.Printf("\nMembers.List alone, search 'dup': p50 %s, p95 %s\n", us(pct(d, 50)), us(pct(d, 95)))

	// Rights check: authorize() on a resolved actor, and resolving the actor
	// (session + membership + roles + rights) from the database.
	op, _ := reg.Lookup("members.list")
	actor := domain.Actor{AccountID: "a", OrgID: orgID, Rights: map[domain.Right]bool{domain.RightMembersView: true}}
	const k = 1_000_000
	t := time.Now()
	for i := 0; i < k; i++ {
		_ = service.Authorize(op, actor)
	}
	fmt.Printf("rights check, authorize() on a resolved actor: %.0f ns/call\n", float64(time.Since(t).Nanoseconds())/k)
	d = d[:0]
	for i := 0; i < 2000; i++ {
		t := time.Now()
		if _, err := reg.Invoke(ctx, service.Call{Op: "session.current", Token: token}); err != nil {
			return err
		}
		d = append(d, time.Since(t))
	}
	d2 := make([]time.Duration, 0, 2000)
	for i := 0; i < 2000; i++ {
		t := time.Now()
		if _, err := st.RightsOf(ctx, orgID, res.Output.(service.SessionInfo).Account.ID); err != nil {
			return err
		}
		d2 = append(d2, time.Since(t))
	}
	fmt.Printf("rights resolved from the database, as on a cache miss (store.RightsOf): p50 %s, p95 %s\n", us(pct(d2, 50)), us(pct(d2, 95)))
	fmt.Printf("session.current via Invoke (resolve + rights + account): p50 %s\n", us(pct(d, 50)))

	// HTTP: parallel keep-alive clients on the list endpoint.
	srv := httptest.NewServer(httpapi.New(httpapi.Options{Registry: reg, Log: log}))
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	// The CSRF token is the session's own: the server hands it to the session's cookie.
	jar.SetCookies(mustURL(srv.URL), []*http.Cookie{{Name: httpapi.SessionCookie, Value: token, Path: "/"}})
	if _, err := hc.Get(srv.URL + "/api/health"); err != nil {
		return err
	}
	csrf := ""
	for _, c := range jar.Cookies(mustURL(srv.URL)) {
		if c.Name == httpapi.CSRFCookie {
			csrf = c.Value
		}
	}
	bodies := []string{`{"limit":50}`, `{"query":"dup","limit":50}`, `{"status":"disabled","limit":50}`, fmt.Sprintf(`{"roleId":%q,"limit":50}`, roleID)}
	var done, failed atomic.Int64
	stop := time.Now().Add(httpFor)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; time.Now().Before(stop); i++ {
				req, _ := http.NewRequest("POST", srv.URL+"/api/ops/members.list", strings.NewReader(bodies[i%len(bodies)]))
				req.Header.Set(httpapi.CSRFHeader, csrf)
				req.AddCookie(&http.Cookie{Name: httpapi.SessionCookie, Value: token})
				res, err := hc.Do(req)
				if err != nil || res.StatusCode != 200 {
					failed.Add(1)
					if res != nil {
						res.Body.Close()
					}
					continue
				}
				var page service.MemberPage
				json.NewDecoder(res.Body).Decode(&page)
				res.Body.Close()
				done.Add(1)
			}
		}(w)
	}
	wg.Wait()
	fmt.Printf("\nHTTP POST /api/ops/members.list, %d clients, %s: %.0f req/s (%d ok, %d failed)\n",
		workers, httpFor, float64(done.Load())/httpFor.Seconds(), done.Load(), failed.Load())
	return nil
}

func pct(d []time.Duration, p int) time.Duration { return latency.Percentile(d, float64(p)) }

func maxD(a, b time.Duration) time.Duration {
	if a > b {
		return a
	}
	return b
}

func us(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
