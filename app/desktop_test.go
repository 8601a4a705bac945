package app

import (
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/service"
	"atrium/backend/storetest"
)

// The desktop keeps the new token a password change gives its session, so it
// stays signed in while the old token stops working.
func TestDesktopKeepsTheRotatedToken(t *testing.T) {
	st := storetest.SQLite(t)
	sys, err := service.Start(t.Context(), service.Config{Deps: service.Deps{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Password: auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}}})
	if err != nil {
		t.Fatal(err)
	}
	reg := sys.Registry
	d := NewDesktop(t.TempDir(), func(string, *service.DesktopDeps) (*service.System, error) { return sys, nil })
	if _, err := d.Invoke("setup.createWorkspace", `{"firstName":"Anne","lastName":"Martin","email":"anne@example.fr","password":"un mot de passe solide","organizationName":"Cabinet Martin","timezone":"Europe/Paris"}`, ""); err != nil {
		t.Fatal(err)
	}
	old := d.token
	if _, err := d.Invoke("account.changePassword", `{"currentPassword":"un mot de passe solide","newPassword":"une toute nouvelle phrase"}`, ""); err != nil {
		t.Fatal(err)
	}
	if d.token == old || d.token == "" {
		t.Fatal("the desktop did not take the session's new token")
	}
	if _, err := d.Invoke("session.current", "", ""); err != nil {
		t.Fatalf("signed out by a password change: %v", err)
	}
	if _, err := reg.Invoke(t.Context(), service.Call{Op: "session.current", Token: old}); err == nil {
		t.Fatal("the old token still works")
	}
}

// A call refused with the old token (sent just before a password change
// renewed it) does not sign the desktop out.
func TestDesktopRefusedOldTokenKeepsTheNewOne(t *testing.T) {
	d := &Desktop{token: "new"}
	d.forgetToken("old")
	if d.token != "new" {
		t.Fatal("a call with the old token dropped the new one")
	}
	d.forgetToken("new")
	if d.token != "" {
		t.Fatal("a refused token was kept")
	}
}

// restoreScene opens a desktop in a new data folder (its start made to fail
// on the start numbered failAt, once it has opened the database; 0 never),
// sets it up, backs it up, then adds the organization "Après": a restore of
// that backup loses it. It returns the desktop, the backup's name, how many
// starts were made, and a call that must succeed.
func restoreScene(t *testing.T, failAt int) (*Desktop, string, *int, func(op, in string) string) {
	t.Helper()
	dir := t.TempDir()
	starts := 0
	d := NewDesktop(dir, func(db string, desk *service.DesktopDeps) (*service.System, error) {
		starts++
		sys, err := service.Start(t.Context(), service.Config{DB: db, Deps: service.Deps{
			Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Desktop: desk,
			Password: auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}}})
		if err == nil && starts == failAt {
			sys.Close()
			return nil, domain.Errorf(domain.CodeStartupFailed, "the restored database does not start")
		}
		return sys, err
	})
	t.Cleanup(func() { Shutdown(d) })
	call := func(op, in string) string {
		t.Helper()
		out, err := d.Invoke(op, in, "")
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		return out
	}
	call("setup.createWorkspace", `{"firstName":"Anne","lastName":"Martin","email":"anne@example.fr","password":"un mot de passe solide","organizationName":"Cabinet Martin","timezone":"Europe/Paris"}`)
	var made service.BackupItem
	json.Unmarshal([]byte(call("backups.create", `{}`)), &made)
	call("orgs.create", `{"name":"Après","timezone":"Europe/Paris"}`)
	return d, made.Name, &starts, call
}

// A restore through the window: the answer comes once the database is
// reopened on the backup, the window is signed out, and signing in again
// finds the backup's organizations.
func TestDesktopReopensOnTheRestoredDatabase(t *testing.T) {
	d, name, _, call := restoreScene(t, 0)
	call("backups.restore", `{"name":"`+name+`"}`)
	if _, err := d.Invoke("session.current", "", ""); domain.CodeOf(err) != domain.CodeUnauthenticated {
		t.Fatalf("after a restore the window is still signed in: %v", err)
	}
	call("auth.signIn", `{"email":"anne@example.fr","password":"un mot de passe solide"}`)
	out := call("orgs.list", `{}`)
	if !strings.Contains(out, "Cabinet Martin") || strings.Contains(out, "Après") {
		t.Fatalf("organizations after the restore: %s", out)
	}
}

// A restored database that does not start (here the start is made to fail
// once it has opened it): the desktop puts back the copy taken just before
// the restore and opens on it, so it never stays on a database it cannot
// use, and the restore says it failed.
func TestDesktopPutsBackTheDatabaseWhenTheRestoredOneFails(t *testing.T) {
	d, name, starts, call := restoreScene(t, 2)
	if _, err := d.Invoke("backups.restore", `{"name":"`+name+`"}`, ""); domain.CodeOf(err) != domain.CodeRestoreFailed {
		t.Fatalf("the failed restore answers %v, want restore_failed", err)
	}
	if *starts != 3 {
		t.Fatalf("%d starts, want the first, the failed one and the one on the database put back", *starts)
	}
	call("auth.signIn", `{"email":"anne@example.fr","password":"un mot de passe solide"}`)
	if out := call("orgs.list", `{}`); !strings.Contains(out, "Après") {
		t.Fatalf("the database from before the restore is not back: %s", out)
	}
}
