// Command atrium-server is Atrium's headless server: it serves the console in a
// browser and the HTTP API over the same services as the desktop, on SQLite or
// PostgreSQL. It links no GUI library.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"atrium/backend/auth"
	"atrium/backend/buildinfo"
	"atrium/backend/httpapi"
	"atrium/backend/service"
	"atrium/backend/store/pgnotify"
	"atrium/frontend"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "atrium-server:", err)
		os.Exit(1)
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) >= 1 && args[0] == "audit" {
		return auditCommand(ctx, args[1:], stdout)
	}
	if len(args) >= 1 && args[0] == "backup" {
		return backupCommand(ctx, args[1:], stdout)
	}
	fl := flag.NewFlagSet("atrium-server", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", envOr("ATRIUM_ADDR", "127.0.0.1:8080"), "address to listen on")
	dsn := fl.String("db", envOr("ATRIUM_DB", "atrium-server.db"), "SQLite file, or postgres:// URL")
	limits := httpapi.DefaultLimits
	perIP, _ := strconv.Atoi(envOr("ATRIUM_MAX_CONNS_PER_IP", strconv.Itoa(limits.PerAddress)))
	fl.IntVar(&limits.PerAddress, "max-conns-per-ip", perIP,
		"connections one IP address may hold at once, more are closed (0: no limit; raise it behind a reverse proxy)")
	smtp := mailFlags(fl)
	historyKey := historyKeyFlag(fl)
	apps, err := appFlags(fl)
	if err != nil {
		return err
	}
	if err := fl.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	mailDeps, err := smtp.deps(*addr)
	if err != nil {
		return err
	}
	sys, err := start(ctx, *dsn, *historyKey, service.Deps{Version: buildinfo.Version,
		CommonPasswords: auth.NewCommonPasswords(frontend.Dist()), Log: log, Mail: mailDeps, AppAddresses: apps})
	if err != nil {
		return err
	}
	defer sys.Close()
	// Every request must arrive, and its answer leave, within a bound; an idle
	// connection is closed; one address holds a bounded number of connections.
	srv := httpapi.NewServer(httpapi.New(httpapi.Options{Registry: sys.Registry, Console: frontend.Dist(), Version: buildinfo.Version, Log: log,
		PublicURL: *smtp.publicURL, ChangesAfter: sys.Store.ChangesAfter}), limits)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Stopping ends the change streams too, instead of waiting for them.
	srv.BaseContext = func(net.Listener) context.Context { return ctx }
	go sys.Worker.Run(ctx)   // the mail outbox
	go sys.Absences.Run(ctx) // absences end at their return date
	// Commits of the other server processes on the same PostgreSQL database
	// wake this one's change streams.
	go pgnotify.Listen(ctx, sys.Store, *dsn, log)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(httpapi.LimitPerAddress(ln, limits.PerAddress)) }()
	log.Info("atrium-server listening", "addr", *addr, "db", sys.Store.Dialect(), "version", buildinfo.Version)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
