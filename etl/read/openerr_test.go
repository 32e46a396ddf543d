package read

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenReason opens files that cannot be read, for real, and checks the Chinese reason, and
// that an error which is not about opening a file gets none (the loader's own sentence stays).
func TestOpenReason(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.csv")
	if err := os.WriteFile(file, []byte("x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	readAll := func(path string) error {
		_, err := os.ReadFile(path)
		return err
	}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"missing", readAll(filepath.Join(dir, "没有.csv")), "文件不存在"},
		{"a folder", readAll(dir), "是一个目录，不是文件"},
		{"a path through a file", readAll(filepath.Join(file, "b.csv")), "路径中有一级是文件，不是目录"},
		{"not about opening", errors.New("第2行 第3列：日期格式不对"), ""},
	} {
		if c.err == nil {
			t.Fatalf("%s: reading did not fail", c.name)
		}
		if got := OpenReason(c.err); got != c.want {
			t.Errorf("%s: OpenReason(%v) = %q, want %q", c.name, c.err, got, c.want)
		}
		if c.want != "" {
			if got := OpenError("a.csv", c.err).Error(); got != "导入 a.csv："+c.want || strings.Contains(got, "no such") {
				t.Errorf("%s: OpenError = %q", c.name, got)
			}
		}
	}
}
