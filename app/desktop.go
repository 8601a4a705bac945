// Package app is the desktop's glue and only that: the Wails-bound adapter over
// the operation registry, the data folder, and window behaviour. It is the only
// package that may call the Wails runtime.
package app

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"atrium/backend/domain"
	"atrium/backend/service"
	"atrium/backend/store"
)

// DataDir returns the folder holding the desktop's database: ATRIUM_DATA_DIR
// when set, else Atrium in the system's per-user configuration folder. That
// folder is Atrium's own: the store creates it 0700, and one found open to
// other users is made the user's only. A folder chosen with ATRIUM_DATA_DIR is
// left as it is (the store keeps the files in it the owner's only).
func DataDir() (string, error) {
	if d := os.Getenv("ATRIUM_DATA_DIR"); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", domain.Errorf(domain.CodeStartupFailed, "no per-user configuration folder: %v", err)
	}
	dir := filepath.Join(base, "Atrium")
	// Mode bits mean nothing on Windows, where the profile's access list
	// guards the folder. A failure leaves the folder as it was: the files in
	// it are the owner's only all the same.
	if info, err := os.Stat(dir); err == nil && runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		_ = os.Chmod(dir, info.Mode().Perm()&^0o077)
	}
	return dir, nil
}

// Starter brings Atrium up on the database file db with the desktop's own
// dependencies (its file dialogs, its connection to a server); the desktop
// calls it at start, again to reopen the database after a restore, and on
// the replica of a server it connects to.
type Starter func(db string, desk *service.DesktopDeps) (*service.System, error)

// Desktop is bound to the window: the console calls Invoke for every
// operation, and SaveFile for a file an operation produced. The desktop
// holds its own session token, so the page never sees it.
type Desktop struct {
	start    Starter
	dir      string // the data folder ("" when it could not be found: every start fails)
	device   domain.Device
	computer string

	// conn is the connection to a server, when the desktop is a replica.
	conn connection

	// sysMu: every call holds it to read, a reopen holds it to write, so no
	// call runs on a system being closed.
	sysMu    sync.RWMutex
	sys      *service.System
	reg      *service.Registry
	startErr error
	stop     context.CancelFunc // ends the running system's outbox worker and daily backups

	mu    sync.Mutex
	ctx   context.Context
	token string

	unsaved atomic.Bool // a form of the console holds changes not saved
}

// NewDesktop starts Atrium with start on the data folder dir and returns the
// binding over its registry; when it cannot start, every call answers the
// reason, so the window can show it. It opens the desktop's own file, or the
// replica of the server it was connected to when it last closed.
func NewDesktop(dir string, start Starter) *Desktop {
	host, _ := os.Hostname()
	name := "Atrium Desktop"
	if host != "" {
		name += " · " + host
	}
	d := &Desktop{start: start, dir: dir, computer: host,
		device: domain.Device{Kind: domain.SessionDesktop, Name: name, Platform: runtime.GOOS}}
	d.conn.init(d)
	d.sysMu.Lock()
	d.open()
	d.sysMu.Unlock()
	return d
}

// open starts the system (sysMu held) and its background work: the outbox
// worker and the daily backup, checked at start and every hour, and, on a
// replica, the sync with the server.
func (d *Desktop) open() {
	db := ""
	if d.dir != "" {
		db = d.conn.database(d.dir)
	}
	sys, err := d.start(db, d.deps())
	if err != nil {
		slog.Error("Atrium cannot open its data", "err", err)
		d.sys, d.reg, d.startErr = nil, nil, err
		return
	}
	d.sys, d.reg, d.startErr = sys, sys.Registry, nil
	ctx, stop := context.WithCancel(context.Background())
	d.stop = stop
	go sys.Worker.Run(ctx)
	go sys.Absences.Run(ctx) // absences end at their return date
	if b := sys.Services.Backups; b != nil {
		go d.dailyBackups(ctx, b)
	}
	d.conn.started(ctx)
}

// deps are the desktop's own dependencies for a start.
func (d *Desktop) deps() *service.DesktopDeps {
	return &service.DesktopDeps{Dialogs: dialogs{d}, Connection: connector{d}}
}

// dailyBackups makes the day's backup shortly after the window opens (so the
// copy does not compete with the first screen) and checks every hour after.
// A backup runs as a call does (sysMu held to read), so a reopen waits for
// it rather than closing the database under it.
func (d *Desktop) dailyBackups(ctx context.Context, b *service.Backups) {
	wait := dailyFirstCheck
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		d.sysMu.RLock()
		var err error
		if ctx.Err() == nil {
			err = b.Daily(ctx)
		}
		d.sysMu.RUnlock()
		if err != nil && ctx.Err() == nil {
			slog.Error("the daily backup failed; the database is untouched", "err", err)
		}
		wait = time.Hour
	}
}

var dailyFirstCheck = 20 * time.Second

// close stops the background work and closes the system (sysMu held). The
// sync's requests are cancelled first (cancelSync), so a close never waits
// for a slow server.
func (d *Desktop) close() {
	if d.stop != nil {
		d.stop()
		d.stop = nil
	}
	if d.sys != nil {
		d.sys.Close()
		d.sys, d.reg = nil, nil
	}
}

// Shutdown ends Atrium once the window has closed. A function, not a
// method: every exported method of Desktop is bound to the page.
func Shutdown(d *Desktop) {
	d.conn.cancel()
	d.sysMu.Lock()
	defer d.sysMu.Unlock()
	d.close()
}

// reopen closes the database and starts Atrium on it again, which puts a
// staged restore in place. Should the restored database not start, the
// copy taken just before the restore is put back the same way, so the
// desktop never stays on a database it cannot open, and the restore answers
// restore_failed.
func (d *Desktop) reopen(safety string) error {
	d.conn.cancel()
	d.sysMu.Lock()
	defer d.sysMu.Unlock()
	path := ""
	if d.sys != nil {
		path = d.sys.Store.Path()
	}
	d.close()
	d.conn.closed()
	d.open()
	if d.startErr == nil || path == "" || safety == "" {
		return d.startErr
	}
	slog.Error("the restored database does not open; putting back the one from before the restore", "err", d.startErr)
	failed := d.startErr
	if _, err := store.StageRestore(context.Background(), path, filepath.Join(filepath.Dir(path), "backups", safety)); err != nil {
		slog.Error("cannot put back the database from before the restore", "err", err)
		return failed
	}
	d.open()
	if d.startErr != nil {
		return d.startErr
	}
	slog.Info("the database from before the restore is back", "restore error", failed)
	return domain.Errorf(domain.CodeRestoreFailed, "the restored backup does not open; the database from before the restore is back")
}

// Startup receives the Wails context when the window starts.
func (d *Desktop) Startup(ctx context.Context) {
	d.mu.Lock()
	d.ctx = ctx
	d.mu.Unlock()
}

// Invoke runs one operation with a JSON input on the organization org (the
// dossier the window shows; "" for the one the session remembers) and
// returns its JSON output. A restore's answer reopens the database on the
// restored file before it returns, and signs the window out. On a replica,
// a writing operation is also queued for the server, in the transaction of
// its effects, and the sync is told there is something to send.
func (d *Desktop) Invoke(op, input, org string) (string, error) {
	d.mu.Lock()
	ctx, token := d.ctx, d.token
	d.mu.Unlock()
	if ctx == nil {
		ctx = context.Background()
	}
	d.sysMu.RLock()
	reg, startErr := d.reg, d.startErr
	if startErr != nil || reg == nil {
		d.sysMu.RUnlock()
		return "", startErr
	}
	call := service.Call{Op: op, Input: []byte(input), Token: token, Org: org, Device: d.device}
	var res service.Result
	var err error
	if d.conn.connected() {
		var queued bool
		res, queued, err = reg.InvokeQueued(ctx, call, d.conn.base(ctx, d.sys))
		if queued {
			d.conn.kick()
		}
	} else {
		res, err = reg.Invoke(ctx, call)
	}
	d.sysMu.RUnlock()
	if err != nil {
		if domain.CodeOf(err) == domain.CodeUnauthenticated {
			d.forgetToken(token)
		}
		return "", err
	}
	switch {
	case res.Token != "":
		d.setToken(res.Token)
	case res.EndsSession:
		d.setToken("")
	}
	if res.Reopen {
		r, _ := res.Output.(service.Restored)
		if err := d.reopen(r.SafetyBackup.Name); err != nil {
			return "", err
		}
	}
	out, err := json.Marshal(res.Output)
	return string(out), err
}

// SetUnsaved is told by the console whether a form holds changes not saved,
// so that closing the window asks first.
func (d *Desktop) SetUnsaved(unsaved bool) { d.unsaved.Store(unsaved) }

// BeforeClose is the window's close: while a form holds changes not saved it
// asks, in the system's own dialog, and keeps the window open unless told to
// close. It returns whether closing is prevented. A function rather than a
// method: every method of Desktop is bound to the page.
func BeforeClose(d *Desktop) func(ctx context.Context) bool {
	return func(ctx context.Context) bool {
		if !d.unsaved.Load() {
			return false
		}
		// Windows and Linux answer Yes or No whatever the buttons asked for.
		const closeAnyway = "Fermer sans enregistrer"
		answer, err := wruntime.MessageDialog(ctx, wruntime.MessageDialogOptions{
			Type:          wruntime.QuestionDialog,
			Title:         "Fermer sans enregistrer ?",
			Message:       "Vos modifications ne sont pas enregistrées. Fermer Atrium quand même ?",
			Buttons:       []string{"Rester", closeAnyway},
			DefaultButton: "Rester",
			CancelButton:  "Rester",
		})
		return err == nil && answer != closeAnyway && answer != "Yes"
	}
}

// SaveFile offers a file an operation produced (a CSV export, the history's
// chain head) through the system's save dialog and writes it where the
// person chose. It returns the path, or "" when they cancelled.
func (d *Desktop) SaveFile(filename, contentType, content string) (string, error) {
	path, err := dialogs{d}.SavePath(context.Background(), "", filename)
	if err != nil || path == "" {
		return "", err
	}
	if err := writeFileAtomic(path, []byte(content)); err != nil {
		return "", domain.Errorf(domain.CodeInternal, "the file could not be written")
	}
	return path, nil
}

// writeFileAtomic writes b beside path under a temporary name, flushes it and
// renames it over path, so a file already there is replaced whole or not at all.
func writeFileAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*.partial")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// dialogs are the system's file dialogs, given to the services as
// service.FileDialogs: this package alone calls the Wails runtime. A type of
// its own, so the dialogs are not bound to the page as the Desktop's
// methods are.
type dialogs struct{ d *Desktop }

func (g dialogs) wails() (context.Context, error) {
	g.d.mu.Lock()
	defer g.d.mu.Unlock()
	if g.d.ctx == nil {
		return nil, errors.New("the window is not open")
	}
	return g.d.ctx, nil
}

func (g dialogs) SavePath(_ context.Context, title, name string) (string, error) {
	ctx, err := g.wails()
	if err != nil {
		return "", err
	}
	opts := wruntime.SaveDialogOptions{Title: title, DefaultFilename: name, CanCreateDirectories: true}
	if ext := filepath.Ext(name); ext != "" {
		opts.Filters = []wruntime.FileFilter{{DisplayName: strings.ToUpper(ext[1:]) + " (*" + ext + ")", Pattern: "*" + ext}}
	}
	return wruntime.SaveFileDialog(ctx, opts)
}

func (g dialogs) OpenPath(_ context.Context, title string) (string, error) {
	ctx, err := g.wails()
	if err != nil {
		return "", err
	}
	return wruntime.OpenFileDialog(ctx, wruntime.OpenDialogOptions{Title: title,
		Filters: []wruntime.FileFilter{{DisplayName: "Atrium (*.db)", Pattern: "*.db"}}})
}

func (d *Desktop) setToken(t string) {
	d.mu.Lock()
	d.token = t
	d.mu.Unlock()
}

// forgetToken drops the token a refused call sent, unless another call has
// meanwhile been given a new one (a password change renews the token).
func (d *Desktop) forgetToken(t string) {
	d.mu.Lock()
	if d.token == t {
		d.token = ""
	}
	d.mu.Unlock()
}

// Focus brings the window forward when a second copy of Atrium is launched.
func (d *Desktop) Focus() {
	d.mu.Lock()
	ctx := d.ctx
	d.mu.Unlock()
	if ctx != nil {
		wruntime.WindowUnminimise(ctx)
		wruntime.Show(ctx)
	}
}

// FormatError gives the console the same error shape as the HTTP API.
func FormatError(err error) any { return domain.Public(err) }
