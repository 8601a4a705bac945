// Command backups measures the desktop's backup and restore (SPEC I2; the
// figures of docs/PERFORMANCE.md) on a database of -members members, through
// the registry as the desktop window calls them: a backup made now, then a
// restore of it, which backs the database up first and stages the copy, and
// the reopen that puts it in place.
//
//	go run ./bench/backups [-members 100000] [-keep DIR]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"atrium/backend/auth"
	"atrium/backend/service"
	"atrium/backend/store"
	"atrium/bench/members"
)

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
	token := invoke("setup.createWorkspace", "", `{"firstName":"Anne","lastName":"Martin","email":"anne@example.fr","password":"un mot de passe solide","organizationName":"Cabinet Martin","timezone":"Europe/Paris"}`).Token
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

	t0 = time.Now()
	made := invoke("backups.create", token, `{}`).Output.(service.BackupItem)
	fmt.Printf("backups.create (VACUUM INTO, integrity_check, fsync): %v, %.1f MB\n", time.Since(t0).Round(time.Millisecond), float64(made.Size)/1e6)

	t0 = time.Now()
	if _, err := store.InspectBackup(ctx, filepath.Join(dir, "backups", made.Name)); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("  of which the check of a copy (integrity_check): %v\n", time.Since(t0).Round(time.Millisecond))

	t0 = time.Now()
	res := invoke("backups.restore", token, `{"name":"`+made.Name+`"}`)
	staged := time.Since(t0)
	if !res.Reopen {
		log.Fatal("the restore did not ask to reopen")
	}
	t1 := time.Now()
	sys.Close()
	sys = start()
	reopened := time.Since(t1)
	defer sys.Close()
	var count int64
	sys.Store.DB(ctx).Raw("SELECT count(*) FROM memberships").Scan(&count)
	fmt.Printf("backups.restore (check, backup of the current one, copy into place, checked): %v\n", staged.Round(time.Millisecond))
	fmt.Printf("  reopen on the restored database: %v (%d memberships)\n", reopened.Round(time.Millisecond), count)
	fmt.Printf("restore in all, as the person waits: %v\n", (staged + reopened).Round(time.Millisecond))
}
