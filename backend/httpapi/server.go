package httpapi

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Limits bound what one client can hold of the server: how long a request
// may take to arrive and its answer to leave, how long a kept-alive
// connection may sit idle, how large its headers may be (the body of an
// operation call is bounded by MaxBody), and how many connections one
// address may hold at once.
type Limits struct {
	ReadHeader, Read, Write, Idle time.Duration
	MaxHeaderBytes                int
	// PerAddress is how many connections one IP address may hold at once; 0: no limit.
	PerAddress int
}

// DefaultLimits are the server's. Write also bounds the work of one call (it
// runs from the end of the request's headers): two minutes leave room for the
// largest exports. A handler that streams must move its own deadline forward
// (http.ResponseController.SetWriteDeadline). Sixty-four connections per
// address leave room for an office behind one NAT address (a browser opens
// six at most); behind a reverse proxy every client has the proxy's address,
// so raise it there (--max-conns-per-ip) and let the proxy limit clients.
var DefaultLimits = Limits{
	ReadHeader:     10 * time.Second,
	Read:           30 * time.Second,
	Write:          2 * time.Minute,
	Idle:           60 * time.Second,
	MaxHeaderBytes: 64 << 10,
	PerAddress:     64,
}

// NewServer returns the HTTP server for h with the limits l.
func NewServer(h http.Handler, l Limits) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.ReadHeader,
		ReadTimeout:       l.Read,
		WriteTimeout:      l.Write,
		IdleTimeout:       l.Idle,
		MaxHeaderBytes:    l.MaxHeaderBytes,
	}
}

// LimitPerAddress wraps ln so that one remote IP address holds at most n
// connections at once: a connection over the limit is closed as soon as it is
// accepted, before a byte is read. n <= 0 leaves ln as it is.
func LimitPerAddress(ln net.Listener, n int) net.Listener {
	if n <= 0 {
		return ln
	}
	return &perAddress{Listener: ln, max: n, open: map[string]int{}}
}

type perAddress struct {
	net.Listener
	max  int
	mu   sync.Mutex
	open map[string]int
}

func (l *perAddress) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := remoteIP(c)
		l.mu.Lock()
		if l.open[ip] >= l.max {
			l.mu.Unlock()
			c.Close()
			continue
		}
		l.open[ip]++
		l.mu.Unlock()
		return &countedConn{Conn: c, release: func() { l.release(ip) }}, nil
	}
}

func (l *perAddress) release(ip string) {
	l.mu.Lock()
	if l.open[ip]--; l.open[ip] <= 0 {
		delete(l.open, ip)
	}
	l.mu.Unlock()
}

func remoteIP(c net.Conn) string {
	if a, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		return a.IP.String()
	}
	host, _, err := net.SplitHostPort(c.RemoteAddr().String())
	if err != nil {
		return c.RemoteAddr().String()
	}
	return host
}

// countedConn gives its place back once, at its first Close.
type countedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
