// Package app is the desktop's glue and only that: the Wails-bound adapter over
// the operation registry, the data folder, and window behaviour. It is the only
// package that may call the Wails runtime.
package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"atrium/backend/domain"
	"atrium/backend/service"
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

// Desktop is bound to the window: the console calls Invoke for every
// operation. The desktop holds its own session token, so the page never sees it.
type Desktop struct {
	reg      *service.Registry
	startErr error
	device   domain.Device

	mu    sync.Mutex
	ctx   context.Context
	token string
}

// NewDesktop returns the binding over reg; when the backend could not start,
// startErr is given instead and every call answers it, so the window can show
// the reason.
func NewDesktop(reg *service.Registry, startErr error) *Desktop {
	host, _ := os.Hostname()
	name := "Atrium Desktop"
	if host != "" {
		name += " · " + host
	}
	return &Desktop{reg: reg, startErr: startErr,
		device: domain.Device{Kind: domain.SessionDesktop, Name: name, Platform: runtime.GOOS}}
}

// Startup receives the Wails context when the window starts.
func (d *Desktop) Startup(ctx context.Context) {
	d.mu.Lock()
	d.ctx = ctx
	d.mu.Unlock()
}

// Invoke runs one operation with a JSON input on the organization org (the
// dossier the window shows; "" for the one the session remembers) and
// returns its JSON output.
func (d *Desktop) Invoke(op, input, org string) (string, error) {
	if d.startErr != nil {
		return "", d.startErr
	}
	d.mu.Lock()
	ctx, token := d.ctx, d.token
	d.mu.Unlock()
	if ctx == nil {
		ctx = context.Background()
	}
	res, err := d.reg.Invoke(ctx, service.Call{Op: op, Input: []byte(input), Token: token, Org: org, Device: d.device})
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
	out, err := json.Marshal(res.Output)
	return string(out), err
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
