// Package frontend embeds the built console (frontend/dist, made by
// `npm run build`) so the desktop and the server ship the same files.
//
// The build stores the large text assets gzip-compressed (assets/*.js.gz,
// assets/*.css.gz; see vite.config.ts): about 1.1 MB less in each binary.
// Dist hides that: opening "assets/index-X.js" finds "assets/index-X.js.gz"
// and reads it decompressed, so the desktop's web view and any reader of the
// files see the original bytes. The server may send the .gz as it is to a
// browser that accepts gzip (Compressed).
package frontend

import (
	"compress/gzip"
	"embed"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"path"
	"time"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built console, index.html at its root, compressed assets
// read decompressed under their original names.
func Dist() fs.FS { return GunzipFS{FS: raw()} }

// raw returns the files as stored (compressed ones under their .gz name).
func raw() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a constant embedded path
	}
	return sub
}

// GunzipFS serves name from name+".gz" when name itself is absent. Files that
// exist as they are (index.html, common-passwords.txt.gz) pass through.
type GunzipFS struct{ FS fs.FS }

// Open opens name, or the decompressed content of name+".gz".
func (g GunzipFS) Open(name string) (fs.File, error) {
	f, err := g.FS.Open(name)
	if err == nil || !errors.Is(err, fs.ErrNotExist) || !fs.ValidPath(name) || name == "." {
		return f, err
	}
	zf, zerr := g.FS.Open(name + ".gz")
	if zerr != nil {
		return nil, err // report the name asked for
	}
	file, zerr := newGunzipFile(name, zf)
	if zerr != nil {
		zf.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: zerr}
	}
	return file, nil
}

// Compressed opens name+".gz" as stored, for a client that accepts gzip; it
// fails when name is not stored compressed.
func (g GunzipFS) Compressed(name string) (fs.File, error) {
	if !fs.ValidPath(name) || path.Ext(name) == ".gz" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return g.FS.Open(name + ".gz")
}

// gunzipFile streams the decompressed bytes: nothing is held in memory beyond
// the decompressor's window. It is not seekable, so readers that need the
// size take it from Stat (the gzip trailer's ISIZE field).
type gunzipFile struct {
	src  fs.File
	zr   *gzip.Reader
	info gunzipInfo
}

func newGunzipFile(name string, src fs.File) (*gunzipFile, error) {
	st, err := src.Stat()
	if err != nil {
		return nil, err
	}
	// ISIZE: the uncompressed length modulo 2^32, in the last four bytes;
	// console assets are far below 4 GiB.
	ra, ok := src.(io.ReaderAt)
	if !ok || st.Size() < 18 {
		return nil, errors.New("frontend: compressed asset is not readable at an offset or too short")
	}
	var trailer [4]byte
	if _, err := ra.ReadAt(trailer[:], st.Size()-4); err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(src)
	if err != nil {
		return nil, err
	}
	return &gunzipFile{src: src, zr: zr, info: gunzipInfo{
		name: path.Base(name), size: int64(binary.LittleEndian.Uint32(trailer[:])), mod: st.ModTime(),
	}}, nil
}

func (f *gunzipFile) Read(p []byte) (int, error) { return f.zr.Read(p) }
func (f *gunzipFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *gunzipFile) Close() error               { return errors.Join(f.zr.Close(), f.src.Close()) }

type gunzipInfo struct {
	name string
	size int64
	mod  time.Time
}

func (i gunzipInfo) Name() string       { return i.name }
func (i gunzipInfo) Size() int64        { return i.size }
func (i gunzipInfo) Mode() fs.FileMode  { return 0o444 }
func (i gunzipInfo) ModTime() time.Time { return i.mod }
func (i gunzipInfo) IsDir() bool        { return false }
func (i gunzipInfo) Sys() any           { return nil }
