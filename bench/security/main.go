// Command security measures sign-in with and without two-step verification
// and the history screen on a large history, for docs/PERFORMANCE.md.
//
//	go run ./bench/security -entries 1000000
//
// It works on a throw-away SQLite file (or -dsn postgres://...), with the real
// argon2id cost, through the same registry as every door.
package main

import (
	"atrium/bench/internal/latency"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"time"

	"gorm.io/driver/postgres"

	"atrium/backend/audit"
	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/service"
	"atrium/backend/store"
)

var desktop = domain.Device{Kind: domain.SessionDesktop, Name: "bench", Platform: "linux"}

func main() {
	entries := flag.Int("entries", 1_000_000, "history entries to create")
	dsn := flag.String("dsn", "", "database (default: a temporary SQLite file)")
	runs := flag.Int("runs", 30, "sign-ins measured per kind")
	flag.Parse()
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "atrium-bench-")
	defer os.RemoveAll(dir)
	if *dsn == "" {
		*dsn = filepath.Join(dir, "atrium.db")
	}
	now := time.Now()
	sys, err := service.Start(ctx, service.Config{DB: *dsn, StoreOptions: []store.Option{store.WithPostgres(postgres.Open)},
		HistoryKey: filepath.Join(dir, "history.key"),
		Deps: service.Deps{Password: auth.OWASP, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Clock: func() time.Time { return now }}})
	if err != nil {
		log.Fatal(err)
	}
	defer sys.Close()
	rec, reg := sys.History, sys.Registry
	invoke := func(op, token, in string) service.Result {
		res, err := reg.Invoke(ctx, service.Call{Op: op, Token: token, Input: []byte(in), Device: desktop})
		if err != nil {
			log.Fatalf("%s: %v", op, err)
		}
		return res
	}
	ws := `{"firstName":"Anne","lastName":"Martin","email":"anne@example.fr","password":"un mot de passe solide","organizationName":"Cabinet","timezone":"Europe/Paris","language":"fr"}`
	admin := invoke("setup.createWorkspace", "", ws)
	info := admin.Output.(service.SessionInfo)
	signIn := `{"email":"anne@example.fr","password":"un mot de passe solide"}`

	// Sign-in without 2FA.
	var plain []time.Duration
	for i := 0; i < *runs; i++ {
		t := time.Now()
		invoke("auth.signIn", "", signIn)
		plain = append(plain, time.Since(t))
	}
	report("sign-in, password only", plain)

	// Sign-in with 2FA: password step + code step.
	enr := invoke("twoFactor.begin", admin.Token, "").Output.(service.TwoFactorEnrollment)
	invoke("twoFactor.confirm", admin.Token, fmt.Sprintf(`{"code":%q}`, auth.TOTPCode(enr.Secret, now)))
	var twoStep []time.Duration
	for i := 0; i < *runs; i++ {
		now = now.Add(30 * time.Second) // a new code each time: codes are single-use
		t := time.Now()
		p := invoke("auth.signIn", "", signIn).Output.(service.SessionInfo).PendingTwoFactor
		invoke("auth.verifyTwoFactor", "", fmt.Sprintf(`{"pendingToken":%q,"code":%q}`, *p, auth.TOTPCode(enr.Secret, now)))
		twoStep = append(twoStep, time.Since(t))
	}
	report("sign-in, password + code", twoStep)

	// A large history: entries over a year, 20 people, 8 actions.
	t := time.Now()
	actions := []string{audit.SignInSucceeded, audit.SignInFailed, audit.SignOut, audit.ProfileChanged, audit.PasswordChanged,
		audit.TwoFactorEnabled, audit.SessionRevoked, audit.LanguageChanged}
	people := []string{info.Account.ID}
	for i := 1; i < 20; i++ {
		people = append(people, domain.NewID())
	}
	start := time.Now().Add(-365 * 24 * time.Hour)
	const chunk = 50_000
	for done := 0; done < *entries; done += chunk {
		n := min(chunk, *entries-done)
		batch := make([]audit.BulkEntry, n)
		for i := range batch {
			k := done + i
			batch[i] = audit.BulkEntry{Entry: audit.Entry{OrgID: info.Organization.ID, Action: actions[k%len(actions)], SubjectType: "account",
				SubjectID: people[k%len(people)], Details: map[string]any{"n": k}},
				At: start.Add(time.Duration(k) * 365 * 24 * time.Hour / time.Duration(*entries)), ActorID: people[(k/3)%len(people)], Device: "bench (linux)"}
		}
		if err := rec.AppendBulk(ctx, batch); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("created %d history entries in %s\n", *entries, time.Since(t).Round(time.Millisecond))

	month := time.Now().Add(-60 * 24 * time.Hour).Format("2006-01-02")
	month2 := time.Now().Add(-30 * 24 * time.Hour).Format("2006-01-02")
	queries := map[string]string{
		"first page, no filter":  `{"person":"","action":"","from":"","to":"","search":"","before":0,"limit":50}`,
		"action filter":          fmt.Sprintf(`{"person":"","action":%q,"from":"","to":"","search":"","before":0,"limit":50}`, audit.PasswordChanged),
		"person filter":          fmt.Sprintf(`{"person":%q,"action":"","from":"","to":"","search":"","before":0,"limit":50}`, people[7]),
		"date range (a month)":   fmt.Sprintf(`{"person":"","action":"","from":%q,"to":%q,"search":"","before":0,"limit":50}`, month, month2),
		"person+action+dates":    fmt.Sprintf(`{"person":%q,"action":%q,"from":%q,"to":%q,"search":"","before":0,"limit":50}`, people[3], audit.SignOut, month, month2),
		"deep page (seq<500000)": `{"person":"","action":"","from":"","to":"","search":"","before":500000,"limit":50}`,
		"search (rare word)":     `{"person":"","action":"","from":"","to":"","search":"introuvable","before":0,"limit":50}`,
	}
	names := make([]string, 0, len(queries))
	for k := range queries {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		var ds []time.Duration
		for i := 0; i < 20; i++ {
			t := time.Now()
			invoke("history.list", admin.Token, queries[name])
			ds = append(ds, time.Since(t))
		}
		report("history.list "+name, ds)
	}
	// Twice: the first run also pays for reading the freshly written file.
	// The organization's check is throttled: the clock moves past the pause.
	for _, run := range []string{"first", "second"} {
		now = now.Add(time.Hour)
		t = time.Now()
		v := invoke("history.verify", admin.Token, `{}`).Output.(service.HistoryVerification)
		b, _ := json.Marshal(v)
		fmt.Printf("history.verify (%s run): %s (%s)\n", run, time.Since(t).Round(time.Millisecond), b)
	}
	// The operator's full walk (atrium-server audit verify).
	t = time.Now()
	rep, err := rec.Verify(ctx)
	if err != nil || !rep.OK {
		log.Fatalf("full walk: %+v %v", rep, err)
	}
	fmt.Printf("audit verify (full walk): %s (%d entries)\n", time.Since(t).Round(time.Millisecond), rep.Checked)
}

func report(name string, ds []time.Duration) {
	p := func(q float64) time.Duration { return latency.Percentile(ds, q).Round(100 * time.Microsecond) }
	fmt.Printf("%-40s n=%d p50=%s p95=%s\n", name, len(ds), p(50), p(95))
}
