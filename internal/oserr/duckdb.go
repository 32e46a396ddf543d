package oserr

import (
	"regexp"
	"strings"
)

// DuckDB reports the OS's errors on its files as text, not as Go errors: `IO Error: Cannot open
// file "/a/x.duckdb": No such file or directory`, after database/sql's `could not connect to
// database: `. duckOps are its verbs in Chinese.
var duckOps = map[string]string{
	"Cannot open file": "打开", "Could not open file": "打开", "Could not write file": "写入",
	"Could not read from file": "读取", "Could not create directory": "创建目录",
	"Could not remove file": "删除", "Could not remove directory": "删除", "Could not move file": "移动",
	"Could not truncate file": "截断", "Could not fsync file": "写入磁盘", "Could not sync file": "写入磁盘",
	"Could not get file size": "读取", "Could not seek in file": "读取",
}

var (
	duckIO = regexp.MustCompile(`(?:database/sql/driver: could not connect to database: )?IO Error: (` +
		strings.Join(keys(duckOps), "|") + `) "([^"]*)": ([A-Za-z][A-Za-z /-]*[a-z])(?:\s*\(errno \d+\))?`)
	duckNotDB = regexp.MustCompile(`(?:database/sql/driver: could not connect to database: )?IO Error: The file "([^"]*)" exists, but it is not a valid DuckDB database file!?`)
)

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, regexp.QuoteMeta(k))
	}
	return out
}

// strerror is the errno whose C text (DuckDB's "No space left on device") is s, in Chinese; "" for
// one not listed.
func strerror(s string) string {
	for _, r := range reasons {
		if strings.EqualFold(r.errno.Error(), strings.TrimSpace(s)) {
			return r.words
		}
	}
	return ""
}

// duckText rewrites DuckDB's reports of the OS's errors on its files in Chinese, naming the file.
func duckText(msg string) string {
	msg = duckNotDB.ReplaceAllString(msg, "$1 不是有效的数据仓库文件（可能已损坏，或不是本程序的文件）")
	return duckIO.ReplaceAllStringFunc(msg, func(m string) string {
		p := duckIO.FindStringSubmatch(m)
		r := strerror(p[3])
		if r == "" {
			return m
		}
		if p[1] == "Could not create directory" && r == "不存在" {
			r = "上级目录不存在"
		}
		return duckOps[p[1]] + " " + p[2] + "：" + r
	})
}

// duckClasses are the kinds of DuckDB's own errors a file can cause, in Chinese. DuckDB names the
// kind before the colon ("Invalid Input Error: No magic bytes found at end of file …"); the English
// after it is for DuckDB's developers.
var duckClasses = []struct{ class, words string }{
	{"Out of Memory Error:", "内存不足（可调高配置中的内存上限，或分批导入）"},
	{"Invalid Input Error:", "文件内容不符合格式"},
	{"Conversion Error:", "有值不能转换为应有的类型"},
	{"Interrupt Error:", "已取消"},
	{"IO Error:", "磁盘读写出错"},
}

// Reading is why DuckDB could not read or write what a file gave it, in Chinese for a line that
// already names the file: the OS's reason naming the path when it was one (Text), else the kind of
// DuckDB's error; "" when it is neither, and the caller's own words must do.
func Reading(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	if zh := Text(err); zh != msg {
		return zh
	}
	for _, c := range duckClasses {
		if strings.Contains(msg, c.class) {
			return c.words
		}
	}
	return ""
}
