package mail

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"atrium/backend/store"
)

// Worker delivers the outbox: it claims due messages (marking them sending in
// the database, so a message is handed to the SMTP server by one worker and
// once), sends them, and marks them sent, or schedules the next attempt with
// exponential backoff. It survives restarts: everything is in the database.
type Worker struct {
	Store *store.Store
	// Settings returns the SMTP settings in force (flags and environment,
	// else those saved in the console); not configured means nothing is sent.
	Settings func(ctx context.Context) (Settings, error)
	// Before runs at each round before claiming, to queue more messages
	// (the security alerts bridge).
	Before func(ctx context.Context) error
	Log    *slog.Logger
	// Poll is the pause between rounds (default 2 s); Base and Max bound the
	// backoff between attempts (default 5 s doubling up to 30 min);
	// MaxAttempts gives a message up (default 12, about 9 hours).
	Poll, Base, Max time.Duration
	MaxAttempts     int
	Now             func() time.Time
	// wake lets a service ask for a round at once.
	wake chan struct{}
}

func (w *Worker) defaults() {
	if w.Poll == 0 {
		w.Poll = 2 * time.Second
	}
	if w.Base == 0 {
		w.Base = 5 * time.Second
	}
	if w.Max == 0 {
		w.Max = 30 * time.Minute
	}
	if w.MaxAttempts == 0 {
		w.MaxAttempts = 12
	}
	if w.Log == nil {
		w.Log = slog.Default()
	}
	if w.Now == nil {
		w.Now = func() time.Time { return time.Now().UTC() }
	}
	if w.wake == nil {
		w.wake = make(chan struct{}, 1)
	}
}

// Backoff is the wait after the given number of failed attempts.
func (w *Worker) Backoff(attempts int) time.Duration {
	d := w.Base
	for i := 1; i < attempts && d < w.Max; i++ {
		d *= 2
	}
	if d > w.Max {
		d = w.Max
	}
	return d
}

// Wake asks for a round now (after a message was queued).
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// ClaimLease is how long a message may stay "sending": a send gives up after
// 30 seconds, so a claim older than this was left by a worker that stopped
// mid-delivery. Younger claims may belong to another server process sharing
// the database, still sending.
const ClaimLease = 5 * time.Minute

// Run delivers until ctx ends. Messages a stopped worker left "sending" are
// not sent again on their own: once their claim is older than ClaimLease they
// become failed, and an admin can send them again from the outbox screen.
func (w *Worker) Run(ctx context.Context) {
	w.defaults()
	t := time.NewTicker(w.Poll)
	defer t.Stop()
	for {
		if _, err := w.Round(ctx); err != nil && ctx.Err() == nil {
			w.Log.Error("outbox: round failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.wake:
		}
	}
}

// Recover marks failed the messages a stopped worker left "sending" more
// than ClaimLease ago. Each round runs it, so whichever process is alive
// recovers what another one left.
func (w *Worker) Recover(ctx context.Context) {
	w.defaults()
	if n, err := w.Store.RecoverOutbox(ctx, w.Now().Add(-ClaimLease)); err != nil {
		w.Log.Error("outbox: recovery failed", "err", err)
	} else if n > 0 {
		w.Log.Warn("outbox: messages interrupted while sending were marked failed", "count", n)
	}
}

// Round runs one delivery round and answers how many messages were sent.
func (w *Worker) Round(ctx context.Context) (int, error) {
	w.defaults()
	w.Recover(ctx)
	if w.Before != nil {
		if err := w.Before(ctx); err != nil {
			return 0, err
		}
	}
	set, err := w.Settings(ctx)
	if err != nil || !set.Configured() {
		return 0, err
	}
	var batch []store.OutboxMessage
	err = w.Store.Tx(ctx, func(ctx context.Context) error {
		var err error
		batch, err = w.Store.ClaimOutbox(ctx, w.Now(), 20)
		return err
	})
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range batch {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := Send(sctx, set, Message{ID: m.ID, To: m.ToAddr, Subject: m.Subject, Text: m.TextBody, HTML: m.HTMLBody})
		cancel()
		// The outcome is recorded even when ctx is ending.
		rctx := context.WithoutCancel(ctx)
		if err == nil {
			if err := w.Store.OutboxSentAt(rctx, m.ID, w.Now()); err != nil {
				return sent, err
			}
			sent++
			continue
		}
		attempts := m.Attempts + 1
		var next *time.Time
		if attempts < w.MaxAttempts {
			at := w.Now().Add(w.Backoff(attempts))
			next = &at
		}
		reason, detail := ReasonOf(err), redact(err.Error(), m)
		w.Log.Warn("outbox: sending failed", "id", m.ID, "attempt", attempts, "reason", reason, "err", detail)
		if err := w.Store.OutboxRetryAt(rctx, m.ID, attempts, next, reason, truncate(detail, 500)); err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// redact takes the message's own link, token and code out of a failure's
// text before it is logged or kept: an SMTP server that quotes what it
// refused ("URL ... is listed") would else write a secret meant for one
// person into the logs, which its operator and support read.
func redact(s string, m store.OutboxMessage) string {
	secrets := []string{m.Link}
	if _, token, ok := strings.Cut(m.Link, "token="); ok {
		secrets = append(secrets, token)
	}
	if m.Code != "" {
		secrets = append(secrets, m.Code, strings.ReplaceAll(m.Code, "-", ""))
	}
	for _, x := range secrets {
		if x != "" {
			s = strings.ReplaceAll(s, x, "[hidden]")
		}
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
