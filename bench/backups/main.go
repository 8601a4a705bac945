// Command backups measures the desktop's backup and restore (SPEC I2; the
// figures of docs/PERFORMANCE.md) on a database of -members members, through
// the registry as the desktop window calls them: a backup made now, then a
// restore of it, which backs the database up first and stages the copy, and
// the reopen that puts it in place. Each step says its wall time and the
// process's CPU time (user + system), which a busy shared machine inflates less.
//
//	go run ./bench/backups [-members 100000] [-keep DIR]   (DIR kept; a second run reuses its database)
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"atrium/backend/auth"
	"atrium/backend/service"
	"atrium/backend/store"
	"atrium/bench/members"
)

// cpu is the process's CPU time so far (user + system).
func cpu() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// since says a step's wall and CPU time.
func since(t0 time.Time, c0 time.Duration) string {
	return fmt.Sprintf("%v wall, %v CPU", time.Since(t0).Round(time.Millisecond), (cpu() - c0).Round(time.Millisecond))
}

type noDialogs struct{}

func (noDialogs) SavePath(context.Context, string, string) (string, error) { return "", nil }
func (noDialogs) OpenPath(context.Context, string) (string, error)         { return "", nil }

func main() {
	n := flag.Int("members", 100000, "members of the one organization")
	keep := flag.String("keep", "", "folder to keep the database in (default: a temporary one, removed)")
	flag.Parse()
	ctx := context.Background()
	dir := *keep
	if dir == "" {
		dir, _ = os.MkdirTemp("", "atrium-bench-backups-")
		defer os.RemoveAll(dir)
	}
	path := filepath.Join(dir, "atrium.db")
	start := func() *service.System {
		sys, err := service.Start(ctx, service.Config{DB: path, Deps: service.Deps{
			Password: auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16},
			Desktop:  &service.DesktopDeps{Dialogs: noDialogs{}}}})
		if err != nil {
			log.Fatal(err)
		}
		return sys
	}
	sys := start()
	invoke := func(op, token, in string) service.Result {
		res, err := sys.Registry.Invoke(ctx, service.Call{Op: op, Token: token, Input: []byte(in)})
		if err != nil {
			log.Fatalf("%s: %v", op, err)
		}
		return res
	}
	var token string
	if st, err := os.Stat(path); err == nil && st.Size() > 1<<20 && *keep != "" {
		token = invoke("auth.signIn", "", `{"email":"anne@example.fr","password":"un mot de passe solide"}`).Token
		fmt.Printf("database kept from an earlier run: %.1f MB\n", float64(st.Size())/1e6)
	} else {
		token = invoke("setup.createWorkspace", "", `{"firstName":"Anne","lastName":"Martin","email":"anne@example.fr","password":"un mot de passe solide","organizationName":"Cabinet Martin","timezone":"Europe/Paris"}`).Token
		org, err := members.FirstOrgID(ctx, sys.Store)
		if err != nil {
			log.Fatal(err)
		}
		t0 := time.Now()
		if err := members.Generate(ctx, sys.Store, org, "", *n); err != nil {
			log.Fatal(err)
		}
		if err := sys.Store.DB(ctx).Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
			log.Fatal(err)
		}
		fi, _ := os.Stat(path)
		fmt.Printf("database: %d members, %.1f MB (generated in %v)\n", *n, float64(fi.Size())/1e6, time.Since(t0).Round(time.Second))
	}

	t0, c0 := time.Now(), cpu()
	made := invoke("backups.create", token, `{}`).Output.(service.BackupItem)
	fmt.Printf("backups.create (VACUUM INTO, integrity_check, fsync): %s; %.1f MB\n", since(t0, c0), float64(made.Size)/1e6)

	t0, c0 = time.Now(), cpu()
	if _, err := store.InspectBackup(ctx, filepath.Join(dir, "backups", made.Name)); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("  the check of a copy alone (integrity_check): %s\n", since(t0, c0))

	t0, c0 = time.Now(), cpu()
	res := invoke("backups.restore", token, `{"name":"`+made.Name+`"}`)
	if !res.Reopen {
		log.Fatal("the restore did not ask to reopen")
	}
	fmt.Printf("backups.restore (copy checked, backup of the current one checked, commit): %s\n", since(t0, c0))
	t1, c1 := time.Now(), cpu()
	sys.Close()
	sys = start()
	defer sys.Close()
	var count int64
	sys.Store.DB(ctx).Raw("SELECT count(*) FROM memberships").Scan(&count)
	fmt.Printf("  reopen on the restored database: %s (%d memberships)\n", since(t1, c1), count)
	fmt.Printf("restore in all, as the person waits: %s\n", since(t0, c0))
}
