package store

import (
	"context"
	"database/sql"
	"io"
	"os"
	"time"
)

// CopyProgress is told, while a copy of a database or a file is written, how
// many bytes it holds so far of about how many (the source's size: a copy by
// VACUUM INTO leaves the free pages out, so it may end below it). It is
// called from another goroutine than the copy's.
type CopyProgress func(written, total int64)

type progressKey struct{}

// WithCopyProgress gives the copies made under ctx (Backup, PrepareRestore,
// CopyFileContext) a progress to tell.
func WithCopyProgress(ctx context.Context, p CopyProgress) context.Context {
	return context.WithValue(ctx, progressKey{}, p)
}

func copyProgress(ctx context.Context) CopyProgress {
	p, _ := ctx.Value(progressKey{}).(CopyProgress)
	return p
}

// progressEvery is how often a copy's size is read while VACUUM INTO writes it.
const progressEvery = 50 * time.Millisecond

// watchCopy tells p how large the file at part grows while VACUUM INTO writes
// it from db, until the returned stop is called. The statement writes by
// itself, so the file's size is the only measure of how far it is.
func watchCopy(ctx context.Context, db *sql.DB, part string) (stop func()) {
	p := copyProgress(ctx)
	if p == nil {
		return func() {}
	}
	var total int64
	_ = db.QueryRowContext(ctx, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").Scan(&total)
	p(0, total)
	done, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		tick := time.NewTicker(progressEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				if fi, err := os.Stat(part); err == nil {
					p(fi.Size(), total)
				}
				return
			case <-tick.C:
				if fi, err := os.Stat(part); err == nil {
					p(fi.Size(), total)
				}
			}
		}
	}()
	return func() { close(done); <-ended }
}

// countingWriter tells p how much has gone through it.
type countingWriter struct {
	w        io.Writer
	n, total int64
	p        CopyProgress
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	c.p(c.n, c.total)
	return n, err
}
