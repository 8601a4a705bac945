package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"atrium/backend/audit"
	"atrium/backend/store"
)

const backupUsage = "usage: atrium-server backup --to FILE [--db FILE] [--history-key FILE] [--with-key]"

// backupCommand runs `atrium-server backup --to FILE`: a consistent copy of
// the server's SQLite database, taken while the server runs on it.
func backupCommand(ctx context.Context, args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("backup", flag.ContinueOnError)
	dsn := fl.String("db", envOr("ATRIUM_DB", "atrium-server.db"), "the server's SQLite file")
	to := fl.String("to", "", "file to write the backup to: it must not exist, its folder must")
	keyFile := historyKeyFlag(fl)
	withKey := fl.Bool("with-key", false, "also copy the history key file beside the backup, where a server or `audit verify` on the backup looks for it")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *to == "" || fl.NArg() > 0 {
		return errors.New(backupUsage)
	}
	if store.DialectOf(*dsn) == store.Postgres {
		return errors.New("backup copies a SQLite database; back PostgreSQL up with its own tools: pg_dump -Fc, restored with pg_restore (see the README's server section), and keep the history key file (--history-key) with the dump")
	}
	key := *keyFile
	if key == "" {
		key = audit.KeyFileBeside(*dsn)
	}
	keyCopy := audit.KeyFileBeside(*to)
	if *withKey {
		// Checked before the copy, so a refusal leaves nothing written.
		if _, err := audit.ReadKeyFile(key); err != nil {
			return fmt.Errorf("--with-key: %v", err)
		}
		if _, err := os.Lstat(keyCopy); err == nil {
			return fmt.Errorf("--with-key: %s already exists: a backup never overwrites a file; give a new name, or move that file away first", keyCopy)
		}
	}
	info, err := store.BackupFile(ctx, *dsn, *to)
	if err != nil {
		return err
	}
	done := fmt.Sprintf("backup written: %s (%d bytes, schema version %d)", info.Path, info.Size, info.SchemaVersion)
	if *withKey {
		if err := copyKey(key, keyCopy); err != nil {
			return fmt.Errorf("%s, but the history key was not copied: %v; keep %s with the backup, or the restored copy will not start nor its history be checked", done, err, key)
		}
		fmt.Fprintf(stdout, "%s; history key copied to %s: keep the two together, or the restored copy will not start nor its history be checked\n", done, keyCopy)
		return nil
	}
	if _, err := os.Stat(key); err != nil {
		fmt.Fprintf(stdout, "%s; no history key file at %s: keep the one the server uses (--history-key) with the backup, or the restored copy will not start nor its history be checked\n", done, key)
		return nil
	}
	fmt.Fprintf(stdout, "%s; keep the history key file %s with it (or use --with-key), or the restored copy will not start nor its history be checked\n", done, key)
	return nil
}

// copyKey copies the history key file to dest, owner-only, never replacing a
// file, flushed to disk like the backup beside it.
func copyKey(src, dest string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(dest)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(dest)
		return err
	}
	return f.Close()
}
