package warehouse

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// privateFiles makes every file this process creates from now on readable by its owner only
// (umask 077): DuckDB creates the write-ahead log, and recreates it after each checkpoint, with
// the process's umask, so a chmod after opening is not enough. The warehouse holds tips; nothing
// landwatch writes is meant for other users of the machine.
func privateFiles() {
	syscall.Umask(0o077)
}

// PrivateFiles sets the process's umask to 077, so that every file and folder it creates from now
// on — its own and DuckDB's (COPY … TO, PARTITION_BY folders) — is its owner's only. cmd/landwatch
// calls it before any command runs; a read-only warehouse does not.
func PrivateFiles() { privateFiles() }

// PrivateTree makes every file under root 0600 and every folder 0700 (root included); symbolic
// links are left alone and not followed. Writers whose output another library creates (DuckDB's
// COPY) call it after writing, whatever the umask was.
func PrivateTree(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			return nil
		case d.IsDir():
			return os.Chmod(p, 0o700)
		case d.Type().IsRegular():
			return os.Chmod(p, 0o600)
		}
		return nil
	})
}
