package mail

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"atrium/backend/store"
)

// Bell asks the outbox worker for a round at once. The services ring it
// after queueing a message and the worker listens: made apart from both, it
// lets the worker be built after the services it delivers for, with every
// part given at construction.
type Bell chan struct{}

// NewBell returns a bell; rings while a round is already asked for are one.
func NewBell() Bell { return make(Bell, 1) }

// Ring asks for a round now; it never blocks.
func (b Bell) Ring() {
	select {
	case b <- struct{}{}:
	default:
	}
}

// WorkerConfig is what a worker is built with.
type WorkerConfig struct {
	Store *store.Store
	// Settings returns the SMTP settings in force (flags and environment,
	// else those saved in the console); not configured (or nil) means
	// nothing is sent.
	Settings func(ctx context.Context) (Settings, error)
	// Before runs at each round before claiming, to queue more messages
	// (the security alerts bridge).
	Before func(ctx context.Context) error
	// Bell is rung for a round at once; nil gives the worker one of its own.
	Bell Bell
	Log  *slog.Logger
	// Poll is the pause between rounds (default 2 s); Base and Max bound the
	// backoff between attempts (default 5 s doubling up to 30 min);
	// MaxAttempts gives a message up (default 12, about 9 hours).
	Poll, Base, Max time.Duration
	MaxAttempts     int
	// Now is the clock of claims and retries (default the system's).
	Now func() time.Time
}

// Worker delivers the outbox: it claims due messages (marking them sending in
// the database, so a message is handed to the SMTP server by one worker and
// once), sends them, and marks them sent, or schedules the next attempt with
// exponential backoff. It survives restarts: everything is in the database.
type Worker struct {
	c WorkerConfig
}

// NewWorker returns a worker for c, its defaults filled in.
func NewWorker(c WorkerConfig) *Worker {
	if c.Settings == nil {
		c.Settings = func(context.Context) (Settings, error) { return Settings{}, nil }
	}
	if c.Bell == nil {
		c.Bell = NewBell()
	}
	if c.Poll == 0 {
		c.Poll = 2 * time.Second
	}
	if c.Base == 0 {
		c.Base = 5 * time.Second
	}
	if c.Max == 0 {
		c.Max = 30 * time.Minute
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = 12
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return &Worker{c: c}
}

func (w *Worker) now() time.Time { return w.c.Now().UTC() }

// Backoff is the wait after the given number of failed attempts.
func (w *Worker) Backoff(attempts int) time.Duration {
	d := w.c.Base
	for i := 1; i < attempts && d < w.c.Max; i++ {
		d *= 2
	}
	if d > w.c.Max {
		d = w.c.Max
	}
	return d
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
	t := time.NewTicker(w.c.Poll)
	defer t.Stop()
	for {
		if _, err := w.Round(ctx); err != nil && ctx.Err() == nil {
			w.c.Log.Error("outbox: round failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.c.Bell:
		}
	}
}

// Recover marks failed the messages a stopped worker left "sending" more
// than ClaimLease ago. Each round runs it, so whichever process is alive
// recovers what another one left.
func (w *Worker) Recover(ctx context.Context) {
	if n, err := w.c.Store.RecoverOutbox(ctx, w.now().Add(-ClaimLease)); err != nil {
		w.c.Log.Error("outbox: recovery failed", "err", err)
	} else if n > 0 {
		w.c.Log.Warn("outbox: messages interrupted while sending were marked failed", "count", n)
	}
}

// Round runs one delivery round and answers how many messages were sent.
func (w *Worker) Round(ctx context.Context) (int, error) {
	w.Recover(ctx)
	if w.c.Before != nil {
		if err := w.c.Before(ctx); err != nil {
			return 0, err
		}
	}
	set, err := w.c.Settings(ctx)
	if err != nil || !set.Configured() {
		return 0, err
	}
	var batch []store.OutboxMessage
	err = w.c.Store.Tx(ctx, func(ctx context.Context) error {
		var err error
		batch, err = w.c.Store.ClaimOutbox(ctx, w.now(), 20)
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
			if err := w.c.Store.OutboxSentAt(rctx, m.ID, w.now()); err != nil {
				return sent, err
			}
			sent++
			continue
		}
		attempts := m.Attempts + 1
		var next *time.Time
		if attempts < w.c.MaxAttempts {
			at := w.now().Add(w.Backoff(attempts))
			next = &at
		}
		reason, detail := ReasonOf(err), redact(err.Error(), m)
		w.c.Log.Warn("outbox: sending failed", "id", m.ID, "attempt", attempts, "reason", reason, "err", detail)
		if err := w.c.Store.OutboxRetryAt(rctx, m.ID, attempts, next, reason, truncate(detail, 500)); err != nil {
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
