package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"gorm.io/driver/postgres"

	"atrium/backend/audit"
	"atrium/backend/service"
	"atrium/backend/store"
)

// historyKeyFlag declares --history-key: the file of the key the history is
// keyed with, kept outside the database.
func historyKeyFlag(fl *flag.FlagSet) *string {
	return fl.String("history-key", os.Getenv("ATRIUM_HISTORY_KEY_FILE"),
		"file of the history's key (created on first start if absent; default beside a SQLite file, required for PostgreSQL)")
}

// start brings Atrium up on the database dsn (SQLite file or PostgreSQL)
// with the history keyed by keyFile, by default the file beside the SQLite
// database. A PostgreSQL server names its own.
func start(ctx context.Context, dsn, keyFile string, d service.Deps) (*service.System, error) {
	sys, err := service.Start(ctx, service.Config{DB: dsn, StoreOptions: []store.Option{store.WithPostgres(postgres.Open)},
		HistoryKey: keyFile, Deps: d})
	if errors.Is(err, service.ErrHistoryKeyRequired) {
		return nil, errors.New("on PostgreSQL, give the history key's file with --history-key (or ATRIUM_HISTORY_KEY_FILE); it is created if absent: keep it out of the database's reach and with its backups")
	}
	return sys, err
}

// auditCommand runs `atrium-server audit verify|head`.
func auditCommand(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "head") {
		return errors.New("usage: atrium-server audit verify [--db DSN] [--history-key FILE] [--head FILE] | audit head [--db DSN] [--history-key FILE] [--out FILE]")
	}
	fl := flag.NewFlagSet("audit "+args[0], flag.ContinueOnError)
	dsn := fl.String("db", envOr("ATRIUM_DB", "atrium-server.db"), "SQLite file, or postgres:// URL")
	keyFile := historyKeyFlag(fl)
	headFile, out := new(string), new(string)
	if args[0] == "verify" {
		headFile = fl.String("head", "", "a head exported earlier (`audit head`, or an organization's from the console): a tail cut off since is found too")
	} else {
		out = fl.String("out", "", "file to write the head to (default: standard output)")
	}
	if err := fl.Parse(args[1:]); err != nil {
		return err
	}
	var exported *audit.Head
	if *headFile != "" {
		b, err := os.ReadFile(*headFile)
		if err != nil {
			return err
		}
		exported = &audit.Head{}
		if err := json.Unmarshal(b, exported); err != nil {
			return fmt.Errorf("%s is not an exported head: %v", *headFile, err)
		}
	}
	sys, err := start(ctx, *dsn, *keyFile, service.Deps{})
	if err != nil {
		return err
	}
	defer sys.Close()
	if args[0] == "head" {
		return writeHead(ctx, sys.History, *out, stdout)
	}
	return verify(ctx, sys.History, exported, stdout)
}

// verify walks the whole chain and names the first broken entry.
func verify(ctx context.Context, rec *audit.Recorder, exported *audit.Head, stdout io.Writer) error {
	rep, err := rec.VerifyWithHead(ctx, exported)
	if err != nil {
		return err
	}
	if !rep.OK {
		where := fmt.Sprintf("entry %d", rep.BrokenSeq)
		if rep.BrokenID != "" {
			where += " (" + rep.BrokenID + ")"
		}
		if rep.OrgID != "" {
			where += " of organization " + rep.OrgID
		}
		return fmt.Errorf("history broken at %s: %s; %d entries before it are intact", where, rep.Problem, rep.Checked)
	}
	fmt.Fprintf(stdout, "history intact: %d entries, head %d %s\n", rep.Checked, rep.HeadSeq, rep.HeadHash)
	return nil
}

// writeHead writes the chain's keyed head, to keep away from the database.
func writeHead(ctx context.Context, rec *audit.Recorder, out string, stdout io.Writer) error {
	h, err := rec.CurrentHead(ctx)
	if err != nil {
		return err
	}
	b, _ := json.MarshalIndent(h, "", "  ")
	b = append(b, '\n')
	if out == "" {
		_, err = stdout.Write(b)
		return err
	}
	return os.WriteFile(out, b, 0o600)
}
