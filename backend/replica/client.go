// Package replica is a connected desktop's side of the sync: it talks to the
// Atrium server as a client, pushes the queue of operations made on the
// replica, and (to come) pulls the change log into it. It runs the same
// services as the server, through the registry; it holds no rule of its own.
package replica

import (
	"bytes"
	"context"
	"encoding/json"
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
	csrfCookie = "atrium_csrf"
	csrfHeader = "X-CSRF-Token"
	orgHeader  = "X-Atrium-Org"
)

// Client calls one Atrium server for one account, as the console in a
// browser does: its session in a cookie, the CSRF token sent back with each
// call, and a User-Agent that names the desktop in the account's devices.
type Client struct {
	base  *url.URL
	http  *http.Client
	agent string
}

// NewClient returns a client of the server at base (http or https URL).
// version, platform and computer name the desktop in the server's list of
// the account's devices.
func NewClient(base, version, platform, computer string) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, domain.FieldErrors{"server": domain.FieldInvalidURL}.Err()
	}
	jar, _ := cookiejar.New(nil)
	return &Client{base: u, http: &http.Client{Jar: jar, Timeout: 30 * time.Second},
		agent: fmt.Sprintf("%s%s (%s; %s)", service.DesktopAgent, version, platform, computer)}, nil
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
	if err := c.ensureCSRF(ctx); err != nil {
		return err
	}
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base.String()+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(csrfHeader, c.cookie(csrfCookie))
	if org != "" {
		req.Header.Set(orgHeader, org)
	}
	return c.do(req, out)
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

func (c *Client) do(req *http.Request, out any) error {
	req.Header.Set("User-Agent", c.agent)
	resp, err := c.http.Do(req)
	if err != nil {
		return &ErrUnreachable{Err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return &ErrUnreachable{Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		var e domain.Error
		if json.Unmarshal(b, &e) != nil || e.Code == "" {
			return &ErrUnreachable{Err: fmt.Errorf("HTTP %d", resp.StatusCode)}
		}
		return &e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return &ErrUnreachable{Err: fmt.Errorf("an answer that is not Atrium's: %w", err)}
	}
	return nil
}

// cookie returns the value of the server's cookie name ("" when unset), with
// or without the prefix a TLS server gives it.
func (c *Client) cookie(name string) string {
	for _, k := range c.http.Jar.Cookies(c.base) {
		if k.Name == name || k.Name == "__Host-"+name {
			return k.Value
		}
	}
	return ""
}
