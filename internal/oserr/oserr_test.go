package oserr

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// english is a word of two ASCII letters or more: what no translated message may still carry
// outside its paths.
var english = regexp.MustCompile(`[A-Za-z]{2,}`)

// path is an absolute path in a message, up to the colon after it.
var path = regexp.MustCompile(`/[^\s：]*`)

// chineseOnly fails when msg, without the paths it names, has an English word.
func chineseOnly(t *testing.T, what, msg string) {
	t.Helper()
	rest := path.ReplaceAllString(msg, " ")
	if w := english.FindString(rest); w != "" {
		t.Errorf("%s: %q has the English %q", what, msg, w)
	}
}

// Real failing calls of the operating system, wrapped as the commands wrap them, read in Chinese
// and name the path.
func TestRealFailures(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "文件.txt")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	underFile := filepath.Join(file, "子目录")
	missing := filepath.Join(dir, "没有", "a.csv")
	long := filepath.Join(dir, strings.Repeat("长", 200))
	moved := filepath.Join(dir, "没有", "b.csv")

	mkdirUnderFile := os.MkdirAll(underFile, 0o700)
	mkdirMissing := os.Mkdir(filepath.Join(dir, "没有", "下级"), 0o700)
	_, openMissing := os.Open(missing)
	writeFolder := os.WriteFile(dir, []byte("x"), 0o600)
	mkdirExists := os.Mkdir(dir, 0o700)
	_, tooLong := os.Create(long)
	renameMissing := os.Rename(file, moved)
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"mkdir under a file", mkdirUnderFile, "创建目录 " + file + "：路径中有一级是文件，不是目录"},
		{"mkdir in a missing folder", mkdirMissing, "创建目录 " + filepath.Join(dir, "没有", "下级") + "：上级目录不存在"},
		{"open a missing file", openMissing, "打开 " + missing + "：不存在"},
		{"write into a folder", writeFolder, "打开 " + dir + "：是一个目录，不是文件"},
		{"mkdir an existing folder", mkdirExists, "创建目录 " + dir + "：已存在"},
		{"a name too long", tooLong, "打开 " + long + "：文件名过长"},
		{"rename into a missing folder", renameMissing, "将 " + file + " 重命名为 " + moved + "：不存在"},
	} {
		if tc.err == nil {
			t.Fatalf("%s: no error", tc.name)
		}
		wrapped := fmt.Errorf("导出到 %s：%w", dir, tc.err)
		got := Text(wrapped)
		if got != "导出到 "+dir+"："+tc.want {
			t.Errorf("%s: %q, want %q (Go's text: %q)", tc.name, got, "导出到 "+dir+"："+tc.want, wrapped)
		}
		chineseOnly(t, tc.name, got)
	}
}

// A second listener on a port in use is refused in Chinese naming the address.
func TestAddressInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, err = net.Listen("tcp", l.Addr().String())
	if err == nil {
		t.Fatal("a second listener on the same port")
	}
	got := Text(fmt.Errorf("启动服务：%w", err))
	if want := "启动服务：监听 " + l.Addr().String() + "：地址已被占用（可能已有服务在运行）"; got != want {
		t.Errorf("%q, want %q (Go's text: %q)", got, want, err)
	}
	_, err = net.Listen("tcp", "127.0.0.1")
	got = Text(fmt.Errorf("启动服务：%w", err))
	if !strings.Contains(got, "地址“127.0.0.1”无效") {
		t.Errorf("no port: %q (Go's text: %q)", got, err)
	}
	chineseOnly(t, "no port", got)
}

// The errors that the tests cannot cause (they may run as root, which every permission passes; a
// full or read-only disk) are made as the OS returns them.
func TestErrorValues(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&fs.PathError{Op: "open", Path: "/只读/a.pdf", Err: syscall.EACCES}, "打开 /只读/a.pdf：没有权限"},
		{&fs.PathError{Op: "mkdir", Path: "/只读/新", Err: syscall.EPERM}, "创建目录 /只读/新：没有权限"},
		{&fs.PathError{Op: "write", Path: "/满/a.pdf", Err: syscall.ENOSPC}, "写入 /满/a.pdf：磁盘空间已满"},
		{&fs.PathError{Op: "open", Path: "/光盘/a.pdf", Err: syscall.EROFS}, "打开 /光盘/a.pdf：所在磁盘只读，不能写入"},
		{&fs.PathError{Op: "open", Path: "/a.csv", Err: syscall.EMFILE}, "打开 /a.csv：本程序打开的文件过多"},
		{&fs.PathError{Op: "remove", Path: "/挂载", Err: syscall.EBUSY}, "删除 /挂载：正被占用"},
		{&os.LinkError{Op: "rename", Old: "/a", New: "/b", Err: syscall.EXDEV}, "将 /a 重命名为 /b：不能跨磁盘移动"},
		{os.NewSyscallError("fsync", syscall.EIO), "磁盘读写出错"},
		{syscall.ENOSPC, "磁盘空间已满"},
		{&fs.PathError{Op: "frobnicate", Path: "/a", Err: syscall.Errno(200)}, "访问 /a：系统错误（错误号 200）"},
	} {
		if got := Text(fmt.Errorf("写入报告：%w", tc.err)); got != "写入报告："+tc.want {
			t.Errorf("%q: %q, want %q", tc.err, got, "写入报告："+tc.want)
		}
	}
}

// Every OS error of a nested or joined wrap is translated; other errors read as they were.
func TestNestedAndJoined(t *testing.T) {
	a := &fs.PathError{Op: "open", Path: "/a.csv", Err: syscall.ENOENT}
	b := &fs.PathError{Op: "write", Path: "/b.pdf", Err: syscall.ENOSPC}
	err := fmt.Errorf("导入：%w", fmt.Errorf("第二层：%w", errors.Join(a, fmt.Errorf("写入：%w", b))))
	want := "导入：第二层：打开 /a.csv：不存在\n写入：写入 /b.pdf：磁盘空间已满"
	if got := Text(err); got != want {
		t.Errorf("%q, want %q", got, want)
	}
	plain := errors.New("数据仓库已被占用")
	if got := Text(plain); got != plain.Error() {
		t.Errorf("plain error changed: %q", got)
	}
	if Text(nil) != "" {
		t.Error("nil error has a text")
	}
}

// DuckDB's own reports of the OS's errors on the warehouse file, as its driver returns them.
func TestDuckDBText(t *testing.T) {
	for in, want := range map[string]string{
		`无法打开数据仓库 /a/x.duckdb：database/sql/driver: could not connect to database: IO Error: Cannot open file "/a/x.duckdb": No such file or directory`:              "无法打开数据仓库 /a/x.duckdb：打开 /a/x.duckdb：不存在",
		`无法打开数据仓库 /f/x.duckdb：database/sql/driver: could not connect to database: IO Error: Cannot open file "/f/x.duckdb": Not a directory`:                        "无法打开数据仓库 /f/x.duckdb：打开 /f/x.duckdb：路径中有一级是文件，不是目录",
		`无法打开数据仓库 /b.duckdb：database/sql/driver: could not connect to database: IO Error: The file "/b.duckdb" exists, but it is not a valid DuckDB database file!`: "无法打开数据仓库 /b.duckdb：/b.duckdb 不是有效的数据仓库文件（可能已损坏，或不是本程序的文件）",
		`导入 /in/a.csv：IO Error: Could not write file "/w/x.duckdb.wal": No space left on device`:                                                                    "导入 /in/a.csv：写入 /w/x.duckdb.wal：磁盘空间已满",
		`导入 /in/a.csv：IO Error: Could not write file "/w/x.duckdb.wal": Read-only file system (errno 30)`:                                                           "导入 /in/a.csv：写入 /w/x.duckdb.wal：所在磁盘只读，不能写入",
		`导入 /in/a.csv：IO Error: Cannot open file "/w/x.duckdb": Permission denied`:                                                                                  "导入 /in/a.csv：打开 /w/x.duckdb：没有权限",
	} {
		got := Text(errors.New(in))
		if got != want {
			t.Errorf("%q:\n%q, want\n%q", in, got, want)
		}
		chineseOnly(t, in, got)
	}
}

// The same errors as text, as a page receives them (err.Error(), fmt's %v), read the same.
func TestWordsOfText(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "文件.txt")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, missing := os.Open(filepath.Join(dir, "没有.csv"))
	mkdir := os.MkdirAll(filepath.Join(file, "子目录"), 0o700)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, inUse := net.Listen("tcp", l.Addr().String())
	for _, err := range []error{
		fmt.Errorf("导入：%w", missing), fmt.Errorf("导出到 %s：%v", dir, mkdir), fmt.Errorf("启动服务：%w", inUse),
		fmt.Errorf("外层：%w", fmt.Errorf("内层：%w", &fs.PathError{Op: "write", Path: "/满/a.pdf", Err: syscall.ENOSPC})),
		fmt.Errorf("写入：%v", syscall.EACCES),
	} {
		got, want := Words(err.Error()), Text(err)
		if got != want {
			t.Errorf("%q: as text %q, as an error %q", err, got, want)
		}
		chineseOnly(t, err.Error(), got)
	}
}

// TestReading: DuckDB's own errors are named by their kind in Chinese, never by DuckDB's English.
func TestReading(t *testing.T) {
	for in, want := range map[string]string{
		`Invalid Input Error: No magic bytes found at end of file 'x.parquet'`:                   "文件内容不符合格式",
		`Out of Memory Error: could not allocate block of size 256.0 KiB (1.0 GiB/1.0 GiB used)`: "内存不足（可调高配置中的内存上限，或分批导入）",
		`Conversion Error: Could not convert string 'a' to DOUBLE`:                               "有值不能转换为应有的类型",
		`IO Error: Could not read from file "/d/x.csv": Input/output error`:                      "读取 /d/x.csv：磁盘读写出错",
		`IO Error: something DuckDB says in English`:                                             "磁盘读写出错",
		`Binder Error: Referenced column "x" not found`:                                          "",
	} {
		if got := Reading(errors.New(in)); got != want {
			t.Errorf("Reading(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Reading(nil); got != "" {
		t.Errorf("Reading(nil) = %q", got)
	}
}
