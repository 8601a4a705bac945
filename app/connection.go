package app

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"atrium/backend/audit"
	"atrium/backend/buildinfo"
	"atrium/backend/domain"
	"atrium/backend/replica"
	"atrium/backend/service"
	"atrium/backend/store"
)

// connection is the desktop's link to an Atrium server: the remembered
// settings, the server's client, and the sync's state. Not connected, the
// desktop runs on its own file (atrium.db); connected, on the server's
// replica, whose writes are queued and pushed, and the server's changes
// pulled, by the sync loop (sync.go).
type connection struct {
	d *Desktop

	mu       sync.Mutex
	syncing  sync.Mutex // one push-and-pull at a time: two pulls would both add the history they bring
	set      *settings  // nil: not connected
	client   *replica.Client
	state    string // service.SyncOnline, SyncOffline, …
	kickCh   chan struct{}
	stopSync context.CancelFunc
	drop     string                // a replica file to delete once its system is closed (disconnected)
	fetching *service.SyncProgress // the first sync under way, while connecting
	synced   bool                  // connecting has just synced: the loop starts by waiting
	versions *service.SyncVersions // in the state version: which side to update
}

func (c *connection) init(d *Desktop) {
	c.d, c.kickCh = d, make(chan struct{}, 1)
	if d.dir == "" {
		return
	}
	set, err := loadSettings(d.dir)
	if err != nil {
		// The desktop's own file is intact; the person connects again.
		slog.Error("the connection to the server cannot be read; opening this computer's own data", "err", err)
		return
	}
	if set != nil {
		c.use(set, c.newClient(set.Server, set.Pin, set.Session))
	}
}

func (c *connection) newClient(server, pin, session string) *replica.Client {
	cl, err := replica.NewClient(server, buildinfo.Version, runtime.GOOS, c.d.computer, replica.ClientOptions{Pin: pin, Session: session})
	if err != nil {
		slog.Error("the server's address is not usable", "server", server, "err", err)
	}
	return cl
}

// use makes set the connection (c.mu not held); the sync says offline until
// its first contact.
func (c *connection) use(set *settings, cl *replica.Client) {
	c.mu.Lock()
	c.set, c.client, c.state = set, cl, service.SyncOffline
	c.mu.Unlock()
}

func (c *connection) connected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.set != nil
}

// database is the file the desktop opens: the replica when connected.
func (c *connection) database(dir string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.set != nil {
		return c.set.replicaPath(dir)
	}
	return filepath.Join(dir, "atrium.db")
}

// started runs the sync with the system just opened, when connected.
func (c *connection) started(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.set == nil {
		return
	}
	ctx, c.stopSync = context.WithCancel(ctx)
	tm := timing{syncEvery, kickDelay, followRetry, offlineRetry}
	go c.loop(ctx, tm, c.synced)
	c.synced = false
	go c.follow(ctx, tm)
}

// cancel stops the sync's requests before the system is closed.
func (c *connection) cancel() {
	c.mu.Lock()
	stop := c.stopSync
	c.stopSync = nil
	c.mu.Unlock()
	if stop != nil {
		stop()
	}
}

// closed deletes the replica of a server the desktop disconnected from, once
// its system is closed: its data is the server's.
func (c *connection) closed() {
	c.mu.Lock()
	path := c.drop
	c.drop = ""
	c.mu.Unlock()
	if path != "" {
		removeReplica(path)
	}
}

func removeReplica(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm", audit.KeyFileBeside(path)} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			slog.Error("a replica's file could not be removed", "path", p, "err", err)
		}
	}
}

// kick asks the sync to run soon: a change was queued.
func (c *connection) kick() {
	select {
	case c.kickCh <- struct{}{}:
	default:
	}
}

// connector is the connection as the services see it (service.SyncConnection).
// A type of its own, so its methods are not bound to the page. Its methods
// run inside a call of Desktop.Invoke, which holds sysMu to read: they use
// the open system without taking it again.
type connector struct{ d *Desktop }

func (k connector) Status(ctx context.Context) (service.SyncStatus, error) {
	d, c := k.d, &k.d.conn
	st := service.SyncStatus{State: service.SyncLocal}
	c.mu.Lock()
	if c.set != nil {
		st.Connected, st.State, st.Server, st.Email = true, c.state, c.set.Server, c.set.Email
		st.LastSyncAt, st.LocalDossiers = c.set.LastSyncAt, c.set.LocalDossiers
		if c.state == service.SyncVersion && c.versions != nil {
			v := *c.versions
			st.Versions = &v
		}
	}
	if c.fetching != nil {
		p := *c.fetching
		st.Fetching = &p
	}
	c.mu.Unlock()
	if d.sys == nil {
		return st, nil
	}
	var err error
	if st.Waiting, st.Refused, err = d.sys.Store.QueueCounts(ctx); err != nil {
		return st, err
	}
	if !st.Connected {
		st.LocalDossiers, err = d.sys.Store.HasOrganizations(ctx)
	}
	return st, err
}

func (k connector) Probe(ctx context.Context, in service.ProbeServerInput) (service.ServerProbe, error) {
	cl, err := replica.NewClient(in.Server, buildinfo.Version, runtime.GOOS, k.d.computer)
	if err != nil {
		return service.ServerProbe{}, err
	}
	info, err := cl.Probe(ctx)
	var untrusted *replica.ErrUntrusted
	if errors.As(err, &untrusted) {
		// The version is read once the certificate is accepted (Connect).
		return service.ServerProbe{Server: cl.Server(), Fingerprint: untrusted.Fingerprint, DesktopVersion: buildinfo.Version}, nil
	}
	if err != nil {
		return service.ServerProbe{}, connectError(err)
	}
	p := service.ServerProbe{Server: cl.Server(), Version: info.Version, DesktopVersion: buildinfo.Version}
	var mismatch *replica.ErrVersionMismatch
	if errors.As(replica.Compatible(info, service.KnownSchema(), buildinfo.Version), &mismatch) {
		p.Update = "desktop"
		if mismatch.Newer == "desktop" {
			p.Update = "server"
		}
	}
	return p, nil
}

// connectError says in the console's words why the server cannot be used.
func connectError(err error) error {
	var untrusted *replica.ErrUntrusted
	var changed *replica.ErrCertificateChanged
	var offline *replica.ErrUnreachable
	var mismatch *replica.ErrVersionMismatch
	switch {
	case errors.As(err, &mismatch) && mismatch.Newer == "server":
		return domain.Errorf(domain.CodeDesktopOutdated, "the server is at version %s, this desktop at %s", mismatch.Server, mismatch.Desktop)
	case errors.As(err, &mismatch):
		return domain.Errorf(domain.CodeServerOutdated, "the server is at version %s, this desktop at %s", mismatch.Server, mismatch.Desktop)
	case errors.Is(err, replica.ErrVersion):
		return domain.Errorf(domain.CodeDesktopOutdated, "the server and this desktop are not the same version")
	case errors.As(err, &untrusted):
		return domain.Errorf(domain.CodeCertificateUntrusted, "the server's certificate is not trusted")
	case errors.As(err, &changed):
		return domain.Errorf(domain.CodeCertificateChanged, "the server's certificate changed")
	case errors.Is(err, replica.ErrNotAtrium):
		return domain.Errorf(domain.CodeNotAtriumServer, "the address does not answer as an Atrium server")
	case errors.As(err, &offline):
		return domain.Errorf(domain.CodeServerUnreachable, "the server cannot be reached")
	}
	return err
}

// Connect checks the server, signs in there, and makes the replica of what
// the account may read; the window then reopens on it, signed in. Connected
// already, only the same account on the same server may sign in again (its
// session ended, or the certificate changed and the new one was accepted):
// the replica and its queue are kept.
func (k connector) Connect(ctx context.Context, in service.ConnectInput) (service.Connected, error) {
	d, c := k.d, &k.d.conn
	c.mu.Lock()
	cur := c.set
	c.mu.Unlock()
	pin := in.Fingerprint
	if pin == "" && cur != nil {
		pin = cur.Pin
	}
	cl, err := replica.NewClient(in.Server, buildinfo.Version, runtime.GOOS, d.computer, replica.ClientOptions{Pin: pin})
	if err != nil {
		return service.Connected{}, err
	}
	if cur != nil && cl.Server() != cur.Server {
		return service.Connected{}, domain.Errorf(domain.CodeAlreadyConnected, "connected to another server")
	}
	// The dossiers to send are read from the desktop's own file first
	// (never changed); nothing is sent before the server accepts the account.
	uploads, err := k.uploads(ctx, cur, in.Upload)
	if err != nil {
		return service.Connected{}, err
	}
	// Before any password is sent: the address must answer as Atrium,
	// with a certificate the system trusts or the one accepted.
	// and be of this desktop's version, or nothing could sync.
	server, err := cl.Probe(ctx)
	if err == nil {
		err = replica.Compatible(server, service.KnownSchema(), buildinfo.Version)
	}
	if err != nil {
		return service.Connected{}, connectError(err)
	}
	var info service.SessionInfo
	if in.PendingToken != "" {
		err = cl.Call(ctx, "auth.verifyTwoFactor", "", service.VerifyTwoFactorInput{PendingToken: in.PendingToken, Code: in.Code}, &info)
	} else {
		err = cl.Call(ctx, "auth.signIn", "", service.SignInInput{Email: in.Email, Password: in.Password}, &info)
	}
	if err != nil {
		return service.Connected{}, connectError(err)
	}
	if info.PendingTwoFactor != nil {
		return service.Connected{PendingTwoFactor: info.PendingTwoFactor}, nil
	}
	if cur != nil && info.Account.ID != cur.AccountID {
		_ = cl.Call(ctx, "auth.signOut", "", struct{}{}, nil)
		return service.Connected{}, domain.Errorf(domain.CodeAlreadyConnected, "connected with another account")
	}
	sent, invited, err := upload(ctx, cl, uploads)
	if err != nil {
		_ = cl.Call(ctx, "auth.signOut", "", struct{}{}, nil)
		return service.Connected{}, connectError(err)
	}
	set := &settings{Server: cl.Server(), Pin: pin, AccountID: info.Account.ID, Email: info.Account.Email,
		Session: cl.Session(), Replica: replicaName(hostOf(cl.Server()))}
	var sys *service.System
	if cur != nil {
		set.Replica, set.LocalDossiers, set.LastSyncAt = cur.Replica, cur.LocalDossiers, cur.LastSyncAt
		sys = d.sys // the replica itself
	} else {
		if set.LocalDossiers, err = d.sys.Store.HasOrganizations(ctx); err != nil {
			return service.Connected{}, err
		}
		path := set.replicaPath(d.dir)
		removeReplica(path) // what a connection interrupted earlier left
		if sys, err = d.start(path, d.deps()); err != nil {
			return service.Connected{}, err
		}
		defer sys.Close()
	}
	c.progress(0, 0)
	token, orgs, err := firstSync(ctx, sys, cl, set.AccountID, info.Organization.ID, d.device, c.progress)
	c.mu.Lock()
	c.fetching = nil
	c.mu.Unlock()
	if err != nil {
		if cur == nil {
			sys.Close()
			removeReplica(set.replicaPath(d.dir))
		}
		return service.Connected{}, connectError(err)
	}
	now := time.Now().UTC()
	set.LastSyncAt = &now
	if err := set.save(d.dir); err != nil {
		return service.Connected{}, err
	}
	c.use(set, cl)
	c.mu.Lock()
	c.state, c.synced = service.SyncOnline, true
	c.mu.Unlock()
	return service.Connected{Server: set.Server, Organizations: orgs, Uploaded: sent, Invited: invited}.WithToken(token), nil
}

// uploads reads the desktop's own dossiers named to be sent, each one its
// signed-in user is the admin of (sync.localDossiers lists them); only on a
// first connection, from the desktop's own file.
func (k connector) uploads(ctx context.Context, cur *settings, ids []string) ([]service.UploadInput, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	d := k.d
	if cur != nil || d.sys == nil {
		return nil, domain.FieldErrors{"upload": domain.FieldInvalidChoice}.Err()
	}
	d.mu.Lock()
	token := d.token
	d.mu.Unlock()
	res, err := d.reg.Invoke(ctx, service.Call{Op: "sync.localDossiers", Input: []byte(`{}`), Token: token, Device: d.device})
	if err != nil {
		return nil, err
	}
	mine := map[string]bool{}
	for _, o := range res.Output.(service.LocalDossiers).Dossiers {
		mine[o.ID] = true
	}
	me, err := d.reg.Invoke(ctx, service.Call{Op: "session.current", Input: []byte(`{}`), Token: token, Device: d.device})
	if err != nil {
		return nil, err
	}
	account := me.Output.(service.SessionInfo).Account.ID
	var out []service.UploadInput
	seen := map[string]bool{}
	for _, id := range ids {
		if !mine[id] {
			return nil, domain.FieldErrors{"upload": domain.FieldInvalidChoice}.Err()
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		in, err := service.UploadFromStore(ctx, d.sys.Store, id, account)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

// upload sends the desktop's dossiers to the server, one by one: each
// becomes a server organization, the connecting account its admin. One the
// server has already (sent by a connection that stopped before its end) is
// not sent twice.
func upload(ctx context.Context, cl *replica.Client, uploads []service.UploadInput) (sent, invited int, err error) {
	for _, in := range uploads {
		var out service.Uploaded
		err := cl.Call(ctx, "sync.upload", "", in, &out)
		var de *domain.Error
		if errors.As(err, &de) && de.Fields["organization"] == domain.FieldAlreadyOnServer {
			continue
		}
		if err != nil {
			return sent, invited, err
		}
		sent++
		invited += out.Invited
	}
	return sent, invited, nil
}

// progress records how far the first sync is, for the status to show.
func (c *connection) progress(done, total int) {
	c.mu.Lock()
	c.fetching = &service.SyncProgress{Done: done, Total: total}
	c.mu.Unlock()
}

func hostOf(server string) string {
	u, err := replica.ParseServer(server)
	if err != nil {
		return "server"
	}
	return u.Host
}

// Disconnect signs this desktop out of the server, forgets the connection
// and deletes the replica (its data is the server's); the window reopens on
// the desktop's own file, as it was before connecting. Changes never sent
// are lost with it: the console named them before asking.
func (k connector) Disconnect(ctx context.Context) (service.Disconnected, error) {
	d, c := k.d, &k.d.conn
	c.mu.Lock()
	cur, cl := c.set, c.client
	c.mu.Unlock()
	if cur == nil {
		return service.Disconnected{}, domain.Errorf(domain.CodeNotConnected, "not connected to a server")
	}
	waiting, _, err := d.sys.Store.QueueCounts(ctx)
	if err != nil {
		return service.Disconnected{}, err
	}
	if cl != nil {
		// So the desktop leaves the account's devices; offline, its session
		// there ends by itself.
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_ = cl.Call(sctx, "auth.signOut", "", struct{}{}, nil)
		cancel()
	}
	if err := removeSettings(d.dir); err != nil {
		return service.Disconnected{}, err
	}
	c.mu.Lock()
	c.set, c.client, c.drop = nil, nil, cur.replicaPath(d.dir)
	c.mu.Unlock()
	return service.Disconnected{Dropped: waiting}, nil
}

// Retry runs a refused operation again as a new one, queued like any write.
func (k connector) Retry(ctx context.Context, p store.PendingOperation, input []byte) error {
	d := k.d
	d.mu.Lock()
	token := d.token
	d.mu.Unlock()
	org := ""
	if p.OrgID != nil {
		org = *p.OrgID
	}
	_, queued, err := d.reg.InvokeQueued(ctx, service.Call{Op: p.Op, Input: input, Token: token, Org: org, Device: d.device},
		d.conn.base(ctx, d.sys))
	if err != nil {
		return err
	}
	if err := d.sys.Store.DropRefused(ctx, p.ID); err != nil {
		return err
	}
	if queued {
		d.conn.kick()
	}
	return nil
}
