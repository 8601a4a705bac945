package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"atrium/backend/audit"
	"atrium/backend/service"
)

// serverBinary builds atrium-server into a test folder: the backups below are
// taken by the program an operator runs, its exit code and its two streams.
func serverBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "atrium-server")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runBinary runs the built program and returns its exit code and streams.
func runBinary(t *testing.T, bin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, stdout.String(), stderr.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), stdout.String(), stderr.String()
	}
	t.Fatalf("%s: %v", bin, err)
	return 0, "", ""
}

// serve starts the server program on db and waits until it listens; it is
// stopped when the test ends.
func serve(t *testing.T, bin, db string) {
	t.Helper()
	cmd := exec.Command(bin, "--db", db, "--addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	up := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		var seen strings.Builder
		for sc.Scan() {
			seen.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "atrium-server listening") {
				up <- ""
				break
			}
		}
		up <- seen.String()
		for sc.Scan() { // keep the pipe drained
		}
	}()
	select {
	case out := <-up:
		if out != "" {
			t.Fatalf("the server stopped before listening:\n%s", out)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not start")
	}
}

// backupFacts opens a backup as nothing but a SQLite file and reads its check
// and its count of history entries.
func backupFacts(t *testing.T, path string) (check string, entries int64) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow("PRAGMA quick_check").Scan(&check); err != nil {
		t.Fatalf("%s does not open: %v", path, err)
	}
	if err := db.QueryRow("SELECT count(*) FROM audit_events").Scan(&entries); err != nil {
		t.Fatalf("%s has no history: %v", path, err)
	}
	return check, entries
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// Backups taken while the server runs on the file and another connection
// keeps writing are whole and consistent: each opens, passes SQLite's check,
// holds the rows written before it started, is its owner's only, and its
// history (head and entries together) verifies with the server's key.
func TestBackupWhileTheServerRunsAndWrites(t *testing.T) {
	bin := serverBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "atrium.db")
	writeHistory(t, db, 50)
	serve(t, bin, db)

	sys, err := start(context.Background(), db, "", service.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close()
	var written atomic.Int64
	written.Store(50)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var stopOnce sync.Once
	stopWriting := func() { stopOnce.Do(func() { close(stop) }); wg.Wait() }
	defer stopWriting() // also when the test stops early
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := sys.History.Record(context.Background(), audit.Entry{OrgID: "org-1", Action: audit.SignOut,
				SubjectType: "account", SubjectID: "w-" + strconv.Itoa(i), Details: map[string]any{"n": i}}); err != nil {
				t.Errorf("a write beside the backup failed: %v", err)
				return
			}
			written.Add(1)
		}
	}()

	out := filepath.Join(dir, "backups-here")
	if err := os.Mkdir(out, 0o700); err != nil {
		t.Fatal(err)
	}
	type taken struct {
		path          string
		before, after int64
	}
	var backups []taken
	for i := 1; i <= 3; i++ {
		for written.Load() < int64(50+40*i) { // some writes between backups
			time.Sleep(5 * time.Millisecond)
		}
		b := taken{path: filepath.Join(out, "atrium-"+strconv.Itoa(i)+".db"), before: written.Load()}
		code, stdout, stderr := runBinary(t, bin, "backup", "--db", db, "--to", b.path)
		b.after = written.Load()
		if code != 0 || stderr != "" {
			t.Fatalf("backup %d: exit %d, stderr %q", i, code, stderr)
		}
		if strings.Count(stdout, "\n") != 1 || !strings.HasPrefix(stdout, "backup written: "+b.path+" (") ||
			!strings.Contains(stdout, "bytes, schema version ") || !strings.Contains(stdout, audit.KeyFileBeside(db)) ||
			!strings.Contains(stdout, "restored copy will not start") {
			t.Fatalf("backup %d: the success line: %q", i, stdout)
		}
		backups = append(backups, b)
	}
	stopWriting()
	if b := backups[len(backups)-1]; b.after == b.before {
		t.Log("no write landed during the last backup: consistency was checked between writes only")
	}

	for _, b := range backups {
		if runtime.GOOS != "windows" {
			if fi, err := os.Stat(b.path); err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("%s: mode %v, %v", b.path, fi.Mode(), err)
			}
		}
		check, entries := backupFacts(t, b.path)
		if check != "ok" {
			t.Fatalf("%s: quick_check %q", b.path, check)
		}
		// Entries are counted once committed, so the copy holds at least
		// those before it started and at most those once it ended.
		if entries < b.before || entries > b.after+1 {
			t.Fatalf("%s holds %d entries, written meanwhile %d..%d", b.path, entries, b.before, b.after)
		}
		var vout bytes.Buffer
		if err := run(context.Background(), []string{"audit", "verify", "--db", b.path, "--history-key", audit.KeyFileBeside(db)}, &vout, &vout); err != nil {
			t.Fatalf("%s: the backup's history does not verify: %v", b.path, err)
		}
		if !strings.Contains(vout.String(), "history intact: "+strconv.FormatInt(entries, 10)+" entries") {
			t.Fatalf("%s: %s", b.path, vout.String())
		}
	}

	// Taken again to a name a backup holds: refused, said so, and the
	// earlier backup left as it was, with no partial copy beside it.
	first := backups[0].path
	sum := fileSum(t, first)
	listing := func() []string {
		es, _ := os.ReadDir(out)
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		return names
	}
	before := strings.Join(listing(), ",")
	code, stdout, stderr := runBinary(t, bin, "backup", "--db", db, "--to", first)
	if code == 0 || stdout != "" || !strings.Contains(stderr, first+" already exists") || !strings.Contains(stderr, "never overwrites") {
		t.Fatalf("an existing target: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if fileSum(t, first) != sum {
		t.Fatal("an existing backup was changed")
	}
	if after := strings.Join(listing(), ","); after != before {
		t.Fatalf("files beside the backups changed: %s, now %s", before, after)
	}
}

// backupRun runs the backup command in this process, as main would: an
// error is what goes to standard error with exit code 1.
func backupRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout bytes.Buffer
	if err := run(context.Background(), args, &stdout, &stdout); err != nil {
		return 1, stdout.String(), err.Error()
	}
	return 0, stdout.String(), ""
}

// The refusals an operator meets, each with its reason (what main prints on
// standard error before exiting 1), nothing on standard output and nothing
// written.
func TestBackupRefusals(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "atrium.db")
	writeHistory(t, db, 3)

	missing := filepath.Join(dir, "no-such-folder", "b.db")
	code, stdout, stderr := backupRun(t, "backup", "--db", db, "--to", missing)
	if code == 0 || stdout != "" || !strings.Contains(stderr, "no-such-folder does not exist") {
		t.Fatalf("a missing folder: exit %d, %q %q", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
		t.Fatal("the missing folder was made")
	}

	target := filepath.Join(dir, "pg.db")
	code, stdout, stderr = backupRun(t, "backup", "--db", "postgres://atrium@127.0.0.1:1/atrium", "--to", target)
	if code == 0 || stdout != "" || !strings.Contains(stderr, "pg_dump -Fc") || !strings.Contains(stderr, "pg_restore") ||
		!strings.Contains(stderr, "README") {
		t.Fatalf("PostgreSQL: exit %d, %q %q", code, stdout, stderr)
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Fatal("a PostgreSQL backup wrote a file")
	}

	code, _, stderr = backupRun(t, "backup", "--db", db)
	if code == 0 || !strings.Contains(stderr, "usage: atrium-server backup --to FILE") {
		t.Fatalf("no --to: exit %d, %q", code, stderr)
	}

	code, _, stderr = backupRun(t, "backup", "--db", filepath.Join(dir, "absent.db"), "--to", target)
	if code == 0 || !strings.Contains(stderr, "no database to back up") {
		t.Fatalf("no database: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "absent.db")); !os.IsNotExist(err) {
		t.Fatal("backing up a missing database created it")
	}

	// A SQLite file that is not Atrium's: its copy has no schema version.
	other := filepath.Join(dir, "other.db")
	odb, err := sql.Open("sqlite", "file:"+other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := odb.Exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	odb.Close()
	code, _, stderr = backupRun(t, "backup", "--db", other, "--to", target)
	if code == 0 || !strings.Contains(stderr, "no Atrium database") {
		t.Fatalf("not Atrium's: exit %d, %q", code, stderr)
	}
	if es, _ := filepath.Glob(filepath.Join(dir, "pg.db*")); len(es) != 0 {
		t.Fatalf("a refused backup left %v", es)
	}
}

// --with-key puts the history key where a server or `audit verify` on the
// backup finds it, owner-only; a key copy already there is refused before
// anything is written.
func TestBackupWithKey(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "atrium.db")
	writeHistory(t, db, 5)
	out := filepath.Join(t.TempDir(), "nightly.db")
	code, stdout, stderr := backupRun(t, "backup", "--db", db, "--to", out, "--with-key")
	keyCopy := audit.KeyFileBeside(out)
	if code != 0 || stderr != "" || !strings.Contains(stdout, "history key copied to "+keyCopy) {
		t.Fatalf("exit %d, %q %q", code, stdout, stderr)
	}
	if fileSum(t, keyCopy) != fileSum(t, audit.KeyFileBeside(db)) {
		t.Fatal("the key copy differs from the key")
	}
	if runtime.GOOS != "windows" {
		if fi, err := os.Stat(keyCopy); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("key copy: %v %v", fi, err)
		}
	}
	var vout bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify", "--db", out}, &vout, &vout); err != nil ||
		!strings.Contains(vout.String(), "history intact: 5 entries") {
		t.Fatalf("the backup with its key beside: %v %s", err, vout.String())
	}

	second := filepath.Join(filepath.Dir(out), "nightly.sqlite") // the same key file name
	code, _, stderr = backupRun(t, "backup", "--db", db, "--to", second, "--with-key")
	if code == 0 || !strings.Contains(stderr, keyCopy+" already exists") {
		t.Fatalf("an existing key copy: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(second); !os.IsNotExist(err) {
		t.Fatal("the backup was written though its key could not be")
	}
}
