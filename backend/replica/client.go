// Package replica is a connected desktop's side of the sync: it talks to the
// Atrium server as a client, pushes the queue of operations made on the
// replica, and (to come) pulls the change log into it. It runs the same
// services as the server, through the registry; it holds no rule of its own.
package replica

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"atrium/backend/domain"
	"atrium/backend/service"
)

// Header names the server's door reads (httpapi); repeated here so the
// desktop links no server code.
const (
	csrfCookie    = "atrium_csrf"
	sessionCookie = "atrium_session"
	csrfHeader    = "X-CSRF-Token"
	orgHeader     = "X-Atrium-Org"
	securePrefix  = "__Host-"
)

// Client calls one Atrium server for one account, as the console in a
// browser does: its session in a cookie, the CSRF token sent back with each
// call, and a User-Agent that names the desktop in the account's devices.
//
// A password only ever leaves for a server that protects it: https, or plain
// http to this very computer (loopback). Over https the server's certificate
// is either one the system trusts or the one the person accepted once
// (pinned by its SHA-256 fingerprint); any other certificate stops the
// connection during the handshake, before a byte of a request is sent.
type Client struct {
	base  *url.URL
	http  *http.Client
	agent string
	pin   string // the accepted certificate's fingerprint, "" for the system's trust
}

// ClientOptions are what the desktop remembers of a connection.
type ClientOptions struct {
	// Pin is the SHA-256 fingerprint (hex) of the certificate the person
	// accepted; "" trusts the system's authorities only.
	Pin string
	// Session is the session token the server gave this desktop earlier.
	Session string
}

// NewClient returns a client of the server at base (http or https URL).
// version, platform and computer name the desktop in the server's list of
// the account's devices. Plain http to another computer is refused here,
// before anything is sent.
func NewClient(base, version, platform, computer string, opts ...ClientOptions) (*Client, error) {
	u, err := ParseServer(base)
	if err != nil {
		return nil, err
	}
	var o ClientOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	jar, _ := cookiejar.New(nil)
	c := &Client{base: u, pin: strings.ToLower(o.Pin),
		agent: fmt.Sprintf("%s%s (%s; %s)", service.DesktopAgent, version, platform, computer)}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{
		// Verification is ours (verify): the system's authorities, or the
		// pinned certificate, never anything else.
		InsecureSkipVerify: true, //nolint:gosec
		VerifyConnection:   c.verify,
		MinVersion:         tls.VersionTLS12,
	}
	c.http = &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: tr}
	if o.Session != "" {
		c.setSession(o.Session)
	}
	return c, nil
}

// ParseServer reads the server's address as the person typed it
// ("atrium.cabinet.fr", "https://…", "http://127.0.0.1:8080"): https when no
// scheme is given; plain http only to this computer.
func ParseServer(base string) (*url.URL, error) {
	base = strings.TrimSpace(base)
	if base != "" && !strings.Contains(base, "://") {
		base = "https://" + base
	}
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" {
		return nil, domain.FieldErrors{"server": domain.FieldInvalidURL}.Err()
	}
	if u.Scheme == "http" && !domain.IsLoopbackHost(u.Hostname()) {
		return nil, domain.FieldErrors{"server": domain.FieldInsecureServer}.Err()
	}
	return u, nil
}

// Server is the server's address as the client uses it.
func (c *Client) Server() string { return c.base.String() }

// ErrUntrusted: the server's certificate is not one the system trusts (a
// firm's own, self-signed one); the person may accept it by its fingerprint.
type ErrUntrusted struct{ Fingerprint string }

func (e *ErrUntrusted) Error() string { return "untrusted certificate " + e.Fingerprint }

// ErrCertificateChanged: the server shows another certificate than the one
// pinned. Nothing was sent; the sync stops until the person looks into it.
type ErrCertificateChanged struct{ Fingerprint string }

func (e *ErrCertificateChanged) Error() string {
	return "the server's certificate changed: " + e.Fingerprint
}

// ErrNotAtrium: something answers at the address, but not an Atrium server.
var ErrNotAtrium = errors.New("the address does not answer as an Atrium server")

// Fingerprint is a certificate's SHA-256 fingerprint as the desktop shows
// and pins it: lower-case hex.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// verify checks the server's certificate during the handshake.
func (c *Client) verify(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("no certificate")
	}
	leaf := cs.PeerCertificates[0]
	fp := Fingerprint(leaf.Raw)
	if c.pin != "" {
		if fp != c.pin {
			return &ErrCertificateChanged{Fingerprint: fp}
		}
		return nil
	}
	inter := x509.NewCertPool()
	for _, ic := range cs.PeerCertificates[1:] {
		inter.AddCert(ic)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: cs.ServerName, Intermediates: inter}); err != nil {
		return &ErrUntrusted{Fingerprint: fp}
	}
	return nil
}

// ServerInfo is what the server says of itself before anyone signs in: its
// version, and the schema version of its data (0 from a server older than
// the answer).
type ServerInfo struct {
	Version string `json:"version"`
	Schema  int64  `json:"schema"`
}

// ErrVersionMismatch: the server's data are of another schema than this
// desktop's, so the two cannot sync until one is updated. Newer says which
// is ahead: "server" (update this desktop) or "desktop" (update the server).
type ErrVersionMismatch struct {
	Server, Desktop string // their versions, as they name themselves
	Newer           string
}

func (e *ErrVersionMismatch) Error() string {
	return fmt.Sprintf("the server is at version %s, this desktop at %s (the %s is newer)", e.Server, e.Desktop, e.Newer)
}

// Compatible says whether a desktop of schema (its version named version)
// can sync with the server described by info; when not, the error says
// which one to update. A server that gives no schema is older than this
// desktop.
func Compatible(info ServerInfo, schema int64, version string) error {
	if info.Schema == schema {
		return nil
	}
	e := &ErrVersionMismatch{Server: info.Version, Desktop: version, Newer: "desktop"}
	if info.Schema > schema {
		e.Newer = "server"
	}
	return e
}

// Probe asks the server who it is, before any password is sent: an Atrium
// server answers its health with its version and gives a CSRF cookie.
// Errors: *ErrUntrusted, *ErrCertificateChanged, ErrNotAtrium, *ErrUnreachable.
func (c *Client) Probe(ctx context.Context) (ServerInfo, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base.String()+"/api/health", nil)
	if err != nil {
		return ServerInfo{}, err
	}
	resp, err := c.roundTrip(req)
	if err != nil {
		return ServerInfo{}, err
	}
	defer resp.Body.Close()
	var h struct {
		Status  string `json:"status"`
		Version string `json:"version"`
		Schema  int64  `json:"schema"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &h) != nil || h.Status != "ok" || h.Version == "" ||
		c.cookie(csrfCookie) == "" {
		return ServerInfo{}, ErrNotAtrium
	}
	return ServerInfo{Version: h.Version, Schema: h.Schema}, nil
}

// certError returns the certificate refusal inside a failed request, if
// that is why it failed.
func certError(err error) error {
	var u *ErrUntrusted
	if errors.As(err, &u) {
		return u
	}
	var ch *ErrCertificateChanged
	if errors.As(err, &ch) {
		return ch
	}
	return nil
}

// Follow reads the server's change stream (GET /api/changes/stream) from now
// on, calling changed for each change the account may read, until ctx ends,
// the connection drops (*ErrUnreachable) or the server ends the stream: the
// session ended (an unauthenticated *domain.Error). The stream stays open,
// so it goes without the calls' time limit, with the same cookies and the
// same certificate check.
func (c *Client) Follow(ctx context.Context, changed func()) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base.String()+"/api/changes/stream", nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", c.agent)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := (&http.Client{Jar: c.http.Jar, Transport: c.http.Transport}).Do(req)
	if err != nil {
		if e := certError(err); e != nil {
			return e
		}
		return &ErrUnreachable{Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e domain.Error
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		if json.Unmarshal(b, &e) != nil || e.Code == "" {
			return &ErrUnreachable{Err: fmt.Errorf("HTTP %d", resp.StatusCode)}
		}
		return &e
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	event, data := "", false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event:"):
			event = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			data = true
		case line == "":
			if event == "ended" {
				return domain.Errorf(domain.CodeUnauthenticated, "the server ended the session")
			}
			if data {
				changed()
			}
			event, data = "", false
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return &ErrUnreachable{Err: fmt.Errorf("the change stream closed: %v", sc.Err())}
}

// Session returns the session token the server gave this desktop ("" when
// signed out), for the desktop to keep with the connection.
func (c *Client) Session() string { return c.cookie(sessionCookie) }

func (c *Client) setSession(token string) {
	name := sessionCookie
	if c.base.Scheme == "https" {
		name = securePrefix + sessionCookie
	}
	c.http.Jar.SetCookies(c.base, []*http.Cookie{{Name: name, Value: token, Path: "/", Secure: c.base.Scheme == "https", HttpOnly: true}})
}

// ErrUnreachable wraps every failure to reach the server (network down,
// server stopped, an answer that is not the server's): the desktop is
// offline, and works on its replica.
type ErrUnreachable struct{ Err error }

func (e *ErrUnreachable) Error() string { return "server unreachable: " + e.Err.Error() }
func (e *ErrUnreachable) Unwrap() error { return e.Err }

// Call invokes operation op on the server, on organization org ("" for the
// one the session remembers), decoding its output into out.
func (c *Client) Call(ctx context.Context, op, org string, in, out any) error {
	return c.post(ctx, "/api/ops/"+op, org, in, out)
}

// Push sends queued operations and returns the server's answers.
func (c *Client) Push(ctx context.Context, ops []service.PushedOperation) (service.PushResult, error) {
	var res service.PushResult
	err := c.post(ctx, "/api/sync/push", "", service.PushRequest{Ops: ops}, &res)
	return res, err
}

func (c *Client) post(ctx context.Context, path, org string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := c.postRequest(ctx, path, org, bytes.NewReader(body))
	if err != nil {
		return err
	}
	return c.do(req, out)
}

// postRequest is a call to the server as the console makes it: JSON, the
// CSRF token, the organization it acts in ("" for none).
func (c *Client) postRequest(ctx context.Context, path, org string, body io.Reader) (*http.Request, error) {
	if err := c.ensureCSRF(ctx); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base.String()+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(csrfHeader, c.cookie(csrfCookie))
	if org != "" {
		req.Header.Set(orgHeader, org)
	}
	return req, nil
}

// ensureCSRF fetches the server's health once, which gives the client its
// CSRF cookie, before the first call.
func (c *Client) ensureCSRF(ctx context.Context) error {
	if c.cookie(csrfCookie) != "" {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base.String()+"/api/health", nil)
	if err != nil {
		return err
	}
	return c.do(req, nil)
}

// do sends req and decodes the answer of a call into out (nil: none).
func (c *Client) do(req *http.Request, out any) error {
	resp, err := c.send(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return &ErrUnreachable{Err: err}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return &ErrUnreachable{Err: fmt.Errorf("an answer that is not Atrium's: %w", err)}
	}
	return nil
}

// send sends req and returns the answer of a call that succeeded; the
// server's refusal comes back as its domain.Error.
func (c *Client) send(req *http.Request) (*http.Response, error) {
	resp, err := c.roundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		var e domain.Error
		if json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&e) != nil || e.Code == "" {
			return nil, &ErrUnreachable{Err: fmt.Errorf("HTTP %d", resp.StatusCode)}
		}
		return nil, &e
	}
	return resp, nil
}

// roundTrip sends req as the desktop (its User-Agent names it in the
// account's devices): a refused certificate says so, any other failure is
// the server unreachable.
func (c *Client) roundTrip(req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", c.agent)
	resp, err := c.http.Do(req)
	if err != nil {
		if e := certError(err); e != nil {
			return nil, e
		}
		return nil, &ErrUnreachable{Err: err}
	}
	return resp, nil
}

// cookie returns the value of the server's cookie name ("" when unset), with
// or without the prefix a TLS server gives it.
func (c *Client) cookie(name string) string {
	for _, k := range c.http.Jar.Cookies(c.base) {
		if k.Name == name || k.Name == securePrefix+name {
			return k.Value
		}
	}
	return ""
}
