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
	"atrium/backend/store"
)

// historyKeyFlag declares --history-key: the file of the key the history is
// keyed with, kept outside the database.
func historyKeyFlag(fl *flag.FlagSet) *string {
	return fl.String("history-key", os.Getenv("ATRIUM_HISTORY_KEY_FILE"),
		"file of the history's key (created on first start if absent; default beside a SQLite file, required for PostgreSQL)")
}

// openHistory returns the recorder keyed with the key file named by keyFile,
// or by default the one beside the SQLite database. A PostgreSQL server
// names its own: there is no "beside" a database on another machine, and a
// key made afresh in a working folder would be lost with its container.
func openHistory(ctx context.Context, st *store.Store, dsn, keyFile string) (*audit.Recorder, error) {
	if keyFile == "" {
		if st.Dialect() != store.SQLite {
			return nil, errors.New("on PostgreSQL, give the history key's file with --history-key (or ATRIUM_HISTORY_KEY_FILE); it is created if absent: keep it out of the database's reach and with its backups")
		}
		keyFile = audit.KeyFileBeside(dsn)
	}
	rec, err := audit.Open(ctx, st, keyFile)
	if err != nil {
		return nil, fmt.Errorf("history key %s: %w", keyFile, err)
	}
	return rec, nil
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
	st, err := store.Open(ctx, *dsn, store.WithPostgres(postgres.Open))
	if err != nil {
		return err
	}
	defer st.Close()
	rec, err := openHistory(ctx, st, *dsn, *keyFile)
	if err != nil {
		return err
	}
	if args[0] == "head" {
		return writeHead(ctx, rec, *out, stdout)
	}
	return verify(ctx, rec, exported, stdout)
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
