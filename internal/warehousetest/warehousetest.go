// Package warehousetest builds a warehouse once per test process (the tiny county loaded, say, or
// loaded and modelled) and gives each test its own copy of it: the warehouse file and every file
// and folder beside it (the key file <db>.secret, the audit head <db>.audit, evidence and briefing
// folders). A test writes into its copy as into a warehouse it had built itself; the template is
// never opened again after it is built.
//
// Only tests import this package. The templates live in one temporary folder per process, which
// the package's TestMain removes with RemoveAll.
package warehousetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// Template is a warehouse built once, on first use, by Build.
type Template struct {
	// Name is the warehouse file's name, in the template's folder and in every copy.
	Name string
	// Build makes the warehouse file (file, in a folder of its own) and closes it, so that DuckDB
	// has checkpointed it: no write-ahead log may be left beside it.
	Build func(ctx context.Context, file string) error

	once sync.Once
	dir  string
	err  error
}

var (
	rootMu sync.Mutex
	root   string
)

// folder is a new folder under the process's template root.
func folder() (string, error) {
	rootMu.Lock()
	defer rootMu.Unlock()
	if root == "" {
		r, err := os.MkdirTemp("", "landwatch-warehousetest-")
		if err != nil {
			return "", err
		}
		root = r
	}
	return os.MkdirTemp(root, "t-")
}

// RemoveAll removes every template of the process (call it from TestMain after m.Run).
func RemoveAll() {
	rootMu.Lock()
	defer rootMu.Unlock()
	if root != "" {
		os.RemoveAll(root)
		root = ""
	}
}

func (tp *Template) build() {
	tp.once.Do(func() {
		dir, err := folder()
		if err != nil {
			tp.err = err
			return
		}
		file := filepath.Join(dir, tp.Name)
		if err := tp.Build(context.Background(), file); err != nil {
			tp.err = fmt.Errorf("build template %s: %w", tp.Name, err)
			return
		}
		if _, err := os.Stat(file); err != nil {
			tp.err = fmt.Errorf("build template %s: %w", tp.Name, err)
			return
		}
		if _, err := os.Stat(file + ".wal"); err == nil {
			tp.err = fmt.Errorf("build template %s: a write-ahead log is left beside it (close the warehouse before Build returns)", tp.Name)
			return
		}
		tp.dir = dir
	})
}

// CopyInto copies the template (built first if need be) into dir and returns the warehouse
// file's path there.
func (tp *Template) CopyInto(dir string) (string, error) {
	tp.build()
	if tp.err != nil {
		return "", tp.err
	}
	if err := copyDir(tp.dir, dir); err != nil {
		return "", fmt.Errorf("copy template %s: %w", tp.Name, err)
	}
	return filepath.Join(dir, tp.Name), nil
}

// Copy is CopyInto a new temporary folder of the test; the test fails when the template cannot be
// built or copied.
func (tp *Template) Copy(t testing.TB) string {
	t.Helper()
	file, err := tp.CopyInto(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return file
}

// copyDir copies the files and folders of src into dst (which may exist), keeping their modes.
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			if err := os.MkdirAll(to, 0o700); err != nil {
				return err
			}
			return os.Chmod(to, info.Mode().Perm())
		case info.Mode().IsRegular():
			return copyFile(p, to, info.Mode().Perm())
		default:
			return fmt.Errorf("%s: neither a file nor a folder", p)
		}
	})
}

func copyFile(src, dst string, perm fs.FileMode) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	return os.Chmod(dst, perm) // the umask may have narrowed it
}
