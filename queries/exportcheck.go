package queries

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// An export read back (the province roll-up) may come from anyone: its manifest names the files
// to hash and read, so every name is confined to the export folder before anything is opened —
// relative, without "..", without glob characters (DuckDB expands them), no symbolic link on the
// way, and a regular file at the end (a device such as /dev/zero, a pipe or a socket never is) —
// and no read goes past the size the manifest states.

// MaxManifestBytes is the largest manifest.json read.
const MaxManifestBytes = 16 << 20

// MaxExportFileBytes is the largest file of an export hashed.
const MaxExportFileBytes = 64 << 30

// ErrNotRegular is the error of a path that is not a regular file of the export.
var ErrNotRegular = errors.New("not a regular file")

// zhError is a problem of an export named in Chinese, fit to be shown; any other error (the
// system's) is shown as a plain 无法读取.
type zhError struct{ msg string }

func (e zhError) Error() string { return e.msg }

func zh(format string, args ...any) error { return zhError{fmt.Sprintf(format, args...)} }

// shown is err's text when it is a zhError, else "".
func shown(err error) string {
	var z zhError
	if errors.As(err, &z) {
		return z.msg
	}
	return ""
}

// ExportPath checks rel, a slash path from a manifest, and returns the file it names under dir:
// relative, clean, no "..", no glob character, and every component below dir neither a symbolic
// link nor (but the last, a regular file) anything but a folder. The reasons are Chinese.
func ExportPath(dir, rel string) (string, error) {
	switch {
	case rel == "" || strings.ContainsRune(rel, 0):
		return "", zh("路径为空或含非法字符")
	case strings.HasPrefix(rel, "/") || strings.Contains(rel, `\`) || filepath.IsAbs(rel) || filepath.VolumeName(rel) != "":
		return "", zh("路径 %q 是绝对路径，只能是导出文件夹内的相对路径", rel)
	case path.Clean(rel) != rel || rel == "." || strings.HasPrefix(rel, "../") || rel == ".." || strings.Contains(rel, "/../"):
		return "", zh("路径 %q 含“..”或多余的部分，只能是导出文件夹内的相对路径", rel)
	case strings.ContainsAny(rel, "*?[]{}"):
		return "", zh("路径 %q 含通配符", rel)
	}
	parts := strings.Split(rel, "/")
	p := dir
	for i, part := range parts {
		p = filepath.Join(p, part)
		st, err := os.Lstat(p)
		if err != nil {
			return "", err
		}
		switch {
		case st.Mode()&fs.ModeSymlink != 0:
			return "", zh("%s 是符号链接，不予读取", rel)
		case i < len(parts)-1 && !st.IsDir():
			return "", zh("%s 不是普通文件", rel)
		case i == len(parts)-1 && !st.Mode().IsRegular():
			return "", zh("%s 不是普通文件（设备、管道或文件夹），不予读取", rel)
		}
	}
	return p, nil
}

// openRegular opens p, which must be a regular file (checked again on the open file: it may have
// been swapped since), without following a final symbolic link and without blocking on a pipe.
func openRegular(p string) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", p, ErrNotRegular)
	}
	return f, st, nil
}

// ReadExportManifest reads dir/manifest.json: a regular file (not a link) of at most
// MaxManifestBytes.
func ReadExportManifest(dir string) (*ExportManifest, error) {
	name := filepath.Join(dir, ExportManifestName)
	st, err := os.Lstat(name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", name, ErrNotRegular)
	}
	f, _, err := openRegular(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxManifestBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxManifestBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, MaxManifestBytes)
	}
	var m ExportManifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &m, nil
}

// hashLimited is the SHA-256 of the regular file p, reading at most limit bytes (a longer file is
// an error) and stopping when ctx ends.
func hashLimited(ctx context.Context, p string, limit int64, buf []byte) (string, error) {
	f, st, err := openRegular(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if st.Size() != limit {
		return "", zh("大小为 %d 字节，清单为 %d 字节", st.Size(), limit)
	}
	h := sha256.New()
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		k, err := f.Read(buf)
		n += int64(k)
		if n > limit {
			return "", zh("超过清单所列的 %d 字节", limit)
		}
		h.Write(buf[:k])
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// VerifyExport checks every file the manifest lists — its path confined to dir (ExportPath), its
// size and SHA-256 — and that no data file is there that it does not list; it names each problem
// in Chinese. It stops, naming why, when ctx ends.
func VerifyExport(ctx context.Context, dir string, m *ExportManifest) []string {
	var bad []string
	listed := map[string]bool{}
	buf := make([]byte, 256<<10)
	for _, f := range m.Files {
		if err := ctx.Err(); err != nil {
			return append(bad, "核对中止："+err.Error())
		}
		listed[f.Path] = true
		p, err := ExportPath(dir, f.Path)
		if err != nil {
			switch {
			case errors.Is(err, fs.ErrNotExist):
				bad = append(bad, "缺少文件 "+f.Path)
			case shown(err) != "":
				bad = append(bad, "清单中的路径不予采用："+shown(err))
			default:
				bad = append(bad, "无法读取 "+f.Path)
			}
			continue
		}
		if f.Bytes < 0 || f.Bytes > MaxExportFileBytes {
			bad = append(bad, fmt.Sprintf("清单所列大小 %d 字节不可信 %s", f.Bytes, f.Path))
			continue
		}
		sum, err := hashLimited(ctx, p, f.Bytes, buf)
		switch {
		case ctx.Err() != nil:
			return append(bad, "核对中止："+ctx.Err().Error())
		case shown(err) != "":
			bad = append(bad, "无法读取 "+f.Path+"（"+shown(err)+"）")
		case err != nil:
			bad = append(bad, "无法读取 "+f.Path)
		case sum != f.SHA256:
			bad = append(bad, "校验和不符 "+f.Path)
		}
	}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel != ExportManifestName && strings.HasSuffix(rel, ".parquet") && !listed[rel] {
			bad = append(bad, "清单外的文件 "+rel)
		}
		return nil
	})
	return bad
}

// RowsKey is the manifest's Rows key of a listed file: "marts/<mart>" for a mart, "power_readings"
// for a file under power_readings/, the path without .parquet otherwise; "" for a file that is not
// Parquet.
func RowsKey(rel string) string {
	if !strings.HasSuffix(rel, ".parquet") {
		return ""
	}
	if strings.HasPrefix(rel, "power_readings/") {
		return "power_readings"
	}
	return strings.TrimSuffix(rel, ".parquet")
}

// ParquetInfo is what a Parquet file's footer says of it.
type ParquetInfo struct {
	Rows    int64
	Columns []string // top-level and nested, in schema order
}

// ExportParquet reads the footer (ParquetFooter) of every Parquet file the manifest lists, by its
// listed path; the paths must have passed VerifyExport. A file that is not Parquet is named.
func ExportParquet(ctx context.Context, dir string, m *ExportManifest) (map[string]ParquetInfo, error) {
	out := map[string]ParquetInfo{}
	for _, f := range m.Files {
		if RowsKey(f.Path) == "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, err := ExportPath(dir, f.Path)
		if err != nil {
			return nil, fmt.Errorf("%s 无法读取", f.Path)
		}
		file, st, err := openRegular(p)
		if err != nil {
			return nil, fmt.Errorf("%s 无法读取", f.Path)
		}
		n, cols, err := ParquetFooter(file, st.Size())
		file.Close()
		if err != nil {
			return nil, fmt.Errorf("%s 不是有效的 Parquet 文件", f.Path)
		}
		out[f.Path] = ParquetInfo{Rows: n, Columns: cols}
	}
	return out, nil
}
