// Package pgnotify carries the change log's commits between server processes
// sharing one PostgreSQL database. It is the server's alone: the desktop,
// always on SQLite, never links a PostgreSQL driver.
package pgnotify

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"atrium/backend/store"
)

// Listen wakes st's readers whenever any process on the database commits
// changes, until ctx ends; it reconnects after a lost connection. On SQLite
// every writer is in this process and it returns at once.
func Listen(ctx context.Context, st *store.Store, dsn string, log *slog.Logger) {
	if st.Dialect() != store.Postgres {
		return
	}
	for ctx.Err() == nil {
		err := listen(ctx, st, dsn)
		if ctx.Err() != nil {
			return
		}
		log.Warn("listening for changes from other server processes failed; retrying", "err", err)
		// A change committed while the connection was down is not lost: the
		// readers read the log from their own position.
		st.WakeReaders()
		select {
		case <-ctx.Done():
		case <-time.After(2 * time.Second):
		}
	}
}

func listen(ctx context.Context, st *store.Store, dsn string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+store.ChangesChannel); err != nil {
		return err
	}
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		st.WakeReaders()
	}
}
