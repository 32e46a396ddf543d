package view

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// english is a word of two ASCII letters or more outside a path, a file name or a quoted command.
var english = regexp.MustCompile(`[A-Za-z]{2,}`)

func chineseOnly(t *testing.T, in, got string) {
	t.Helper()
	rest := regexp.MustCompile("`[^`]*`|/[^\\s：]*|\\S+\\.(csv|xlsx|pdf|duckdb)|landwatch load|MB").ReplaceAllString(got, " ")
	if w := english.FindString(rest); w != "" {
		t.Errorf("ChineseOnly(%q) = %q keeps the English %q", in, got, w)
	}
}

// A wrapped Go error's English reaches no page, whether it follows an ASCII colon or a Chinese
// one, at any depth of wrapping; the OS's errors are written in Chinese naming the path, as on the
// command line (internal/oserr); what is not English (a path, a file, a command) stays.
func TestChineseOnlyTails(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	mkdir := os.MkdirAll(filepath.Join(file, "子目录"), 0o700)
	_, missing := os.Open(filepath.Join(dir, "没有.csv"))
	for in, want := range map[string]string{
		// English after a Chinese colon, and nested wraps
		"导入：zip: not a valid zip file":                  "导入",
		"导入失败：读取工作簿：zip: not a valid zip file":          "导入失败：读取工作簿",
		"生成失败：context canceled":                         "生成失败",
		"生成失败： context deadline exceeded ":              "生成失败",
		"发布失败：写入：unexpected EOF while reading":          "发布失败：写入",
		"导入 /in/a.csv：database/sql: connection is busy": "导入 /in/a.csv",
		"导入：第二层：第三层: something went wrong":              "导入：第二层：第三层",
		"导入：第二层: bad thing：worse thing":                 "导入：第二层",
		// the OS's errors, as text, in Chinese
		"导出到 " + dir + "：" + mkdir.Error():                           "导出到 " + dir + "：创建目录 " + file + "：路径中有一级是文件，不是目录",
		"导入：" + missing.Error():                                      "导入：打开 " + filepath.Join(dir, "没有.csv") + "：不存在",
		"外层：内层：write /满/a.pdf: no space left on device":              "外层：内层：写入 /满/a.pdf：磁盘空间已满",
		"启动：listen tcp 127.0.0.1:8080: bind: address already in use": "启动：监听 127.0.0.1:8080：地址已被占用（可能已有服务在运行）",
		// not English: kept
		"请先运行：`landwatch models run`":         "请先运行：`landwatch models run`",
		"数据仓库：/srv/landwatch/w.duckdb":        "数据仓库：/srv/landwatch/w.duckdb",
		"已导入：patrol.csv":                      "已导入：patrol.csv",
		"用法：landwatch load 类型 文件":             "用法：landwatch load 类型 文件",
		"截至：2023-04-30":                       "截至：2023-04-30",
		"文件超过 512 MB：请用命令行 landwatch load 导入": "文件超过 512 MB：请用命令行 landwatch load 导入",
	} {
		got := ChineseOnly(in)
		if got != want {
			t.Errorf("ChineseOnly(%q)\n got %q\nwant %q", in, got, want)
		}
		chineseOnly(t, in, got)
	}
	// an error value's text reads as oserr writes the value
	err := fmt.Errorf("外层：%w", errors.Join(&fs.PathError{Op: "open", Path: "/a.csv", Err: syscall.EACCES}, syscall.EROFS))
	if got := ChineseOnly(err.Error()); got != "外层：打开 /a.csv：没有权限\n所在磁盘只读，不能写入" {
		t.Errorf("joined: %q", got)
	}
	if strings.Contains(ChineseOnly("说明 (unknown village added)"), "unknown") {
		t.Error("an English gloss stays")
	}
}
