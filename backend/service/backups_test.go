package service

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// chosenFiles answers the file dialogs with the paths a test chose.
type chosenFiles struct{ save, open string }

func (c *chosenFiles) SavePath(context.Context, string, string) (string, error) { return c.save, nil }
func (c *chosenFiles) OpenPath(context.Context, string) (string, error)         { return c.open, nil }

// desktopAt starts Atrium as the desktop does, on the database file in dir
// (its history key beside it), with the given dialogs.
func desktopAt(t *testing.T, dir string, dialogs FileDialogs) (*env, *System) {
	t.Helper()
	clock := &envClock{}
	sys, err := Start(context.Background(), Config{DB: filepath.Join(dir, "atrium.db"), Deps: Deps{
		Password: fastHash, Version: "test", Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		CommonPasswords: testCommonPasswords, Mail: MailDeps{ConsoleSettings: true}, Clock: clock.Now,
		Desktop: &DesktopDeps{Dialogs: dialogs}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sys.Close() })
	return &env{t: t, st: sys.Store, reg: sys.Registry, rec: sys.History, clock: clock}, sys
}

// A restore replaces every organization on the desktop and an exported
// backup holds them all: the account that set the desktop up may, an admin
// of only some organizations and a member may not, whatever the operation;
// an account holding the Admin role in every organization may.
func TestBackupsAreTheDesktopAdministrators(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	e := f.env
	ops := map[string]string{"backups.list": `{}`, "backups.create": `{}`, "backups.export": `{"name":"x"}`,
		"backups.restore": `{"name":"x"}`, "backups.restoreFile": `{}`}
	for op, in := range ops {
		for who, token := range map[string]string{"a member of A": f.memberA, "the admin of B alone": f.adminB} {
			before := snapshot(t, e.st)
			if _, err := e.call(op, token, in); domain.CodeOf(err) != domain.CodeForbidden {
				t.Errorf("%s by %s: %v, want forbidden", op, who, err)
			}
			if snapshot(t, e.st) != before {
				t.Errorf("%s by %s changed the database", op, who)
			}
		}
	}
	if list, _ := e.st.Backups(); len(list) != 0 {
		t.Fatalf("refused calls made backups: %v", list)
	}
	if _, err := e.call("backups.list", f.adminA, `{}`); err != nil {
		t.Fatalf("the account that set the desktop up: %v", err)
	}
	// B's admin made Admin of A too: every organization, so the desktop's.
	ctx := context.Background()
	var roleID string
	if err := e.st.DB(ctx).Raw("SELECT id FROM roles WHERE org_id = ? AND is_admin", f.orgA).Scan(&roleID).Error; err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	mem := domain.Membership{ID: domain.NewID(), AccountID: f.adminBID, OrgID: f.orgA, Status: domain.MemberActive, CreatedAt: now, UpdatedAt: now}
	if err := e.st.Create(ctx, &mem); err != nil {
		t.Fatal(err)
	}
	if err := e.st.Create(ctx, &domain.MembershipRole{MembershipID: mem.ID, RoleID: roleID, OrgID: f.orgA}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.call("backups.create", f.adminB, `{}`); err != nil {
		t.Fatalf("an Admin of every organization: %v", err)
	}
	// The first run's account may still, even where it administers one
	// organization of two.
	if _, err := e.call("backups.list", f.adminA, `{}`); err != nil {
		t.Fatalf("the account that set the desktop up, beside another organization: %v", err)
	}
}

func orgCount(t *testing.T, st *store.Store) int64 { return count(t, st, "organizations") }

// A backup restored through the desktop's operation: the current database is
// backed up first, the door is told to reopen and sign out, and the reopened
// database is the backup's, whole.
func TestRestoreThroughTheDesktop(t *testing.T) {
	dir := t.TempDir()
	e, sys := desktopAt(t, dir, noDialogs{})
	owner := e.setup()
	made := e.mustCall("backups.create", owner, `{}`).Output.(BackupItem)
	if made.Reason != store.ReasonManual || made.Size == 0 {
		t.Fatalf("backup made: %+v", made)
	}
	e.mustCall("orgs.create", owner, `{"name":"Dossier après la sauvegarde","timezone":"Europe/Paris"}`)
	if n := orgCount(t, e.st); n != 2 {
		t.Fatalf("%d organizations before the restore", n)
	}
	res := e.mustCall("backups.restore", owner, `{"name":"`+made.Name+`"}`)
	out := res.Output.(Restored)
	if !res.Reopen || !res.EndsSession || out.From != made.Name || out.SafetyBackup.Reason != store.ReasonBeforeRestore {
		t.Fatalf("restore result: %+v %+v", res, out)
	}
	// Until the door reopens, the database is the one in use.
	if n := orgCount(t, e.st); n != 2 {
		t.Fatalf("%d organizations before reopening", n)
	}
	sys.Close()
	e2, _ := desktopAt(t, dir, noDialogs{})
	if n := orgCount(t, e2.st); n != 1 {
		t.Fatalf("%d organizations after the restore, want the backup's one", n)
	}
	if _, err := store.InspectBackup(context.Background(), filepath.Join(dir, "backups", out.SafetyBackup.Name)); err != nil {
		t.Fatalf("the safety backup: %v", err)
	}
	// The owner signs in again on the restored database and finds both
	// backups listed.
	tok := e2.mustCall("auth.signIn", "", `{"email":"anne.martin@example.fr","password":"un mot de passe solide"}`).Token
	list := e2.mustCall("backups.list", tok, `{}`).Output.(BackupList)
	if len(list.Backups) != 2 {
		t.Fatalf("backups after the restore: %+v", list.Backups)
	}
}

// Exporting a backup copies it where the save dialog says; a cancelled
// dialog writes nothing.
func TestExportBackupThroughTheSaveDialog(t *testing.T) {
	dialogs := &chosenFiles{}
	e, _ := desktopAt(t, t.TempDir(), dialogs)
	owner := e.setup()
	made := e.mustCall("backups.create", owner, `{}`).Output.(BackupItem)
	if out := e.mustCall("backups.export", owner, `{"name":"`+made.Name+`"}`).Output.(SavedFile); !out.Cancelled {
		t.Fatalf("a cancelled dialog: %+v", out)
	}
	dialogs.save = filepath.Join(t.TempDir(), "ma sauvegarde.db")
	out := e.mustCall("backups.export", owner, `{"name":"`+made.Name+`"}`).Output.(SavedFile)
	if out.Path != dialogs.save {
		t.Fatalf("saved: %+v", out)
	}
	if _, err := store.InspectBackup(context.Background(), out.Path); err != nil {
		t.Fatalf("the exported file: %v", err)
	}
	if _, err := e.call("backups.export", owner, `{"name":"../atrium.db"}`); domain.CodeOf(err) != domain.CodeNotFound {
		t.Fatalf("a path for a name: %v, want not_found", err)
	}
}

// Files that are no backup this desktop can restore are refused with their
// own code, and nothing changes: no backup made, nothing staged, no reopen.
func TestRestoreFromAFileRefusesWhatIsNoBackup(t *testing.T) {
	// Another desktop's backup: its history is sealed with its own key.
	o, _ := desktopAt(t, t.TempDir(), noDialogs{})
	oTok := o.setup()
	foreign := o.mustCall("backups.create", oTok, `{}`).Output.(BackupItem)
	foreignPath, _ := o.st.BackupPath(foreign.Name)
	files := t.TempDir()
	text, other, newer := storetest.NoBackups(t, files, foreignPath)

	dialogs := &chosenFiles{}
	dir := t.TempDir()
	e, _ := desktopAt(t, dir, dialogs)
	owner := e.setup()
	for _, c := range []struct {
		file string
		want domain.Code
	}{{text, domain.CodeNotABackup}, {other, domain.CodeNotABackup}, {newer, domain.CodeBackupTooNew},
		{foreignPath, domain.CodeBackupOtherDesktop}, {filepath.Join(files, "absent.db"), domain.CodeNotFound}} {
		dialogs.open = c.file
		before := snapshot(t, e.st)
		res, err := e.call("backups.restoreFile", owner, `{}`)
		if domain.CodeOf(err) != c.want || res.Reopen {
			t.Errorf("%s: %v (reopen %v), want %s", filepath.Base(c.file), err, res.Reopen, c.want)
		}
		if snapshot(t, e.st) != before {
			t.Errorf("%s: the refused restore changed the database", filepath.Base(c.file))
		}
	}
	if list, _ := e.st.Backups(); len(list) != 0 {
		t.Errorf("refused restores made backups: %v", list)
	}
	if _, err := os.Lstat(filepath.Join(dir, "atrium.db.restore")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused restore was staged: %v", err)
	}
	// A cancelled dialog: nothing either.
	dialogs.open = ""
	if res := e.mustCall("backups.restoreFile", owner, `{}`); res.Reopen || res.EndsSession || !res.Output.(Restored).Cancelled {
		t.Errorf("a cancelled dialog: %+v", res)
	}
}

// The database in use, chosen as the file to restore, is no backup of itself.
func TestRestoreRefusesTheDatabaseInUse(t *testing.T) {
	dir := t.TempDir()
	e, _ := desktopAt(t, dir, &chosenFiles{open: filepath.Join(dir, "atrium.db")})
	owner := e.setup()
	if _, err := e.call("backups.restoreFile", owner, `{}`); domain.CodeOf(err) != domain.CodeNotABackup {
		t.Fatalf("restoring the database in use: %v, want not_a_backup", err)
	}
	if list, _ := e.st.Backups(); len(list) != 0 {
		t.Fatalf("backups made: %v", list)
	}
}

// A server starts without the desktop's dependencies: its registry, and so
// its HTTP API, has none of the backups operations, while Describe (the
// console's types) lists them as the desktop's.
func TestServerHasNoBackupOperations(t *testing.T) {
	sys := start(t, Deps{Store: storetest.SQLite(t), Password: fastHash, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, op := range Describe().Operations() {
		_, served := sys.Registry.Lookup(op.Name)
		if served == op.Desktop {
			t.Errorf("%s: in the server's registry %v, marked desktop-only %v", op.Name, served, op.Desktop)
		}
	}
	if _, err := sys.Registry.Invoke(context.Background(), Call{Op: "backups.restore", Input: []byte(`{"name":"x"}`)}); domain.CodeOf(err) != domain.CodeNotFound {
		t.Fatalf("backups.restore on a server: %v, want an unknown operation", err)
	}
}
