// Command seed fills an Atrium SQLite database with an accountant's home page
// at scale: the account of --account (already a member of a dossier, e.g.
// the workspace's creator) is put in --dossiers dossiers holding --tasks
// tasks (bench/home). The server may keep running (SQLite in WAL mode).
//
//	go run ./bench/home/cmd/seed --db FILE --account EMAIL [--dossiers 500] [--tasks 50000]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"atrium/backend/domain"
	"atrium/backend/service"
	"atrium/backend/store"
	"atrium/bench/home"
)

func main() {
	db := flag.String("db", "", "SQLite database file of an Atrium that has been set up")
	account := flag.String("account", "", "email of the account whose home page is filled")
	dossiers := flag.Int("dossiers", 500, "dossiers the account is in, its first one included")
	tasks := flag.Int("tasks", 50000, "tasks across those dossiers")
	flag.Parse()
	if err := run(*db, *account, *dossiers, *tasks); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(db, email string, dossiers, tasks int) error {
	if db == "" || email == "" {
		return fmt.Errorf("--db and --account are required")
	}
	email, ok := domain.NormalizeEmail(email)
	if !ok {
		return fmt.Errorf("invalid email %q", email)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	var acc domain.Account
	if err := st.DB(ctx).Where("email = ?", email).Take(&acc).Error; err != nil {
		return fmt.Errorf("no account %s: %v", email, err)
	}
	// Its oldest dossier gets its share of the tasks, like the others.
	var mem domain.Membership
	if err := st.DB(ctx).Where("account_id = ?", acc.ID).Order("created_at, id").Take(&mem).Error; err != nil {
		return fmt.Errorf("%s is in no dossier: %v", email, err)
	}
	return home.Generate(ctx, st, acc.ID, mem.OrgID, service.AdminRoleName, dossiers, tasks)
}
