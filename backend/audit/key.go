package audit

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"atrium/backend/store"
)

// Key is the secret every link of the history is keyed with (HMAC-SHA-256).
// It lives outside the database, so whoever can write the database file but
// not read the key cannot recompute a link, a checkpoint or the head.
type Key []byte

// KeySize is the length of a history key, in bytes.
const KeySize = 32

// NewKey returns a fresh random key.
func NewKey() Key {
	k := make(Key, KeySize)
	if _, err := rand.Read(k); err != nil {
		panic(err) // the system's random source never fails on supported systems
	}
	return k
}

// ErrWrongKey means the database's history was sealed with another key.
var ErrWrongKey = errors.New("the history key does not match the one this database's history was sealed with (wrong key file, or the seal was changed)")

// KeyFileBeside names the key file kept beside a SQLite database by default:
// atrium.db → atrium.history-key.
func KeyFileBeside(dbPath string) string {
	return strings.TrimSuffix(dbPath, filepath.Ext(dbPath)) + ".history-key"
}

// ReadKeyFile reads a key file: 64 hexadecimal digits.
func ReadKeyFile(path string) (Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(k) != KeySize {
		return nil, fmt.Errorf("the history key file %s does not hold a key (64 hexadecimal digits)", path)
	}
	return k, nil
}

// LoadKey reads the key file at path. When there is none and the database's
// history was never sealed (a new database, or one from before keys), it
// creates one, readable by its owner only. A sealed database whose key file is
// missing is refused: a new key would make its whole history look forged.
func LoadKey(ctx context.Context, st *store.Store, path string) (Key, error) {
	k, err := ReadKeyFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	sealed, err := IsSealed(ctx, st)
	if err != nil {
		return nil, err
	}
	if sealed {
		return nil, fmt.Errorf("the history key file %s is missing, and this database's history was sealed with a key: give its file (--history-key or ATRIUM_HISTORY_KEY_FILE)", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot create the history key file: %w", err)
	}
	k = NewKey()
	if _, err := f.WriteString(hex.EncodeToString(k) + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return k, nil
}

// Open loads (or creates) the key at keyPath and returns a recorder keyed
// with it, the history sealed: a database from before keys gets its seal now,
// and a sealed one must have been sealed with this key (ErrWrongKey).
// Further options (WithClock) apply as in New.
func Open(ctx context.Context, st *store.Store, keyPath string, opts ...Option) (*Recorder, error) {
	k, err := LoadKey(ctx, st, keyPath)
	if err != nil {
		return nil, err
	}
	r := New(st, append(opts, WithKey(k))...)
	return r, r.Seal(ctx)
}

// mac keys the parts, joined as the entries' fields are. The first part
// names what is keyed, so a link can never pass for a checkpoint or a head.
func (r *Recorder) mac(parts ...string) string {
	m := hmac.New(sha256.New, r.key)
	m.Write([]byte(strings.Join(parts, "\x1f")))
	return hex.EncodeToString(m.Sum(nil))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (r *Recorder) headMAC(seq int64, hash string) string { return r.mac("head", itoa(seq), hash) }

func (r *Recorder) checkpointMAC(c Checkpoint) string {
	return r.mac("checkpoint", c.Kind, itoa(c.Seq), c.Hash, c.At.UTC().Format(timeFormat))
}

func (r *Recorder) orgHeadMAC(o orgHead) string {
	return r.mac("org-head", o.OrgID, itoa(o.LegacyCount), o.LegacyDigest, itoa(o.OrgSeq), itoa(o.Seq), o.Hash)
}

func (r *Recorder) exportMAC(h Head) string {
	return r.mac("export", h.Org, itoa(h.Seq), h.Hash, h.At.UTC().Format(timeFormat))
}

// Fits tells whether this recorder's key can carry on the history of the
// database st (a backup about to be restored): one never keyed, or keyed
// with this key. ErrWrongKey means another key sealed it (a backup from
// another desktop): opened here, its history would be refused. A database
// from before keys has no checkpoints table yet, and fits.
func (r *Recorder) Fits(ctx context.Context, st interface {
	DB(context.Context) *gorm.DB
}) error {
	var seal Checkpoint
	err := st.DB(ctx).Where("kind = ?", CheckpointSeal).Take(&seal).Error
	switch {
	case err == nil:
		if seal.MAC != r.checkpointMAC(seal) {
			return ErrWrongKey
		}
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
	case strings.Contains(err.Error(), "no such"):
		return nil
	default:
		return err
	}
	var h head
	if err := st.DB(ctx).Take(&h, 1).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) || strings.Contains(err.Error(), "no such") {
			return nil
		}
		return err
	}
	if h.MAC != "" && h.MAC != r.headMAC(h.Seq, h.Hash) {
		return ErrWrongKey
	}
	return nil
}
