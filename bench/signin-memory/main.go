// Command signin-memory measures the memory a burst of sign-ins at once takes:
// n sign-ins started together, each from its own address (so throttling lets
// every one through to argon2id), with the real OWASP cost, through the same
// registry as every door. It prints the process's peak resident memory
// (VmHWM) and what it still holds afterwards.
//
//	go run ./bench/signin-memory -n 100
//	go run ./bench/signin-memory -n 300 -unbounded   # as before the bound
//
// Run one burst per process: the peak is the process's own.
package main

import (
	"atrium/bench/internal/latency"
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/service"
)

func main() {
	n := flag.Int("n", 100, "sign-ins started at once")
	unbounded := flag.Bool("unbounded", false, "lift the bound on argon2id runs at once (the behaviour before it)")
	after := flag.Duration("after", 10*time.Second, "how long to wait before reading what memory is still held")
	flag.Parse()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "atrium-bench-signin-memory-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	sys, err := service.Start(ctx, service.Config{DB: filepath.Join(dir, "atrium.db"),
		Deps: service.Deps{Password: auth.OWASP, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}})
	if err != nil {
		log.Fatal(err)
	}
	defer sys.Close()
	reg := sys.Registry
	ws := `{"firstName":"Anne","lastName":"Martin","email":"anne@example.fr","password":"un mot de passe solide","organizationName":"Cabinet","timezone":"Europe/Paris","language":"fr"}`
	if _, err := reg.Invoke(ctx, service.Call{Op: "setup.createWorkspace", Input: []byte(ws)}); err != nil {
		log.Fatal(err)
	}
	if *unbounded {
		auth.SetConcurrency(1<<20, 0)
	}
	runtime.GC()
	fmt.Printf("GOMAXPROCS=%d n=%d unbounded=%v\n", runtime.GOMAXPROCS(0), *n, *unbounded)
	fmt.Printf("before the burst: rss=%s peak=%s\n", mib(status("VmRSS")), mib(status("VmHWM")))

	// A third each: the right password, a wrong one, an unknown email.
	inputs := []string{
		`{"email":"anne@example.fr","password":"un mot de passe solide"}`,
		`{"email":"anne@example.fr","password":"pas le bon mot de passe"}`,
		`{"email":"personne@example.fr","password":"pas le bon mot de passe"}`,
	}
	var mu sync.Mutex
	answers := map[string]int{}
	start := make(chan struct{})
	var wg sync.WaitGroup
	times := map[string][]time.Duration{}
	for i := 0; i < *n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			dev := domain.Device{Kind: domain.SessionBrowser, Name: "bench", Platform: "linux", IP: fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)}
			<-start
			t := time.Now()
			_, err := reg.Invoke(ctx, service.Call{Op: "auth.signIn", Input: []byte(inputs[i%len(inputs)]), Device: dev})
			d := time.Since(t)
			code := "ok"
			if err != nil {
				code = string(domain.CodeOf(err))
			}
			mu.Lock()
			answers[code]++
			times[code] = append(times[code], d)
			mu.Unlock()
		}(i)
	}
	t := time.Now()
	close(start)
	wg.Wait()
	fmt.Printf("burst: %s\n", time.Since(t).Round(time.Millisecond))
	for code, ds := range times {
		p := func(q float64) time.Duration { return latency.Percentile(ds, q).Round(time.Millisecond) }
		fmt.Printf("  %-20s n=%d p50=%s max=%s\n", code, len(ds), p(50), p(100))
	}
	fmt.Printf("after the burst: rss=%s peak=%s\n", mib(status("VmRSS")), mib(status("VmHWM")))
	time.Sleep(*after)
	fmt.Printf("%s later: rss=%s\n", *after, mib(status("VmRSS")))
}

// status reads a field of /proc/self/status, in KiB.
func status(field string) int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			var kb int
			fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
			return kb
		}
	}
	log.Fatalf("no %s in /proc/self/status", field)
	return 0
}

func mib(kb int) string { return fmt.Sprintf("%.0f MiB", float64(kb)/1024) }
