package app

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// A connected desktop remembers its server in the data folder, beside its
// own database: the address, the certificate the person accepted, the
// account, and the session the server gave this desktop (never a password).
// Its replica is a file of its own under servers/, so the desktop's own file
// (atrium.db) is never written while it is connected, and is back as it was
// when it disconnects.

const settingsFile = "connection.json"

// settings are the connection as remembered.
type settings struct {
	Server    string `json:"server"`
	Pin       string `json:"pin,omitempty"`
	AccountID string `json:"accountId"`
	Email     string `json:"email"`
	Session   string `json:"session"`
	// Replica is the replica's file, under servers/ in the data folder.
	Replica    string     `json:"replica"`
	LastSyncAt *time.Time `json:"lastSyncAt,omitempty"`
	// LocalDossiers: the desktop's own file held organizations when it
	// connected; they wait there for the disconnection.
	LocalDossiers bool `json:"localDossiers"`
}

// loadSettings reads the connection; nil when the desktop is not connected.
func loadSettings(dir string) (*settings, error) {
	b, err := os.ReadFile(filepath.Join(dir, settingsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var s settings
	if err := json.Unmarshal(b, &s); err != nil || s.Server == "" || s.Replica == "" {
		return nil, errors.New("the connection settings are unreadable")
	}
	return &s, nil
}

// save writes the connection, readable by the user alone, whole or not at all.
func (s *settings) save(dir string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, settingsFile), b); err != nil {
		return err
	}
	return os.Chmod(filepath.Join(dir, settingsFile), 0o600)
}

func removeSettings(dir string) error {
	err := os.Remove(filepath.Join(dir, settingsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// replicaName names a server's replica file after its address.
func replicaName(host string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			return r
		}
		return '_'
	}, host) + ".db"
}

func (s *settings) replicaPath(dir string) string {
	return filepath.Join(dir, "servers", s.Replica)
}
