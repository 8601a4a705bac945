package store

import (
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
)

// privateFiles keeps a SQLite database the owner's only: it holds live
// invitation and reset links and second-factor secrets. A new file is created
// 0600 before SQLite opens it, and SQLite gives its WAL, shared-memory and
// journal files the database file's own mode. Files an earlier version left
// readable by others (the database, its WAL and shared-memory files, the
// backups and their folder) lose the group and other bits, with a warning in
// the log; the folder holding the database is left alone, since a server's
// operator may have chosen it (a folder Atrium creates is 0700). On Windows,
// mode bits mean nothing (the per-user folder's access list protects the
// files): only the file is created.
func privateFiles(dbPath string) error {
	f, err := os.OpenFile(dbPath, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		f.Close()
	case !errors.Is(err, fs.ErrExist):
		return startupError("the database %s cannot be created: %v", dbPath, err)
	}
	if runtime.GOOS == "windows" {
		return nil
	}
	for _, p := range []string{dbPath, dbPath + "-wal", dbPath + "-shm", dbPath + "-journal"} {
		ownerOnly(p)
	}
	dir := backupDir(dbPath)
	ownerOnly(dir)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Type().IsRegular() {
			ownerOnly(filepath.Join(dir, e.Name()))
		}
	}
	return nil
}

// ownerOnly takes the group and other permissions off an existing file or
// folder. A failure (a file owned by another account) is logged, not fatal:
// the database stays usable as it was.
func ownerOnly(path string) {
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm()&0o077 == 0 {
		return
	}
	was := info.Mode().Perm()
	if err := os.Chmod(path, was&^0o077); err != nil {
		slog.Warn("Atrium's data is readable by other users of this machine and could not be restricted to its owner", "file", path, "mode", was, "err", err)
		return
	}
	slog.Warn("Atrium's data was readable by other users of this machine; it is now its owner's only", "file", path, "was", was)
}
