package warehouse

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// A running server holds the warehouse open for writing and runs other processes' commands on it
// (warehouse/forward), `landwatch sql` among them. DuckDB's external access is a setting of the whole
// database, not of a connection, and it is read when the database opens or turned off once, never
// back on. So the server turns it off for everything once the warehouse is open (SealRunning): no
// statement on any of its connections reads or writes a file but the warehouse, its WAL and its
// spill folder — and the staging folder, where a loader puts the one file DuckDB must read
// (Stage). DuckDB resolves symbolic links and `..` before it checks a path, so a link placed in the
// staging folder that leads out is refused too.

// StageDir is the staging folder of a warehouse file: owner-only, emptied when a server starts.
func StageDir(file string) string { return file + ".stage" }

// SealRunning turns file access off for the open warehouse, except its staging folder. The
// configuration is not locked (loaders set their memory limit), but external access cannot be
// turned back on, and the allowed folders cannot change once it is off.
func (db *DB) SealRunning(ctx context.Context) error {
	dir := StageDir(db.Path)
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("清理暂存目录 %s: %w", dir, err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		return fmt.Errorf("创建暂存目录 %s: %w", dir, err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return err
	}
	for _, q := range []string{
		"SET allowed_directories = [" + sqlLit(abs+string(filepath.Separator)) + "]",
		"SET enable_external_access = false",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("关闭数据仓库的外部文件访问: %w", err)
		}
	}
	db.stage = abs
	return nil
}

// Sealed reports whether SealRunning turned file access off.
func (db *DB) Sealed() bool { return db.stage != "" }

// Stage makes the file at path readable by DuckDB on a sealed warehouse: a hard link (or, across
// file systems, a copy) of the file itself — a symbolic link is followed first — in a folder of its
// own under the staging folder, keeping its name. On an unsealed warehouse it returns path. done
// removes the staged copy.
func (db *DB) Stage(path string) (staged string, done func(), err error) {
	if db.stage == "" {
		return path, func() {}, nil
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", nil, err
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", nil, err
	}
	if !st.Mode().IsRegular() {
		return "", nil, fmt.Errorf("%s 不是普通文件", path)
	}
	var r [8]byte
	if _, err := rand.Read(r[:]); err != nil {
		return "", nil, err
	}
	sub := filepath.Join(db.stage, hex.EncodeToString(r[:]))
	if err := os.Mkdir(sub, 0o700); err != nil {
		return "", nil, err
	}
	done = func() { os.RemoveAll(sub) }
	staged = filepath.Join(sub, filepath.Base(path))
	if err := os.Link(real, staged); err != nil {
		if err := copyFile(real, staged); err != nil {
			done()
			return "", nil, err
		}
	}
	return staged, done, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return errors.Join(out.Sync(), out.Close())
}

func sqlLit(s string) string {
	out := []byte{'\''}
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			out = append(out, '\'')
		}
		out = append(out, s[i])
	}
	return string(append(out, '\''))
}
