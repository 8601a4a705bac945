//go:build !windows

package app

import (
	"os"
	"path/filepath"
	"testing"
)

// The desktop's own data folder holds the database and its backups: an
// existing one readable by others (made by hand, or by another tool) is made
// the user's only. A folder chosen with ATRIUM_DATA_DIR is left as it is (the
// files in it are the owner's only all the same).
func TestDataDirIsTheUsersOnly(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("ATRIUM_DATA_DIR", "")
	os.Unsetenv("ATRIUM_DATA_DIR")
	base, err := os.UserConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	own := filepath.Join(base, "Atrium")
	if err := os.MkdirAll(own, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(own, 0o755)
	dir, err := DataDir()
	if err != nil || dir != own {
		t.Fatalf("DataDir() = %q, %v; want %q", dir, err, own)
	}
	if info, err := os.Stat(own); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("the data folder is %v (%v), want -rwx------", info.Mode().Perm(), err)
	}

	chosen := filepath.Join(home, "chosen")
	os.Mkdir(chosen, 0o755)
	os.Chmod(chosen, 0o755)
	t.Setenv("ATRIUM_DATA_DIR", chosen)
	if dir, err := DataDir(); err != nil || dir != chosen {
		t.Fatalf("DataDir() = %q, %v; want %q", dir, err, chosen)
	}
	if info, _ := os.Stat(chosen); info.Mode().Perm() != 0o755 {
		t.Fatalf("the chosen folder was changed to %v", info.Mode().Perm())
	}
}
