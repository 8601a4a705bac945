package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"atrium/backend/buildinfo"
	"atrium/backend/domain"
	"atrium/backend/replica"
	"atrium/backend/service"
)

// The sync loop of a connected desktop: it pushes the queue and then pulls
// the server's changes, at start, every syncEvery, and shortly after a
// change is queued (a burst of changes goes in one push). While the server
// cannot be reached it tries again sooner, offlineRetry at first and twice
// as long each time up to syncEvery, so a server back after a short cut is
// found in a few seconds. A session the server ended, or a certificate that
// changed, stops it (the queue is kept) until the person signs in again.

var (
	syncEvery    = 30 * time.Second
	kickDelay    = 500 * time.Millisecond
	followRetry  = 5 * time.Second
	offlineRetry = 2 * time.Second
)

// timing is the loop's pace, read when it starts.
type timing struct{ every, delay, retry, offline time.Duration }

// synced says the replica was synced a moment ago (by connecting): the loop
// then starts by waiting.
func (c *connection) loop(ctx context.Context, tm timing, synced bool) {
	var backoff time.Duration // the wait while offline, grown at each try
	for {
		if !synced {
			c.syncOnce(ctx)
		}
		synced = false
		wait := tm.every
		c.mu.Lock()
		offline := c.state == service.SyncOffline
		c.mu.Unlock()
		if offline {
			backoff = min(max(2*backoff, tm.offline), tm.every)
			wait = backoff
		} else {
			backoff = 0
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		case <-c.kickCh:
			select {
			case <-ctx.Done():
				return
			case <-time.After(tm.delay):
			}
			select {
			case <-c.kickCh:
			default:
			}
		}
	}
}

// follow listens to the server's change stream while the server answers, so
// a change made elsewhere (a colleague in the browser) reaches the replica
// in a moment rather than at the next periodic sync; the stream wakes the
// loop, which pulls.
func (c *connection) follow(ctx context.Context, tm timing) {
	for ctx.Err() == nil {
		c.mu.Lock()
		cl, state := c.client, c.state
		c.mu.Unlock()
		if cl != nil && state == service.SyncOnline {
			if err := cl.Follow(ctx, c.kick); ctx.Err() == nil {
				slog.Debug("the server's change stream stopped; it is opened again", "err", err)
				c.kick() // whatever ended it, the loop says what it means
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(tm.retry):
		}
	}
}

// syncOnce pushes then pulls once. It runs as a call does (sysMu held to
// read), so the system is not closed under it; a reopen cancels ctx first.
func (c *connection) syncOnce(ctx context.Context) {
	c.syncing.Lock()
	defer c.syncing.Unlock()
	d := c.d
	d.sysMu.RLock()
	defer d.sysMu.RUnlock()
	if ctx.Err() != nil || d.sys == nil {
		return
	}
	c.mu.Lock()
	cl, state := c.client, c.state
	c.mu.Unlock()
	if cl == nil || state == service.SyncSignedOut || state == service.SyncCertificateChanged {
		return
	}
	// A server updated (or put back) to another version since: nothing is
	// pushed to it, nor pulled, and the queue waits for the update.
	info, err := cl.Probe(ctx)
	if err == nil {
		err = replica.Compatible(info, service.KnownSchema(), buildinfo.Version)
	}
	if err == nil {
		_, err = replica.Push(ctx, d.sys.Store, cl, time.Now)
	}
	if err == nil || domain.CodeOf(err) == domain.CodeUnauthenticated {
		// Signed out from the server (a lost laptop signed out from the
		// browser): the pull forgets the organizations, keeps the queue.
		err = pullChanges(ctx, d.sys, cl)
	}
	if ctx.Err() != nil {
		return // closing: nothing to say
	}
	c.record(err)
}

// record files the outcome of a sync in its state.
func (c *connection) record(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.set == nil {
		return
	}
	var changed *replica.ErrCertificateChanged
	var offline *replica.ErrUnreachable
	var mismatch *replica.ErrVersionMismatch
	switch {
	case err == nil:
		now := time.Now().UTC()
		c.state, c.set.LastSyncAt = service.SyncOnline, &now
		if serr := c.set.save(c.d.dir); serr != nil {
			slog.Error("the time of the last sync cannot be saved", "err", serr)
		}
	case errors.As(err, &changed):
		slog.Warn("the server shows another certificate than the one accepted: the sync stopped", "fingerprint", changed.Fingerprint)
		c.state = service.SyncCertificateChanged
	case domain.CodeOf(err) == domain.CodeUnauthenticated || errors.Is(err, replica.ErrSignedOut):
		c.state = service.SyncSignedOut
	case errors.As(err, &mismatch):
		c.state = service.SyncVersion
		c.versions = &service.SyncVersions{Server: mismatch.Server, Desktop: mismatch.Desktop, Update: "desktop"}
		if mismatch.Newer == "desktop" {
			c.versions.Update = "server"
		}
	case errors.Is(err, replica.ErrVersion):
		c.state, c.versions = service.SyncVersion, nil
	case errors.As(err, &offline):
		c.state = service.SyncOffline
	default:
		slog.Error("the sync with the server failed", "err", err)
		c.state = service.SyncOffline
	}
}
