package httpapi

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// gzConsole stores assets gzip-compressed as the built console does
// (frontend.GunzipFS): Open decompresses, Compressed gives the stored bytes.
type gzConsole struct{ fstest.MapFS }

func (c gzConsole) Open(name string) (fs.File, error) {
	if f, err := c.MapFS.Open(name); err == nil {
		return f, nil
	}
	zf, err := c.MapFS.Open(name + ".gz")
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(zf)
	if err != nil {
		return nil, err
	}
	st, _ := zf.Stat()
	return unseekable{zr, st}, nil
}

func (c gzConsole) Compressed(name string) (fs.File, error) { return c.MapFS.Open(name + ".gz") }

// unseekable reads like frontend's decompressing file: no Seek.
type unseekable struct {
	io.Reader
	st fs.FileInfo
}

func (u unseekable) Stat() (fs.FileInfo, error) { return u.st, nil }
func (u unseekable) Close() error               { return nil }

func TestConsoleServesCompressedAssets(t *testing.T) {
	js := strings.Repeat("export const atrium = 1;\n", 100)
	var packed bytes.Buffer
	zw := gzip.NewWriter(&packed)
	zw.Write([]byte(js))
	zw.Close()
	h := New(Options{Console: gzConsole{fstest.MapFS{
		"index.html":         {Data: []byte("<title>Atrium</title>")},
		"assets/app-1.js.gz": {Data: packed.Bytes()},
		"assets/small.js":    {Data: []byte("1")},
	}}})
	get := func(path, accept string) *http.Response {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Result()
	}

	// A browser that accepts gzip gets the stored bytes, labelled as such.
	res := get("/assets/app-1.js", "gzip, deflate, br")
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(body, packed.Bytes()) {
		t.Fatalf("gzip client: %d %q, %d bytes", res.StatusCode, res.Header.Get("Content-Encoding"), len(body))
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("content type %q", ct)
	}
	if res.Header.Get("Vary") != "Accept-Encoding" || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("headers: %v", res.Header)
	}

	// One that does not (or refuses gzip) gets the plain file.
	for _, accept := range []string{"", "identity", "gzip;q=0, br", "*;q=0"} {
		res = get("/assets/app-1.js", accept)
		body, _ = io.ReadAll(res.Body)
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "" || string(body) != js {
			t.Fatalf("accept %q: %d %q, %d bytes", accept, res.StatusCode, res.Header.Get("Content-Encoding"), len(body))
		}
		if res.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("accept %q: no Vary", accept)
		}
	}

	// Files stored as they are, and the page for unknown paths, are unchanged.
	res = get("/assets/small.js", "gzip")
	body, _ = io.ReadAll(res.Body)
	if res.Header.Get("Content-Encoding") != "" || string(body) != "1" {
		t.Fatalf("small.js: %q %q", res.Header.Get("Content-Encoding"), body)
	}
	res = get("/members/42", "gzip")
	body, _ = io.ReadAll(res.Body)
	if res.StatusCode != 200 || string(body) != "<title>Atrium</title>" || res.Header.Get("Content-Encoding") != "" {
		t.Fatalf("index fallback: %d %q", res.StatusCode, body)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                    false,
		"gzip":                true,
		"GZIP":                true,
		"deflate, gzip;q=1.0": true,
		"br;q=1, gzip;q=0.5":  true,
		"gzip;q=0":            false,
		"gzip; q=0.000":       false,
		"identity":            false,
		"*":                   true,
		"x-gzip":              true,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v", header, got)
		}
	}
}
