package httpapi

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"atrium/backend/storetest"
)

// serveWith starts the real router behind NewServer and LimitPerAddress on
// 127.0.0.1, with limits of the test's own; it returns the address.
func serveWith(t *testing.T, l Limits) string {
	t.Helper()
	c := newServer(t, storetest.SQLite(t)) // for its router over a real store
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(c.handler, l)
	go srv.Serve(LimitPerAddress(ln, l.PerAddress))
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// closedWithin reports whether the server closes conn within d (reading and
// dropping whatever it sends first).
func closedWithin(conn net.Conn, d time.Duration) bool {
	conn.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, conn)
	return !errors.Is(err, os.ErrDeadlineExceeded)
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// health sends one keep-alive request on conn and reads its answer.
func health(t *testing.T, conn net.Conn, br *bufio.Reader) {
	t.Helper()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, "GET /api/health HTTP/1.1\r\nHost: atrium\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("health: %d", res.StatusCode)
	}
}

// A client sending its body byte by byte, or not at all, is cut off after
// the read timeout.
func TestSlowBodyIsCutOff(t *testing.T) {
	addr := serveWith(t, Limits{ReadHeader: time.Second, Read: 300 * time.Millisecond, Write: time.Second, Idle: time.Second})
	conn := dial(t, addr)
	io.WriteString(conn, "POST /api/ops/setup.status HTTP/1.1\r\nHost: atrium\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	if !closedWithin(conn, 3*time.Second) {
		t.Fatal("a request whose body never comes still holds its connection")
	}
	// Headers that never end, too.
	conn = dial(t, addr)
	io.WriteString(conn, "GET /api/health HTTP/1.1\r\nHost: atrium\r\n")
	if !closedWithin(conn, 3*time.Second) {
		t.Fatal("a request whose headers never end still holds its connection")
	}
}

// A keep-alive connection left idle is closed after the idle timeout.
func TestIdleConnectionIsClosed(t *testing.T) {
	addr := serveWith(t, Limits{ReadHeader: time.Second, Read: time.Second, Write: time.Second, Idle: 300 * time.Millisecond})
	conn := dial(t, addr)
	health(t, conn, bufio.NewReader(conn))
	if !closedWithin(conn, 3*time.Second) {
		t.Fatal("an idle keep-alive connection is kept open")
	}
}

// One address holds at most PerAddress connections: more are closed at once;
// a place frees when one closes.
func TestConnectionsPerAddressAreLimited(t *testing.T) {
	addr := serveWith(t, Limits{ReadHeader: 5 * time.Second, Read: 5 * time.Second, Write: 5 * time.Second, Idle: 30 * time.Second, PerAddress: 3})
	var held []net.Conn
	for i := 0; i < 3; i++ {
		conn := dial(t, addr)
		health(t, conn, bufio.NewReader(conn))
		held = append(held, conn)
	}
	extra := dial(t, addr)
	if !closedWithin(extra, 2*time.Second) {
		t.Fatal("a fourth connection from the same address was kept")
	}
	held[0].Close()
	// The server sees the close shortly after: a new connection is served then.
	deadline := time.Now().Add(3 * time.Second)
	for {
		conn := dial(t, addr)
		br := bufio.NewReader(conn)
		conn.SetDeadline(time.Now().Add(time.Second))
		io.WriteString(conn, "GET /api/health HTTP/1.1\r\nHost: atrium\r\n\r\n")
		if res, err := http.ReadResponse(br, nil); err == nil && res.StatusCode == 200 {
			break
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("no place freed after a connection closed")
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, c := range held[1:] {
		health(t, c, bufio.NewReader(c))
	}
}
