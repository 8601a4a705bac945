package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"atrium/backend/domain"
	"atrium/backend/replica"
	"atrium/backend/service"
)

// The sync loop of a connected desktop: it pushes the queue and then pulls
// the server's changes, at start, every syncEvery, and shortly after a
// change is queued (a burst of changes goes in one push). A session the
// server ended, or a certificate that changed, stops it (the queue is kept)
// until the person signs in again.

var (
	syncEvery = 30 * time.Second
	kickDelay = 500 * time.Millisecond
)

func (c *connection) loop(ctx context.Context) {
	for {
		c.syncOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(syncEvery):
		case <-c.kickCh:
			select {
			case <-ctx.Done():
				return
			case <-time.After(kickDelay):
			}
			select {
			case <-c.kickCh:
			default:
			}
		}
	}
}

// syncOnce pushes then pulls once. It runs as a call does (sysMu held to
// read), so the system is not closed under it; a reopen cancels ctx first.
func (c *connection) syncOnce(ctx context.Context) {
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
	_, err := replica.Push(ctx, d.sys.Store, cl, time.Now)
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
	case domain.CodeOf(err) == domain.CodeUnauthenticated || errors.Is(err, errSignedOut):
		c.state = service.SyncSignedOut
	case errors.Is(err, errVersion):
		c.state = service.SyncVersion
	case errors.As(err, &offline):
		c.state = service.SyncOffline
	default:
		slog.Error("the sync with the server failed", "err", err)
		c.state = service.SyncOffline
	}
}
