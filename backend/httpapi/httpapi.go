// Package httpapi is the server's door: the operations of the registry over
// HTTP (JSON), browser sessions in an HttpOnly cookie, CSRF protection, and the
// console's static files.
package httpapi

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"atrium/backend/domain"
	"atrium/backend/service"
)

// Cookie and header names shared with the console. Over https (or behind a
// proxy ending TLS) the cookies are Secure and their names carry SecurePrefix.
const (
	SessionCookie = "atrium_session"
	CSRFCookie    = "atrium_csrf"
	CSRFHeader    = "X-CSRF-Token"
	// SecurePrefix asks the browser to take the cookie only when Secure, for
	// the whole site (Path=/) and from this host alone (no Domain): a
	// neighbouring subdomain cannot set or replace it.
	SecurePrefix = "__Host-"
)

// MaxBody bounds a request body; larger ones are refused with too_large.
const MaxBody = 1 << 20

// MaxUploadBody bounds a desktop's organization sent whole (sync.upload,
// signed in): its members and tasks within the service's own bounds.
const MaxUploadBody = 32 << 20

// Options configure the API.
type Options struct {
	Registry *service.Registry
	Console  fs.FS // the built console (index.html at its root); nil serves none
	Version  string
	Log      *slog.Logger
	// PublicURL is the console's address as browsers reach it (--public-url),
	// "" when not given. An https address means a proxy in front ends TLS.
	PublicURL string
	// ChangesAfter wakes the change streams at the next commit with changes
	// (the store's); nil makes them look every two seconds.
	ChangesAfter func() <-chan struct{}
}

// New returns the server's HTTP handler.
func New(o Options) http.Handler {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	h := &handler{Options: o}
	if u, err := url.Parse(o.PublicURL); err == nil && u.Host != "" && (u.Scheme == "http" || u.Scheme == "https") {
		h.origin, h.behindTLS = u.Scheme+"://"+u.Host, u.Scheme == "https"
	}
	r := chi.NewRouter()
	r.Use(h.recoverPanics, securityHeaders, h.csrfCookie)
	r.Get("/api/health", h.health)
	r.Get("/api/operations", h.operations)
	r.Post("/api/ops/{op}", h.invoke)
	r.Get("/api/changes/stream", h.stream)
	r.Post("/api/sync/push", h.push)
	r.HandleFunc("/api/*", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, domain.Errorf(domain.CodeNotFound, "no such endpoint"))
	})
	if o.Console != nil {
		r.Get("/*", h.console)
	}
	return r
}

type handler struct {
	Options
	origin    string // the public URL's scheme and host, when given: the only origin that may call
	behindTLS bool   // the public URL is https: browsers reach this server over TLS
}

func (h *handler) health(w http.ResponseWriter, r *http.Request) {
	// The schema lets a desktop say, before any password is sent, that it
	// and the server are not of the same version.
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "version": h.Version, "schema": service.KnownSchema()})
}

// operations documents the registry: every operation with its access rule.
func (h *handler) operations(w http.ResponseWriter, r *http.Request) {
	type doc struct {
		Name   string `json:"name"`
		Access string `json:"access"`
		Right  string `json:"right,omitempty"`
		Writes bool   `json:"writes"`
	}
	var out []doc
	for _, op := range h.Registry.Operations() {
		out = append(out, doc{op.Name, op.Access.String(), string(op.Right), op.Writes})
	}
	writeJSON(w, http.StatusOK, out)
}

// OrgHeader names the organization a call acts on: the console sends the
// dossier its tab shows, so two tabs on two dossiers never write into each other.
const OrgHeader = "X-Atrium-Org"

func (h *handler) invoke(w http.ResponseWriter, r *http.Request) {
	if err := h.checkCSRF(r); err != nil {
		writeError(w, err)
		return
	}
	limit := int64(MaxBody)
	if chi.URLParam(r, "op") == "sync.upload" {
		limit = MaxUploadBody
	}
	body, err := readBody(w, r, limit)
	if err != nil {
		writeError(w, err)
		return
	}
	call := service.Call{Op: chi.URLParam(r, "op"), Input: body, Device: clientDevice(r), Token: h.sessionToken(r),
		Org: r.Header.Get(OrgHeader)}
	res, err := h.Registry.Invoke(r.Context(), call)
	if err != nil {
		// A refused session cookie is left as it is: a call sent just before
		// a password change gave the session a new token would otherwise
		// clear the new cookie; an ended session's cookie opens nothing.
		writeError(w, err)
		return
	}
	switch {
	case res.Token != "":
		h.setSession(w, r, res.Token)
	case res.EndsSession:
		http.SetCookie(w, &http.Cookie{Name: h.cookieName(r, SessionCookie), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
			Secure: h.secure(r), SameSite: http.SameSiteLaxMode})
	}
	writeJSON(w, http.StatusOK, res.Output)
}

// setSession gives the client the session token in its cookie, with the
// CSRF token that goes with it.
func (h *handler) setSession(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: h.cookieName(r, SessionCookie), Value: token, Path: "/", HttpOnly: true,
		Secure: h.secure(r), SameSite: http.SameSiteLaxMode})
	h.setCSRFCookie(w, r, csrfFor(token))
}

// readBody reads a request's body of at most max bytes: a longer one is
// refused as too large, one that cannot be read as invalid.
func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, domain.Errorf(domain.CodeTooLarge, "request body over %d bytes", max)
	case err != nil:
		return nil, domain.Errorf(domain.CodeValidation, "unreadable body")
	}
	return body, nil
}

// secure reports whether the browser reached this request over TLS: directly,
// or through the proxy that the https public URL says ends TLS in front.
// X-Forwarded-Proto is not read: any client could send it.
func (h *handler) secure(r *http.Request) bool { return r.TLS != nil || h.behindTLS }

// cookieName is the name of a cookie on this request: with SecurePrefix when
// the cookie is Secure.
func (h *handler) cookieName(r *http.Request, name string) string {
	if h.secure(r) {
		return SecurePrefix + name
	}
	return name
}

// browserDevice describes the browser a request comes from.
func browserDevice(r *http.Request) domain.Device {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	name, platform := describeUserAgent(r.UserAgent())
	return domain.Device{Kind: domain.SessionBrowser, Name: name, Platform: platform, IP: ip}
}

// describeUserAgent names the browser and system in the words people use.
func describeUserAgent(ua string) (name, platform string) {
	name = "Navigateur"
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"}, {"Chromium/", "Chromium"}, {"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			name = b.name
			break
		}
	}
	for _, p := range []struct{ token, name string }{
		{"Windows", "windows"}, {"Mac OS X", "macos"}, {"Android", "android"}, {"iPhone", "ios"}, {"Linux", "linux"},
	} {
		if strings.Contains(ua, p.token) {
			return name, p.name
		}
	}
	return name, ""
}

// csrfCookie gives every client the CSRF token in a cookie the console can
// read; every operation call must echo it in a header. A signed-in browser's
// token is the one of its session (csrfFor); before a session, a random one.
func (h *handler) csrfCookie(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(h.cookieName(r, CSRFCookie))
		if want := csrfFor(h.sessionToken(r)); want != "" {
			if err != nil || c.Value != want {
				h.setCSRFCookie(w, r, want)
			}
		} else if err != nil || len(c.Value) < 32 {
			b := make([]byte, 32)
			rand.Read(b)
			h.setCSRFCookie(w, r, base64.RawURLEncoding.EncodeToString(b))
		}
		next.ServeHTTP(w, r)
	})
}

func (h *handler) setCSRFCookie(w http.ResponseWriter, r *http.Request, value string) {
	http.SetCookie(w, &http.Cookie{Name: h.cookieName(r, CSRFCookie), Value: value, Path: "/",
		Secure: h.secure(r), SameSite: http.SameSiteStrictMode})
}

// sessionToken is the session token a browser sent, or "".
func (h *handler) sessionToken(r *http.Request) string {
	if c, err := r.Cookie(h.cookieName(r, SessionCookie)); err == nil {
		return c.Value
	}
	return ""
}

// csrfFor is the CSRF token of a session: an HMAC keyed by its token. Only a
// holder of the session (its HttpOnly cookie) gets it from the server, and
// nobody else can make it, so a cookie and header pair written by someone
// else is refused; it changes with the session token. "" without a session.
func csrfFor(session string) string {
	if session == "" {
		return ""
	}
	m := hmac.New(sha256.New, []byte(session))
	m.Write([]byte("atrium csrf"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF refuses an operation call that a browser says comes from another
// origin (scheme and host) or site, or whose header is not the token of its
// session; before a session, the header must match the cookie (double submit).
func (h *handler) checkCSRF(r *http.Request) error {
	forbidden := domain.Errorf(domain.CodeForbidden, "cross-site request refused")
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return forbidden
	}
	if origin := r.Header.Get("Origin"); origin != "" && !strings.EqualFold(origin, h.ownOrigin(r)) {
		return forbidden
	}
	header := r.Header.Get(CSRFHeader)
	want := csrfFor(h.sessionToken(r))
	if want == "" {
		c, err := r.Cookie(h.cookieName(r, CSRFCookie))
		if err != nil || len(c.Value) < 32 {
			return forbidden
		}
		want = c.Value
	}
	if header == "" || subtle.ConstantTimeCompare([]byte(want), []byte(header)) != 1 {
		return forbidden
	}
	return nil
}

// ownOrigin is the origin of this server's pages in the browser: the public
// URL's when given (whatever address the proxy used to reach this process),
// else the scheme and host the request came on.
func (h *handler) ownOrigin(r *http.Request) string {
	if h.origin != "" {
		return h.origin
	}
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// contentPolicy is the Content-Security-Policy of every response: scripts,
// styles, fonts and calls from this server only (no inline script, no eval),
// images also as data: URLs (the two-step QR code), no plugin, no <base>,
// forms posted here only, never shown in a frame. The console's page adds a
// nonce to style-src (consolePolicy).
const contentPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// consolePolicy is contentPolicy for the console's page: Mantine writes its
// theme and some components' styles in <style> tags, which carry the nonce
// the page is sent with (never 'unsafe-inline').
func consolePolicy(nonce string) string {
	return strings.Replace(contentPolicy, "style-src 'self'", "style-src 'self' 'nonce-"+nonce+"'", 1)
}

// securityHeaders: the policy above; no type guessing; no Referer sent
// anywhere (reset and invitation links carry their token in the address);
// no frame (for browsers without frame-ancestors).
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", contentPolicy)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// recoverPanics answers a generic error instead of dropping the connection.
func (h *handler) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				h.Log.Error("http handler panicked", "path", r.URL.Path, "panic", p)
				writeError(w, domain.Errorf(domain.CodeInternal, "internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// console serves the built single-page console; unknown paths get index.html.
func (h *handler) console(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if p == "" || p == "index.html" {
		h.serveIndex(w)
		return
	}
	if strings.HasPrefix(p, "assets/") && h.serveCompressed(w, r, p) {
		return
	}
	if f, err := h.Console.Open(p); err == nil {
		defer f.Close()
		if st, _ := f.Stat(); st != nil && !st.IsDir() {
			if strings.HasPrefix(p, "assets/") {
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			}
			serveFile(w, r, p, st.ModTime(), f)
			return
		}
	}
	h.serveIndex(w)
}

// serveIndex sends the console's page with a nonce of its own for its style
// tags: in the policy, and in a <meta property="csp-nonce"> the console reads
// (its nonce attribute, which browsers hide from the page's CSS). The page is
// never stored, so a nonce is never reused by a cache.
func (h *handler) serveIndex(w http.ResponseWriter) {
	page, err := fs.ReadFile(h.Console, "index.html")
	if err != nil {
		writeError(w, domain.Errorf(domain.CodeNotFound, "no console"))
		return
	}
	b := make([]byte, 18)
	rand.Read(b)
	nonce := base64.RawURLEncoding.EncodeToString(b)
	if i := bytes.Index(page, []byte("<head>")); i >= 0 {
		i += len("<head>")
		page = append(page[:i:i], append([]byte(`<meta property="csp-nonce" nonce="`+nonce+`">`), page[i:]...)...)
	}
	hd := w.Header()
	hd.Set("Content-Security-Policy", consolePolicy(nonce))
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	w.Write(page)
}

// compressedFS is a console whose large assets are stored gzip-compressed
// (frontend.GunzipFS): Compressed opens the stored bytes of name.
type compressedFS interface {
	Compressed(name string) (fs.File, error)
}

// serveCompressed sends an asset stored gzip-compressed as it is, with
// Content-Encoding, to a browser that accepts gzip. It reports whether it did.
func (h *handler) serveCompressed(w http.ResponseWriter, r *http.Request, p string) bool {
	c, ok := h.Console.(compressedFS)
	if !ok {
		return false
	}
	f, err := c.Compressed(p)
	if err != nil {
		return false
	}
	defer f.Close()
	rs, ok := f.(io.ReadSeeker)
	st, _ := f.Stat()
	// Caches must keep the two encodings apart, whichever one this client gets.
	w.Header().Add("Vary", "Accept-Encoding")
	if !ok || st == nil || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
		return false
	}
	ctype := mime.TypeByExtension(path.Ext(p))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, p, st.ModTime(), rs)
	return true
}

// serveFile serves f, which need not be seekable: an asset read through
// decompression (a client that does not accept gzip) is read whole first.
func serveFile(w http.ResponseWriter, r *http.Request, name string, mod time.Time, f fs.File) {
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		b, err := io.ReadAll(f)
		if err != nil {
			writeError(w, domain.Errorf(domain.CodeInternal, "internal error"))
			return
		}
		rs = bytes.NewReader(b)
	}
	http.ServeContent(w, r, name, mod, rs)
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		if q == "q=0" || strings.HasPrefix(q, "q=0.") && strings.Trim(q[4:], "0") == "" {
			continue
		}
		return true
	}
	return false
}

// statusOf maps error codes to HTTP statuses.
var statusOf = map[domain.Code]int{
	domain.CodeValidation:         http.StatusUnprocessableEntity,
	domain.CodeUnauthenticated:    http.StatusUnauthorized,
	domain.CodeInvalidCredentials: http.StatusUnauthorized,
	domain.CodeForbidden:          http.StatusForbidden,
	domain.CodeNotFound:           http.StatusNotFound,
	domain.CodeConflict:           http.StatusConflict,
	domain.CodeSetupDone:          http.StatusConflict,
	domain.CodeOrgClosed:          http.StatusConflict,
	domain.CodeTwoFactorRequired:  http.StatusForbidden,
	domain.CodeRateLimited:        http.StatusTooManyRequests,
	domain.CodeTooLarge:           http.StatusRequestEntityTooLarge,
	domain.CodeStartupFailed:      http.StatusServiceUnavailable,
	domain.CodeInternal:           http.StatusInternalServerError,
}

func writeError(w http.ResponseWriter, err error) {
	e := domain.Public(err)
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
