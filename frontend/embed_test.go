package frontend

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

func TestGunzipFS(t *testing.T) {
	js := strings.Repeat("console.log('atrium');\n", 200)
	list := gz(t, "motdepasse-bien-trop-courant\n")
	fsys := GunzipFS{FS: fstest.MapFS{
		"index.html":              {Data: []byte("<title>Atrium</title>")},
		"assets/app-1.js.gz":      {Data: gz(t, js)},
		"common-passwords.txt.gz": {Data: list},
	}}

	// A compressed asset reads decompressed under its own name, with its real size.
	b, err := fs.ReadFile(fsys, "assets/app-1.js")
	if err != nil || string(b) != js {
		t.Fatalf("read assets/app-1.js: %v (%d bytes)", err, len(b))
	}
	st, err := fs.Stat(fsys, "assets/app-1.js")
	if err != nil || st.Size() != int64(len(js)) || st.Name() != "app-1.js" || st.IsDir() {
		t.Fatalf("stat: %v %+v", err, st)
	}

	// Files stored as they are pass through untouched, a .gz list included.
	if b, _ := fs.ReadFile(fsys, "index.html"); string(b) != "<title>Atrium</title>" {
		t.Fatalf("index.html: %q", b)
	}
	if b, _ := fs.ReadFile(fsys, "common-passwords.txt.gz"); !bytes.Equal(b, list) {
		t.Fatal("common-passwords.txt.gz was changed")
	}

	// Compressed gives the stored bytes, and only for compressed assets.
	f, err := fsys.Compressed("assets/app-1.js")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(raw, gz(t, js)) {
		t.Fatal("Compressed did not return the stored bytes")
	}
	for _, name := range []string{"index.html", "assets/app-1.js.gz", "../x.js"} {
		if _, err := fsys.Compressed(name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Compressed(%q): %v, want not exist", name, err)
		}
	}

	// Missing files report the name asked for.
	_, err = fsys.Open("assets/missing.js")
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != "assets/missing.js" || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing: %v", err)
	}

	// A damaged .gz fails at open rather than serving garbage.
	bad := GunzipFS{FS: fstest.MapFS{"assets/bad.js.gz": {Data: []byte("not gzip at all, not at all")}}}
	if _, err := bad.Open("assets/bad.js"); err == nil {
		t.Fatal("damaged asset opened")
	}
}

// The embedded console: index.html as it is, every compressed asset readable
// under its own name, the breached-password list where backend/auth reads it.
func TestDist(t *testing.T) {
	d := Dist()
	idx, err := fs.ReadFile(d, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(d, "common-passwords.txt.gz"); err != nil {
		t.Fatal(err)
	}
	entries, err := fs.ReadDir(raw(), "assets")
	if err != nil {
		t.Fatal(err)
	}
	compressed := 0
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".gz")
		if !ok {
			continue
		}
		compressed++
		b, err := fs.ReadFile(d, "assets/"+name)
		if err != nil || len(b) == 0 {
			t.Fatalf("assets/%s: %v", name, err)
		}
	}
	if compressed == 0 {
		t.Fatal("no compressed asset in the build: is the gzip step of vite.config.ts running?")
	}
	// The page's own script is one of them, and is found under the name index.html uses.
	i := bytes.Index(idx, []byte(`src="./assets/`))
	if i < 0 {
		t.Fatalf("no script in index.html: %s", idx)
	}
	src := string(idx[i+len(`src="./`):])
	src = src[:strings.IndexByte(src, '"')]
	if _, err := fs.ReadFile(d, src); err != nil {
		t.Fatalf("%s: %v", src, err)
	}
}
