package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"atrium/backend/audit"
	"atrium/backend/service"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// writeHistory appends n entries of one organization to the database at db,
// as the server does (keyed with the key file beside it).
func writeHistory(t *testing.T, db string, n int) {
	t.Helper()
	sys, err := start(context.Background(), db, "", service.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close()
	for i := 0; i < n; i++ {
		if err := sys.History.Record(context.Background(), audit.Entry{OrgID: "org-1", Action: audit.SignOut, SubjectType: "account",
			SubjectID: "acc-" + strconv.Itoa(i), Details: map[string]any{"n": i}}); err != nil {
			t.Fatal(err)
		}
	}
}

// plainHash is the chain's published SHA-256 recipe: what anyone holding the
// database file can recompute.
func plainHash(e audit.Event) string {
	d := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	fields := []string{strconv.FormatInt(e.Seq, 10), e.ID, e.At.UTC().Format(time.RFC3339Nano), d(e.OrgID), d(e.ActorID),
		d(e.SessionID), e.Device, e.Action, e.SubjectType, e.SubjectID, e.Details, e.PrevHash}
	sum := sha256.Sum256([]byte(strings.Join(fields, "\x1f")))
	return hex.EncodeToString(sum[:])
}

// Someone with write access to the database file edits an entry, then
// recomputes every later hash and the head as the published recipe says:
// the operator's full check still finds the edit.
func TestAuditVerifyCatchesARecomputedChain(t *testing.T) {
	db := filepath.Join(t.TempDir(), "atrium.db")
	writeHistory(t, db, 40)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify", "--db", db}, &out, &out); err != nil {
		t.Fatalf("intact history refused: %v", err)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	g := st.DB(context.Background())
	storetest.DropHistoryGuards(t, st)
	var evs []audit.Event
	g.Order("seq").Find(&evs)
	prev := ""
	for i, e := range evs {
		if e.Seq == 7 {
			e.Details = `{"n":999}`
		}
		if e.Seq >= 7 {
			e.PrevHash = prev
			e.Hash = plainHash(e)
			if err := g.Exec("UPDATE audit_events SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?", e.Details, e.PrevHash, e.Hash, e.Seq).Error; err != nil {
				t.Fatal(err)
			}
		}
		prev, evs[i] = e.Hash, e
	}
	g.Exec("UPDATE audit_head SET hash = ? WHERE id = 1", prev)
	st.Close()
	err = run(context.Background(), []string{"audit", "verify", "--db", db}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "entry 7 ") {
		t.Fatalf("a rewritten chain passed the full check: %v\n%s", err, out.String())
	}
}

// copyDB copies a closed SQLite database file.
func copyDB(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A head exported earlier still finds a tail cut off together with the head
// row, even when the database was put back exactly as an older copy of it
// (which no check inside the database can tell from the truth).
func TestAuditVerifyWithHeadFindsACutTail(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "atrium.db")
	writeHistory(t, db, 20)
	old := filepath.Join(dir, "old.db")
	copyDB(t, db, old)
	writeHistory(t, db, 15)
	head := filepath.Join(dir, "head.json")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"audit", "head", "--db", db, "--out", head}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"audit", "verify", "--db", db, "--head", head}, &out, &out); err != nil {
		t.Fatalf("the head of an intact history refused: %v", err)
	}
	// The tail is cut: the database is the older copy again.
	copyDB(t, old, db)
	os.Remove(db + "-wal")
	os.Remove(db + "-shm")
	err := run(context.Background(), []string{"audit", "verify", "--db", db, "--head", head}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), audit.ProblemHeadMismatch) {
		t.Fatalf("a cut tail passed the check with the exported head: %v", err)
	}
}

// A head file that this server's key did not make is refused, not trusted.
func TestAuditVerifyRefusesAForgedHead(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "atrium.db")
	writeHistory(t, db, 3)
	head := filepath.Join(dir, "head.json")
	os.WriteFile(head, []byte(`{"seq":2,"hash":"abc","mac":"def"}`), 0o600)
	var out bytes.Buffer
	err := run(context.Background(), []string{"audit", "verify", "--db", db, "--head", head}, &out, &out)
	if !errors.Is(err, audit.ErrHeadInvalid) {
		t.Fatalf("a made-up head: %v", err)
	}
}

// A sealed database whose key file is gone, or that is given another key,
// is refused instead of being re-keyed (which would hide any tampering).
func TestHistoryKeyMustBeTheSealsKey(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "atrium.db")
	writeHistory(t, db, 3)
	info, err := os.Stat(audit.KeyFileBeside(db))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", info, err)
	}
	var out bytes.Buffer
	other := filepath.Join(dir, "other.key")
	os.WriteFile(other, []byte(strings.Repeat("ab", 32)+"\n"), 0o600)
	if err := run(context.Background(), []string{"audit", "verify", "--db", db, "--history-key", other}, &out, &out); !errors.Is(err, audit.ErrWrongKey) {
		t.Fatalf("another key: %v", err)
	}
	os.Remove(audit.KeyFileBeside(db))
	if err := run(context.Background(), []string{"audit", "verify", "--db", db}, &out, &out); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("a missing key file: %v", err)
	}
	if _, err := os.Stat(audit.KeyFileBeside(db)); err == nil {
		t.Fatal("a new key was made for a sealed history")
	}
}
