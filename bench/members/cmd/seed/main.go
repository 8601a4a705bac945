// Command seed adds members to an Atrium SQLite database through the store:
// one account with a password (for end-to-end journeys, until invitations
// exist), or --count generated members (for the member-list benchmark).
//
//	go run ./bench/members/cmd/seed --db FILE --email claire@example.fr --password '...' --first Claire --last Petit
//	go run ./bench/members/cmd/seed --db FILE --count 100000
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"atrium/backend/store"
	"atrium/bench/members"
)

func main() {
	db := flag.String("db", "", "SQLite database file of an Atrium that has been set up")
	org := flag.String("org", "", "organization ID (default: the oldest)")
	email := flag.String("email", "", "email of the member to add")
	password := flag.String("password", "", "password of the member to add")
	first := flag.String("first", "Claire", "first name")
	last := flag.String("last", "Petit", "last name")
	count := flag.Int("count", 0, "generate this many members instead")
	flag.Parse()
	if err := run(*db, *org, *email, *password, *first, *last, *count); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(db, org, email, password, first, last string, count int) error {
	if db == "" {
		return fmt.Errorf("--db is required")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	if org == "" {
		if org, err = members.FirstOrgID(ctx, st); err != nil {
			return fmt.Errorf("no organization: set the workspace up first (%v)", err)
		}
	}
	if count > 0 {
		return members.Generate(ctx, st, org, "", count)
	}
	if email == "" || password == "" {
		return fmt.Errorf("--email and --password are required (or --count)")
	}
	id, err := members.AddMember(ctx, st, org, email, password, first, last)
	if err == nil {
		fmt.Println(id)
	}
	return err
}
