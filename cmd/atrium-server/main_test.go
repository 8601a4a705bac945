package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"atrium/backend/store"
)

// The server must link no GUI library: nothing of Wails in its dependencies.
func TestNoGUIDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "wailsapp") {
		t.Fatal("atrium-server depends on Wails")
	}
}

func TestAuditVerifyCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "atrium.db")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify", "--db", db}, &out, &out); err != nil {
		t.Fatalf("verify on a new database: %v", err)
	}
	if !strings.Contains(out.String(), "history intact: 0 entries") {
		t.Fatalf("output: %q", out.String())
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	st.DB(context.Background()).Exec("UPDATE audit_head SET seq = 3, hash = 'x' WHERE id = 1")
	st.Close()
	err = run(context.Background(), []string{"audit", "verify", "--db", db}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "tail_cut") {
		t.Fatalf("a cut history passed verify: %v", err)
	}
}

// PostgreSQL is the server's alone: the desktop binary must not carry its driver.
func TestDesktopLinksNoPostgres(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-tags", "webkit2_41,desktop,production", "atrium").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "jackc/pgx") || strings.Contains(string(out), "gorm.io/driver/postgres") {
		t.Fatal("the desktop links the PostgreSQL driver")
	}
}

// SMTP flags the console would refuse stop the server at start, with the
// reason, before any database is opened.
func TestRefusesUnsafeSMTPFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "atrium.db")
	// Cancelled: should the flags be accepted, run returns at once instead of serving.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for flags, want := range map[string]string{
		"--smtp-host smtp.example.fr --smtp-security ssl":                     "choose starttls, tls or none",
		"--smtp-host smtp.example.fr --smtp-security none --smtp-user atrium": "password in clear",
	} {
		var out bytes.Buffer
		err := run(ctx, append(strings.Fields(flags), "--db", db, "--addr", "127.0.0.1:0"), &out, &out)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", flags, err)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatalf("a database was created: %v", err)
	}
}

// An application's address must name a known application and an address a
// browser opens; a mistake stops the server before it serves.
func TestRefusesWrongApplicationAddresses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "atrium.db")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for flags, want := range map[string]string{
		"--app-address compta=https://compta.example.fr": "the application one of invoicing",
		"--app-address invoicing=javascript:alert(1)":    "must be an http:// or https:// URL",
		"--app-address invoicing":                        "expected application=https://address",
		"--app-address invoicing=facturation.example.fr": "must be an http:// or https:// URL",
	} {
		var out bytes.Buffer
		err := run(ctx, append(strings.Fields(flags), "--db", db, "--addr", "127.0.0.1:0"), &out, &out)
		if err == nil || !strings.Contains(err.Error()+out.String(), want) {
			t.Errorf("%s: %v", flags, err)
		}
	}
	apps := appAddresses{}
	if err := apps.Set("invoicing=https://facturation.example.fr/"); err != nil || apps["invoicing"] != "https://facturation.example.fr/" {
		t.Fatalf("a right address: %v %v", apps, err)
	}
}
