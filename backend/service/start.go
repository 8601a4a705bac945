package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"atrium/backend/audit"
	"atrium/backend/mail"
	"atrium/backend/store"
)

// Config is what a program chooses at start: where its data is, and the
// services' dependencies. Start builds the rest.
type Config struct {
	// DB is the SQLite file or postgres:// URL to open with StoreOptions,
	// unless Deps.Store is given open (tests, benchmarks).
	DB           string
	StoreOptions []store.Option
	// HistoryKey is the file of the history's key, created on the first
	// start. Empty: the file beside a SQLite database; a PostgreSQL database
	// needs it named (ErrHistoryKeyRequired). A store given open with no
	// HistoryKey gets a history keyed by a key of its own, which nothing else
	// knows (tests, benchmarks), unless Deps.Audit is given too.
	HistoryKey string
	// Deps are the services' dependencies; Start fills in Store, Audit and
	// Mail.Wake.
	Deps
	// Worker tunes the outbox worker (tests); its store, settings, bell, log
	// and clock are Start's.
	Worker mail.WorkerConfig
}

// System is Atrium once started: the parts every door runs on.
type System struct {
	Store    *store.Store
	History  *audit.Recorder
	Services *Services
	Registry *Registry
	// Worker delivers the outbox; the program runs it (go Worker.Run(ctx)),
	// tests run its rounds one by one.
	Worker *mail.Worker
	// Absences ends absences at their return date: Start has swept once;
	// the program runs it (go Absences.Run(ctx)) for the hourly sweeps.
	Absences *AbsenceSweep
	// ownStore: Start opened the store, Close closes it.
	ownStore bool
}

// ErrHistoryKeyRequired: a PostgreSQL database has no "beside" to keep the
// history's key in, and a key made afresh in a working folder would be lost
// with its container; the operator names its file.
var ErrHistoryKeyRequired = errors.New("on PostgreSQL the history key's file must be named")

// Start is the one way the desktop, the server, the tests and the
// benchmarks bring Atrium up, in this order: the store, the history, the
// services, the outbox worker. The worker is built last with everything it
// needs: the services ring its bell after queueing a message, and it reads
// their SMTP settings and security alerts. On error, what was opened is
// closed again.
func Start(ctx context.Context, c Config) (*System, error) {
	sys := &System{Store: c.Store}
	if sys.Store == nil {
		st, err := store.Open(ctx, c.DB, c.StoreOptions...)
		if err != nil {
			return nil, err
		}
		sys.Store, sys.ownStore = st, true
	}
	d := c.Deps
	d.Store = sys.Store
	d.defaults()
	if d.Audit == nil {
		rec, err := openHistory(ctx, sys.Store, c.DB, c.HistoryKey, c.Store != nil, d.Clock)
		if err != nil {
			sys.Close()
			return nil, err
		}
		d.Audit = rec
	}
	sys.History = d.Audit
	bell := mail.NewBell()
	d.Mail.Wake = bell.Ring
	sys.Services, sys.Registry = newServices(d)
	w := c.Worker
	w.Store, w.Bell, w.Log, w.Now = sys.Store, bell, d.Log, d.Clock
	w.Settings, w.Before = sys.Services.Mail.SMTP, sys.Services.beforeDelivery
	sys.Worker = mail.NewWorker(w)
	// A return date that came while Atrium was not running (a desktop
	// closed that day) ends the absence now; a failure is logged, not fatal:
	// every reader treats an absence past its date as ended.
	sys.Absences = &AbsenceSweep{members: sys.Services.Members, Every: time.Hour}
	if _, err := sys.Absences.Sweep(ctx); err != nil {
		d.Log.Error("ending due absences", "err", err)
	}
	return sys, nil
}

// beforeDelivery queues, at each round of the outbox worker, the messages
// that are not written by an operation: security alerts, weekly digests.
func (s *Services) beforeDelivery(ctx context.Context) error {
	if err := s.Mail.BridgeAlerts(ctx); err != nil {
		return err
	}
	return s.digestsDue(ctx)
}

// openHistory returns the recorder keyed with the key file named by keyFile,
// or by default the one beside the SQLite database.
func openHistory(ctx context.Context, st *store.Store, dsn, keyFile string, given bool, clock func() time.Time) (*audit.Recorder, error) {
	if keyFile == "" {
		if given {
			return audit.New(st, audit.WithClock(clock)), nil
		}
		if st.Dialect() != store.SQLite {
			return nil, ErrHistoryKeyRequired
		}
		keyFile = audit.KeyFileBeside(dsn)
	}
	rec, err := audit.Open(ctx, st, keyFile, audit.WithClock(clock))
	if err != nil {
		return nil, fmt.Errorf("history key %s: %w", keyFile, err)
	}
	return rec, nil
}

// Close closes the store if Start opened it.
func (s *System) Close() error {
	if s.ownStore {
		return s.Store.Close()
	}
	return nil
}
